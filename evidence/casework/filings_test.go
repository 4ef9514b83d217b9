package casework

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/templates"
)

func sh(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, evidence.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func TestFilingLifecycle(t *testing.T) {
	s := newService(t)
	c := newCase(t, s)

	// 12315 lodged Wed 30 Sep 2026: 7 working days over National Day.
	f := evidence.Filing{CaseID: c.ID, Recipient: "market-regulator", Party: "上海市浦东新区市场监督管理局", Channel: evidence.FilingPlatform,
		Sent: sh("2026-09-30 20:00"), Ticket: "1310000020260930001", Asked: "受理投诉并组织调解"}
	estimate, err := s.AddFiling(ctx, &f)
	require.NoError(t, err)
	assert.False(t, estimate)
	assert.Equal(t, "2026-10-15", f.Due.Format("2006-01-02"))
	assert.Equal(t, "samr-14", f.DueBasis)

	// Accepted on 12 Oct with the platform's notice attached.
	ex, err := s.Attach(ctx, c.ID, strings.NewReader("受理告知书"), evidence.Exhibit{Kind: evidence.KindDocument, Title: "受理告知书", OriginalName: "notice.txt"})
	require.NoError(t, err)
	r := evidence.FilingReply{Time: sh("2026-10-12 10:00"), Content: "决定受理", Status: evidence.FilingAccepted, ExhibitIDs: []int64{ex.ID}}
	got, err := s.RecordReply(ctx, c.ID, f.ID, &r)
	require.NoError(t, err)
	assert.Equal(t, evidence.FilingAccepted, got.Status)
	assert.Equal(t, "samr-21", got.DueBasis, "mediation's 45 working days now run")

	stored, err := s.GetFiling(ctx, c.ID, f.ID)
	require.NoError(t, err)
	assert.True(t, stored.Due.Equal(got.Due))
	require.Len(t, stored.Replies, 1)
	assert.Equal(t, []int64{ex.ID}, stored.Replies[0].ExhibitIDs)

	// Resolved by hand: nothing is due any more.
	got, err = s.SetFilingStatus(ctx, c.ID, f.ID, evidence.FilingResolved, sh("2026-10-20 10:00"))
	require.NoError(t, err)
	assert.Equal(t, evidence.FilingResolved, got.Status)
	_, err = s.SetFilingStatus(ctx, c.ID, f.ID, evidence.FilingLapsed, sh("2026-10-20 10:00"))
	assert.ErrorIs(t, err, evidence.ErrInvalid, "lapsed is computed")
}

func TestCaseListShowsTheOverdueFiling(t *testing.T) {
	s := newService(t)
	c := newCase(t, s)
	f := evidence.Filing{CaseID: c.ID, Recipient: "bank", Party: "招商银行", Channel: evidence.FilingHotline, Sent: sh("2026-11-18 10:00")}
	_, err := s.AddFiling(ctx, &f)
	require.NoError(t, err)
	ev := evidence.Event{CaseID: c.ID, Kind: evidence.EventDeadline, Time: sh("2026-11-20 10:00"), Due: sh("2026-12-20 10:00"), Note: "later"}
	require.NoError(t, s.AddEvent(ctx, &ev))

	now := sh("2026-12-05 09:00")
	ls, err := s.CaseList(ctx, now)
	require.NoError(t, err)
	require.Len(t, ls, 1)
	assert.Equal(t, "2026-12-03", ls[0].Due.Format("2006-01-02"))
	assert.Equal(t, "招商银行 答复", ls[0].DueFor.ZH)
	assert.True(t, ls[0].Overdue)

	next, err := s.WhatNext(ctx, c.ID, now)
	require.NoError(t, err)
	require.Len(t, next.Filings, 1)
	assert.Equal(t, []string{"nfra", "court"}, next.Filings[0].Next)
	var institution Step
	for _, st := range next.Steps {
		if st.ID == "institution" {
			institution = st
		}
	}
	assert.Equal(t, Done, institution.State, "a filing to the bank takes the ladder's bank rung")
}

func TestImportedHolidaysMoveDueDates(t *testing.T) {
	s := newService(t)
	c := newCase(t, s)
	// 2027 is not in the embedded table: a 12315 filing on Thu 28 Jan 2027 is an estimate.
	f := evidence.Filing{CaseID: c.ID, Recipient: "market-regulator", Sent: sh("2027-01-28 10:00")}
	estimate, err := s.AddFiling(ctx, &f)
	require.NoError(t, err)
	assert.True(t, estimate)
	assert.Equal(t, "2027-02-08", f.Due.Format("2006-01-02"), "weekends only")

	// The user adds 2027 (a made-up day off on Mon 1 Feb for the test).
	path := filepath.Join(t.TempDir(), "h.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"years":[{"year":2027,"source":"test","holidays":[{"name":"x","from":"2027-02-01","to":"2027-02-01"}],"workdays":[]}]}`), 0o644))
	_, err = s.ImportHolidays(path)
	require.NoError(t, err)
	g := evidence.Filing{CaseID: c.ID, Recipient: "market-regulator", Sent: sh("2027-01-28 10:00")}
	estimate, err = s.AddFiling(ctx, &g)
	require.NoError(t, err)
	assert.False(t, estimate)
	assert.Equal(t, "2027-02-09", g.Due.Format("2006-01-02"))

	// A bad table is refused and the good one kept.
	require.NoError(t, os.WriteFile(path, []byte(`{"years":[{"year":2027,"workdays":["2027-02-03"]}]}`), 0o644))
	_, err = s.ImportHolidays(path)
	assert.ErrorIs(t, err, evidence.ErrInvalid)
	cal, err := s.Calendar()
	require.NoError(t, err)
	assert.False(t, cal.Working(sh("2027-02-01 10:00")))
}

func TestFilingFromLetter(t *testing.T) {
	s := newService(t)
	c := newCase(t, s)
	d, err := s.Dossier(ctx, c.ID)
	require.NoError(t, err)
	l, err := templates.Compose(d, templates.ToRegulator, templates.Chinese, sh("2026-12-01 10:00"))
	require.NoError(t, err)
	f := FilingFromLetter(l, c.ID, sh("2026-12-01 10:00"))
	assert.Equal(t, l.Regulator, f.Recipient, "the regulator letter's route picks NFRA or PBOC")
	assert.Contains(t, []string{"nfra", "pboc"}, f.Recipient)
	assert.Equal(t, l.Addressee, f.Party)
	assert.Equal(t, evidence.FilingLetter, f.Channel)
	_, err = s.AddFiling(ctx, &f)
	require.NoError(t, err)
	assert.False(t, f.Due.IsZero(), "7 working days")
}
