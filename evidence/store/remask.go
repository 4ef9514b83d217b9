package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/disputekit/disputekit/evidence"
)

// Re-masking card numbers kept before the current masking rules (migration
// remask_cards): every text column is passed through the rule its field
// takes at intake — evidence.MaskCardInField for a typed identifier (an RRN,
// a phone, a merchant number …), evidence.MaskCardNumbers for free text —
// and a row that changes is rewritten, with one audit row per case naming
// what was masked. Both rules leave what they produced unchanged, so a
// second pass changes nothing.

// remaskColumn is one text column and the rule its field is masked by.
type remaskColumn struct {
	name string
	id   evidence.Identifier
	free bool // free text: MaskCardNumbers; else MaskCardInField(id)
	// keyed: a unique key (transactions.dedupe_key): masked as free text,
	// then made unique again by the row's key, since two rows that differed
	// only in a card number would otherwise collide.
	keyed bool
}

func freeCol(name string) remaskColumn { return remaskColumn{name: name, free: true} }
func identCol(name string, id evidence.Identifier) remaskColumn {
	return remaskColumn{name: name, id: id}
}

func partyCols(prefix string) []remaskColumn {
	return []remaskColumn{freeCol(prefix + "name"), freeCol(prefix + "address"), freeCol(prefix + "company"),
		identCol(prefix+"id_number", evidence.IdentIDNumber), identCol(prefix+"phone", evidence.IdentPhone),
		identCol(prefix+"credit_code", evidence.IdentCreditCode), identCol(prefix+"merchant_no", evidence.IdentMerchantNo),
		identCol(prefix+"terminal_no", evidence.IdentTerminalNo)}
}

// remaskTable is a table, the SQL naming its case, and its text columns.
type remaskTable struct {
	name   string
	key    string // the row's key (rowid, or the primary key of a WITHOUT ROWID table)
	caseOf string // the expression giving the row's case ID
	cols   []remaskColumn
}

func remaskTables() []remaskTable {
	cases := append([]remaskColumn{freeCol("title"), freeCol("facts")}, partyCols("c_")...)
	cases = append(cases, partyCols("r_")...)
	cases = append(cases, partyCols("i_")...)
	return []remaskTable{
		{"cases", "id", "id", cases},
		{"claims", "seq", "case_id", []remaskColumn{freeCol("text")}},
		{"exhibits", "id", "case_id", []remaskColumn{freeCol("title"), freeCol("source"), freeCol("purpose"), freeCol("original_name"),
			freeCol("platform"), freeCol("counterpart"), freeCol("captured_by"), freeCol("note")}},
		{"transactions", "id", "case_id", []remaskColumn{freeCol("status"), freeCol("type"), freeCol("merchant"), freeCol("acquirer"),
			freeCol("issuer"), freeCol("channel"), freeCol("description"), freeCol("note"), freeCol("card_type"),
			identCol("merchant_no", evidence.IdentMerchantNo), identCol("terminal_no", evidence.IdentTerminalNo),
			identCol("batch", evidence.IdentShortCode), identCol("voucher", evidence.IdentShortCode), identCol("rrn", evidence.IdentRRN),
			identCol("auth_code", evidence.IdentShortCode), identCol("order_no", evidence.IdentOrder), identCol("source", evidence.IdentNone),
			{name: "dedupe_key", free: true, keyed: true}}},
		{"calls", "id", "case_id", []remaskColumn{freeCol("organisation"), freeCol("contact"), freeCol("summary"),
			identCol("own_number", evidence.IdentPhone), identCol("number", evidence.IdentPhone),
			identCol("agent", evidence.IdentShortCode), identCol("ticket", evidence.IdentOrder)}},
		{"events", "id", "case_id", []remaskColumn{freeCol("party"), freeCol("note")}},
		{"filings", "id", "case_id", []remaskColumn{freeCol("recipient"), freeCol("party"), freeCol("asked"), freeCol("note"), freeCol("due_basis")}},
		{"filing_replies", "id", "(SELECT case_id FROM filings f WHERE f.id = filing_replies.filing_id)", []remaskColumn{freeCol("content")}},
		{"audit", "id", "case_id", []remaskColumn{freeCol("detail")}},
	}
}

func (c remaskColumn) mask(v string) string {
	if c.free {
		return evidence.MaskCardNumbers(v)
	}
	out, _ := evidence.MaskCardInField(v, c.id)
	return out
}

// remaskCards applies the current masking rules to every stored row (see
// above) inside tx and returns how many fields it changed.
func remaskCards(ctx context.Context, tx *sql.Tx) (int, error) {
	changed := map[int64]map[string]int{} // case → "table.column" → rows
	note := func(caseID int64, what string) {
		if changed[caseID] == nil {
			changed[caseID] = map[string]int{}
		}
		changed[caseID][what]++
	}
	total := 0
	for _, t := range remaskTables() {
		names := make([]string, len(t.cols))
		for i, c := range t.cols {
			names[i] = c.name
		}
		keyExpr := t.key
		if t.name == "claims" {
			keyExpr = "case_id || ':' || seq"
		}
		rows, err := tx.QueryContext(ctx, "SELECT "+keyExpr+", "+t.caseOf+", "+strings.Join(names, ", ")+" FROM "+t.name)
		if err != nil {
			return 0, fmt.Errorf("re-mask %s: %w", t.name, err)
		}
		type update struct {
			key  string
			sets []string
			args []any
		}
		var updates []update
		for rows.Next() {
			var key string
			var caseID sql.NullInt64
			vals := make([]string, len(t.cols))
			dest := []any{&key, &caseID}
			for i := range vals {
				dest = append(dest, &vals[i])
			}
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return 0, fmt.Errorf("re-mask %s: %w", t.name, err)
			}
			var u update
			for i, c := range t.cols {
				if m := c.mask(vals[i]); m != vals[i] {
					if c.keyed {
						m += "|remasked:" + key
					}
					u.sets = append(u.sets, c.name+" = ?")
					u.args = append(u.args, m)
					note(caseID.Int64, t.name+"."+c.name)
				}
			}
			if len(u.sets) > 0 {
				u.key = key
				updates = append(updates, u)
				total += len(u.sets)
			}
		}
		if err := rows.Close(); err != nil {
			return 0, fmt.Errorf("re-mask %s: %w", t.name, err)
		}
		for _, u := range updates {
			if _, err := tx.ExecContext(ctx, "UPDATE "+t.name+" SET "+strings.Join(u.sets, ", ")+" WHERE "+keyExpr+" = ?",
				append(u.args, u.key)...); err != nil {
				return 0, fmt.Errorf("re-mask %s: %w", t.name, err)
			}
		}
	}
	n, err := remaskParties(ctx, tx, note)
	if err != nil {
		return 0, err
	}
	total += n
	ids := make([]int64, 0, len(changed))
	for id := range changed {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		var parts []string
		for what, rows := range changed[id] {
			parts = append(parts, fmt.Sprintf("%s (%d)", what, rows))
		}
		sort.Strings(parts)
		if err := audit(ctx, tx, id, "case.remask", "card numbers stored before the current masking rules masked to their last four digits in "+strings.Join(parts, ", ")); err != nil {
			return 0, fmt.Errorf("re-mask: audit case %d: %w", id, err)
		}
	}
	return total, nil
}

// remaskParties re-masks the parties kept as JSON in cases.parties.
func remaskParties(ctx context.Context, tx *sql.Tx, note func(int64, string)) (int, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id, parties FROM cases WHERE parties <> ''")
	if err != nil {
		return 0, fmt.Errorf("re-mask parties: %w", err)
	}
	type update struct {
		id      int64
		parties string
	}
	var updates []update
	total := 0
	for rows.Next() {
		var id int64
		var raw string
		if err := rows.Scan(&id, &raw); err != nil {
			rows.Close()
			return 0, fmt.Errorf("re-mask parties: %w", err)
		}
		var sp storedParties
		if json.Unmarshal([]byte(raw), &sp) != nil {
			continue // read as it is by the store; not ours to rewrite
		}
		n := 0
		for name, p := range map[string]*evidence.Party{"issuer": sp.Issuer, "acquirer": sp.Acquirer, "settlement_bank": sp.SettlementBank} {
			if p == nil {
				continue
			}
			if m := remaskParty(p); m > 0 {
				note(id, "cases.parties."+name)
				n += m
			}
		}
		if n == 0 {
			continue
		}
		b, err := json.Marshal(sp)
		if err != nil {
			rows.Close()
			return 0, fmt.Errorf("re-mask parties: %w", err)
		}
		updates = append(updates, update{id, string(b)})
		total += n
	}
	if err := rows.Close(); err != nil {
		return 0, fmt.Errorf("re-mask parties: %w", err)
	}
	for _, u := range updates {
		if _, err := tx.ExecContext(ctx, "UPDATE cases SET parties = ? WHERE id = ?", u.parties, u.id); err != nil {
			return 0, fmt.Errorf("re-mask parties: %w", err)
		}
	}
	return total, nil
}

// remaskParty masks p's fields by the rules of partyCols and returns how
// many changed.
func remaskParty(p *evidence.Party) int {
	n := 0
	for _, f := range []struct {
		v *string
		c remaskColumn
	}{{&p.Name, freeCol("")}, {&p.Address, freeCol("")}, {&p.Company, freeCol("")},
		{&p.IDNumber, identCol("", evidence.IdentIDNumber)}, {&p.Phone, identCol("", evidence.IdentPhone)},
		{&p.CreditCode, identCol("", evidence.IdentCreditCode)}, {&p.MerchantNo, identCol("", evidence.IdentMerchantNo)},
		{&p.TerminalNo, identCol("", evidence.IdentTerminalNo)}} {
		if m := f.c.mask(*f.v); m != *f.v {
			*f.v = m
			n++
		}
	}
	return n
}
