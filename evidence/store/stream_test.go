package store

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

// batches returns a next func handing out rows in batches of size n, then io.EOF.
func batches(rows []evidence.Transaction, n int) func() ([]evidence.Transaction, error) {
	return func() ([]evidence.Transaction, error) {
		if len(rows) == 0 {
			return nil, io.EOF
		}
		k := min(n, len(rows))
		b := rows[:k:k]
		rows = rows[k:]
		return b, nil
	}
}

func TestImportStatementStream(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	rows := make([]evidence.Transaction, 3*insertChunk+7)
	for i := range rows {
		rows[i] = txn(0, i)
		if i%5 == 0 {
			rows[i].DedupeKey = ""
		}
	}
	rows[200].DedupeKey = rows[1].DedupeKey // a repeat in a later batch
	ex, added, dups, err := s.ImportStatementStream(ctx, c.ID, strings.NewReader("statement"), evidence.Exhibit{OriginalName: "s.csv"}, batches(rows, 100))
	require.NoError(t, err)
	assert.Equal(t, len(rows)-1, added)
	assert.Equal(t, 1, dups)
	list, err := s.ListTransactions(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, list, len(rows)-1)
	for _, tr := range list {
		assert.Equal(t, ex.ID, tr.SourceExhibitID)
		assert.Equal(t, c.ID, tr.CaseID)
	}
	assert.Equal(t, "交易成功", list[0].Status)

	// Importing the same rows again adds nothing and reuses the exhibit.
	again := make([]evidence.Transaction, len(rows))
	copy(again, rows)
	for i := range again {
		again[i].ID, again[i].SourceExhibitID = 0, 0
	}
	ex2, added, dups, err := s.ImportStatementStream(ctx, c.ID, strings.NewReader("statement"), evidence.Exhibit{OriginalName: "s.csv"}, batches(again, 128))
	require.NoError(t, err)
	assert.Equal(t, ex.ID, ex2.ID)
	// Rows without a key are never duplicates.
	keyless := 0
	for _, r := range rows {
		if r.DedupeKey == "" {
			keyless++
		}
	}
	assert.Equal(t, keyless, added)
	assert.Equal(t, len(rows)-keyless, dups)
}

func TestImportStatementStreamAllOrNothing(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	before := actions(t, s, c.ID)
	mk := func() []evidence.Transaction {
		rows := make([]evidence.Transaction, 600)
		for i := range rows {
			rows[i] = txn(0, i)
		}
		return rows
	}

	// The source of rows fails after some batches were stored.
	boom := errors.New("disk read failed")
	next := batches(mk(), 256)
	calls := 0
	_, _, _, err := s.ImportStatementStream(ctx, c.ID, strings.NewReader("a"), evidence.Exhibit{OriginalName: "a.csv"}, func() ([]evidence.Transaction, error) {
		if calls++; calls == 3 {
			return nil, boom
		}
		return next()
	})
	require.ErrorIs(t, err, boom)

	// An invalid row in a later batch.
	bad := mk()
	bad[500].Amount = -1
	_, _, _, err = s.ImportStatementStream(ctx, c.ID, strings.NewReader("b"), evidence.Exhibit{OriginalName: "b.csv"}, batches(bad, 256))
	require.ErrorIs(t, err, evidence.ErrInvalid)
	assert.Contains(t, err.Error(), "row 501")

	// A case that does not exist.
	_, _, _, err = s.ImportStatementStream(ctx, 999, strings.NewReader("c"), evidence.Exhibit{OriginalName: "c.csv"}, batches(mk(), 256))
	require.ErrorIs(t, err, evidence.ErrNotFound)

	d, err := s.Dossier(ctx, c.ID)
	require.NoError(t, err)
	assert.Empty(t, d.Transactions)
	assert.Empty(t, d.Exhibits)
	assert.Equal(t, before, actions(t, s, c.ID))
}

// Identical rows without a key are all kept, whatever the chunk looks like.
func TestBulkInsertIdenticalRows(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	same := make([]evidence.Transaction, insertChunk+3)
	for i := range same {
		same[i] = txn(0, 1)
		same[i].DedupeKey = ""
	}
	_, added, dups, err := s.ImportStatementStream(ctx, c.ID, strings.NewReader("x"), evidence.Exhibit{OriginalName: "x.csv"}, batches(same, len(same)))
	require.NoError(t, err)
	assert.Equal(t, len(same), added)
	assert.Zero(t, dups)
	added, _, err = s.AddTransactions(ctx, c.ID, same[:5])
	require.NoError(t, err)
	assert.Equal(t, 5, added)
	list, err := s.ListTransactions(ctx, c.ID)
	require.NoError(t, err)
	assert.Len(t, list, len(same)+5)
}
