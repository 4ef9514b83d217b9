package store

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A store written before the current masking rules may hold full card
// numbers in a transaction's RRN, its note, its dedupe key, a party and the
// audit trail. Opening it masks them all: afterwards the database file's
// bytes hold no full card number, merchant numbers and phones are as they
// were, each case says so in its audit trail, and a second pass changes
// nothing.
func TestOpenRemasksCardNumbersStoredBefore(t *testing.T) {
	const card = "6222021234567890128"
	const merchantNo, phone = "123456789012345", "13800138000"
	home := t.TempDir()
	ms, err := migrations()
	require.NoError(t, err)
	before := -1
	for i, m := range ms {
		if strings.HasSuffix(m.name, "_remask_cards.sql") {
			before = i
		}
	}
	require.Positive(t, before, "the re-masking migration exists")
	db, err := sql.Open("sqlite", dsn(filepath.Join(home, dbName)))
	require.NoError(t, err)
	require.NoError(t, applyMigrations(ctx, db, ms[:before]))
	_, err = db.Exec(`INSERT INTO cases(id, title, scenario, status, role, c_phone, r_merchant_no, facts, parties, created_ns, created_tz, updated_ns, updated_tz)
		VALUES (1, '旧案件', 'wrong-amount', 'draft', 'consumer', ?, ?, ?, ?, 1, 'Asia/Shanghai', 1, 'Asia/Shanghai')`,
		phone, merchantNo, "我的卡号"+card+"被多扣款。",
		`{"issuer":{"name":"某某银行","phone":"95555","merchant_no":"`+card+`"}}`)
	require.NoError(t, err)
	_, err = db.Exec(`INSERT INTO transactions(case_id, time_ns, time_tz, amount, currency, direction, merchant_no, rrn, note, dedupe_key)
		VALUES (1, 1, 'Asia/Shanghai', 12800, 'CNY', 'debit', ?, ?, ?, ?)`,
		merchantNo, card, "卡号 "+card+"，商户号 "+merchantNo+"，电话 "+phone, "import:rrn:"+card)
	require.NoError(t, err)
	_, err = db.Exec(`INSERT INTO calls(case_id, start_ns, start_tz, own_number, number, direction, summary)
		VALUES (1, 1, 'Asia/Shanghai', ?, '95555', 'outgoing', ?)`, phone, "报了卡号"+card)
	require.NoError(t, err)
	_, err = db.Exec(`INSERT INTO audit(case_id, time_ns, time_tz, action, detail) VALUES (1, 1, 'Asia/Shanghai', 'txn.add', ?)`, "rrn "+card)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	raw, err := os.ReadFile(filepath.Join(home, dbName))
	require.NoError(t, err)
	require.True(t, bytes.Contains(raw, []byte(card)), "the test must start from a file holding the number")

	s, err := Open(home)
	require.NoError(t, err)
	tx, err := s.ListTransactions(ctx, 1)
	require.NoError(t, err)
	require.Len(t, tx, 1)
	assert.Equal(t, "**** **** **** 0128", tx[0].RRN)
	assert.Equal(t, merchantNo, tx[0].MerchantNo)
	assert.Equal(t, "卡号 **** **** **** 0128，商户号 "+merchantNo+"，电话 "+phone, tx[0].Note)
	c, err := s.GetCase(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, phone, c.Complainant.Phone)
	assert.Equal(t, merchantNo, c.Respondent.MerchantNo)
	assert.Equal(t, "95555", c.Issuer.Phone)
	assert.Equal(t, "**** **** **** 0128", c.Issuer.MerchantNo)
	assert.Equal(t, "我的卡号**** **** **** 0128被多扣款。", c.Facts)
	audit, err := s.ListAudit(ctx, 1)
	require.NoError(t, err)
	last := audit[len(audit)-1]
	assert.Equal(t, "case.remask", last.Action)
	for _, what := range []string{"transactions.rrn (1)", "transactions.note (1)", "transactions.dedupe_key (1)", "cases.facts (1)",
		"cases.parties.issuer (1)", "calls.summary (1)", "audit.detail (1)"} {
		assert.Contains(t, last.Detail, what)
	}
	assert.NotContains(t, last.Detail, "merchant_no")
	assert.NotContains(t, last.Detail, "phone")

	// Idempotent: a second pass finds nothing to change and writes no audit row.
	n, err := remaskTwice(t, s)
	require.NoError(t, err)
	assert.Zero(t, n)
	require.NoError(t, s.Close())

	for _, name := range []string{dbName, dbName + "-wal"} {
		raw, err := os.ReadFile(filepath.Join(home, name))
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err)
		assert.False(t, bytes.Contains(raw, []byte(card)), "%s still holds the full card number", name)
		assert.False(t, bytes.Contains(raw, []byte(card[:6])) && bytes.Contains(raw, []byte(card[6:])), "%s still holds its parts", name)
		if name == dbName {
			assert.True(t, bytes.Contains(raw, []byte(merchantNo)))
			assert.True(t, bytes.Contains(raw, []byte(phone)))
		}
	}
}

func remaskTwice(t *testing.T, s *Store) (int, error) {
	t.Helper()
	tx, err := s.db.BeginTx(ctx, nil)
	require.NoError(t, err)
	defer tx.Rollback()
	before := 0
	require.NoError(t, tx.QueryRow("SELECT COUNT(*) FROM audit").Scan(&before))
	n, err := remaskCards(ctx, tx)
	after := 0
	require.NoError(t, tx.QueryRow("SELECT COUNT(*) FROM audit").Scan(&after))
	assert.Equal(t, before, after)
	return n, err
}
