package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/disputekit/disputekit/evidence"
)

// Bulk inserts of transactions.
//
// A statement import stores up to hundreds of thousands of rows, and most of
// the cost of a row is binding its values (each text value is copied into C
// memory by the driver). Most columns hold the same value on every row of a
// file (the zone, currency, source, exhibit, channel, the empty POS fields of
// a wallet export …), so a multi-row INSERT binds such a column once: the
// first row's parameter is referred to by number (?N) in the other rows.
// Which columns are shared is the statement's shape; a chunk whose rows
// differ in a shared column makes that column per-row from then on, so an
// import prepares only a few statements.

// insertCols is the number of columns an insert may bind: id, case_id and txnColumns.
const insertCols = txnParams + 2

// Column indexes for txnValue and txnSame: colID, colCase, then txnColumns in order.
const (
	colID = iota
	colCase
	colTimeNS
	colTimeTZ
	colAmount
	colCurrency
	colDirection
	colStatus
	colType
	colMerchant
	colMerchantNo
	colTerminalNo
	colAcquirer
	colIssuer
	colCardLast4
	colBatch
	colVoucher
	colRRN
	colAuthCode
	colChannel
	colOrderNo
	colFee
	colDescription
	colNote
	colDisputed
	colSource
	colSourceExhibit
	colSourceRow
	colDedupeKey
	colIncluded
	colAgreed
	colCardType
)

// insertChunk is how many rows one INSERT carries.
const insertChunk = 128

// txnValue is the value bound for column col of t.
func txnValue(t *evidence.Transaction, col int) any {
	switch col {
	case colID:
		return t.ID
	case colCase:
		panic("store: the case is the inserter's")
	case colTimeNS:
		ns, _ := encTime(t.Time)
		return ns
	case colTimeTZ:
		_, tz := encTime(t.Time)
		return tz
	case colAmount:
		return int64(t.Amount)
	case colCurrency:
		return t.Currency
	case colDirection:
		return string(t.Direction)
	case colStatus:
		return t.Status
	case colType:
		return t.Type
	case colMerchant:
		return t.Merchant
	case colMerchantNo:
		return t.MerchantNo
	case colTerminalNo:
		return t.TerminalNo
	case colAcquirer:
		return t.Acquirer
	case colIssuer:
		return t.Issuer
	case colCardLast4:
		return t.CardLast4
	case colBatch:
		return t.Batch
	case colVoucher:
		return t.Voucher
	case colRRN:
		return t.RRN
	case colAuthCode:
		return t.AuthCode
	case colChannel:
		return t.Channel
	case colOrderNo:
		return t.OrderNo
	case colFee:
		return int64(t.Fee)
	case colDescription:
		return t.Description
	case colNote:
		return t.Note
	case colDisputed:
		return int64(boolInt(t.Disputed))
	case colSource:
		return t.Source
	case colSourceExhibit:
		if t.SourceExhibitID != 0 {
			return t.SourceExhibitID
		}
		return nil
	case colSourceRow:
		return int64(t.SourceRow)
	case colDedupeKey:
		return t.DedupeKey
	case colIncluded:
		return int64(boolInt(t.Included))
	case colAgreed:
		return int64(t.Agreed)
	case colCardType:
		return t.CardType
	}
	panic("store: no transaction column " + strconv.Itoa(col))
}

// txnSame reports whether a and b bind the same value for column col.
func txnSame(a, b *evidence.Transaction, col int) bool {
	switch col {
	case colID:
		return a.ID == b.ID
	case colCase:
		return true // the inserter's, not the rows'
	case colTimeNS:
		return a.Time.IsZero() == b.Time.IsZero() && (a.Time.IsZero() || a.Time.UnixNano() == b.Time.UnixNano())
	case colTimeTZ:
		_, x := encTime(a.Time)
		_, y := encTime(b.Time)
		return x == y
	case colAmount:
		return a.Amount == b.Amount
	case colCurrency:
		return a.Currency == b.Currency
	case colDirection:
		return a.Direction == b.Direction
	case colStatus:
		return a.Status == b.Status
	case colType:
		return a.Type == b.Type
	case colMerchant:
		return a.Merchant == b.Merchant
	case colMerchantNo:
		return a.MerchantNo == b.MerchantNo
	case colTerminalNo:
		return a.TerminalNo == b.TerminalNo
	case colAcquirer:
		return a.Acquirer == b.Acquirer
	case colIssuer:
		return a.Issuer == b.Issuer
	case colCardLast4:
		return a.CardLast4 == b.CardLast4
	case colBatch:
		return a.Batch == b.Batch
	case colVoucher:
		return a.Voucher == b.Voucher
	case colRRN:
		return a.RRN == b.RRN
	case colAuthCode:
		return a.AuthCode == b.AuthCode
	case colChannel:
		return a.Channel == b.Channel
	case colOrderNo:
		return a.OrderNo == b.OrderNo
	case colFee:
		return a.Fee == b.Fee
	case colDescription:
		return a.Description == b.Description
	case colNote:
		return a.Note == b.Note
	case colDisputed:
		return a.Disputed == b.Disputed
	case colSource:
		return a.Source == b.Source
	case colSourceExhibit:
		return a.SourceExhibitID == b.SourceExhibitID
	case colSourceRow:
		return a.SourceRow == b.SourceRow
	case colDedupeKey:
		return a.DedupeKey == b.DedupeKey
	case colIncluded:
		return a.Included == b.Included
	case colAgreed:
		return a.Agreed == b.Agreed
	case colCardType:
		return a.CardType == b.CardType
	}
	return false
}

// bulkInserter inserts normalized rows of one case inside one SQL
// transaction, in multi-row INSERTs that bind shared column values once.
type bulkInserter struct {
	tx     *sql.Tx
	caseID int64
	// withID inserts the rows' own IDs with a plain INSERT (the caller has
	// ruled out duplicates); otherwise SQLite assigns the IDs and rows whose
	// DedupeKey the case already has are skipped (ON CONFLICT DO NOTHING).
	withID bool
	shape  uint32 // bit c set: column c is bound once per statement
	shaped bool
	stmts  map[bulkKey]*sql.Stmt
	args   []any
}

type bulkKey struct {
	shape uint32
	rows  int
}

func newBulkInserter(tx *sql.Tx, caseID int64, withID bool) *bulkInserter {
	return &bulkInserter{tx: tx, caseID: caseID, withID: withID, stmts: map[bulkKey]*sql.Stmt{}}
}

func (b *bulkInserter) close() {
	for _, s := range b.stmts {
		s.Close()
	}
}

// firstCol is the first column an insert binds.
func (b *bulkInserter) firstCol() int {
	if b.withID {
		return colID
	}
	return colCase
}

// insert stores rows (at most insertChunk) and returns how many were added.
func (b *bulkInserter) insert(ctx context.Context, rows []*evidence.Transaction) (int, error) {
	if len(rows) == 0 {
		return 0, nil
	}
	first := rows[0]
	if !b.shaped {
		// Start with every column shared but the ID and the key (so that
		// each row has at least one value of its own); the rows say which
		// others are not.
		b.shape = (1<<insertCols - 1) &^ (1<<colID | 1<<colDedupeKey)
		b.shaped = true
	}
	for c := b.firstCol(); c < insertCols; c++ {
		if b.shape&(1<<c) == 0 {
			continue
		}
		for _, t := range rows[1:] {
			if !txnSame(first, t, c) {
				b.shape &^= 1 << c
				break
			}
		}
	}
	key := bulkKey{b.shape, len(rows)}
	stmt := b.stmts[key]
	if stmt == nil {
		var err error
		if stmt, err = b.tx.PrepareContext(ctx, b.sql(len(rows))); err != nil {
			return 0, err
		}
		b.stmts[key] = stmt
	}
	args := b.args[:0]
	for c := b.firstCol(); c < insertCols; c++ {
		if b.shape&(1<<c) != 0 || len(rows) == 1 {
			if c == colCase {
				args = append(args, b.caseID)
			} else {
				args = append(args, txnValue(first, c))
			}
		}
	}
	if len(rows) > 1 {
		for _, t := range rows {
			for c := b.firstCol(); c < insertCols; c++ {
				if b.shape&(1<<c) == 0 {
					args = append(args, txnValue(t, c))
				}
			}
		}
	}
	b.args = args
	res, err := stmt.ExecContext(ctx, args...)
	clear(args) // let the strings go
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// sql is the INSERT of n rows of the current shape: the shared columns'
// values are selected once, the others come from a VALUES list of n rows.
// Every parameter is anonymous (numbered in order), so binding one does not
// look its name up: the shared ones first, then row by row.
func (b *bulkInserter) sql(n int) string {
	var q strings.Builder
	q.WriteString("INSERT INTO transactions(")
	if b.withID {
		q.WriteString("id, ")
	}
	q.WriteString("case_id, " + txnColumns + ") ")
	if n == 1 {
		q.WriteString("VALUES (?" + strings.Repeat(",?", insertCols-b.firstCol()-1) + ")")
	} else {
		q.WriteString("SELECT ")
		k, perRow := 0, 0
		for c := b.firstCol(); c < insertCols; c++ {
			if c > b.firstCol() {
				q.WriteByte(',')
			}
			if b.shape&(1<<c) != 0 {
				q.WriteByte('?')
			} else {
				k++
				q.WriteString("column" + strconv.Itoa(k))
				perRow++
			}
		}
		row := "(?" + strings.Repeat(",?", perRow-1) + ")"
		q.WriteString(" FROM (VALUES ")
		for r := 0; r < n; r++ {
			if r > 0 {
				q.WriteByte(',')
			}
			q.WriteString(row)
		}
		q.WriteString(") WHERE true") // WHERE: an upsert after a SELECT needs it
	}
	if !b.withID {
		q.WriteString(" ON CONFLICT (case_id, dedupe_key) WHERE dedupe_key <> '' DO NOTHING")
	}
	return q.String()
}
