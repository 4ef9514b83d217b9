package store

import "github.com/disputekit/disputekit/evidence"

// The store's own checks on top of the domain's Normalize: times it can hold.

func normCase(c *evidence.Case) ([]evidence.Warning, error) { return normCaseAs(c, false) }

// normCaseAs normalizes c; stored says c was stored by DisputeKit before
// (a bundle being imported), so amounts above evidence.MaxAmount are kept
// with a warning.
func normCaseAs(c *evidence.Case, stored bool) ([]evidence.Warning, error) {
	norm := c.Normalize
	if stored {
		norm = c.NormalizeStored
	}
	ws, err := norm()
	if err != nil {
		return nil, err
	}
	if c.Claims == nil {
		c.Claims = []evidence.Claim{} // as read back: an empty list, not null
	}
	return ws, nil
}

func normTxn(t *evidence.Transaction) ([]evidence.Warning, error) { return normTxnAs(t, false) }

// normTxnAs is normCaseAs for a transaction.
func normTxnAs(t *evidence.Transaction, stored bool) ([]evidence.Warning, error) {
	norm := t.Normalize
	if stored {
		norm = t.NormalizeStored
	}
	ws, err := norm()
	if err != nil {
		return nil, err
	}
	return ws, checkTimes("time", t.Time)
}

func normExhibit(e *evidence.Exhibit) error {
	if _, err := e.Normalize(); err != nil {
		return err
	}
	return checkTimes("captured", e.Captured, "imported", e.Imported)
}

func normCall(c *evidence.CallLog) error {
	if _, err := c.Normalize(); err != nil {
		return err
	}
	return checkTimes("time", c.Start)
}

func normEvent(e *evidence.Event) error {
	if _, err := e.Normalize(); err != nil {
		return err
	}
	return checkTimes("time", e.Time, "due", e.Due)
}

// countOverCeiling counts the warnings about amounts above evidence.MaxAmount
// kept as stored.
func countOverCeiling(ws []evidence.Warning) int {
	n := 0
	for _, w := range ws {
		if evidence.IsOverCeilingWarning(w) {
			n++
		}
	}
	return n
}
