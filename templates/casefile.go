package templates

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/check"
)

// CaseFileDigest is what the letters of a case rest on, for the case file a
// legal helper reads: the computed dispute summary, stated in words as the
// letters state it, and the requests each letter the plan allows makes.
type CaseFileDigest struct {
	Summary Summary `json:"summary"`
	// SummaryLines are the letters' summary paragraph and, for a settlement,
	// one line per day; empty when no letter may be written for the case.
	SummaryLines []string `json:"summary_lines,omitempty"`
	// Requests has one entry per recipient a letter may go to, in the order
	// of Recipients; refused recipients are left out.
	Requests []RecipientRequests `json:"requests,omitempty"`
}

// RecipientRequests are the requests of the letter to one recipient:
// the user's saved edits where there are any (Edited), else the ones
// generated from the summary.
type RecipientRequests struct {
	Recipient Recipient        `json:"recipient"`
	Addressee string           `json:"addressee"`
	Edited    bool             `json:"edited"`
	Requests  []evidence.Claim `json:"requests"`
}

// DigestCase composes every letter of case d in lang (dated date) under the
// settlement terms and request edits saved in st, and returns what the case
// file prints of them. st may be nil: then no terms or edits are used.
func DigestCase(ctx context.Context, st Settings, d evidence.Dossier, lang Lang, date time.Time) (CaseFileDigest, error) {
	var terms check.Terms
	if st != nil {
		t, err := check.LoadTerms(ctx, st, d.Case.ID)
		if err != nil {
			return CaseFileDigest{}, err
		}
		terms = t
	}
	dg := CaseFileDigest{Summary: Summarize(d, terms)}
	for _, to := range Recipients {
		opt := Options{Terms: terms}
		if st != nil {
			saved, err := LoadRequests(ctx, st, d.Case.ID, to)
			if err != nil {
				return CaseFileDigest{}, err
			}
			opt.Requests = saved
		}
		l, err := ComposeWith(d, to, lang, date, opt)
		if errors.Is(err, ErrRefused) {
			continue
		}
		if err != nil {
			return CaseFileDigest{}, fmt.Errorf("case file digest: %w", err)
		}
		if dg.SummaryLines == nil {
			dg.SummaryLines = l.SummaryLines
		}
		dg.Requests = append(dg.Requests, RecipientRequests{Recipient: to, Addressee: l.Addressee, Edited: len(opt.Requests) > 0, Requests: l.Requests})
	}
	return dg, nil
}
