package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/disputekit/disputekit/evidence"
)

const txnColumns = `time_ns, time_tz, amount, currency, direction, status, type, merchant, merchant_no, terminal_no,
	acquirer, issuer, card_last4, batch, voucher, rrn, auth_code, channel, order_no, fee, description, note,
	disputed, source, source_exhibit_id, source_row, dedupe_key, included, agreed, card_type`

var insertTxnSQL = `INSERT INTO transactions(case_id, ` + txnColumns + `)
	VALUES (?` + strings.Repeat(",?", txnParams) + `)
	ON CONFLICT (case_id, dedupe_key) WHERE dedupe_key <> '' DO NOTHING`

// txnSetSQL is "time_ns=?, time_tz=?, …": every txnColumns column set
// from txnArgs, for the UPDATEs that rewrite a whole transaction.
var txnSetSQL = func() string {
	cols := strings.Split(txnColumns, ",")
	for i, c := range cols {
		cols[i] = strings.TrimSpace(c) + "=?"
	}
	return strings.Join(cols, ", ")
}()

// txnArgs are the values of txnColumns for t, in order.
func txnArgs(t *evidence.Transaction) []any {
	return appendTxnArgs(make([]any, 0, txnParams), t)
}

func appendTxnArgs(args []any, t *evidence.Transaction) []any {
	ns, tz := encTime(t.Time)
	var src any
	if t.SourceExhibitID != 0 {
		src = t.SourceExhibitID
	}
	return append(args, ns, tz, int64(t.Amount), t.Currency, string(t.Direction), t.Status, t.Type, t.Merchant, t.MerchantNo, t.TerminalNo,
		t.Acquirer, t.Issuer, t.CardLast4, t.Batch, t.Voucher, t.RRN, t.AuthCode, t.Channel, t.OrderNo, int64(t.Fee), t.Description, t.Note,
		boolInt(t.Disputed), t.Source, src, t.SourceRow, t.DedupeKey, boolInt(t.Included), int64(t.Agreed), t.CardType)
}

func scanTxn(r scanner, t *evidence.Transaction) error {
	return newTxnScan().scan(r, t)
}

// txnScan reads transaction rows into one set of scan destinations, so a
// walk over 100,000 rows does not allocate Scan's 31 arguments per row
// (40 MB for dk check of such a case).
type txnScan struct {
	t       evidence.Transaction
	ns, src sql.NullInt64
	tz      string
	dest    []any
}

func newTxnScan() *txnScan {
	s := &txnScan{}
	t := &s.t
	s.dest = []any{&t.ID, &t.CaseID, &s.ns, &s.tz, &t.Amount, &t.Currency, &t.Direction, &t.Status, &t.Type, &t.Merchant, &t.MerchantNo, &t.TerminalNo,
		&t.Acquirer, &t.Issuer, &t.CardLast4, &t.Batch, &t.Voucher, &t.RRN, &t.AuthCode, &t.Channel, &t.OrderNo, &t.Fee, &t.Description, &t.Note,
		&t.Disputed, &t.Source, &s.src, &t.SourceRow, &t.DedupeKey, &t.Included, &t.Agreed, &t.CardType}
	return s
}

// scan reads the row's id, case_id and txnColumns into t.
func (s *txnScan) scan(r scanner, t *evidence.Transaction) error {
	s.t = evidence.Transaction{}
	if err := r.Scan(s.dest...); err != nil {
		return err
	}
	s.t.Time = decTime(s.ns, s.tz)
	s.t.SourceExhibitID = s.src.Int64
	*t = s.t
	return nil
}

// txnLabel is a short human description for the audit trail (no card numbers:
// only the last four digits are ever stored).
func txnLabel(t *evidence.Transaction) string {
	s := fmt.Sprintf("%s %s %s", evidence.FormatLocal(t.Time), t.Direction, t.Amount)
	if t.Merchant != "" {
		s += " " + t.Merchant
	}
	if t.RRN != "" {
		s += " RRN " + t.RRN
	}
	return s
}

// isUnique reports whether err is a UNIQUE constraint violation.
func isUnique(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// checkSourceExhibits refuses a SourceExhibitID that is not an exhibit of caseID.
func checkSourceExhibits(ctx context.Context, tx *sql.Tx, caseID int64, ids map[int64]bool) error {
	for id := range ids {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM exhibits WHERE id = ? AND case_id = ?", id, caseID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("source exhibit %d is not an exhibit of this case: %w", id, evidence.ErrInvalid)
		}
	}
	return nil
}

// AddTransaction stores t in case t.CaseID and sets t.ID. A transaction whose
// non-empty DedupeKey is already in the case is not added again: the error
// wraps evidence.ErrDuplicate and t.ID is the existing transaction's.
func (s *Store) AddTransaction(ctx context.Context, t *evidence.Transaction) ([]evidence.Warning, error) {
	ws, err := normTxn(t)
	if err != nil {
		return nil, fmt.Errorf("store: add transaction to case %d: %w", t.CaseID, err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		if err := touch(ctx, tx, t.CaseID, "txn.add", txnLabel(t)); err != nil {
			return err
		}
		if t.SourceExhibitID != 0 {
			if err := checkSourceExhibits(ctx, tx, t.CaseID, map[int64]bool{t.SourceExhibitID: true}); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, insertTxnSQL, append([]any{t.CaseID}, txnArgs(t)...)...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			if err := tx.QueryRowContext(ctx, "SELECT id FROM transactions WHERE case_id = ? AND dedupe_key <> '' AND dedupe_key = ?", t.CaseID, t.DedupeKey).Scan(&t.ID); err != nil {
				return err
			}
			return fmt.Errorf("transaction %d has the same key %q: %w", t.ID, t.DedupeKey, evidence.ErrDuplicate)
		}
		t.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		if !errors.Is(err, evidence.ErrDuplicate) {
			t.ID = 0
		}
		return nil, fmt.Errorf("store: add transaction to case %d: %w", t.CaseID, err)
	}
	return ws, nil
}

// AddTransactions stores ts in case caseID in one SQL transaction: either all
// of them are stored or, on any error (an invalid row included), none.
// Rows whose non-empty DedupeKey is already in the case (or earlier in ts)
// are skipped and counted as duplicates. The rows of ts are normalized in
// place and get their CaseID and, when added, their ID.
func (s *Store) AddTransactions(ctx context.Context, caseID int64, ts []evidence.Transaction) (added, duplicates int, err error) {
	if err := normalizeTxns(caseID, ts); err != nil {
		return 0, 0, fmt.Errorf("store: add transactions to case %d: %w", caseID, err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		var err error
		added, duplicates, err = insertTxns(ctx, tx, caseID, ts)
		if err != nil {
			return err
		}
		return touch(ctx, tx, caseID, "txn.add", fmt.Sprintf("%d transactions added, %d duplicates skipped", added, duplicates))
	})
	if err != nil {
		for i := range ts {
			ts[i].ID = 0
		}
		return 0, 0, fmt.Errorf("store: add transactions to case %d: %w", caseID, err)
	}
	return added, duplicates, nil
}

func normalizeTxns(caseID int64, ts []evidence.Transaction) error {
	for i := range ts {
		ts[i].CaseID = caseID
		if _, err := normTxn(&ts[i]); err != nil {
			return fmt.Errorf("row %d: %w", i+1, err)
		}
	}
	return nil
}

// insertTxns inserts normalized rows of one case inside tx. Rows whose
// non-empty DedupeKey is already in the case, or earlier in ts, are skipped.
// Since tx holds the database's write lock, the new IDs are assigned here
// (after the largest in use) and the rows go in with multi-row INSERTs
// (see bulkInserter).
func insertTxns(ctx context.Context, tx *sql.Tx, caseID int64, ts []evidence.Transaction) (added, duplicates int, err error) {
	if err := caseExists(ctx, tx, caseID); err != nil {
		return 0, 0, err
	}
	srcs := map[int64]bool{}
	for i := range ts {
		if ts[i].SourceExhibitID != 0 {
			srcs[ts[i].SourceExhibitID] = true
		}
	}
	if err := checkSourceExhibits(ctx, tx, caseID, srcs); err != nil {
		return 0, 0, err
	}
	seen, err := existingKeys(ctx, tx, caseID, ts)
	if err != nil {
		return 0, 0, err
	}
	var next int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM transactions").Scan(&next); err != nil {
		return 0, 0, err
	}
	fresh := make([]int, 0, len(ts))
	for i := range ts {
		t := &ts[i]
		if k := t.DedupeKey; k != "" {
			if seen[k] {
				t.ID = 0
				duplicates++
				continue
			}
			seen[k] = true
		}
		next++
		t.ID = next
		fresh = append(fresh, i)
	}

	ins := newBulkInserter(tx, caseID, true)
	defer ins.close()
	chunk := make([]*evidence.Transaction, 0, insertChunk)
	for start := 0; start < len(fresh); start += insertChunk {
		end := min(start+insertChunk, len(fresh))
		chunk = chunk[:0]
		for _, i := range fresh[start:end] {
			chunk = append(chunk, &ts[i])
		}
		if _, err := ins.insert(ctx, chunk); err != nil {
			return 0, 0, fmt.Errorf("rows %d to %d: %w", fresh[start]+1, fresh[end-1]+1, err)
		}
	}
	return len(fresh), duplicates, nil
}

// txnParams is the number of txnColumns.
const txnParams = 30

// existingKeys returns which of ts's non-empty DedupeKeys the case already
// has, looking them up by the unique index in chunks (cost follows the size
// of ts, not of the case).
func existingKeys(ctx context.Context, tx *sql.Tx, caseID int64, ts []evidence.Transaction) (map[string]bool, error) {
	const chunk = 500
	seen := make(map[string]bool, len(ts))
	keys := make([]any, 0, chunk+1)
	flush := func() error {
		if len(keys) <= 1 {
			return nil
		}
		q := "SELECT dedupe_key FROM transactions WHERE case_id = ? AND dedupe_key <> '' AND dedupe_key IN (?" + strings.Repeat(",?", len(keys)-2) + ")"
		rows, err := tx.QueryContext(ctx, q, keys...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				return err
			}
			seen[k] = true
		}
		keys = keys[:1]
		return rows.Err()
	}
	keys = append(keys, caseID)
	for i := range ts {
		if ts[i].DedupeKey == "" {
			continue
		}
		keys = append(keys, ts[i].DedupeKey)
		if len(keys) == chunk+1 {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return seen, nil
}

// UpdateTransaction replaces every field of transaction t.ID in case t.CaseID.
func (s *Store) UpdateTransaction(ctx context.Context, t *evidence.Transaction) ([]evidence.Warning, error) {
	ws, err := normTxn(t)
	if err != nil {
		return nil, fmt.Errorf("store: update transaction %d of case %d: %w", t.ID, t.CaseID, err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		if err := touch(ctx, tx, t.CaseID, "txn.update", txnLabel(t)); err != nil {
			return err
		}
		if t.SourceExhibitID != 0 {
			if err := checkSourceExhibits(ctx, tx, t.CaseID, map[int64]bool{t.SourceExhibitID: true}); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE transactions SET `+txnSetSQL+` WHERE id = ? AND case_id = ?`, append(txnArgs(t), t.ID, t.CaseID)...)
		if err != nil {
			if isUnique(err) {
				return fmt.Errorf("another transaction of the case has the key %q: %w", t.DedupeKey, evidence.ErrDuplicate)
			}
			return err
		}
		return mustAffect(res, "transaction")
	})
	if err != nil {
		return nil, fmt.Errorf("store: update transaction %d of case %d: %w", t.ID, t.CaseID, err)
	}
	return ws, nil
}

// DeleteTransaction removes transaction id from case caseID.
func (s *Store) DeleteTransaction(ctx context.Context, caseID, id int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var t evidence.Transaction
		if err := scanTxn(tx.QueryRowContext(ctx, "SELECT id, case_id, "+txnColumns+" FROM transactions WHERE id = ? AND case_id = ?", id, caseID), &t); err != nil {
			if err == sql.ErrNoRows {
				return fmt.Errorf("transaction %w", evidence.ErrNotFound)
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM transactions WHERE id = ?", id); err != nil {
			return err
		}
		return touch(ctx, tx, caseID, "txn.delete", txnLabel(&t))
	})
	if err != nil {
		return fmt.Errorf("store: delete transaction %d of case %d: %w", id, caseID, err)
	}
	return nil
}

// ListTransactions returns the case's transactions ordered by time, then ID.
func (s *Store) ListTransactions(ctx context.Context, caseID int64) ([]evidence.Transaction, error) {
	var ts []evidence.Transaction
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		ts, err = listTxns(ctx, tx, caseID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list transactions of case %d: %w", caseID, err)
	}
	return ts, nil
}

func caseExists(ctx context.Context, q querier, caseID int64) error {
	var n int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM cases WHERE id = ?", caseID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return errNoCase
	}
	return nil
}

func listTxns(ctx context.Context, q querier, caseID int64) ([]evidence.Transaction, error) {
	if err := caseExists(ctx, q, caseID); err != nil {
		return nil, err
	}
	// Sized once, so that 100,000 rows are not copied through a growing
	// slice; the repeated texts of a statement (merchant, status, card…) are
	// kept once. Both keep the held case small: a 100,000-row case went
	// from 255 MB to about 90 MB in dk check.
	var n int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM transactions WHERE case_id = ?", caseID).Scan(&n); err != nil {
		return nil, err
	}
	ts := make([]evidence.Transaction, 0, n)
	var texts interner
	err := eachTxn(ctx, q, caseID, TxnPageSize, func(page []evidence.Transaction) error {
		for i := range page {
			texts.txn(&page[i])
		}
		ts = append(ts, page...)
		return nil
	})
	return ts, err
}

// interner keeps one copy of each repeated text of a case's transactions.
// It stops taking new texts past maxInterned, so columns of unique values
// cost a bounded map.
type interner map[string]string

const maxInterned = 1 << 16

func (in *interner) text(s *string) {
	if *s == "" {
		return
	}
	if *in == nil {
		*in = interner{}
	}
	if v, ok := (*in)[*s]; ok {
		*s = v
	} else if len(*in) < maxInterned {
		(*in)[*s] = *s
	}
}

// txn interns the columns whose values repeat across a statement's rows.
func (in *interner) txn(t *evidence.Transaction) {
	for _, s := range []*string{&t.Currency, &t.Status, &t.Type, &t.Merchant, &t.MerchantNo, &t.TerminalNo, &t.Acquirer,
		&t.Issuer, &t.CardLast4, &t.Batch, &t.Channel, &t.Description, &t.Source} {
		in.text(s)
	}
}

// SetDisputed marks (or unmarks) the given transactions of the case as disputed.
func (s *Store) SetDisputed(ctx context.Context, caseID int64, ids []int64, disputed bool) error {
	verb := "marked disputed"
	if !disputed {
		verb = "no longer disputed"
	}
	return s.setTxnFlag(ctx, caseID, ids, "disputed", disputed, "txn.dispute", verb)
}

// SetIncluded ticks (or unticks) the given transactions of the case to appear
// in letters although they are not disputed.
func (s *Store) SetIncluded(ctx context.Context, caseID int64, ids []int64, included bool) error {
	verb := "shown in letters"
	if !included {
		verb = "no longer shown in letters"
	}
	return s.setTxnFlag(ctx, caseID, ids, "included", included, "txn.include", verb)
}

// setTxnFlag sets the boolean column (disputed or included) of the given
// transactions of the case, in one audited write.
func (s *Store) setTxnFlag(ctx context.Context, caseID int64, ids []int64, column string, value bool, action, verb string) error {
	if len(ids) == 0 {
		if err := caseExists(ctx, s.db, caseID); err != nil {
			return fmt.Errorf("store: mark transactions of case %d: %w", caseID, err)
		}
		return nil // nothing to change, nothing to audit
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := touch(ctx, tx, caseID, action, fmt.Sprintf("%d transactions %s", len(ids), verb)); err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, "UPDATE transactions SET "+column+" = ? WHERE id = ? AND case_id = ?")
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, id := range ids {
			res, err := stmt.ExecContext(ctx, boolInt(value), id, caseID)
			if err != nil {
				return err
			}
			if err := mustAffect(res, fmt.Sprintf("transaction %d", id)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: mark transactions of case %d: %w", caseID, err)
	}
	return nil
}
