package store

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

// addTxns adds n transactions to the case, in reverse time order so that
// the walk's order is not just insertion order.
func addTxns(t testing.TB, s *Store, caseID int64, n int) {
	t.Helper()
	ts := make([]evidence.Transaction, n)
	for i := range ts {
		ts[i] = txn(caseID, n-1-i)
	}
	added, _, err := s.AddTransactions(ctx, caseID, ts)
	require.NoError(t, err)
	require.Equal(t, n, added)
}

func TestEachTransactionPagesInListOrder(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	n := 2*TxnPageSize + 17
	addTxns(t, s, c.ID, n)
	want, err := s.ListTransactions(ctx, c.ID)
	require.NoError(t, err)

	var got []evidence.Transaction
	var sizes []int
	require.NoError(t, s.EachTransaction(ctx, c.ID, func(page []evidence.Transaction) error {
		sizes = append(sizes, len(page))
		got = append(got, page...)
		return nil
	}))
	assert.Equal(t, []int{TxnPageSize, TxnPageSize, 17}, sizes)
	require.Equal(t, want, got)
	for i := 1; i < len(got); i++ {
		require.False(t, got[i].Time.Before(got[i-1].Time), "row %d out of time order", i)
	}
}

func TestEachTransactionStopsOnCallbackError(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	addTxns(t, s, c.ID, TxnPageSize+1)
	stop := errors.New("enough")
	calls := 0
	err := s.EachTransaction(ctx, c.ID, func([]evidence.Transaction) error {
		calls++
		return stop
	})
	assert.Equal(t, stop, err, "the callback's error comes back as it is")
	assert.Equal(t, 1, calls)
}

func TestEachTransactionEmptyAndMissingCase(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	called := false
	require.NoError(t, s.EachTransaction(ctx, c.ID, func([]evidence.Transaction) error { called = true; return nil }))
	assert.False(t, called, "no page for a case without transactions")
	err := s.EachTransaction(ctx, c.ID+99, func([]evidence.Transaction) error { return nil })
	assert.ErrorIs(t, err, evidence.ErrNotFound)
	err = s.StreamDossier(ctx, c.ID+99, func(evidence.Dossier, func(func([]evidence.Transaction) error) error) error { return nil })
	assert.ErrorIs(t, err, evidence.ErrNotFound)
}

// TestStreamDossierIsOneSnapshot: a transaction added while the dossier is
// being streamed is not seen by the walk, and the rest equals Dossier's.
func TestStreamDossierIsOneSnapshot(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	addTxns(t, s, c.ID, 10)
	want, err := s.Dossier(ctx, c.ID)
	require.NoError(t, err)

	var got evidence.Dossier
	err = s.StreamDossier(ctx, c.ID, func(d evidence.Dossier, each func(func([]evidence.Transaction) error) error) error {
		got = d
		assert.Nil(t, d.Transactions)
		extra := txn(c.ID, 500)
		if _, err := s.AddTransaction(ctx, &extra); err != nil {
			return err
		}
		for pass := 0; pass < 2; pass++ { // each can be walked again
			var ts []evidence.Transaction
			if err := each(func(page []evidence.Transaction) error {
				ts = append(ts, page...)
				return nil
			}); err != nil {
				return err
			}
			assert.Equal(t, want.Transactions, ts, "pass %d", pass)
		}
		return nil
	})
	require.NoError(t, err)
	want.Transactions = nil
	assert.Equal(t, want, got)
	after, err := s.ListTransactions(ctx, c.ID)
	require.NoError(t, err)
	assert.Len(t, after, 11, "the write made during the walk committed")
}

// TestImportDossierStreamRollsBackOnALateError: an error from the stream
// after batches were inserted (a bundle's case.json failing its hash at
// the end, say) leaves no case and no transaction behind.
func TestImportDossierStreamRollsBackOnALateError(t *testing.T) {
	s := openTemp(t)
	d := evidence.Dossier{Case: evidence.Case{Title: "streamed", Scenario: evidence.WrongAmount}}
	late := errors.New("case.json changed")
	batches := 0
	_, err := s.ImportDossierStream(ctx, d, nil, func(fn func([]evidence.Transaction) error) error {
		for b := 0; b < 3; b++ {
			page := make([]evidence.Transaction, 500)
			for i := range page {
				page[i] = txn(0, b*500+i)
			}
			if err := fn(page); err != nil {
				return err
			}
			batches++
		}
		return late
	})
	require.ErrorIs(t, err, late)
	assert.Equal(t, 3, batches, "the batches went in before the error")
	cases, err := s.ListCases(ctx)
	require.NoError(t, err)
	assert.Empty(t, cases)
	var n int
	require.NoError(t, s.db.QueryRow("SELECT COUNT(*) FROM transactions").Scan(&n))
	assert.Zero(t, n)

	// The same stream without the error imports every row, in order.
	id, err := s.ImportDossierStream(ctx, d, nil, func(fn func([]evidence.Transaction) error) error {
		page := make([]evidence.Transaction, 1500)
		for i := range page {
			page[i] = txn(0, i)
		}
		return fn(page)
	})
	require.NoError(t, err)
	ts, err := s.ListTransactions(ctx, id)
	require.NoError(t, err)
	require.Len(t, ts, 1500)
	assert.Equal(t, "000000000000", ts[0].RRN)
}
