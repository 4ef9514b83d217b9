package store

import "github.com/disputekit/disputekit/evidence"

// The store's own checks on top of the domain's Normalize: times it can hold.

func normCase(c *evidence.Case) ([]evidence.Warning, error) {
	ws, err := c.Normalize()
	if err != nil {
		return nil, err
	}
	if c.Claims == nil {
		c.Claims = []evidence.Claim{} // as read back: an empty list, not null
	}
	return ws, nil
}

func normTxn(t *evidence.Transaction) ([]evidence.Warning, error) {
	ws, err := t.Normalize()
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
