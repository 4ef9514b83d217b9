package store

import (
	"bytes"
	"database/sql"
	"io"
	"path/filepath"
	"strings"
	"testing"

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
