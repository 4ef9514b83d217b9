package main

import (
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/bundle"
)

// A case stored before the ¥1,000,000,000.00 ceiling existed may hold
// amounts above it. Whatever export writes, import must read: such a case
// exports, verifies and imports again, with the amounts as they were and a
// note saying so.
func TestBundleOfAmountsAboveTheCeilingImports(t *testing.T) {
	home, other := t.TempDir(), t.TempDir()
	id := bundleCase(t, home)
	over := evidence.MaxAmount + 1_00
	// Written directly, as a store from before the ceiling holds it.
	db, err := sql.Open("sqlite", filepath.Join(home, "disputekit.db"))
	require.NoError(t, err)
	res, err := db.Exec("UPDATE transactions SET amount = ?, fee = ? WHERE case_id = ?", int64(over), int64(over), id)
	require.NoError(t, err)
	n, err := res.RowsAffected()
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	_, err = db.Exec("UPDATE claims SET amount = ? WHERE case_id = ?", int64(over), id)
	require.NoError(t, err)
	require.NoError(t, db.Close())

	a := filepath.Join(t.TempDir(), "a.zip")
	mustDK(t, home, "bundle", "export", id, "-o", a)
	assert.Contains(t, mustDK(t, home, "bundle", "verify", a), "ok: all 3 files match")

	for _, lang := range []string{"en", "zh"} {
		out, errs, code := dk(t, other, "--lang", lang, "bundle", "import", a)
		require.Equal(t, 0, code, "import of an over-ceiling case must succeed: %s", errs)
		newID := strings.TrimSpace(out)
		if lang == "en" {
			assert.Contains(t, errs, "3 amounts above the most DisputeKit takes for one amount, ¥1,000,000,000.00")
		} else {
			assert.Contains(t, errs, "3 个金额超过单笔金额上限 ¥1,000,000,000.00")
		}
		var d evidence.Dossier
		require.NoError(t, json.Unmarshal([]byte(mustDK(t, other, "case", "show", newID, "--json")), &d))
		require.Len(t, d.Transactions, 1)
		assert.Equal(t, over, d.Transactions[0].Amount, "the amount is kept as stored")
		assert.Equal(t, over, d.Transactions[0].Fee)
		require.Len(t, d.Case.Claims, 1)
		assert.Equal(t, over, d.Case.Claims[0].Amount)
		last := d.Audit[len(d.Audit)-1]
		assert.Equal(t, "case.import", last.Action)
		assert.Contains(t, last.Detail, "3 amounts above ¥1,000,000,000.00 kept as stored")
	}

	// New intake is still refused above the ceiling.
	_, errs, code := dk(t, other, "txn", "add", id, "--time", "2026-03-01 12:00:00", "--amount", "1000000000.01")
	assert.NotEqual(t, 0, code, errs)

	// The re-export of the imported case verifies too.
	b := filepath.Join(t.TempDir(), "b.zip")
	mustDK(t, other, "bundle", "export", "1", "-o", b)
	rep, err := bundle.VerifyFile(b, nil)
	require.NoError(t, err)
	assert.True(t, rep.OK())
}
