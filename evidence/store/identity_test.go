package store

import (
	"bytes"
	"database/sql"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

// A later export of the same account brings rows already in the case with a
// new status: the stored rows take it, and the import says how many.
func TestReimportUpdatesStatus(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	rows := []evidence.Transaction{txn(c.ID, 1), txn(c.ID, 2), txn(c.ID, 3)}
	rows[0].Status = "等待确认收货"
	feed := func(ts []evidence.Transaction) func() ([]evidence.Transaction, error) {
		sent := false
		return func() ([]evidence.Transaction, error) {
			if sent {
				return nil, io.EOF
			}
			sent = true
			return ts, io.EOF
		}
	}
	_, n, err := s.ImportStatementRows(ctx, c.ID, bytes.NewReader([]byte("first export")), evidence.Exhibit{OriginalName: "a.csv"}, feed(rows))
	require.NoError(t, err)
	assert.Equal(t, evidence.ImportCounts{Added: 3}, n)

	later := []evidence.Transaction{txn(c.ID, 1), txn(c.ID, 2), txn(c.ID, 3), txn(c.ID, 4)}
	later[0].Status = "交易成功"
	later[1].Status = "" // a file without a status column leaves the stored one alone
	_, n, err = s.ImportStatementRows(ctx, c.ID, bytes.NewReader([]byte("later export")), evidence.Exhibit{OriginalName: "b.csv"}, feed(later))
	require.NoError(t, err)
	assert.Equal(t, 1, n.Added)
	assert.Equal(t, 2, n.Duplicates)
	assert.Equal(t, 1, n.Updated)
	require.Len(t, n.Changes, 1)
	assert.Equal(t, "等待确认收货", n.Changes[0].From)
	assert.Equal(t, "交易成功", n.Changes[0].To)
	got, err := s.ListTransactions(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, got, 4)
	for _, tr := range got {
		if tr.DedupeKey == "k1" {
			assert.Equal(t, "交易成功", tr.Status)
		}
		if tr.DedupeKey == "k2" {
			assert.Equal(t, "交易成功", tr.Status, "kept")
		}
	}
}

// Keys of rows known by a number, stored before schema 3 as the number
// alone, are rewritten to the number with time, amount and direction
// (migration 0005).
func TestUpgradeRewritesNumberKeys(t *testing.T) {
	home := t.TempDir()
	ms, err := migrations()
	require.NoError(t, err)
	db, err := sql.Open("sqlite", dsn(filepath.Join(home, dbName)))
	require.NoError(t, err)
	before := 0
	for before < len(ms) && !strings.Contains(ms[before].name, "row_identity") {
		before++
	}
	require.Less(t, before, len(ms))
	require.NoError(t, applyMigrations(ctx, db, ms[:before]))
	_, err = db.Exec(`INSERT INTO cases(title, scenario, status, role, r_name, facts, created_ns, created_tz, updated_ns, updated_tz)
		VALUES ('旧案件', 'wrong-amount', 'draft', 'consumer', '', '', 1, 'Asia/Shanghai', 1, 'Asia/Shanghai')`)
	require.NoError(t, err)
	for _, k := range []string{"alipay:order:2024010522001", "alipay:row:abc", "mapped:rrn:12345678:123456789012"} {
		_, err = db.Exec(`INSERT INTO transactions(case_id, time_ns, time_tz, amount, currency, direction, source, dedupe_key)
			VALUES (1, 1704429011000000000, 'Asia/Shanghai', 2816, 'CNY', 'debit', 'alipay', ?)`, k)
		require.NoError(t, err)
	}
	require.NoError(t, db.Close())

	s, err := Open(home)
	require.NoError(t, err)
	defer s.Close()
	got, err := s.ListTransactions(ctx, 1)
	require.NoError(t, err)
	var keys []string
	for _, tr := range got {
		keys = append(keys, tr.DedupeKey)
	}
	assert.ElementsMatch(t, []string{"alipay:order:2024010522001|1704429011|2816|debit", "alipay:row:abc",
		"mapped:rrn:12345678:123456789012|1704429011|2816|debit"}, keys)
}

// A payment typed by hand and then imported from the statement is merged
// into the imported row, which keeps what only the typed one had.
func TestMergeTransactions(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	imported := txn(c.ID, 1)
	imported.RRN, imported.Voucher, imported.Note, imported.Disputed = "", "", "", false
	typed := imported
	typed.Source, typed.DedupeKey, typed.RRN, typed.Note, typed.Disputed = "manual", "", "123456789012", "收银员说机器坏了", true
	typed.Time = typed.Time.Add(3 * time.Minute)
	added, _, err := s.AddTransactions(ctx, c.ID, []evidence.Transaction{imported, typed})
	require.NoError(t, err)
	require.Equal(t, 2, added)
	ts, err := s.ListTransactions(ctx, c.ID)
	require.NoError(t, err)
	keep, drop := ts[0], ts[1]
	require.Equal(t, "alipay", keep.Source)

	m, err := s.MergeTransactions(ctx, c.ID, keep.ID, drop.ID)
	require.NoError(t, err)
	assert.Equal(t, "123456789012", m.RRN)
	assert.True(t, m.Disputed)
	assert.Equal(t, "收银员说机器坏了", m.Note)
	assert.Equal(t, keep.Time, m.Time, "the statement's time stays")
	ts, err = s.ListTransactions(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, ts, 1)
	assert.Equal(t, m, ts[0])

	other := txn(c.ID, 9)
	other.Amount++
	_, _, err = s.AddTransactions(ctx, c.ID, []evidence.Transaction{other})
	require.NoError(t, err)
	ts, _ = s.ListTransactions(ctx, c.ID)
	_, err = s.MergeTransactions(ctx, c.ID, ts[0].ID, ts[1].ID)
	require.ErrorIs(t, err, evidence.ErrInvalid, "different amounts are not one payment")
}
