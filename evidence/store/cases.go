package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/disputekit/disputekit/evidence"
)

// CaseSummary is one line of the case list.
type CaseSummary struct {
	evidence.Case
	// Disputed is the sum of the claims' amounts, or where no claim names an
	// amount, of the transactions marked disputed (evidence.Dossier.DisputedAmount).
	Disputed     evidence.Money `json:"disputed"`
	Transactions int            `json:"transactions"`
	Exhibits     int            `json:"exhibits"`
	// NextDue is the earliest event due date not yet passed, else the
	// earliest passed one (overdue), or the due date of a complaint still
	// waiting for its answer (a filing sent or accepted) when that is
	// earlier; zero when nothing has a due date.
	NextDue time.Time `json:"next_due,omitempty"`
}

const caseColumns = `id, title, scenario, status, role,
	c_name, c_id_number, c_phone, c_address, c_company, c_credit_code, c_merchant_no, c_terminal_no,
	r_name, r_id_number, r_phone, r_address, r_company, r_credit_code, r_merchant_no, r_terminal_no,
	i_name, i_id_number, i_phone, i_address, i_company, i_credit_code, i_merchant_no, i_terminal_no,
	facts, created_ns, created_tz, updated_ns, updated_tz, parties`

func partyArgs(p evidence.Party) []any {
	return []any{p.Name, p.IDNumber, p.Phone, p.Address, p.Company, p.CreditCode, p.MerchantNo, p.TerminalNo}
}

func partyDest(p *evidence.Party) []any {
	return []any{&p.Name, &p.IDNumber, &p.Phone, &p.Address, &p.Company, &p.CreditCode, &p.MerchantNo, &p.TerminalNo}
}

type scanner interface{ Scan(dest ...any) error }

func scanCase(r scanner, c *evidence.Case) error {
	var cns, uns sql.NullInt64
	var ctz, utz string
	dest := []any{&c.ID, &c.Title, &c.Scenario, &c.Status, &c.Role}
	dest = append(dest, partyDest(&c.Complainant)...)
	dest = append(dest, partyDest(&c.Respondent)...)
	dest = append(dest, partyDest(&c.Institution)...)
	var parties string
	dest = append(dest, &c.Facts, &cns, &ctz, &uns, &utz, &parties)
	if err := r.Scan(dest...); err != nil {
		return err
	}
	if err := decodeParties(parties, c); err != nil {
		return err
	}
	c.Created = decTime(cns, ctz)
	c.Updated = decTime(uns, utz)
	return nil
}

func writeClaims(ctx context.Context, tx *sql.Tx, caseID int64, claims []evidence.Claim) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM claims WHERE case_id = ?", caseID); err != nil {
		return err
	}
	for i, cl := range claims {
		if _, err := tx.ExecContext(ctx, "INSERT INTO claims(case_id, seq, text, amount) VALUES (?, ?, ?, ?)",
			caseID, i+1, cl.Text, int64(cl.Amount)); err != nil {
			return err
		}
	}
	return nil
}

func readClaims(ctx context.Context, q querier, caseID int64) ([]evidence.Claim, error) {
	rows, err := q.QueryContext(ctx, "SELECT text, amount FROM claims WHERE case_id = ? ORDER BY seq", caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	claims := []evidence.Claim{}
	for rows.Next() {
		var cl evidence.Claim
		if err := rows.Scan(&cl.Text, &cl.Amount); err != nil {
			return nil, err
		}
		claims = append(claims, cl)
	}
	return claims, rows.Err()
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// insertCase writes c (already normalized) as a new case and sets c.ID.
func insertCase(ctx context.Context, tx *sql.Tx, c *evidence.Case) error {
	cns, ctz := encTime(c.Created)
	uns, utz := encTime(c.Updated)
	args := []any{c.Title, c.Scenario, c.Status, c.Role}
	args = append(args, partyArgs(c.Complainant)...)
	args = append(args, partyArgs(c.Respondent)...)
	args = append(args, partyArgs(c.Institution)...)
	args = append(args, c.Facts, cns, ctz, uns, utz, encodeParties(c))
	res, err := tx.ExecContext(ctx, `INSERT INTO cases(title, scenario, status, role,
		c_name, c_id_number, c_phone, c_address, c_company, c_credit_code, c_merchant_no, c_terminal_no,
		r_name, r_id_number, r_phone, r_address, r_company, r_credit_code, r_merchant_no, r_terminal_no,
		i_name, i_id_number, i_phone, i_address, i_company, i_credit_code, i_merchant_no, i_terminal_no,
		facts, created_ns, created_tz, updated_ns, updated_tz, parties)
		VALUES (?,?,?,?, ?,?,?,?,?,?,?,?, ?,?,?,?,?,?,?,?, ?,?,?,?,?,?,?,?, ?,?,?,?,?,?)`, args...)
	if err != nil {
		return err
	}
	if c.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	return writeClaims(ctx, tx, c.ID, c.Claims)
}

// CreateCase stores c as a new case with its first events (e.g. when the
// problem was discovered), all in one transaction: either the case and every
// event exist afterwards or nothing does, so retrying after an error never
// makes a second case. It sets c.ID, Created and Updated, and each event's
// ID and CaseID.
func (s *Store) CreateCase(ctx context.Context, c *evidence.Case, events ...*evidence.Event) ([]evidence.Warning, error) {
	ws, err := normCase(c)
	if err != nil {
		return nil, fmt.Errorf("store: create case: %w", err)
	}
	for _, e := range events {
		if err := normEvent(e); err != nil {
			return nil, fmt.Errorf("store: create case: first event: %w", err)
		}
	}
	t := now()
	c.Created, c.Updated = t, t
	err = s.write(ctx, func(tx *sql.Tx) error {
		if err := insertCase(ctx, tx, c); err != nil {
			return err
		}
		if err := audit(ctx, tx, c.ID, "case.create", fmt.Sprintf("case %q created (%s)", c.Title, c.Scenario)); err != nil {
			return err
		}
		for _, e := range events {
			e.CaseID = c.ID
			if err := insertEvent(ctx, tx, e); err != nil {
				return err
			}
			if err := audit(ctx, tx, c.ID, "event.add", eventLabel(e)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		c.ID = 0
		for _, e := range events {
			e.ID, e.CaseID = 0, 0
		}
		return nil, fmt.Errorf("store: create case: %w", err)
	}
	return ws, nil
}

// UpdateCase replaces the case's descriptive fields and claims; it sets c.Updated
// (Created is kept as stored).
func (s *Store) UpdateCase(ctx context.Context, c *evidence.Case) ([]evidence.Warning, error) {
	ws, err := normCase(c)
	if err != nil {
		return nil, fmt.Errorf("store: update case %d: %w", c.ID, err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		var old evidence.Case
		if err := scanCase(tx.QueryRowContext(ctx, "SELECT "+caseColumns+" FROM cases WHERE id = ?", c.ID), &old); err != nil {
			if err == sql.ErrNoRows {
				return errNoCase
			}
			return err
		}
		if old.Claims, err = readClaims(ctx, tx, c.ID); err != nil {
			return err
		}
		args := []any{c.Title, c.Scenario, c.Status, c.Role}
		args = append(args, partyArgs(c.Complainant)...)
		args = append(args, partyArgs(c.Respondent)...)
		args = append(args, partyArgs(c.Institution)...)
		args = append(args, c.Facts, encodeParties(c), c.ID)
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET title=?, scenario=?, status=?, role=?,
			c_name=?, c_id_number=?, c_phone=?, c_address=?, c_company=?, c_credit_code=?, c_merchant_no=?, c_terminal_no=?,
			r_name=?, r_id_number=?, r_phone=?, r_address=?, r_company=?, r_credit_code=?, r_merchant_no=?, r_terminal_no=?,
			i_name=?, i_id_number=?, i_phone=?, i_address=?, i_company=?, i_credit_code=?, i_merchant_no=?, i_terminal_no=?,
			facts=?, parties=? WHERE id=?`, args...); err != nil {
			return err
		}
		if err := writeClaims(ctx, tx, c.ID, c.Claims); err != nil {
			return err
		}
		if err := touch(ctx, tx, c.ID, "case.update", caseChanges(old, *c)); err != nil {
			return err
		}
		c.Created = old.Created
		var ns sql.NullInt64
		var tz string
		if err := tx.QueryRowContext(ctx, "SELECT updated_ns, updated_tz FROM cases WHERE id = ?", c.ID).Scan(&ns, &tz); err != nil {
			return err
		}
		c.Updated = decTime(ns, tz)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: update case %d: %w", c.ID, err)
	}
	return ws, nil
}

// caseChanges names the fields that changed, for the audit trail (names
// only: values such as ID numbers do not belong in the log).
func caseChanges(old, c evidence.Case) string {
	var ch []string
	add := func(changed bool, name string) {
		if changed {
			ch = append(ch, name)
		}
	}
	add(old.Title != c.Title, "title")
	add(old.Scenario != c.Scenario, "scenario")
	if old.Status != c.Status {
		ch = append(ch, fmt.Sprintf("status %s→%s", old.Status, c.Status))
	}
	add(old.Role != c.Role, "role")
	add(old.Complainant != c.Complainant, "complainant")
	add(old.Respondent != c.Respondent, "respondent")
	add(old.Institution != c.Institution, "institution")
	add(old.Issuer != c.Issuer, "issuer")
	add(old.Acquirer != c.Acquirer, "acquirer")
	add(old.SettlementBank != c.SettlementBank, "settlement bank")
	add(fmt.Sprint(old.Claims) != fmt.Sprint(c.Claims), "claims")
	add(fmt.Sprint(old.Court) != fmt.Sprint(c.Court), "court details")
	add(old.Facts != c.Facts, "facts")
	if len(ch) == 0 {
		return "saved without changes"
	}
	return "changed " + joinComma(ch)
}

func joinComma(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out
}

// GetCase returns one case with its claims.
func (s *Store) GetCase(ctx context.Context, id int64) (evidence.Case, error) {
	var c evidence.Case
	err := s.read(ctx, func(tx *sql.Tx) error { return getCase(ctx, tx, id, &c) })
	if err != nil {
		return evidence.Case{}, fmt.Errorf("store: get case %d: %w", id, err)
	}
	return c, nil
}

func getCase(ctx context.Context, q querier, id int64, c *evidence.Case) error {
	if err := scanCase(q.QueryRowContext(ctx, "SELECT "+caseColumns+" FROM cases WHERE id = ?", id), c); err != nil {
		if err == sql.ErrNoRows {
			return errNoCase
		}
		return err
	}
	var err error
	c.Claims, err = readClaims(ctx, q, id)
	return err
}

// maxAmountSQL is evidence.MaxAmount for queries. Amounts are refused
// above it at intake; the list's totals clamp each row to it as well, so an
// amount stored before the ceiling (or by hand) can make one case's total
// wrong but never overflow SQLite's SUM and fail the list of every case.
var maxAmountSQL = strconv.FormatInt(int64(evidence.MaxAmount), 10)

// ListCases returns every case, most recently updated first, with its totals.
func (s *Store) ListCases(ctx context.Context) ([]CaseSummary, error) {
	var out []CaseSummary
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT "+caseColumns+`,
			(SELECT COALESCE(SUM(MIN(amount, `+maxAmountSQL+`)), 0) FROM transactions t WHERE t.case_id = cases.id AND t.disputed <> 0),
			(SELECT COUNT(*) FROM transactions t WHERE t.case_id = cases.id),
			(SELECT COUNT(*) FROM exhibits e WHERE e.case_id = cases.id)
			FROM cases ORDER BY updated_ns DESC, id DESC`)
		if err != nil {
			return err
		}
		defer rows.Close()
		index := map[int64]int{}
		for rows.Next() {
			var cs CaseSummary
			var cns, uns sql.NullInt64
			var ctz, utz string
			var disputedTxns int64
			c := &cs.Case
			dest := []any{&c.ID, &c.Title, &c.Scenario, &c.Status, &c.Role}
			dest = append(dest, partyDest(&c.Complainant)...)
			dest = append(dest, partyDest(&c.Respondent)...)
			dest = append(dest, partyDest(&c.Institution)...)
			var parties string
			dest = append(dest, &c.Facts, &cns, &ctz, &uns, &utz, &parties, &disputedTxns, &cs.Transactions, &cs.Exhibits)
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			if err := decodeParties(parties, c); err != nil {
				return err
			}
			c.Created, c.Updated = decTime(cns, ctz), decTime(uns, utz)
			c.Claims = []evidence.Claim{}
			cs.Disputed = evidence.Money(disputedTxns)
			index[c.ID] = len(out)
			out = append(out, cs)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()

		crow, err := tx.QueryContext(ctx, "SELECT case_id, text, amount FROM claims ORDER BY case_id, seq")
		if err != nil {
			return err
		}
		defer crow.Close()
		for crow.Next() {
			var id int64
			var cl evidence.Claim
			if err := crow.Scan(&id, &cl.Text, &cl.Amount); err != nil {
				return err
			}
			if i, ok := index[id]; ok {
				out[i].Claims = append(out[i].Claims, cl)
			}
		}
		if err := crow.Err(); err != nil {
			return err
		}
		crow.Close()
		for i := range out {
			var sum evidence.Money
			for _, cl := range out[i].Claims {
				sum += min(cl.Amount, evidence.MaxAmount)
			}
			if sum != 0 {
				out[i].Disputed = sum
			}
		}

		erow, err := tx.QueryContext(ctx, "SELECT case_id, due_ns, due_tz FROM events WHERE due_ns IS NOT NULL")
		if err != nil {
			return err
		}
		defer erow.Close()
		nowNS := now().UnixNano()
		type due struct {
			future, past time.Time
		}
		dues := map[int64]*due{}
		for erow.Next() {
			var id int64
			var ns sql.NullInt64
			var tz string
			if err := erow.Scan(&id, &ns, &tz); err != nil {
				return err
			}
			d := dues[id]
			if d == nil {
				d = &due{}
				dues[id] = d
			}
			t := decTime(ns, tz)
			if ns.Int64 >= nowNS {
				if d.future.IsZero() || t.Before(d.future) {
					d.future = t
				}
			} else if d.past.IsZero() || t.Before(d.past) {
				d.past = t
			}
		}
		if err := erow.Err(); err != nil {
			return err
		}
		for id, d := range dues {
			if i, ok := index[id]; ok {
				out[i].NextDue = d.future
				if d.future.IsZero() {
					out[i].NextDue = d.past
				}
			}
		}
		// A complaint still waiting for its answer: its due date, overdue
		// or not, comes first when it is earlier.
		frow, err := tx.QueryContext(ctx, `SELECT case_id, due_ns, due_tz FROM filings
			WHERE status IN ('sent', 'accepted') AND due_ns IS NOT NULL`)
		if err != nil {
			return err
		}
		defer frow.Close()
		for frow.Next() {
			var id int64
			var ns sql.NullInt64
			var tz string
			if err := frow.Scan(&id, &ns, &tz); err != nil {
				return err
			}
			if i, ok := index[id]; ok {
				if t := decTime(ns, tz); out[i].NextDue.IsZero() || t.Before(out[i].NextDue) {
					out[i].NextDue = t
				}
			}
		}
		return frow.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: list cases: %w", err)
	}
	return out, nil
}

// DeleteCase removes a case and everything in it (transactions, exhibits,
// calls, events, audit). The vault files stay until the next Open, which
// removes the ones no other case uses.
func (s *Store) DeleteCase(ctx context.Context, id int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM cases WHERE id = ?", id)
		if err != nil {
			return err
		}
		return mustAffect(res, "case")
	})
	if err != nil {
		return fmt.Errorf("store: delete case %d: %w", id, err)
	}
	return nil
}

// AmountsOverCeiling counts the amounts of case id — transactions' amounts,
// agreed amounts and fees, and amounts asked for — above evidence.MaxAmount:
// kept from before the ceiling existed (or brought back by a bundle of such
// a case). Totals count each as evidence.MaxAmount.
func (s *Store) AmountsOverCeiling(ctx context.Context, id int64) (int, error) {
	var n int
	err := s.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM transactions WHERE case_id = ? AND amount > `+maxAmountSQL+`) +
			(SELECT COUNT(*) FROM transactions WHERE case_id = ? AND agreed > `+maxAmountSQL+`) +
			(SELECT COUNT(*) FROM transactions WHERE case_id = ? AND fee > `+maxAmountSQL+`) +
			(SELECT COUNT(*) FROM claims WHERE case_id = ? AND amount > `+maxAmountSQL+`)`, id, id, id, id).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("store: count amounts over the ceiling of case %d: %w", id, err)
	}
	return n, nil
}
