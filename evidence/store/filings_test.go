package store

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

func TestFilingsRoundTrip(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	ex, err := s.Attach(ctx, c.ID, strings.NewReader("银行的答复函"), evidence.Exhibit{Kind: evidence.KindDocument, Title: "答复函", OriginalName: "reply.txt"})
	require.NoError(t, err)

	f := evidence.Filing{CaseID: c.ID, Recipient: "bank", Party: "招商银行信用卡中心", Channel: evidence.FilingHotline,
		Sent: sh(2026, 11, 18, 10, 0, 0), Ticket: " 6222021234567890123 ", Asked: "差错处理，退还多扣的1,152.00元",
		Due: sh(2026, 12, 3, 23, 59, 59), DueBasis: "nfra-18"}
	require.NoError(t, s.AddFiling(ctx, &f))
	require.NotZero(t, f.ID)
	assert.Equal(t, evidence.FilingSent, f.Status, "a new filing is sent")
	assert.Equal(t, "6222021234567890123", f.Ticket, "a ticket is an identifier: trimmed, never masked")

	// A reply with its exhibit, changing the status in the same transaction.
	f.Status = evidence.FilingRefused
	r := evidence.FilingReply{Time: sh(2026, 11, 25, 15, 0, 0), Content: "经核实交易正常", Status: evidence.FilingRefused, ExhibitIDs: []int64{ex.ID}}
	require.NoError(t, s.AddFilingReply(ctx, &f, &r))
	require.NotZero(t, r.ID)

	fs, err := s.ListFilings(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, fs, 1)
	got := fs[0]
	assert.Equal(t, evidence.FilingRefused, got.Status)
	assert.True(t, got.Due.Equal(f.Due) && got.Sent.Equal(f.Sent))
	assert.Equal(t, "Asia/Shanghai", got.Sent.Location().String())
	require.Len(t, got.Replies, 1)
	assert.Equal(t, []int64{ex.ID}, got.Replies[0].ExhibitIDs)
	assert.Equal(t, "经核实交易正常", got.Replies[0].Content)

	d, err := s.Dossier(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, fs, d.Filings, "the dossier carries the filings")

	assert.Equal(t, []string{"case.create", "exhibit.attach", "filing.add", "filing.reply"}, actions(t, s, c.ID)[0:4])

	// An exhibit of another case is refused and nothing changes.
	other := newCase(t, s)
	oex, err := s.Attach(ctx, other.ID, strings.NewReader("x"), evidence.Exhibit{Kind: evidence.KindDocument, Title: "x", OriginalName: "x.txt"})
	require.NoError(t, err)
	r2 := evidence.FilingReply{Time: sh(2026, 11, 26, 15, 0, 0), Status: evidence.FilingResolved, ExhibitIDs: []int64{oex.ID}}
	f.Status = evidence.FilingResolved
	assert.ErrorIs(t, s.AddFilingReply(ctx, &f, &r2), evidence.ErrNotFound)
	got, err = s.GetFiling(ctx, c.ID, f.ID)
	require.NoError(t, err)
	assert.Equal(t, evidence.FilingRefused, got.Status, "rolled back")
	assert.Len(t, got.Replies, 1)

	// Invalid filings are refused.
	bad := evidence.Filing{CaseID: c.ID, Recipient: "bank", Sent: sh(2026, 11, 18, 10, 0, 0), Due: sh(2026, 11, 1, 0, 0, 0)}
	assert.ErrorIs(t, s.AddFiling(ctx, &bad), evidence.ErrInvalid)
	bad = evidence.Filing{CaseID: c.ID, Recipient: "bank", Sent: sh(2026, 11, 18, 10, 0, 0), Status: evidence.FilingLapsed}
	assert.ErrorIs(t, s.AddFiling(ctx, &bad), evidence.ErrInvalid, "lapsed is computed, never stored")

	// Deleting the exhibit drops it from the reply; deleting the filing its replies.
	require.NoError(t, s.DeleteFiling(ctx, c.ID, f.ID))
	fs, err = s.ListFilings(ctx, c.ID)
	require.NoError(t, err)
	assert.Empty(t, fs)
	require.NoError(t, s.IntegrityCheck(ctx))
}

func TestImportDossierKeepsFilings(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	ex, err := s.Attach(ctx, c.ID, strings.NewReader("reply letter"), evidence.Exhibit{Kind: evidence.KindDocument, Title: "答复", OriginalName: "r.txt"})
	require.NoError(t, err)
	f := evidence.Filing{CaseID: c.ID, Recipient: "market-regulator", Channel: evidence.FilingPlatform, Sent: sh(2026, 11, 2, 9, 0, 0),
		Ticket: "1234567890", Due: sh(2026, 11, 11, 23, 59, 59), DueBasis: "samr-14", LetterExhibitID: ex.ID,
		Replies: []evidence.FilingReply{{Time: sh(2026, 11, 6, 9, 0, 0), Status: evidence.FilingAccepted, ExhibitIDs: []int64{ex.ID}}}}
	f.Status = evidence.FilingAccepted
	require.NoError(t, s.AddFiling(ctx, &f))
	d, err := s.Dossier(ctx, c.ID)
	require.NoError(t, err)

	id, err := s.ImportDossier(ctx, d, func(sha string) (io.ReadCloser, error) { return s.OpenBlob(sha) })
	require.NoError(t, err)
	d2, err := s.Dossier(ctx, id)
	require.NoError(t, err)
	require.Len(t, d2.Filings, 1)
	g := d2.Filings[0]
	require.Len(t, d2.Exhibits, 1)
	assert.Equal(t, d2.Exhibits[0].ID, g.LetterExhibitID, "exhibit references follow the new IDs")
	assert.Equal(t, []int64{d2.Exhibits[0].ID}, g.Replies[0].ExhibitIDs)
	assert.Equal(t, "1234567890", g.Ticket)
	assert.True(t, g.Due.Equal(f.Due))
	assert.Equal(t, evidence.FilingAccepted, g.Status)
}

func TestCourtDetailsRoundTrip(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	c.Court = evidence.Court{Name: " 上海市浦东新区人民法院 ", Venue: evidence.VenuePerformance,
		Defendants: []string{evidence.DefendantMerchant, evidence.DefendantIssuer, evidence.DefendantMerchant},
		Plaintiff:  evidence.Particulars{Gender: "女", Birth: sh(1985, 6, 1, 0, 0, 0), Ethnicity: "回族"},
		Others:     map[string]evidence.Particulars{evidence.DefendantIssuer: {LegalRep: "某某", RepTitle: "行长"}},
		Witnesses:  []evidence.Witness{{Name: "证人甲", Address: "某地"}, {Name: " "}}}
	_, err := s.UpdateCase(ctx, &c)
	require.NoError(t, err)
	got, err := s.GetCase(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, "上海市浦东新区人民法院", got.Court.Name)
	assert.Equal(t, []string{evidence.DefendantMerchant, evidence.DefendantIssuer}, got.Court.Defendants, "each role once")
	assert.True(t, got.Court.Plaintiff.Birth.Equal(c.Court.Plaintiff.Birth))
	assert.Equal(t, "行长", got.Court.Others[evidence.DefendantIssuer].RepTitle)
	assert.Len(t, got.Court.Witnesses, 1, "a witness without a name is dropped")
	assert.Contains(t, actions(t, s, c.ID), "case.update")

	c.Court.Venue = "somewhere"
	_, err = s.UpdateCase(ctx, &c)
	assert.ErrorIs(t, err, evidence.ErrInvalid)
}

func TestListCasesNextDueCountsWaitingFilings(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	restore := now
	now = func() time.Time { return sh(2026, 12, 5, 9, 0, 0) }
	t.Cleanup(func() { now = restore })
	ev := evidence.Event{CaseID: c.ID, Kind: evidence.EventDeadline, Time: sh(2026, 11, 20, 10, 0, 0), Due: sh(2026, 12, 20, 10, 0, 0)}
	require.NoError(t, s.AddEvent(ctx, &ev))
	f := evidence.Filing{CaseID: c.ID, Recipient: "bank", Sent: sh(2026, 11, 18, 10, 0, 0), Due: sh(2026, 12, 3, 23, 59, 59)}
	require.NoError(t, s.AddFiling(ctx, &f))
	cs, err := s.ListCases(ctx)
	require.NoError(t, err)
	assert.True(t, cs[0].NextDue.Equal(f.Due), "the overdue bank reply comes before the later deadline: %v", cs[0].NextDue)

	f.Status = evidence.FilingResolved
	require.NoError(t, s.UpdateFiling(ctx, &f))
	cs, err = s.ListCases(ctx)
	require.NoError(t, err)
	assert.True(t, cs[0].NextDue.Equal(ev.Due), "a resolved filing waits for nothing")
}
