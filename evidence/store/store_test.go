package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

var ctx = context.Background()

func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func sh(y int, mo time.Month, d, h, mi, sec int) time.Time {
	return time.Date(y, mo, d, h, mi, sec, 0, evidence.Shanghai)
}

func newCase(t testing.TB, s *Store) evidence.Case {
	t.Helper()
	c := evidence.Case{
		Title:       "多扣款 POS 消费",
		Scenario:    evidence.WrongAmount,
		Complainant: evidence.Party{Name: "张三", Phone: "13800138000", IDNumber: "110101199003071234"},
		Respondent:  evidence.Party{Name: "某某便利店", MerchantNo: "123456789012345", TerminalNo: "12345678"},
		Claims: []evidence.Claim{
			{Text: "退还多扣款项", Amount: 115200},
			{Text: "书面答复"},
		},
		Facts: "2024年5月1日消费128元，被扣1280元。",
	}
	_, err := s.CreateCase(ctx, &c)
	require.NoError(t, err)
	return c
}

func txn(caseID int64, i int) evidence.Transaction {
	return evidence.Transaction{
		CaseID: caseID, Time: sh(2024, 5, 1, 12, 0, 0).Add(time.Duration(i) * time.Minute),
		Amount: evidence.Money(128000 + i), Direction: evidence.Debit, Status: "交易成功", Type: "消费",
		Merchant: "某某便利店", MerchantNo: "123456789012345", TerminalNo: "12345678", Acquirer: "拉卡拉",
		Issuer: "招商银行", CardLast4: "1234", Batch: "000001", Voucher: fmt.Sprintf("%06d", i), RRN: fmt.Sprintf("%012d", i),
		AuthCode: "A12345", Channel: "POS", OrderNo: fmt.Sprintf("ORD%d", i), Fee: 38, Description: "消费", Note: "n",
		Source: "alipay", SourceRow: i + 2, DedupeKey: fmt.Sprintf("k%d", i),
	}
}

func actions(t *testing.T, s *Store, caseID int64) []string {
	t.Helper()
	as, err := s.ListAudit(ctx, caseID)
	require.NoError(t, err)
	var out []string
	for _, a := range as {
		out = append(out, a.Action)
	}
	return out
}

func TestCaseRoundTrip(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	require.NotZero(t, c.ID)
	require.False(t, c.Created.IsZero())

	got, err := s.GetCase(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c, got)

	got.Status = evidence.StatusOpen
	got.Claims = append(got.Claims, evidence.Claim{Text: "赔偿交通费", Amount: 2000})
	got.Respondent.Address = "北京市"
	_, err = s.UpdateCase(ctx, &got)
	require.NoError(t, err)
	again, err := s.GetCase(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, got, again)
	assert.Equal(t, c.Created, again.Created)
	assert.False(t, again.Updated.Before(c.Updated))
	assert.Equal(t, []string{"case.create", "case.update"}, actions(t, s, c.ID))
	as, _ := s.ListAudit(ctx, c.ID)
	assert.Contains(t, as[1].Detail, "status draft→open")
	assert.NotContains(t, as[1].Detail, "北京市", "audit names fields, not values")

	_, err = s.GetCase(ctx, 999)
	assert.ErrorIs(t, err, evidence.ErrNotFound)
	missing := evidence.Case{ID: 999, Title: "x"}
	_, err = s.UpdateCase(ctx, &missing)
	assert.ErrorIs(t, err, evidence.ErrNotFound)
	bad := evidence.Case{ID: c.ID}
	_, err = s.UpdateCase(ctx, &bad)
	assert.ErrorIs(t, err, evidence.ErrInvalid)
}

func TestCreateCaseRefusesInvalidAndMasks(t *testing.T) {
	s := openTemp(t)
	c := evidence.Case{Title: ""}
	_, err := s.CreateCase(ctx, &c)
	require.ErrorIs(t, err, evidence.ErrInvalid)
	assert.Zero(t, c.ID)
	list, err := s.ListCases(ctx)
	require.NoError(t, err)
	assert.Empty(t, list)

	c = evidence.Case{Title: "卡号 5500000000000004 被扣款", Facts: "card 4111111111111111 debited"}
	_, err = s.CreateCase(ctx, &c)
	require.NoError(t, err)
	got, err := s.GetCase(ctx, c.ID)
	require.NoError(t, err)
	assert.NotContains(t, got.Facts, "4111111111111111")
	as, err := s.ListAudit(ctx, c.ID)
	require.NoError(t, err)
	for _, a := range as {
		assert.NotContains(t, a.Detail, "4111111111111111")
		assert.NotContains(t, a.Detail, "5500000000000004")
	}
}

func TestZoneRoundTrip(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	times := []time.Time{
		time.Date(2024, 5, 1, 23, 59, 59, 123456789, evidence.Shanghai),
		time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC),
		time.Date(2024, 3, 10, 2, 30, 0, 0, ny),
		time.Date(2024, 5, 1, 12, 0, 0, 0, time.FixedZone("", 5*3600+1800)),
		time.Date(2024, 5, 1, 12, 0, 0, 0, time.FixedZone("CST", 8*3600)),
	}
	for _, tm := range times {
		tr := txn(c.ID, 0)
		tr.Time, tr.DedupeKey = tm, ""
		_, err := s.AddTransaction(ctx, &tr)
		require.NoError(t, err)
	}
	ts, err := s.ListTransactions(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, ts, len(times))
	for _, tr := range ts {
		var want time.Time
		for _, tm := range times {
			if tm.Equal(tr.Time) {
				want = tm
			}
		}
		require.False(t, want.IsZero(), "instant %v lost", tr.Time)
		wn, wo := want.Zone()
		gn, gof := tr.Time.Zone()
		assert.Equal(t, wo, gof)
		assert.Equal(t, wn, gn)
		assert.Equal(t, want.Location().String(), tr.Time.Location().String())
	}
	// The Shanghai time comes back as exactly the same value.
	assert.Equal(t, times[0], ts[len(ts)-1].Time)
	assert.Same(t, evidence.Shanghai, ts[len(ts)-1].Time.Location())
}

func TestTransactionRoundTripAndOrder(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	late, early := txn(c.ID, 10), txn(c.ID, 1)
	early.Disputed = true
	late.Included = true
	early.Agreed = 12800
	early.CardType = "debit"
	for _, tr := range []*evidence.Transaction{&late, &early} {
		ws, err := s.AddTransaction(ctx, tr)
		require.NoError(t, err)
		assert.Empty(t, ws)
		require.NotZero(t, tr.ID)
	}
	ts, err := s.ListTransactions(ctx, c.ID)
	require.NoError(t, err)
	require.Equal(t, []evidence.Transaction{early, late}, ts)

	late.Amount, late.Note, late.RRN = 12800, "corrected", "123"
	ws, err := s.UpdateTransaction(ctx, &late)
	require.NoError(t, err)
	assert.NotEmpty(t, ws, "a 3-character RRN is flagged")
	ts, _ = s.ListTransactions(ctx, c.ID)
	assert.Equal(t, late, ts[1])

	late.DedupeKey = early.DedupeKey
	_, err = s.UpdateTransaction(ctx, &late)
	assert.ErrorIs(t, err, evidence.ErrDuplicate)

	ghost := txn(c.ID, 99)
	ghost.ID = 12345
	_, err = s.UpdateTransaction(ctx, &ghost)
	assert.ErrorIs(t, err, evidence.ErrNotFound)

	require.NoError(t, s.SetDisputed(ctx, c.ID, []int64{early.ID, late.ID}, false))
	ts, _ = s.ListTransactions(ctx, c.ID)
	assert.False(t, ts[0].Disputed)
	assert.ErrorIs(t, s.SetDisputed(ctx, c.ID, []int64{99999}, true), evidence.ErrNotFound)
	require.NoError(t, s.SetDisputed(ctx, c.ID, nil, true))
	assert.ErrorIs(t, s.SetDisputed(ctx, 4242, nil, true), evidence.ErrNotFound)

	require.True(t, ts[1].Included, "the tick survives a round trip")
	require.NoError(t, s.SetIncluded(ctx, c.ID, []int64{late.ID}, false))
	require.NoError(t, s.SetIncluded(ctx, c.ID, []int64{early.ID}, true))
	ts, _ = s.ListTransactions(ctx, c.ID)
	assert.True(t, ts[0].Included)
	assert.False(t, ts[1].Included)
	assert.ErrorIs(t, s.SetIncluded(ctx, c.ID, []int64{99999}, true), evidence.ErrNotFound)
	early.Included, late.Included = true, false

	require.NoError(t, s.DeleteTransaction(ctx, c.ID, early.ID))
	assert.ErrorIs(t, s.DeleteTransaction(ctx, c.ID, early.ID), evidence.ErrNotFound)
	ts, _ = s.ListTransactions(ctx, c.ID)
	assert.Len(t, ts, 1)
	assert.Equal(t, []string{"case.create", "txn.add", "txn.add", "txn.update", "txn.dispute", "txn.include", "txn.include", "txn.delete"}, actions(t, s, c.ID))

	bad := txn(c.ID, 5)
	bad.Amount = -1
	_, err = s.AddTransaction(ctx, &bad)
	assert.ErrorIs(t, err, evidence.ErrInvalid)
	noCase := txn(777, 1)
	_, err = s.AddTransaction(ctx, &noCase)
	assert.ErrorIs(t, err, evidence.ErrNotFound)
	assert.Contains(t, err.Error(), "store: add transaction to case 777")
	_, err = s.ListTransactions(ctx, 777)
	assert.ErrorIs(t, err, evidence.ErrNotFound)
}

func TestAddTransactionDedupe(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	a := txn(c.ID, 1)
	_, err := s.AddTransaction(ctx, &a)
	require.NoError(t, err)
	b := txn(c.ID, 1)
	_, err = s.AddTransaction(ctx, &b)
	require.ErrorIs(t, err, evidence.ErrDuplicate)
	assert.Equal(t, a.ID, b.ID, "the duplicate names the existing transaction")

	// Empty keys never collide.
	for i := 0; i < 2; i++ {
		x := txn(c.ID, 2)
		x.DedupeKey = ""
		_, err := s.AddTransaction(ctx, &x)
		require.NoError(t, err)
	}
	// The same key in another case is another transaction.
	c2 := newCase(t, s)
	d := txn(c2.ID, 1)
	_, err = s.AddTransaction(ctx, &d)
	require.NoError(t, err)
}

func TestAddTransactionsIdempotent(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	batch := func() []evidence.Transaction {
		ts := make([]evidence.Transaction, 50)
		for i := range ts {
			ts[i] = txn(0, i)
		}
		return ts
	}
	ts := batch()
	added, dups, err := s.AddTransactions(ctx, c.ID, ts)
	require.NoError(t, err)
	assert.Equal(t, 50, added)
	assert.Zero(t, dups)
	stored, err := s.ListTransactions(ctx, c.ID)
	require.NoError(t, err)
	byKey := map[string]evidence.Transaction{}
	for _, tr := range stored {
		byKey[tr.DedupeKey] = tr
	}
	for _, tr := range ts {
		assert.NotZero(t, tr.ID)
		assert.Equal(t, c.ID, tr.CaseID)
		assert.Equal(t, byKey[tr.DedupeKey], tr, "the slice gets the stored IDs")
	}
	added, dups, err = s.AddTransactions(ctx, c.ID, batch())
	require.NoError(t, err)
	assert.Zero(t, added)
	assert.Equal(t, 50, dups)

	// Duplicates inside one batch count too.
	more := []evidence.Transaction{txn(0, 100), txn(0, 100), txn(0, 101)}
	added, dups, err = s.AddTransactions(ctx, c.ID, more)
	require.NoError(t, err)
	assert.Equal(t, 2, added)
	assert.Equal(t, 1, dups)
	assert.NotZero(t, more[0].ID)
	assert.Zero(t, more[1].ID, "the skipped duplicate has no ID")

	// More rows than one INSERT carries, with rows without a key (never duplicates).
	big := make([]evidence.Transaction, 3*insertChunk+5)
	for i := range big {
		big[i] = txn(0, 1000+i)
		if i%3 == 0 {
			big[i].DedupeKey = ""
		}
	}
	big[7].DedupeKey = "k1" // already stored
	added, dups, err = s.AddTransactions(ctx, c.ID, big)
	require.NoError(t, err)
	assert.Equal(t, len(big)-1, added)
	assert.Equal(t, 1, dups)
	list, err := s.ListTransactions(ctx, c.ID)
	require.NoError(t, err)
	assert.Len(t, list, 52+len(big)-1)
}

func TestAddTransactionsAllOrNothing(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	before := actions(t, s, c.ID)
	ts := []evidence.Transaction{txn(0, 1), txn(0, 2), txn(0, 3), txn(0, 4)}
	ts[2].Direction = "sideways"
	_, _, err := s.AddTransactions(ctx, c.ID, ts)
	require.ErrorIs(t, err, evidence.ErrInvalid)
	assert.Contains(t, err.Error(), "row 3")
	list, err := s.ListTransactions(ctx, c.ID)
	require.NoError(t, err)
	assert.Empty(t, list)
	assert.Equal(t, before, actions(t, s, c.ID))

	// A database-level failure half-way (a source exhibit of another case) also leaves nothing.
	other := newCase(t, s)
	ex, err := s.Attach(ctx, other.ID, strings.NewReader("statement"), evidence.Exhibit{OriginalName: "s.csv"})
	require.NoError(t, err)
	ts = []evidence.Transaction{txn(0, 1), txn(0, 2)}
	ts[1].SourceExhibitID = ex.ID
	_, _, err = s.AddTransactions(ctx, c.ID, ts)
	require.ErrorIs(t, err, evidence.ErrInvalid)
	list, _ = s.ListTransactions(ctx, c.ID)
	assert.Empty(t, list)
	assert.Zero(t, ts[0].ID)

	_, _, err = s.AddTransactions(ctx, 4242, []evidence.Transaction{txn(0, 1)})
	assert.ErrorIs(t, err, evidence.ErrNotFound)
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func TestAttachVault(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	content := bytes.Repeat([]byte("签购单 slip photo bytes\n"), 5000)
	ex, err := s.Attach(ctx, c.ID, bytes.NewReader(content), evidence.Exhibit{
		Kind: evidence.KindSlip, Title: "签购单", Purpose: "证明扣款金额", OriginalName: "slip.jpg",
		Captured: sh(2024, 5, 1, 12, 1, 0), Platform: "", CapturedBy: "张三",
	})
	require.NoError(t, err)
	assert.Equal(t, sum(content), ex.SHA256)
	assert.Equal(t, int64(len(content)), ex.Size)
	assert.Equal(t, 1, ex.Seq)
	assert.Equal(t, "image/jpeg", ex.MediaType)
	assert.False(t, ex.Imported.IsZero())

	p := s.BlobPath(ex.SHA256)
	assert.Equal(t, filepath.Join(s.Home(), "vault", ex.SHA256[:2], ex.SHA256), p)
	onDisk, err := os.ReadFile(p)
	require.NoError(t, err)
	assert.Equal(t, content, onDisk)
	fi, err := os.Stat(p)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o444), fi.Mode().Perm())

	r, err := s.OpenBlob(ex.SHA256)
	require.NoError(t, err)
	got, _ := io.ReadAll(r)
	r.Close()
	assert.Equal(t, content, got)

	// The same bytes again: the existing exhibit and ErrDuplicate, one file,
	// untouched.
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	require.NoError(t, os.Chtimes(p, old, old))
	dup, err := s.Attach(ctx, c.ID, bytes.NewReader(content), evidence.Exhibit{Title: "again"})
	require.ErrorIs(t, err, evidence.ErrDuplicate)
	assert.Equal(t, ex, dup)
	// In another case it is a new exhibit of the same vault file.
	c2 := newCase(t, s)
	ex2, err := s.Attach(ctx, c2.ID, bytes.NewReader(content), evidence.Exhibit{Title: "other case"})
	require.NoError(t, err)
	assert.Equal(t, ex.SHA256, ex2.SHA256)
	assert.Equal(t, 1, ex2.Seq)
	assert.Equal(t, 1, countBlobs(t, s))
	assert.Empty(t, tempFiles(t, s))
	fi, err = os.Stat(p)
	require.NoError(t, err)
	assert.Equal(t, old, fi.ModTime(), "the stored file was not rewritten")

	list, err := s.ListExhibits(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, []evidence.Exhibit{ex}, list)

	_, err = s.Attach(ctx, 999, strings.NewReader("x"), evidence.Exhibit{})
	assert.ErrorIs(t, err, evidence.ErrNotFound)
	_, err = s.Attach(ctx, c.ID, strings.NewReader("x"), evidence.Exhibit{Kind: "bogus"})
	assert.ErrorIs(t, err, evidence.ErrInvalid)
	assert.Equal(t, 1, countBlobs(t, s), "a refused attach writes no file")

	_, err = s.OpenBlob(strings.Repeat("0", 64))
	assert.ErrorIs(t, err, evidence.ErrNotFound)
	_, err = s.OpenBlob("../../etc/passwd")
	assert.ErrorIs(t, err, evidence.ErrInvalid)
	assert.True(t, strings.HasPrefix(s.BlobPath("../../../etc/passwd"), filepath.Join(s.Home(), "vault")+string(filepath.Separator)))
	assert.Equal(t, p, s.BlobPath(strings.ToUpper(ex.SHA256)))
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errors.New("disk unplugged")
	}
	r.n--
	return copy(p, "some bytes"), nil
}

func TestAttachReadErrorLeavesNothing(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	_, err := s.Attach(ctx, c.ID, &failingReader{n: 3}, evidence.Exhibit{OriginalName: "x.png"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "disk unplugged")
	assert.Empty(t, tempFiles(t, s))
	assert.Zero(t, countBlobs(t, s))
	list, _ := s.ListExhibits(ctx, c.ID)
	assert.Empty(t, list)
}

func TestAttachFileAndExhibitEdits(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	dir := t.TempDir()
	var exs []evidence.Exhibit
	for i, name := range []string{"a.pdf", "b.txt", "c.png"} {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(fmt.Sprintf("file %d", i)), 0o644))
		ex, err := s.AttachFile(ctx, c.ID, p, evidence.Exhibit{Kind: evidence.KindDocument})
		require.NoError(t, err)
		assert.Equal(t, name, ex.OriginalName)
		assert.Equal(t, name, ex.Title)
		assert.Equal(t, i+1, ex.Seq)
		exs = append(exs, ex)
	}
	assert.Equal(t, "application/pdf", exs[0].MediaType)
	assert.True(t, strings.HasPrefix(exs[1].MediaType, "text/plain"))

	e := exs[1]
	e.Title, e.Purpose, e.Kind = "聊天记录", "证明商家承认多扣", evidence.KindChat
	e.SHA256, e.Size, e.Seq = "tampered", 1, 9 // not editable
	require.NoError(t, s.UpdateExhibit(ctx, &e))
	assert.Equal(t, exs[1].SHA256, e.SHA256)
	assert.Equal(t, exs[1].Size, e.Size)
	assert.Equal(t, 2, e.Seq)
	list, _ := s.ListExhibits(ctx, c.ID)
	assert.Equal(t, e, list[1])

	require.NoError(t, s.DeleteExhibit(ctx, c.ID, exs[0].ID))
	list, _ = s.ListExhibits(ctx, c.ID)
	require.Len(t, list, 2)
	assert.Equal(t, []int{1, 2}, []int{list[0].Seq, list[1].Seq}, "renumbered")
	assert.ErrorIs(t, s.DeleteExhibit(ctx, c.ID, exs[0].ID), evidence.ErrNotFound)
	gone := evidence.Exhibit{ID: exs[0].ID, CaseID: c.ID}
	assert.ErrorIs(t, s.UpdateExhibit(ctx, &gone), evidence.ErrNotFound)

	_, err := s.AttachFile(ctx, c.ID, filepath.Join(dir, "missing.jpg"), evidence.Exhibit{})
	assert.ErrorIs(t, err, os.ErrNotExist)
	assert.Equal(t, []string{"case.create", "exhibit.attach", "exhibit.attach", "exhibit.attach", "exhibit.update", "exhibit.delete"}, actions(t, s, c.ID))
}

func TestImportStatement(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	csv := "交易时间,金额\n2024-05-01 12:00:00,1280.00\n"
	rows := func() []evidence.Transaction {
		return []evidence.Transaction{txn(0, 1), txn(0, 2), txn(0, 3)}
	}
	ex, added, dups, err := s.ImportStatement(ctx, c.ID, strings.NewReader(csv), evidence.Exhibit{OriginalName: "alipay.csv"}, rows())
	require.NoError(t, err)
	assert.Equal(t, 3, added)
	assert.Zero(t, dups)
	assert.Equal(t, evidence.KindStatement, ex.Kind)
	ts, _ := s.ListTransactions(ctx, c.ID)
	for _, tr := range ts {
		assert.Equal(t, ex.ID, tr.SourceExhibitID)
	}
	// Re-import of the same file: the exhibit is reused, rows are duplicates, no error.
	ex2, added, dups, err := s.ImportStatement(ctx, c.ID, strings.NewReader(csv), evidence.Exhibit{OriginalName: "alipay.csv"}, rows())
	require.NoError(t, err)
	assert.Equal(t, ex, ex2)
	assert.Zero(t, added)
	assert.Equal(t, 3, dups)
	list, _ := s.ListExhibits(ctx, c.ID)
	assert.Len(t, list, 1)

	// An invalid row: neither the exhibit nor any row is stored.
	bad := rows()
	bad[0].DedupeKey = "new"
	bad[1].Time = time.Time{}
	_, _, _, err = s.ImportStatement(ctx, c.ID, strings.NewReader("other file"), evidence.Exhibit{OriginalName: "b.csv"}, bad)
	require.ErrorIs(t, err, evidence.ErrInvalid)
	list, _ = s.ListExhibits(ctx, c.ID)
	assert.Len(t, list, 1)
	ts, _ = s.ListTransactions(ctx, c.ID)
	assert.Len(t, ts, 3)
	assert.Equal(t, []string{"case.create", "exhibit.attach", "txn.import", "txn.import"}, actions(t, s, c.ID))

	// Deleting the statement exhibit keeps the rows, unlinked.
	require.NoError(t, s.DeleteExhibit(ctx, c.ID, ex.ID))
	ts, _ = s.ListTransactions(ctx, c.ID)
	require.Len(t, ts, 3)
	assert.Zero(t, ts[0].SourceExhibitID)
}

func TestCallsEventsRoundTrip(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	call := evidence.CallLog{CaseID: c.ID, Start: sh(2024, 5, 2, 9, 30, 0), Duration: 7*time.Minute + 5*time.Second,
		OwnNumber: "13800138000", Number: "95016", Direction: evidence.CallOutgoing, Organisation: "拉卡拉客服",
		Contact: "王女士", Agent: "8831", Ticket: "T20240502001", Summary: "要求调单"}
	require.NoError(t, s.AddCall(ctx, &call))
	require.NotZero(t, call.ID)
	calls, err := s.ListCalls(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, []evidence.CallLog{call}, calls)
	call.Summary = "已受理"
	require.NoError(t, s.UpdateCall(ctx, &call))
	calls, _ = s.ListCalls(ctx, c.ID)
	assert.Equal(t, "已受理", calls[0].Summary)

	ev := evidence.Event{CaseID: c.ID, Kind: evidence.EventComplaint, Time: sh(2024, 5, 3, 10, 0, 0), Party: "银行",
		Note: "提交投诉", Due: sh(2024, 5, 18, 10, 0, 0)}
	require.NoError(t, s.AddEvent(ctx, &ev))
	noDue := evidence.Event{CaseID: c.ID, Kind: evidence.EventDiscovered, Time: sh(2024, 5, 1, 13, 0, 0)}
	require.NoError(t, s.AddEvent(ctx, &noDue))
	evs, err := s.ListEvents(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, []evidence.Event{noDue, ev}, evs)
	ev.Note = "已提交"
	require.NoError(t, s.UpdateEvent(ctx, &ev))
	bad := ev
	bad.Due = sh(2024, 1, 1, 0, 0, 0)
	assert.ErrorIs(t, s.UpdateEvent(ctx, &bad), evidence.ErrInvalid)

	require.NoError(t, s.DeleteCall(ctx, c.ID, call.ID))
	require.NoError(t, s.DeleteEvent(ctx, c.ID, noDue.ID))
	assert.ErrorIs(t, s.DeleteCall(ctx, c.ID, call.ID), evidence.ErrNotFound)
	assert.ErrorIs(t, s.DeleteEvent(ctx, c.ID, noDue.ID), evidence.ErrNotFound)
	ghost := evidence.CallLog{ID: 1234, CaseID: c.ID, Start: sh(2024, 5, 2, 9, 30, 0)}
	assert.ErrorIs(t, s.UpdateCall(ctx, &ghost), evidence.ErrNotFound)
	assert.ErrorIs(t, s.AddCall(ctx, &evidence.CallLog{CaseID: 999, Start: sh(2024, 5, 2, 9, 30, 0)}), evidence.ErrNotFound)
	assert.ErrorIs(t, s.AddEvent(ctx, &evidence.Event{CaseID: c.ID}), evidence.ErrInvalid)
	assert.Equal(t, []string{"case.create", "call.add", "call.update", "event.add", "event.add", "event.update", "call.delete", "event.delete"}, actions(t, s, c.ID))
}

func TestListCasesSummary(t *testing.T) {
	s := openTemp(t)
	restore := now
	defer func() { now = restore }()
	clock := sh(2024, 5, 10, 8, 0, 0)
	now = func() time.Time { clock = clock.Add(time.Second); return clock }

	withClaims := newCase(t, s) // claims total 1152.00
	noClaims := evidence.Case{Title: "重复扣款", Scenario: evidence.DuplicateCharge}
	_, err := s.CreateCase(ctx, &noClaims)
	require.NoError(t, err)
	ts := []evidence.Transaction{txn(0, 1), txn(0, 2), txn(0, 3)}
	ts[0].Disputed, ts[1].Disputed = true, true
	_, _, err = s.AddTransactions(ctx, noClaims.ID, ts)
	require.NoError(t, err)
	_, err = s.Attach(ctx, noClaims.ID, strings.NewReader("x"), evidence.Exhibit{})
	require.NoError(t, err)
	for _, e := range []evidence.Event{
		{CaseID: noClaims.ID, Time: sh(2024, 4, 1, 0, 0, 0), Due: sh(2024, 5, 1, 0, 0, 0)},  // passed
		{CaseID: noClaims.ID, Time: sh(2024, 5, 1, 0, 0, 0), Due: sh(2024, 6, 15, 0, 0, 0)}, // later
		{CaseID: noClaims.ID, Time: sh(2024, 5, 1, 0, 0, 0), Due: sh(2024, 5, 20, 0, 0, 0)}, // next
		{CaseID: noClaims.ID, Time: sh(2024, 5, 1, 0, 0, 0)},
		{CaseID: withClaims.ID, Time: sh(2024, 4, 1, 0, 0, 0), Due: sh(2024, 4, 15, 0, 0, 0)}, // overdue only
	} {
		require.NoError(t, s.AddEvent(ctx, &e))
	}

	list, err := s.ListCases(ctx)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, withClaims.ID, list[0].ID, "most recently updated first")
	assert.Equal(t, evidence.Money(115200), list[0].Disputed)
	assert.Len(t, list[0].Claims, 2)
	assert.True(t, list[0].NextDue.Equal(sh(2024, 4, 15, 0, 0, 0)))
	assert.Equal(t, 0, list[0].Transactions)

	n := list[1]
	assert.Equal(t, evidence.Money(ts[0].Amount+ts[1].Amount), n.Disputed)
	assert.Equal(t, 3, n.Transactions)
	assert.Equal(t, 1, n.Exhibits)
	assert.Equal(t, sh(2024, 5, 20, 0, 0, 0), n.NextDue)
	d, err := s.Dossier(ctx, noClaims.ID)
	require.NoError(t, err)
	assert.Equal(t, d.DisputedAmount(), n.Disputed)
}

func TestDossierAndCascadeDelete(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	ex, _, _, err := s.ImportStatement(ctx, c.ID, strings.NewReader("csv"), evidence.Exhibit{OriginalName: "s.csv"}, []evidence.Transaction{txn(0, 2), txn(0, 1)})
	require.NoError(t, err)
	require.NoError(t, s.AddCall(ctx, &evidence.CallLog{CaseID: c.ID, Start: sh(2024, 5, 2, 9, 0, 0)}))
	require.NoError(t, s.AddEvent(ctx, &evidence.Event{CaseID: c.ID, Time: sh(2024, 5, 2, 9, 0, 0)}))
	other := newCase(t, s)

	d, err := s.Dossier(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c.ID, d.Case.ID)
	require.Len(t, d.Transactions, 2)
	assert.True(t, d.Transactions[0].Time.Before(d.Transactions[1].Time))
	assert.Equal(t, []evidence.Exhibit{ex}, d.Exhibits)
	assert.Len(t, d.Calls, 1)
	assert.Len(t, d.Events, 1)
	assert.Len(t, d.Audit, 5)

	require.NoError(t, s.DeleteCase(ctx, c.ID))
	_, err = s.Dossier(ctx, c.ID)
	assert.ErrorIs(t, err, evidence.ErrNotFound)
	assert.ErrorIs(t, s.DeleteCase(ctx, c.ID), evidence.ErrNotFound)
	for _, table := range []string{"claims", "transactions", "exhibits", "calls", "events", "audit"} {
		var n int
		require.NoError(t, s.db.QueryRow("SELECT COUNT(*) FROM "+table+" WHERE case_id = ?", c.ID).Scan(&n))
		assert.Zero(t, n, table)
	}
	_, err = s.GetCase(ctx, other.ID)
	assert.NoError(t, err)
	require.NoError(t, s.IntegrityCheck(ctx))

	// The statement file is an orphan now: the next Open removes it.
	home := s.Home()
	require.NoError(t, s.Close())
	s2, err := Open(home)
	require.NoError(t, err)
	defer s2.Close()
	_, err = os.Stat(s2.BlobPath(ex.SHA256))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestSettings(t *testing.T) {
	s := openTemp(t)
	_, err := s.Setting(ctx, "lang")
	assert.ErrorIs(t, err, evidence.ErrNotFound)
	require.NoError(t, s.SetSetting(ctx, "lang", "zh"))
	require.NoError(t, s.SetSetting(ctx, "lang", "en"))
	v, err := s.Setting(ctx, "lang")
	require.NoError(t, err)
	assert.Equal(t, "en", v)
	assert.ErrorIs(t, s.SetSetting(ctx, "", "x"), evidence.ErrInvalid)
}

func TestDerived(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	ex, err := s.Attach(ctx, c.ID, strings.NewReader("original photo"), evidence.Exhibit{Kind: evidence.KindPhoto})
	require.NoError(t, err)
	_, err = s.Derived(ctx, ex.SHA256, "thumb")
	assert.ErrorIs(t, err, evidence.ErrNotFound)
	thumb, size, err := s.PutBlob(strings.NewReader("thumbnail"))
	require.NoError(t, err)
	assert.Equal(t, int64(9), size)
	assert.Equal(t, sum([]byte("thumbnail")), thumb)
	require.NoError(t, s.SetDerived(ctx, ex.SHA256, "thumb", thumb))
	got, err := s.Derived(ctx, ex.SHA256, "thumb")
	require.NoError(t, err)
	assert.Equal(t, thumb, got)
	assert.ErrorIs(t, s.SetDerived(ctx, ex.SHA256, "print", strings.Repeat("a", 64)), evidence.ErrNotFound)

	// Reopen: the derived blob survives while its original is used.
	home := s.Home()
	require.NoError(t, s.Close())
	s, err = Open(home)
	require.NoError(t, err)
	_, err = os.Stat(s.BlobPath(thumb))
	require.NoError(t, err)
	require.NoError(t, s.IntegrityCheck(ctx))
	// Once the original's case is gone, both go at the next Open.
	require.NoError(t, s.DeleteCase(ctx, c.ID))
	require.NoError(t, s.Close())
	s, err = Open(home)
	require.NoError(t, err)
	defer s.Close()
	_, err = s.Derived(ctx, ex.SHA256, "thumb")
	assert.ErrorIs(t, err, evidence.ErrNotFound)
	assert.Zero(t, countBlobs(t, s))
}

func countBlobs(t *testing.T, s *Store) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(filepath.Join(s.Home(), "vault"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "tmp" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			n++
		}
		return nil
	})
	require.NoError(t, err)
	return n
}

func tempFiles(t *testing.T, s *Store) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(s.Home(), "vault", "tmp"))
	require.NoError(t, err)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestOpenCleansTempAndOrphans(t *testing.T) {
	home := t.TempDir()
	s, err := Open(home)
	require.NoError(t, err)
	c := newCase(t, s)
	kept, err := s.Attach(ctx, c.ID, strings.NewReader("kept"), evidence.Exhibit{})
	require.NoError(t, err)
	orphan, _, err := s.PutBlob(strings.NewReader("nobody refers to me"))
	require.NoError(t, err)
	require.NoError(t, s.Close())

	tmp := filepath.Join(home, "vault", "tmp", "half-written")
	require.NoError(t, os.WriteFile(tmp, []byte("partial"), 0o600))
	foreign := filepath.Join(home, "vault", "README.txt")
	require.NoError(t, os.WriteFile(foreign, []byte("not a blob"), 0o644))

	s, err = Open(home)
	require.NoError(t, err)
	defer s.Close()
	_, err = os.Stat(tmp)
	assert.ErrorIs(t, err, os.ErrNotExist, "temp file removed")
	_, err = os.Stat(s.BlobPath(orphan))
	assert.ErrorIs(t, err, os.ErrNotExist, "orphan removed")
	_, err = os.Stat(s.BlobPath(kept.SHA256))
	assert.NoError(t, err, "referenced blob kept")
	_, err = os.Stat(foreign)
	assert.NoError(t, err, "files that are not blobs are left alone")
	require.NoError(t, s.IntegrityCheck(ctx))
}

func TestLock(t *testing.T) {
	home := t.TempDir()
	s, err := Open(home)
	require.NoError(t, err)
	_, err = Open(home)
	require.ErrorIs(t, err, ErrLocked)
	assert.Contains(t, err.Error(), "already open in another window or process")
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "closing twice is harmless")
	s, err = Open(home)
	require.NoError(t, err)
	require.NoError(t, s.Close())
}

func TestNewerSchemaRefused(t *testing.T) {
	home := t.TempDir()
	s, err := Open(home)
	require.NoError(t, err)
	_, err = s.db.Exec(fmt.Sprintf("PRAGMA user_version = %d", schemaVersion()+1))
	require.NoError(t, err)
	require.NoError(t, s.Close())

	_, err = Open(home)
	require.ErrorIs(t, err, ErrNewerSchema)
	assert.Contains(t, err.Error(), fmt.Sprintf("this case store was written by a newer DisputeKit (schema %d); update DisputeKit to open it", schemaVersion()+1))
	// The refused open released the lock and changed nothing.
	db, err := sql.Open("sqlite", dsn(filepath.Join(home, dbName)))
	require.NoError(t, err)
	defer db.Close()
	var v int
	require.NoError(t, db.QueryRow("PRAGMA user_version").Scan(&v))
	assert.Equal(t, schemaVersion()+1, v)
	f, err := lockFile(filepath.Join(home, lockName))
	require.NoError(t, err)
	f.Close()
}

func TestMigrateFromEmpty(t *testing.T) {
	s := openTemp(t)
	var v int
	require.NoError(t, s.db.QueryRow("PRAGMA user_version").Scan(&v))
	assert.Equal(t, schemaVersion(), v)
	assert.GreaterOrEqual(t, v, 1)
	var mode string
	require.NoError(t, s.db.QueryRow("PRAGMA journal_mode").Scan(&mode))
	assert.Equal(t, "wal", mode)
	var fk, sync int
	require.NoError(t, s.db.QueryRow("PRAGMA foreign_keys").Scan(&fk))
	require.NoError(t, s.db.QueryRow("PRAGMA synchronous").Scan(&sync))
	assert.Equal(t, 1, fk)
	assert.Equal(t, 2, sync, "FULL")
	// Reopening an up-to-date store runs no migration and keeps the data.
	c := newCase(t, s)
	home := s.Home()
	require.NoError(t, s.Close())
	s2, err := Open(home)
	require.NoError(t, err)
	defer s2.Close()
	_, err = s2.GetCase(ctx, c.ID)
	assert.NoError(t, err)
}

func TestIntegrityCheck(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	ex, err := s.Attach(ctx, c.ID, strings.NewReader("evidence"), evidence.Exhibit{})
	require.NoError(t, err)
	_, _, err = s.AddTransactions(ctx, c.ID, []evidence.Transaction{txn(0, 1)})
	require.NoError(t, err)
	require.NoError(t, s.IntegrityCheck(ctx))

	// Each PRAGMA on its own, as the brief asks.
	var res string
	require.NoError(t, s.db.QueryRow("PRAGMA integrity_check").Scan(&res))
	assert.Equal(t, "ok", res)
	rows, err := s.db.Query("PRAGMA foreign_key_check")
	require.NoError(t, err)
	assert.False(t, rows.Next())
	rows.Close()

	// A changed vault file is reported.
	p := s.BlobPath(ex.SHA256)
	require.NoError(t, os.Chmod(p, 0o644))
	require.NoError(t, os.WriteFile(p, []byte("EVIDENCE"), 0o644))
	err = s.IntegrityCheck(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "changed or damaged")
	// A missing one too.
	require.NoError(t, os.Remove(p))
	assert.ErrorIs(t, s.IntegrityCheck(ctx), evidence.ErrNotFound)
}

func TestImportDossier(t *testing.T) {
	src := openTemp(t)
	c := newCase(t, src)
	photo := []byte("photo of the terminal")
	ex1, err := src.Attach(ctx, c.ID, bytes.NewReader(photo), evidence.Exhibit{Kind: evidence.KindPhoto, Title: "终端照片"})
	require.NoError(t, err)
	ex2, _, _, err := src.ImportStatement(ctx, c.ID, strings.NewReader("statement csv"), evidence.Exhibit{OriginalName: "s.csv"},
		[]evidence.Transaction{txn(0, 1), txn(0, 2)})
	require.NoError(t, err)
	require.NoError(t, src.AddCall(ctx, &evidence.CallLog{CaseID: c.ID, Start: sh(2024, 5, 2, 9, 0, 0), Ticket: "T1"}))
	require.NoError(t, src.AddEvent(ctx, &evidence.Event{CaseID: c.ID, Time: sh(2024, 5, 3, 9, 0, 0), Due: sh(2024, 5, 18, 9, 0, 0)}))
	d, err := src.Dossier(ctx, c.ID)
	require.NoError(t, err)

	dst := openTemp(t)
	_ = newCase(t, dst) // so IDs differ between the stores
	_, err = dst.Attach(ctx, 1, strings.NewReader("shift exhibit ids"), evidence.Exhibit{})
	require.NoError(t, err)
	id, err := dst.ImportDossier(ctx, d, src.OpenBlob)
	require.NoError(t, err)
	got, err := dst.Dossier(ctx, id)
	require.NoError(t, err)

	assert.Equal(t, d.Case.Title, got.Case.Title)
	assert.Equal(t, d.Case.Claims, got.Case.Claims)
	assert.Equal(t, d.Case.Complainant, got.Case.Complainant)
	assert.Equal(t, d.Case.Created, got.Case.Created)
	require.Len(t, got.Exhibits, 2)
	for i := range got.Exhibits {
		assert.Equal(t, d.Exhibits[i].SHA256, got.Exhibits[i].SHA256)
		assert.Equal(t, d.Exhibits[i].Seq, got.Exhibits[i].Seq)
		assert.Equal(t, d.Exhibits[i].Imported, got.Exhibits[i].Imported)
		assert.Equal(t, id, got.Exhibits[i].CaseID)
	}
	require.Len(t, got.Transactions, 2)
	for _, tr := range got.Transactions {
		assert.Equal(t, got.Exhibits[1].ID, tr.SourceExhibitID, "remapped to the new statement exhibit")
		assert.NotEqual(t, ex2.ID, tr.SourceExhibitID)
	}
	assert.Equal(t, d.Calls[0].Ticket, got.Calls[0].Ticket)
	assert.Equal(t, d.Events[0].Due, got.Events[0].Due)
	require.Len(t, got.Audit, len(d.Audit)+1)
	for i, a := range d.Audit {
		assert.Equal(t, a.Action, got.Audit[i].Action)
		assert.Equal(t, a.Detail, got.Audit[i].Detail)
		assert.Equal(t, a.Time, got.Audit[i].Time)
	}
	assert.Equal(t, "case.import", got.Audit[len(got.Audit)-1].Action)
	r, err := dst.OpenBlob(ex1.SHA256)
	require.NoError(t, err)
	b, _ := io.ReadAll(r)
	r.Close()
	assert.Equal(t, photo, b)
	require.NoError(t, dst.IntegrityCheck(ctx))
}

func TestImportDossierRefusesWrongBlob(t *testing.T) {
	s := openTemp(t)
	d := evidence.Dossier{
		Case:     evidence.Case{Title: "bundle"},
		Exhibits: []evidence.Exhibit{{ID: 7, Seq: 1, Title: "slip", SHA256: sum([]byte("the real bytes")), Size: 14}},
	}
	liar := func(string) (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("other bytes")), nil }
	_, err := s.ImportDossier(ctx, d, liar)
	require.ErrorIs(t, err, evidence.ErrInvalid)
	assert.Contains(t, err.Error(), "SHA-256")
	list, err := s.ListCases(ctx)
	require.NoError(t, err)
	assert.Empty(t, list, "no case when a file is wrong")

	missing := func(string) (io.ReadCloser, error) { return nil, os.ErrNotExist }
	_, err = s.ImportDossier(ctx, d, missing)
	assert.ErrorIs(t, err, os.ErrNotExist)

	bad := d
	bad.Exhibits = []evidence.Exhibit{{SHA256: "../../x"}}
	_, err = s.ImportDossier(ctx, bad, liar)
	assert.ErrorIs(t, err, evidence.ErrInvalid)
}

func TestDefaultHome(t *testing.T) {
	t.Setenv("DISPUTEKIT_HOME", "/tmp/dk-home")
	h, err := DefaultHome()
	require.NoError(t, err)
	assert.Equal(t, "/tmp/dk-home", h)
	t.Setenv("DISPUTEKIT_HOME", "")
	h, err = DefaultHome()
	require.NoError(t, err)
	assert.Equal(t, "DisputeKit", filepath.Base(h))
}

// A case and its first event are one transaction: when the event cannot be
// stored, no case is left behind for a retry to duplicate.
func TestCreateCaseWithFirstEventIsAllOrNothing(t *testing.T) {
	s := openTemp(t)
	_, err := s.db.ExecContext(ctx, `CREATE TRIGGER refuse_events BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
	require.NoError(t, err)
	c := evidence.Case{Title: "刷错金额", Scenario: evidence.WrongAmount}
	e := &evidence.Event{Kind: evidence.EventDiscovered, Time: sh(2026, 11, 3, 14, 30, 0)}
	_, err = s.CreateCase(ctx, &c, e)
	require.Error(t, err)
	assert.Zero(t, c.ID)
	assert.Zero(t, e.ID)
	list, err := s.ListCases(ctx)
	require.NoError(t, err)
	assert.Empty(t, list, "the case was rolled back with its event")

	_, err = s.db.ExecContext(ctx, `DROP TRIGGER refuse_events`)
	require.NoError(t, err)
	_, err = s.CreateCase(ctx, &c, e) // the retry
	require.NoError(t, err)
	list, err = s.ListCases(ctx)
	require.NoError(t, err)
	assert.Len(t, list, 1)
	evs, err := s.ListEvents(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, evs, 1)
	assert.Equal(t, e.ID, evs[0].ID)
	assert.Equal(t, c.ID, evs[0].CaseID)
	assert.True(t, evs[0].Time.Equal(e.Time))
}

// Amounts stored before the ceiling (or by hand) must not overflow the
// list's totals and fail the list for every case.
func TestCaseListSurvivesHugeStoredAmounts(t *testing.T) {
	s := openTemp(t)
	huge := evidence.Case{Title: "巨额"}
	_, err := s.CreateCase(ctx, &huge)
	require.NoError(t, err)
	other := evidence.Case{Title: "普通"}
	_, err = s.CreateCase(ctx, &other)
	require.NoError(t, err)
	ts := make([]evidence.Transaction, 100)
	for i := range ts {
		ts[i] = txn(huge.ID, i)
		ts[i].Disputed = true
	}
	_, _, err = s.AddTransactions(ctx, huge.ID, ts)
	require.NoError(t, err)
	_, err = s.db.ExecContext(ctx, `UPDATE transactions SET amount = 99999999999999999 WHERE case_id = ?`, huge.ID)
	require.NoError(t, err)
	_, err = s.db.ExecContext(ctx, `INSERT INTO claims(case_id, seq, text, amount) VALUES (?, 1, 'x', 9223372036854775807), (?, 2, 'y', 9223372036854775807)`, other.ID, other.ID)
	require.NoError(t, err)

	list, err := s.ListCases(ctx)
	require.NoError(t, err)
	require.Len(t, list, 2)
	for _, c := range list {
		assert.GreaterOrEqual(t, c.Disputed, evidence.Money(0), c.Title)
	}
}
