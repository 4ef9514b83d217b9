package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/disputekit/disputekit/evidence"
)

// MergeTransactions makes one transaction of two that are the same payment:
// keep (an imported row) takes what drop (typed by hand) adds — see
// evidence.MergeTwin — and drop is deleted, in one SQL transaction. The
// merged transaction is returned.
func (s *Store) MergeTransactions(ctx context.Context, caseID, keepID, dropID int64) (evidence.Transaction, error) {
	var merged evidence.Transaction
	err := s.write(ctx, func(tx *sql.Tx) error {
		if keepID == dropID {
			return fmt.Errorf("a transaction cannot be merged with itself: %w", evidence.ErrInvalid)
		}
		var keep, drop evidence.Transaction
		for _, p := range []struct {
			id int64
			t  *evidence.Transaction
		}{{keepID, &keep}, {dropID, &drop}} {
			err := scanTxn(tx.QueryRowContext(ctx, "SELECT id, case_id, "+txnColumns+" FROM transactions WHERE id = ? AND case_id = ?", p.id, caseID), p.t)
			if err == sql.ErrNoRows {
				return fmt.Errorf("transaction %d %w", p.id, evidence.ErrNotFound)
			}
			if err != nil {
				return err
			}
		}
		if keep.Amount != drop.Amount || keep.Direction != drop.Direction || keep.Currency != drop.Currency {
			return fmt.Errorf("transactions %d (%s %s) and %d (%s %s) differ in amount or direction: not one payment: %w",
				keepID, keep.Amount, keep.Direction, dropID, drop.Amount, drop.Direction, evidence.ErrInvalid)
		}
		merged = evidence.MergeTwin(keep, drop)
		if _, err := normTxn(&merged); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM transactions WHERE id = ?", dropID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE transactions SET `+txnSetSQL+` WHERE id = ? AND case_id = ?`, append(txnArgs(&merged), keepID, caseID)...); err != nil {
			return err
		}
		return touch(ctx, tx, caseID, "txn.merge", fmt.Sprintf("transaction %d merged into %d (%s)", dropID, keepID, txnLabel(&merged)))
	})
	if err != nil {
		return evidence.Transaction{}, fmt.Errorf("store: merge transaction %d into %d of case %d: %w", dropID, keepID, caseID, err)
	}
	return merged, nil
}
