package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/bundle"
	"github.com/disputekit/disputekit/evidence/casework"
	"github.com/disputekit/disputekit/evidence/check"
	"github.com/disputekit/disputekit/evidence/explain"
	"github.com/disputekit/disputekit/evidence/picture"
	"github.com/disputekit/disputekit/evidence/store"
)

func init() {
	register(command{name: "case new", summary: "create a case; prints its ID", run: runCaseNew})
	register(command{name: "case list", summary: "list cases [--json]", run: runCaseList})
	register(command{name: "case show", summary: "show a case ID [--json]", run: runCaseShow})
	register(command{name: "case set", summary: "change fields of case ID (--title, --status, --facts, ...)", run: runCaseSet})
	register(command{name: "case delete", summary: "delete case ID and everything in it", run: runCaseDelete})
	register(command{name: "case audit", summary: "list every recorded change to case ID [--json]", run: runCaseAudit})
	register(command{name: "txn add", summary: "add a transaction to case ID; prints its ID", run: runTxnAdd})
	register(command{name: "txn list", summary: "list the transactions of case ID [--json]", run: runTxnList})
	register(command{name: "txn dispute", summary: "mark transactions of case ID as disputed (--undo to clear)", run: runTxnDispute})
	register(command{name: "attach", summary: fmt.Sprintf("store files as exhibits of case ID (at most %s a file; %d files, %s a case); prints their IDs",
		evidence.SizeText(evidence.MaxExhibitSize), evidence.MaxExhibits, evidence.SizeText(evidence.MaxCaseFilesSize)), run: runAttach})
	register(command{name: "call add", summary: "record a phone call in case ID; prints its ID", run: runCallAdd})
	register(command{name: "event add", summary: "add a timeline event to case ID; prints its ID", run: runEventAdd})
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// caseID parses the single positional case ID.
func caseID(pos []string, extra bool) (int64, error) {
	if len(pos) == 0 {
		return 0, usagef("needs a case ID")
	}
	if len(pos) > 1 && !extra {
		return 0, usagef("unexpected arguments %q", pos[1:])
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("%q is not a case ID (a positive number, see dk case list)", pos[0])
	}
	return id, nil
}

// parseCaseArgs parses fs and the case ID that leads the positional
// arguments; with extra, more positional arguments may follow it.
func parseCaseArgs(fs *flag.FlagSet, args []string, extra bool) (int64, []string, error) {
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return 0, nil, usagef("%w", err)
	}
	id, err := caseID(pos, extra)
	return id, pos, err
}

// openCaseStore parses fs and the case ID (with no further positional
// arguments), then opens the store; on success the caller Closes it.
func openCaseStore(env *cli, fs *flag.FlagSet, args []string) (int64, *store.Store, error) {
	id, _, err := parseCaseArgs(fs, args, false)
	if err != nil {
		return 0, nil, err
	}
	st, err := env.openStore()
	if err != nil {
		return 0, nil, err
	}
	return id, st, nil
}

// textArg reads TEXT, or the contents of FILE when written @FILE.
func textArg(v string) (string, error) {
	if name, ok := strings.CutPrefix(v, "@"); ok {
		b, err := os.ReadFile(name)
		if err != nil {
			return "", fmt.Errorf("read %s: %w", name, err)
		}
		return string(b), nil
	}
	return v, nil
}

// parseClaim reads "TEXT" or "TEXT=AMOUNT" (amount in yuan).
func parseClaim(v string) (evidence.Claim, error) {
	if i := strings.LastIndex(v, "="); i > 0 {
		m, err := evidence.ParseMoney(v[i+1:])
		if err == nil {
			if m < 0 {
				return evidence.Claim{}, usagef("claim %q: an amount asked for cannot be negative", v)
			}
			return evidence.Claim{Text: strings.TrimSpace(v[:i]), Amount: m}, nil
		}
		var ae *evidence.AmountError
		if errors.As(err, &ae) && ae.Reason != evidence.ReasonFormat {
			// "退款=12,80": an amount written wrong, not text with an "=" in it.
			return evidence.Claim{}, usageError{fmt.Errorf("claim %q: %w", v, err)}
		}
	}
	return evidence.Claim{Text: v}, nil
}

func printWarnings(env *cli, ws []evidence.Warning) {
	for _, w := range ws {
		fmt.Fprintf(env.stderr, "warning: %s\n", w)
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// institutionFlag is a financial party of the case and its flag prefix.
type institutionFlag struct {
	flag, what string
	party      *evidence.Party
}

func institutionFlags(c *evidence.Case) []institutionFlag {
	return []institutionFlag{
		{"issuer", "the cardholder's bank (发卡行)", &c.Issuer},
		{"acquirer", "the acquirer (收单机构)", &c.Acquirer},
		{"settlement-bank", "the merchant's settlement bank", &c.SettlementBank},
	}
}

// caseFlags binds the flags shared by "case new" and "case set" to c; set
// records which were given so "case set" changes only those.
func caseFlags(fs *flag.FlagSet, c *evidence.Case, facts *string, claims *multiFlag) {
	fs.StringVar(&c.Title, "title", "", "case title")
	fs.StringVar((*string)(&c.Scenario), "scenario", "", "wrong-amount | duplicate-charge | accidental-settlement | wrong-payee-info | missing-receipt | settlement-shortfall | other")
	fs.StringVar((*string)(&c.Status), "status", "", "draft | open | escalated | resolved | closed")
	fs.StringVar((*string)(&c.Role), "role", "", "consumer | merchant | helper")
	fs.StringVar(&c.Complainant.Name, "complainant", "", "complainant's name")
	fs.StringVar(&c.Complainant.Phone, "phone", "", "complainant's phone")
	fs.StringVar(&c.Complainant.IDNumber, "id-number", "", "complainant's ID number")
	fs.StringVar(&c.Complainant.Address, "address", "", "complainant's address")
	fs.StringVar(&c.Complainant.Company, "company", "", "complainant's company (merchant complainant)")
	fs.StringVar(&c.Complainant.CreditCode, "credit-code", "", "complainant's 统一社会信用代码")
	fs.StringVar(&c.Respondent.Name, "respondent", "", "respondent's registered name")
	fs.StringVar(&c.Respondent.Address, "respondent-address", "", "respondent's address")
	fs.StringVar(&c.Respondent.Phone, "respondent-phone", "", "respondent's phone")
	fs.StringVar(&c.Respondent.MerchantNo, "merchant-no", "", "respondent's merchant number (商户编号)")
	fs.StringVar(&c.Respondent.TerminalNo, "terminal-no", "", "respondent's terminal number (终端号)")
	fs.StringVar(&c.Institution.Name, "institution", "", "the bank, acquirer or payment company involved")
	fs.StringVar(&c.Institution.Address, "institution-address", "", "its domicile (住所地)")
	fs.StringVar(&c.Institution.Phone, "institution-phone", "", "its phone or hotline")
	kinds := "bank | payment-institution | merchant | individual-business | company | individual"
	fs.StringVar((*string)(&c.Complainant.Kind), "complainant-kind", "", "what the complainant is: "+kinds)
	fs.StringVar((*string)(&c.Respondent.Kind), "respondent-kind", "", "what the respondent is: "+kinds)
	for _, p := range institutionFlags(c) {
		fs.StringVar(&p.party.Name, p.flag, "", p.what+"'s registered name")
		fs.StringVar((*string)(&p.party.Kind), p.flag+"-kind", "", p.what+"'s kind: bank | payment-institution")
		fs.StringVar(&p.party.Address, p.flag+"-address", "", p.what+"'s address (住所地)")
		fs.StringVar(&p.party.Phone, p.flag+"-phone", "", p.what+"'s phone or hotline")
	}
	fs.StringVar(facts, "facts", "", "facts narrative, or @FILE to read it from a file")
	fs.Var(claims, "claim", "a request, TEXT or TEXT=AMOUNT; repeat for more")
}

func runCaseNew(env *cli, args []string) error {
	var c evidence.Case
	var facts string
	var claims multiFlag
	fs := newFlags(env, "case new")
	caseFlags(fs, &c, &facts, &claims)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usagef("%w", err)
	}
	if len(pos) > 0 {
		return usagef("unexpected arguments %q", pos)
	}
	if c.Title == "" {
		return usagef("--title is required")
	}
	if c.Facts, err = textArg(facts); err != nil {
		return err
	}
	for _, v := range claims {
		cl, err := parseClaim(v)
		if err != nil {
			return err
		}
		c.Claims = append(c.Claims, cl)
	}
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	ws, err := casework.New(st).CreateCase(env.ctx, &c, nil)
	if err != nil {
		return err
	}
	printWarnings(env, ws)
	fmt.Fprintln(env.stdout, c.ID)
	return nil
}

func runCaseSet(env *cli, args []string) error {
	var upd evidence.Case
	var facts string
	var claims multiFlag
	clearClaims := false
	fs := newFlags(env, "case set")
	caseFlags(fs, &upd, &facts, &claims)
	fs.BoolVar(&clearClaims, "clear-claims", false, "remove every claim before adding --claim ones")
	id, _, err := parseCaseArgs(fs, args, false)
	if err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if len(given) == 0 {
		return usagef("nothing to change: give at least one --FIELD VALUE")
	}
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	c, err := st.GetCase(env.ctx, id)
	if err != nil {
		return err
	}
	set := func(name string, dst *string, v string) {
		if given[name] {
			*dst = v
		}
	}
	set("title", &c.Title, upd.Title)
	set("scenario", (*string)(&c.Scenario), string(upd.Scenario))
	set("status", (*string)(&c.Status), string(upd.Status))
	set("role", (*string)(&c.Role), string(upd.Role))
	set("complainant", &c.Complainant.Name, upd.Complainant.Name)
	set("phone", &c.Complainant.Phone, upd.Complainant.Phone)
	set("id-number", &c.Complainant.IDNumber, upd.Complainant.IDNumber)
	set("address", &c.Complainant.Address, upd.Complainant.Address)
	set("company", &c.Complainant.Company, upd.Complainant.Company)
	set("credit-code", &c.Complainant.CreditCode, upd.Complainant.CreditCode)
	set("respondent", &c.Respondent.Name, upd.Respondent.Name)
	set("respondent-address", &c.Respondent.Address, upd.Respondent.Address)
	set("respondent-phone", &c.Respondent.Phone, upd.Respondent.Phone)
	set("merchant-no", &c.Respondent.MerchantNo, upd.Respondent.MerchantNo)
	set("terminal-no", &c.Respondent.TerminalNo, upd.Respondent.TerminalNo)
	set("institution", &c.Institution.Name, upd.Institution.Name)
	set("institution-address", &c.Institution.Address, upd.Institution.Address)
	set("institution-phone", &c.Institution.Phone, upd.Institution.Phone)
	set("complainant-kind", (*string)(&c.Complainant.Kind), string(upd.Complainant.Kind))
	set("respondent-kind", (*string)(&c.Respondent.Kind), string(upd.Respondent.Kind))
	to, from := institutionFlags(&c), institutionFlags(&upd)
	for i, p := range to {
		q := from[i].party
		set(p.flag, &p.party.Name, q.Name)
		set(p.flag+"-kind", (*string)(&p.party.Kind), string(q.Kind))
		set(p.flag+"-address", &p.party.Address, q.Address)
		set(p.flag+"-phone", &p.party.Phone, q.Phone)
	}
	if given["facts"] {
		if c.Facts, err = textArg(facts); err != nil {
			return err
		}
	}
	if clearClaims {
		c.Claims = nil
	}
	for _, v := range claims {
		cl, err := parseClaim(v)
		if err != nil {
			return err
		}
		c.Claims = append(c.Claims, cl)
	}
	ws, err := st.UpdateCase(env.ctx, &c)
	if err != nil {
		return err
	}
	printWarnings(env, ws)
	return nil
}

func runCaseList(env *cli, args []string) error {
	fs := newFlags(env, "case list")
	asJSON := fs.Bool("json", false, "print JSON")
	langV := fs.String("lang", env.uiLang(), "language of the next-due column: zh | en (default: dk --lang, else the locale)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return usagef("%w", err)
	}
	lang, err := langFlag(*langV)
	if err != nil {
		return err
	}
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	now := time.Now()
	list, err := casework.New(st).CaseList(env.ctx, now)
	if err != nil {
		return err
	}
	if *asJSON {
		type row struct {
			ID           int64             `json:"id"`
			Title        string            `json:"title"`
			Scenario     evidence.Scenario `json:"scenario"`
			Status       evidence.Status   `json:"status"`
			Disputed     evidence.Money    `json:"disputed_fen"`
			Transactions int               `json:"transactions"`
			Exhibits     int               `json:"exhibits"`
			Updated      time.Time         `json:"updated"`
			NextDue      *time.Time        `json:"next_due,omitempty"`
			NextDueFor   string            `json:"next_due_for,omitempty"`
			Overdue      bool              `json:"overdue,omitempty"`
		}
		rows := make([]row, 0, len(list))
		for _, s := range list {
			r := row{ID: s.ID, Title: s.Title, Scenario: s.Scenario, Status: s.Status, Disputed: s.Disputed,
				Transactions: s.Transactions, Exhibits: s.Exhibits, Updated: s.Updated, Overdue: s.Overdue}
			if !s.Due.IsZero() {
				due := s.Due
				r.NextDue, r.NextDueFor = &due, s.DueFor.In(lang)
			}
			rows = append(rows, r)
		}
		return writeJSON(env.stdout, rows)
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSCENARIO\tSTATUS\tDISPUTED\tUPDATED\tNEXT DUE\tTITLE")
	for _, s := range list {
		due := ""
		if !s.Due.IsZero() {
			due = s.Due.In(evidence.Shanghai).Format("2006-01-02") + " " + s.DueFor.In(lang)
			if s.Overdue {
				due += check.Text{ZH: "（已逾期）", EN: " (overdue)"}.In(lang)
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, s.Scenario, s.Status, s.Disputed, evidence.FormatLocal(s.Updated), due, s.Title)
	}
	return tw.Flush()
}

func runCaseShow(env *cli, args []string) error {
	fs := newFlags(env, "case show")
	asJSON := fs.Bool("json", false, "print the whole case as JSON")
	id, st, err := openCaseStore(env, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	// A case may hold 100,000 transactions: they stream through in pages,
	// for the JSON as for the counts below, and are never all held.
	if *asJSON {
		return st.StreamDossier(env.ctx, id, func(d evidence.Dossier, each func(func([]evidence.Transaction) error) error) error {
			return bundle.WriteCaseJSON(env.stdout, d, each)
		})
	}
	var d evidence.Dossier
	var txns int
	var disputed evidence.Money
	err = st.StreamDossier(env.ctx, id, func(dd evidence.Dossier, each func(func([]evidence.Transaction) error) error) error {
		d = dd
		return each(func(page []evidence.Transaction) error {
			txns += len(page)
			for _, t := range page {
				if t.Disputed {
					disputed += t.Amount
				}
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	c := d.Case
	w := env.stdout
	fmt.Fprintf(w, "Case %d: %s\n", c.ID, c.Title)
	fmt.Fprintf(w, "Scenario: %s   Status: %s   Role: %s\n", c.Scenario, c.Status, c.Role)
	fmt.Fprintf(w, "Created: %s   Updated: %s\n", evidence.FormatLocal(c.Created), evidence.FormatLocal(c.Updated))
	fmt.Fprintf(w, "Complainant: %s\n", joinNonEmpty(c.Complainant.Name, c.Complainant.Company, evidence.MaskPhone(c.Complainant.Phone), c.Complainant.Address))
	fmt.Fprintf(w, "Respondent: %s\n", joinNonEmpty(c.Respondent.Name, c.Respondent.Address,
		labelled("merchant no", c.Respondent.MerchantNo), labelled("terminal no", c.Respondent.TerminalNo)))
	if c.Institution != (evidence.Party{}) {
		fmt.Fprintf(w, "Institution: %s\n", joinNonEmpty(c.Institution.Name, c.Institution.Address, c.Institution.Phone))
	}
	for _, p := range []struct {
		label string
		p     evidence.Party
	}{{"Issuer", c.Issuer}, {"Acquirer", c.Acquirer}, {"Settlement bank", c.SettlementBank}} {
		if !p.p.Empty() {
			fmt.Fprintf(w, "%s: %s\n", p.label, joinNonEmpty(p.p.Name, string(p.p.Kind), p.p.Address, p.p.Phone))
		}
	}
	for i, cl := range c.Claims {
		if cl.Amount != 0 {
			fmt.Fprintf(w, "Claim %d: %s (%s)\n", i+1, cl.Text, cl.Amount)
		} else {
			fmt.Fprintf(w, "Claim %d: %s\n", i+1, cl.Text)
		}
	}
	if c.Facts != "" {
		fmt.Fprintf(w, "Facts:\n%s\n", c.Facts)
	}
	amount := d.DisputedAmount() // the claims' amounts (d holds no transactions)
	if amount == 0 {
		amount = disputed
	}
	fmt.Fprintf(w, "Amount in dispute: %s\n", amount)
	fmt.Fprintf(w, "Transactions: %d   Exhibits: %d   Calls: %d   Events: %d   Filings: %d\n", txns, len(d.Exhibits), len(d.Calls), len(d.Events), len(d.Filings))
	return nil
}

func runCaseDelete(env *cli, args []string) error {
	fs := newFlags(env, "case delete")
	id, st, err := openCaseStore(env, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	return st.DeleteCase(env.ctx, id)
}

func runCaseAudit(env *cli, args []string) error {
	fs := newFlags(env, "case audit")
	asJSON := fs.Bool("json", false, "print JSON")
	id, st, err := openCaseStore(env, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.GetCase(env.ctx, id); err != nil {
		return err
	}
	entries, err := st.ListAudit(env.ctx, id)
	if err != nil {
		return err
	}
	if *asJSON {
		if entries == nil {
			entries = []evidence.AuditEntry{}
		}
		return writeJSON(env.stdout, entries)
	}
	for _, e := range entries {
		fmt.Fprintf(env.stdout, "%s  %-16s %s\n", evidence.FormatLocal(e.Time), e.Action, e.Detail)
	}
	return nil
}

func parseTimeFlag(name, v string) (time.Time, error) {
	t, err := evidence.ParseLocalTime(v, nil)
	if err != nil {
		return time.Time{}, usagef("--%s: %v", name, err)
	}
	return t, nil
}

func runTxnAdd(env *cli, args []string) error {
	var t evidence.Transaction
	var when, amount, fee string
	fs := newFlags(env, "txn add")
	fs.StringVar(&when, "time", "", "date and time, e.g. \"2026-11-03 19:42:00\" (Asia/Shanghai)")
	fs.StringVar(&amount, "amount", "", "amount in yuan, e.g. 1280.00")
	fs.StringVar(&fee, "fee", "", "fee in yuan (merchant exports)")
	fs.StringVar(&t.Merchant, "merchant", "", "merchant name as printed")
	fs.StringVar(&t.MerchantNo, "merchant-no", "", "merchant number 商户编号 (15 digits)")
	fs.StringVar(&t.TerminalNo, "terminal-no", "", "terminal number 终端号 (8)")
	fs.StringVar(&t.RRN, "rrn", "", "reference number 参考号 (12)")
	fs.StringVar(&t.Voucher, "voucher", "", "voucher/trace number 凭证号 (6)")
	fs.StringVar(&t.Batch, "batch", "", "batch number 批次号 (6)")
	fs.StringVar(&t.AuthCode, "auth", "", "authorisation code 授权码 (6)")
	fs.StringVar(&t.CardLast4, "card-last4", "", "last four digits of the card (only these are kept)")
	fs.StringVar(&t.CardType, "card-type", "", "debit | credit (借记卡 / 信用卡)")
	fs.StringVar((*string)(&t.Direction), "direction", "", "debit | credit | neutral (default debit)")
	fs.StringVar(&t.Status, "status", "", "status as the statement says, e.g. 交易成功")
	fs.StringVar(&t.Type, "type", "", "transaction type, e.g. 消费, 消费撤销, 冲正, 退货")
	fs.StringVar(&t.Acquirer, "acquirer", "", "acquirer (收单机构)")
	fs.StringVar(&t.Issuer, "issuer", "", "issuing bank (发卡行)")
	fs.StringVar(&t.Channel, "channel", "", "POS, Alipay, WeChat, bank …")
	fs.StringVar(&t.Note, "note", "", "a note")
	fs.StringVar(&t.Source, "source", "manual", "manual | slip (typed off a slip) | …")
	fs.BoolVar(&t.Disputed, "disputed", false, "mark as disputed")
	id, _, err := parseCaseArgs(fs, args, false)
	if err != nil {
		return err
	}
	if when == "" || amount == "" {
		return usagef("--time and --amount are required")
	}
	if t.Time, err = parseTimeFlag("time", when); err != nil {
		return err
	}
	if t.Amount, err = evidence.ParseMoney(amount); err != nil {
		return usageError{fmt.Errorf("--amount: %w", err)}
	}
	if fee != "" {
		if t.Fee, err = evidence.ParseMoney(fee); err != nil {
			return usageError{fmt.Errorf("--fee: %w", err)}
		}
	}
	t.CaseID = id
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	ws, err := st.AddTransaction(env.ctx, &t)
	if err != nil {
		return err
	}
	printWarnings(env, ws)
	fmt.Fprintln(env.stdout, t.ID)
	return nil
}

func runTxnList(env *cli, args []string) error {
	fs := newFlags(env, "txn list")
	asJSON := fs.Bool("json", false, "print JSON")
	id, st, err := openCaseStore(env, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.GetCase(env.ctx, id); err != nil {
		return err
	}
	ts, err := st.ListTransactions(env.ctx, id)
	if err != nil {
		return err
	}
	if *asJSON {
		if ts == nil {
			ts = []evidence.Transaction{}
		}
		return writeJSON(env.stdout, ts)
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTIME\tDIR\tAMOUNT\tMERCHANT\tCARD\tRRN\tDISPUTED")
	for _, t := range ts {
		card := ""
		if t.CardLast4 != "" {
			card = "****" + t.CardLast4
		}
		mark := ""
		if t.Disputed {
			mark = "yes"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, evidence.FormatLocal(t.Time), t.Direction, t.Amount, t.Merchant, card, t.RRN, mark)
	}
	return tw.Flush()
}

func runTxnDispute(env *cli, args []string) error {
	fs := newFlags(env, "txn dispute")
	undo := fs.Bool("undo", false, "clear the disputed mark instead")
	id, pos, err := parseCaseArgs(fs, args, true)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return usagef("needs the case ID and at least one transaction ID")
	}
	var ids []int64
	for _, p := range pos[1:] {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return usagef("%q is not a transaction ID", p)
		}
		ids = append(ids, n)
	}
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	return st.SetDisputed(env.ctx, id, ids, !*undo)
}

func runAttach(env *cli, args []string) error {
	var meta evidence.Exhibit
	var captured string
	fs := newFlags(env, "attach")
	fs.StringVar((*string)(&meta.Kind), "kind", "", "slip | chat | statement | settlement | agreement | recording | photo | document")
	fs.StringVar(&meta.Title, "title", "", "title shown in the evidence list (default: the file name)")
	fs.StringVar(&meta.Purpose, "purpose", "", "what it proves (证明目的)")
	fs.StringVar(&meta.Source, "source", "", "where it came from (证据来源)")
	fs.StringVar(&captured, "captured", "", "when it was made or captured")
	id, pos, err := parseCaseArgs(fs, args, true)
	if err != nil {
		return err
	}
	files := pos[1:]
	if len(files) == 0 {
		return usagef("needs at least one FILE after the case ID")
	}
	if captured != "" {
		if meta.Captured, err = parseTimeFlag("captured", captured); err != nil {
			return err
		}
	}
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	failed := 0
	// Pictures are decoded on the intake's workers while the next files are
	// stored; their errors come back through attachProgress. One bar counts
	// both: each file stored and each picture's previews made.
	bar := env.newProgress("attach", int64(len(files)), countItems, false)
	defer bar.done()
	pictures := picture.NewIntake(env.ctx, st, attachProgress(env, bar))
	for _, f := range files {
		if env.ctx.Err() != nil {
			break // Ctrl+C between files: those stored stay, each one whole
		}
		ex, err := st.AttachFile(env.ctx, id, f, meta)
		bar.clear()
		switch {
		case errors.Is(err, evidence.ErrDuplicate):
			fmt.Fprintf(env.stderr, "%s is already attached as exhibit %d (%s)\n", f, ex.ID, ex.Title)
			fmt.Fprintln(env.stdout, ex.ID)
		case err != nil:
			fmt.Fprintf(env.stderr, "dk attach: %s: %s\n", f, env.explain(err))
			failed++
		default:
			fmt.Fprintln(env.stdout, ex.ID)
			if strings.HasPrefix(ex.MediaType, "image/") {
				sha := ex.SHA256
				bar.addMax(1)
				pictures.Add(picture.Picture{SHA256: sha, Name: f, Open: func() (io.ReadCloser, error) { return st.OpenBlob(sha) }})
			}
		}
		bar.add(1)
	}
	_ = pictures.Wait() // each failure was reported as it happened
	if err := env.ctx.Err(); err != nil {
		return err
	}
	if failed > 0 {
		return &explain.FilesFailed{Failed: failed, Total: len(files)}
	}
	return nil
}

// attachProgress reports the derived images of attached pictures: a
// picture whose thumbnail and print copy cannot be made is still attached
// (a giant or broken image is kept as a file); each one done moves bar on.
func attachProgress(env *cli, bar *progress) picture.Progress {
	return func(done, total int, name string, err error) {
		if err != nil {
			bar.clear()
			fmt.Fprintf(env.stderr, "%s is stored, but no preview could be made: %v\n", name, errors.Unwrap(err))
		}
		bar.add(1)
	}
}

// parseDuration reads "330", "5:30", "1:02:03" or Go's "5m30s".
func parseDuration(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	tooLong := &evidence.FieldError{Field: "duration", Reason: evidence.ReasonTooLarge,
		Detail: fmt.Sprintf("%q is longer than the longest call DisputeKit records, %v", v, evidence.MaxCallDuration)}
	if d, err := time.ParseDuration(v); err == nil {
		if d > evidence.MaxCallDuration {
			return 0, tooLong
		}
		return d, nil
	}
	parts := strings.Split(v, ":")
	if len(parts) > 3 {
		return 0, fmt.Errorf("%q is not a duration like 5:30 or 330", v)
	}
	var total int64
	for _, p := range parts {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%q is not a duration like 5:30 or 330", v)
		}
		total = total*60 + n
		if total > int64(evidence.MaxCallDuration/time.Second) { // checked as it grows: never overflows
			return 0, tooLong
		}
	}
	return time.Duration(total) * time.Second, nil
}

func runCallAdd(env *cli, args []string) error {
	var c evidence.CallLog
	var when, dur string
	fs := newFlags(env, "call add")
	fs.StringVar(&when, "time", "", "when the call started, e.g. \"2026-11-04 10:15\"")
	fs.StringVar(&dur, "duration", "", "length: 330 (seconds), 5:30 or 5m30s")
	fs.StringVar(&c.Number, "number", "", "the other side's number")
	fs.StringVar(&c.OwnNumber, "own-number", "", "your number")
	fs.StringVar(&c.Organisation, "org", "", "organisation called")
	fs.StringVar(&c.Contact, "contact", "", "the person you spoke to")
	fs.StringVar(&c.Agent, "agent", "", "agent/staff ID (工号)")
	fs.StringVar(&c.Ticket, "ticket", "", "ticket number (工单号)")
	fs.StringVar((*string)(&c.Direction), "direction", "", "outgoing | incoming (default outgoing)")
	fs.StringVar(&c.Summary, "summary", "", "what was said")
	id, _, err := parseCaseArgs(fs, args, false)
	if err != nil {
		return err
	}
	if when == "" {
		return usagef("--time is required")
	}
	if c.Start, err = parseTimeFlag("time", when); err != nil {
		return err
	}
	if dur != "" {
		if c.Duration, err = parseDuration(dur); err != nil {
			return usageError{fmt.Errorf("--duration: %w", err)}
		}
	}
	c.CaseID = id
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.AddCall(env.ctx, &c); err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, c.ID)
	return nil
}

func runEventAdd(env *cli, args []string) error {
	var e evidence.Event
	var when, due string
	fs := newFlags(env, "event add")
	fs.StringVar((*string)(&e.Kind), "kind", "", "discovered | contacted | complaint | reply | deadline | escalated | other")
	fs.StringVar(&when, "time", "", "when it happened")
	fs.StringVar(&due, "due", "", "a deadline that follows from it")
	fs.StringVar(&e.Party, "party", "", "who was involved")
	fs.StringVar(&e.Note, "note", "", "what happened")
	id, _, err := parseCaseArgs(fs, args, false)
	if err != nil {
		return err
	}
	if when == "" || e.Kind == "" {
		return usagef("--kind and --time are required")
	}
	if e.Time, err = parseTimeFlag("time", when); err != nil {
		return err
	}
	if due != "" {
		if e.Due, err = parseTimeFlag("due", due); err != nil {
			return err
		}
	}
	e.CaseID = id
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.AddEvent(env.ctx, &e); err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, e.ID)
	return nil
}

func joinNonEmpty(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			keep = append(keep, p)
		}
	}
	if len(keep) == 0 {
		return "(not given)"
	}
	return strings.Join(keep, "  ")
}

func labelled(label, v string) string {
	if v == "" {
		return ""
	}
	return label + " " + v
}
