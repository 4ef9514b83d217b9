package casework

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/atomicfile"
	"github.com/disputekit/disputekit/evidence/check"
	"github.com/disputekit/disputekit/evidence/escalation"
	"github.com/disputekit/disputekit/evidence/store"
	"github.com/disputekit/disputekit/evidence/workday"
	"github.com/disputekit/disputekit/templates"
)

// Calendar is the working-day calendar deadlines are counted in: the
// embedded holiday table extended by the user's holidays.json in the home.
func (s *Service) Calendar() (*workday.Calendar, error) {
	return workday.Load(filepath.Join(s.Home(), workday.FileName))
}

// ImportHolidays checks the holiday table at path and makes it the
// user's holidays.json (its years replace the embedded ones), written
// atomically; a bad table is refused and the old file kept.
func (s *Service) ImportHolidays(path string) (workday.Table, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return workday.Table{}, fmt.Errorf("import holidays: %w", err)
	}
	t, err := workday.Parse(b)
	if err != nil {
		return workday.Table{}, fmt.Errorf("import holidays %s: %w", filepath.Base(path), err)
	}
	err = atomicfile.Write(filepath.Join(s.Home(), workday.FileName), 0o644, func(w io.Writer) error {
		_, err := io.Copy(w, bytes.NewReader(b))
		return err
	})
	if err != nil {
		return workday.Table{}, fmt.Errorf("import holidays: %w", err)
	}
	return t, nil
}

// AddFiling records a complaint lodged: its reply due date comes from the
// recipient's rule (escalation.FillDue), counted in the calendar, unless
// the user gave one (DueBasis "user"). estimate is true when the count ran
// through a year without holiday data.
func (s *Service) AddFiling(ctx context.Context, f *evidence.Filing) (estimate bool, err error) {
	cal, err := s.Calendar()
	if err != nil {
		return false, err
	}
	if f.Sent.IsZero() {
		return false, fmt.Errorf("add filing: sent: a filing needs the date it was sent: %w", evidence.ErrInvalid)
	}
	estimate = escalation.FillDue(f, cal)
	return estimate, s.Store.AddFiling(ctx, f)
}

// RecordReply records an answer to filing filingID of case caseID: the
// filing takes the reply's status and, after an acceptance, the due date
// of what is awaited next (escalation.ApplyReply). It returns the filing
// as stored.
func (s *Service) RecordReply(ctx context.Context, caseID, filingID int64, r *evidence.FilingReply) (evidence.Filing, error) {
	cal, err := s.Calendar()
	if err != nil {
		return evidence.Filing{}, err
	}
	f, err := s.GetFiling(ctx, caseID, filingID)
	if err != nil {
		return evidence.Filing{}, err
	}
	if err := r.Normalize(); err != nil {
		return evidence.Filing{}, fmt.Errorf("record reply to filing %d: %w", filingID, err)
	}
	escalation.ApplyReply(&f, *r, cal)
	if err := s.AddFilingReply(ctx, &f, r); err != nil {
		return evidence.Filing{}, err
	}
	f.Replies = append(f.Replies, *r)
	return f, nil
}

// SetFilingStatus changes a filing's status by hand (a complaint settled
// on the phone, say). Accepted starts the after-acceptance period from
// today, as a reply would.
func (s *Service) SetFilingStatus(ctx context.Context, caseID, filingID int64, st evidence.FilingStatus, now time.Time) (evidence.Filing, error) {
	if !st.Valid() {
		return evidence.Filing{}, fmt.Errorf("filing status %q: not one of %v: %w", st, evidence.FilingStatuses, evidence.ErrInvalid)
	}
	cal, err := s.Calendar()
	if err != nil {
		return evidence.Filing{}, err
	}
	f, err := s.GetFiling(ctx, caseID, filingID)
	if err != nil {
		return evidence.Filing{}, err
	}
	if st == evidence.FilingSent {
		f.Status = st
		escalation.FillDue(&f, cal)
	} else {
		escalation.ApplyReply(&f, evidence.FilingReply{Time: now, Status: st}, cal)
	}
	if err := s.UpdateFiling(ctx, &f); err != nil {
		return evidence.Filing{}, err
	}
	return f, nil
}

// NextActions is what to do next in a case: each filing's due or overdue line
// with the rungs its outcome opens, the next untaken rung of the ladder,
// and the ladder steps and timeline deadlines of NextSteps.
type NextActions struct {
	Filings []escalation.Line
	// Rung is the next untaken rung ("" while a filing is still within its
	// period, or when every rung is taken).
	Rung  string
	Steps []Step
}

// WhatNext computes NextActions for case caseID as of now.
func (s *Service) WhatNext(ctx context.Context, caseID int64, now time.Time) (NextActions, error) {
	d, err := s.Dossier(ctx, caseID)
	if err != nil {
		return NextActions{}, err
	}
	return NextActions{Filings: escalation.Lines(d, now), Rung: escalation.NextRung(d, now), Steps: NextSteps(d, now)}, nil
}

// CaseLine is one line of the case list: the case's summary with its next
// due date and what it is for (a filing's reply, or a timeline deadline).
type CaseLine struct {
	store.CaseSummary
	Due     time.Time
	DueFor  check.Text
	Overdue bool
}

// CaseList lists every case with its next due date: the earliest of the
// filings still waiting (an overdue one first of all) and the timeline
// deadlines the store finds.
func (s *Service) CaseList(ctx context.Context, now time.Time) ([]CaseLine, error) {
	cs, err := s.ListCases(ctx)
	if err != nil {
		return nil, err
	}
	open, err := s.OpenFilings(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]CaseLine, len(cs))
	for i, c := range cs {
		l := CaseLine{CaseSummary: c}
		if !c.NextDue.IsZero() {
			l.Due = c.NextDue // an event's, unless a filing's below is as early
			l.DueFor = check.Text{ZH: "时间线期限", EN: "timeline deadline"}
		}
		due, what := escalation.NextDue(evidence.Dossier{Case: c.Case, Filings: open[c.ID]}, now)
		if !due.IsZero() && (l.Due.IsZero() || !due.After(l.Due)) { // the store's NextDue counts filings too
			l.Due, l.DueFor = due, what
		}
		l.Overdue = !l.Due.IsZero() && evidence.DaysBetween(l.Due, now) > 0
		out[i] = l
	}
	return out, nil
}

// UpdateFiling stores the user's changes to a filing; the due date is
// counted again from the recipient's rule (the dates or the recipient may
// have changed) unless the user typed one (DueBasis "user"), or an
// acceptance set the period that followed it.
func (s *Service) UpdateFiling(ctx context.Context, f *evidence.Filing) error {
	if f.Status == evidence.FilingSent && f.DueBasis != "user" {
		cal, err := s.Calendar()
		if err != nil {
			return err
		}
		escalation.FillDue(f, cal)
	}
	return s.Store.UpdateFiling(ctx, f)
}

// FilingFromLetter is the filing a letter makes once it is sent on date
// sent: its recipient's rule (the financial regulator by the letter's
// route, NFRA or PBOC), the addressee's name, and the requests as what
// was asked. The caller stores it with AddFiling once the user confirms.
func FilingFromLetter(l templates.Letter, caseID int64, sent time.Time) evidence.Filing {
	rec := string(l.Recipient)
	if l.Recipient == templates.ToRegulator && l.Regulator != "" {
		rec = l.Regulator // "nfra" or "pboc"
	}
	var asked []string
	for _, r := range l.Requests {
		asked = append(asked, strings.TrimRight(r.Text, "；;。. "))
	}
	sep := "；"
	if l.Lang == templates.English {
		sep = "; "
	}
	return evidence.Filing{CaseID: caseID, Recipient: rec, Party: l.Addressee, Channel: evidence.FilingLetter,
		Sent: sent, Asked: strings.Join(asked, sep), Status: evidence.FilingSent}
}
