package templates

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/check"
)

// Options are what a letter needs beyond the case: the merchant's
// settlement terms (for the reconciliation) and the requests the user
// edited for this recipient.
type Options struct {
	Terms check.Terms
	// Requests replace the generated requests when not nil (the user's
	// edits for this recipient, see LoadRequests).
	Requests []evidence.Claim
}

// Compose writes the complaint letter about case d to recipient to in lang,
// dated date, with default options (see ComposeWith).
func Compose(d evidence.Dossier, to Recipient, lang Lang, date time.Time) (Letter, error) {
	return ComposeWith(d, to, lang, date, Options{})
}

// ComposeWith writes the complaint letter about case d to recipient to in
// lang, dated date. The letter plan decides whether the letter makes sense:
// where it does not, the error is a *Refusal (errors.Is ErrRefused) whose
// reason is a plain sentence in lang; where it is a judgement call the
// letter is written and the first warning says why. Missing evidence or
// details never stop it: the letter says what it can and Letter.Warnings
// says what is missing. Other errors are for an unknown recipient or
// language, or broken embedded data.
func ComposeWith(d evidence.Dossier, to Recipient, lang Lang, date time.Time, opt Options) (Letter, error) {
	if err := load(); err != nil {
		return Letter{}, err
	}
	w, ok := wordings[lang]
	if !ok {
		return Letter{}, fmt.Errorf("compose letter: language %q is not zh or en: %w", lang, evidence.ErrInvalid)
	}
	if to == ToCourt {
		return composeCourt(d, lang, date, opt)
	}
	if !validRecipient(to) {
		return Letter{}, fmt.Errorf("compose letter: recipient %q is not one of %v: %w", to, Recipients, evidence.ErrInvalid)
	}
	p, err := PlanFor(d, to)
	if err != nil {
		return Letter{}, err
	}
	c := &composer{full: d, to: to, lang: lang, w: w, date: date, plan: p, opt: opt}
	if p.Verdict == VerdictRefuse {
		return Letter{}, &Refusal{Recipient: to, Reason: c.render(w.Reasons[p.Reason], nil)}
	}
	c.summary = Summarize(d, opt.Terms)
	c.d = forLetters(d)
	if p.Verdict == VerdictWarn {
		c.warnings = append(c.warnings, c.render(w.Reasons[p.Reason], nil))
	}
	if len(d.Transactions) > 0 && len(c.d.Transactions) == 0 {
		c.warn("no_disputed", nil)
	}
	c.prepare()
	c.compose()
	if c.err != nil {
		return Letter{}, fmt.Errorf("compose %s letter to %s: %w", lang, to, c.err)
	}
	deadline := Deadline{}
	if p.Deadline != nil {
		deadline = *p.Deadline
	}
	var first *Approach
	if a := c.firstApproach(); a != nil {
		first = &Approach{Party: a.party, Date: a.at, Ticket: a.ticket}
	}
	return Letter{
		Institution:        c.base["Institution"].(string),
		InstitutionAddress: c.target.Address,
		FirstApproach:      first,
		Recipient:          to,
		Lang:               lang,
		Title:              c.title,
		Subject:            c.subject,
		Author:             c.free(c.parties.Complainant.RegisteredName()),
		Date:               date,
		Blocks:             c.blocks,
		Evidence:           c.evidence,
		Warnings:           c.warnings,
		Role:               planRole(d.Case),
		Scenario:           d.Case.Scenario,
		Verdict:            p.Verdict,
		Requests:           c.requests,
		Citations:          c.cited,
		Allowed:            p.AllowedCitations,
		Mandatory:          p.Mandatory,
		Deadline:           deadline,
		Summary:            c.summary,
		SummaryLines:       c.summaryLines,
		Addressee:          c.addressee,
		Regulator:          c.regulator,
		Dossier:            c.d,
	}, nil
}

func validRecipient(to Recipient) bool {
	for _, r := range Recipients {
		if r == to {
			return true
		}
	}
	return false
}

// forLetters returns d with only the transactions a letter may show: the
// disputed ones and those the user ticked. An imported statement's other
// rows are the person's private spending and have no place in a letter.
func forLetters(d evidence.Dossier) evidence.Dossier {
	var ts []evidence.Transaction
	for _, t := range d.Transactions {
		if t.InLetter() {
			ts = append(ts, t)
		}
	}
	d.Transactions = ts
	return d
}

// composer builds one letter; the first wording error sticks in err.
type composer struct {
	full    evidence.Dossier // the whole case (the summary reconciles all of it)
	d       evidence.Dossier // what the letter may show
	to      Recipient
	lang    Lang
	w       *wording
	date    time.Time
	plan    Plan
	opt     Options
	summary Summary
	// summaryLines are the summary paragraph and its day lines as written.
	summaryLines []string
	err          error

	parties   evidence.Parties
	merchant  bool // the complainant writes as the merchant
	base      map[string]any
	focus     evidence.Transaction
	disputed  []evidence.Transaction
	addressee string
	regulator string // "nfra" or "pboc" for a financial-regulator letter
	target    evidence.Party
	title     string
	subject   string
	blocks    []Block
	evidence  []EvidenceItem
	warnings  []string
	requests  []evidence.Claim
	cited     []string
}

func (c *composer) render(tmpl string, data any) string {
	if c.err != nil {
		return ""
	}
	s, err := c.w.render(tmpl, data)
	if err != nil {
		c.err = err
	}
	return s
}

// with returns the base fields plus extra ones.
func (c *composer) with(kv ...any) map[string]any {
	m := maps.Clone(c.base)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

// free is the user's own free text as a letter may print it: card numbers
// typed into it are masked. Typed identifiers (merchant and terminal
// numbers, RRN, phone, ID) never pass through here.
func (c *composer) free(s string) string { return evidence.MaskCardNumbers(s) }

func (c *composer) add(kind BlockKind, label, text string) {
	if text == "" && kind != BlockSignature {
		return
	}
	c.blocks = append(c.blocks, Block{Kind: kind, Label: label, Text: text})
}

func (c *composer) para(text string) { c.add(BlockParagraph, "", text) }

func (c *composer) item(n int, text string) {
	if text != "" {
		c.blocks = append(c.blocks, Block{Kind: BlockItem, Number: n, Text: text})
	}
}

func (c *composer) field(key, value string) {
	if value != "" {
		c.add(BlockField, c.w.Labels[key], value)
	}
}

// heading adds a numbered section heading (一、/1.) in order.
func (c *composer) heading(key string) {
	n := 0
	for _, b := range c.blocks {
		if b.Kind == BlockHeading {
			n++
		}
	}
	c.add(BlockHeading, "", c.render(c.w.Headings["numbered"], map[string]any{"N": n + 1, "CN": chineseNumeral(n + 1), "Text": c.w.Headings[key]}))
}

func (c *composer) warn(key string, arg any) {
	c.warnings = append(c.warnings, c.render(c.w.Warnings[key], arg))
}

func (c *composer) day(t time.Time) string  { return t.In(evidence.Shanghai).Format(c.w.DateLayout) }
func (c *composer) when(t time.Time) string { return t.In(evidence.Shanghai).Format(c.w.TimeLayout) }

// upperFirst capitalises an English word that starts a sentence ("we" → "We").
func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

func chineseNumeral(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	switch {
	case n <= 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n-10]
	}
	return fmt.Sprint(n)
}

func (c *composer) prepare() {
	d := c.d
	c.parties = c.full.Case.Parties()
	c.merchant = planRole(c.full.Case) == evidence.RoleMerchant
	for _, t := range d.Transactions {
		if t.Disputed {
			c.disputed = append(c.disputed, t)
		}
	}
	switch {
	case len(c.disputed) > 0:
		c.focus = c.disputed[0]
	case len(d.Transactions) > 0:
		c.focus = d.Transactions[0]
	}
	p := c.parties.Complainant
	kind := p.Kind
	if _, ok := c.w.Self[kind]; !ok || p.Company == "" {
		kind = evidence.PartyIndividual
	}
	c.base = map[string]any{
		"Name": c.free(p.Name), "Company": c.free(p.Company), "Self": c.w.Self[kind],
		"Date": c.day(c.date), "Card": c.focus.CardLast4,
	}
	c.base["SelfCap"] = upperFirst(c.w.Self[kind])
	c.base["Who"] = c.render(c.w.Who[kind], c.base)
	acq := c.parties.Acquirer.RegisteredName()
	if acq == "" {
		acq = c.focus.Acquirer
	}
	c.base["Acquirer"] = c.free(acq)
	c.base["InstRole"] = c.w.Labels["role_issuer"]
	if c.plan.Route == "acquirer" {
		c.base["InstRole"] = c.w.Labels["role_acquirer"]
	}
	merchantName := c.parties.Merchant.RegisteredName()
	if merchantName == "" {
		merchantName = c.focus.Merchant
	}
	c.base["Merchant"] = c.free(merchantName)
	c.base["MerchantNo"] = c.merchantNo()
	txnDate := ""
	if !c.focus.Time.IsZero() {
		txnDate = c.day(c.focus.Time)
	}
	c.base["TxnDate"] = txnDate
	c.base["Reason"] = c.w.DisputeReasons[c.full.Case.Scenario]
	c.summaryFields()
	c.address()
}

func (c *composer) merchantNo() string {
	if n := c.parties.Merchant.MerchantNo; n != "" {
		return n
	}
	if n := c.full.Case.Respondent.MerchantNo; n != "" {
		return n
	}
	return c.focus.MerchantNo
}

// summaryFields puts the computed figures into the template data.
func (c *composer) summaryFields() {
	s := c.summary
	money := func(m evidence.Money) string {
		if m == 0 {
			return ""
		}
		return m.String()
	}
	maps.Copy(c.base, map[string]any{
		"Charged": money(s.Charged), "Agreed": money(s.Agreed), "Overcharge": money(s.Overcharge),
		"Duplicate": money(s.Duplicate), "Count": s.DebitCount, "Each": money(s.Each),
		"Sales": money(s.Sales), "Fees": s.Fees.String(), "Due": money(s.Due), "Credited": s.Credited.String(),
		"Shortfall": money(s.Shortfall), "Refund": money(s.Refund),
	})
	if len(s.Days) > 0 {
		c.base["From"] = c.day(s.Days[0].Day)
		c.base["To"] = c.day(s.Days[len(s.Days)-1].Day)
		// The sales were made before they were settled (T+1): say when.
		var from, to time.Time
		for _, day := range s.Days {
			if !day.TradedFrom.IsZero() && (from.IsZero() || day.TradedFrom.Before(from)) {
				from = day.TradedFrom
			}
			if day.TradedTo.After(to) {
				to = day.TradedTo
			}
		}
		c.base["TradedFrom"], c.base["TradedTo"] = "", ""
		if !from.IsZero() {
			c.base["TradedFrom"], c.base["TradedTo"] = c.day(from), c.day(to)
		}
	} else {
		c.base["From"], c.base["To"] = "", ""
	}
}

// address works out who the letter goes to, by name and form of address
// (贵行 / 贵公司 / 贵店 / 贵会 / 贵局).
func (c *composer) address() {
	p := c.parties
	name, you := "", ""
	fill := func(key string, pl place) string {
		s := c.render(c.w.Addressee[key], pl)
		if !pl.ok(key) {
			c.warn("fill_office", map[string]any{"Office": s})
		}
		return s
	}
	switch c.to {
	case ToMerchant:
		name = p.Merchant.RegisteredName()
		you = c.w.You[string(p.Merchant.Kind)]
		if name == "" {
			name = c.w.Addressee["merchant"]
		}
		c.target = p.Merchant
	case ToBank:
		party := p.Issuer
		key := "issuer"
		if c.merchant {
			party, key = p.SettlementBank, "settlement_bank"
		}
		c.target = party
		name = party.RegisteredName()
		if name == "" && !c.merchant {
			if name = c.focus.Issuer; name != "" {
				c.warn("short_name", map[string]any{"Name": name})
			}
		}
		if name == "" {
			name = c.w.Addressee[key]
			c.warn("no_addressee_name", nil)
		}
		you = c.w.You["bank"]
	case ToPaymentCompany:
		c.target = p.Acquirer
		name = p.Acquirer.RegisteredName()
		if name == "" {
			if name = c.focus.Acquirer; name != "" {
				c.warn("short_name", map[string]any{"Name": name})
			}
		}
		if name == "" {
			name = c.w.Addressee["acquirer"]
			c.warn("no_addressee_name", nil)
		}
		you = c.w.You[string(p.Acquirer.Kind)]
	case ToConsumerAssociation:
		name = fill("consumer_association", parsePlace(p.Merchant.Address, c.w.Blank))
		you = c.w.You["consumer-association"]
	case ToMarketRegulator:
		name = fill("market_regulator", parsePlace(p.Merchant.Address, c.w.Blank))
		you = c.w.You["market-regulator"]
	case ToRegulator:
		c.target = p.Issuer
		if c.plan.Route == "acquirer" {
			c.target = p.Acquirer
		}
		addr := c.target.Address
		if addr == "" {
			addr = p.Merchant.Address // 经营行为发生地
		}
		c.regulator = "nfra"
		if c.target.Kind == evidence.PartyPaymentInstitution {
			c.regulator = "pboc"
		}
		name = fill(c.regulator, parsePlace(addr, c.w.Blank))
		you = c.w.You[c.regulator]
	}
	if you == "" {
		you = c.w.You["default"]
	}
	c.addressee = c.free(name)
	c.base["Addressee"] = c.addressee
	c.base["You"] = you
	if c.target.Empty() && c.merchant {
		c.target = p.Acquirer // a merchant's dispute is with its acquirer
	}
	inst := c.target.RegisteredName()
	if inst == "" && (c.to == ToRegulator || c.merchant) {
		inst = c.focus.Issuer
		if c.plan.Route == "acquirer" {
			inst = c.focus.Acquirer
		}
		if inst == "" {
			c.warn("no_institution", nil)
			inst = c.w.Addressee["institution_unknown"]
		}
	}
	c.base["Institution"] = c.free(inst)
}

func (c *composer) compose() {
	d := c.full
	c.title = Title(d.Case.Scenario, c.lang)
	if c.trace() {
		c.title = c.w.Labels["trace_title"]
	}
	if c.to == ToRegulator && c.merchant {
		// Framed as a report (信访、举报), not a consumer complaint.
		c.title = c.render(c.w.Labels["report_title"], map[string]any{"Title": c.title,
			"Topic": strings.TrimSuffix(strings.TrimPrefix(c.title, "Complaint about "), "的投诉函")})
	}
	c.subject = c.render(c.w.Labels["subject"], c.with("Title", c.title, "To", c.addressee))
	c.add(BlockTitle, "", c.title)
	for _, s := range c.w.Salutation {
		c.add(BlockSalutation, "", c.render(s, c.base))
	}
	c.para(c.render(c.w.Purposes[c.plan.Purpose], c.base))

	c.complainant()
	c.respondent()
	c.claims()
	c.facts()
	if c.plan.FactsSheet {
		c.factsSheet()
	}
	c.contacts()
	c.rules()
	c.evidenceList()
	c.ask()

	for _, s := range c.w.Closing {
		c.add(BlockClosing, "", c.render(s, c.base))
	}
	sig := c.w.SignaturePerson
	if c.parties.Complainant.Kind.Business() && c.parties.Complainant.Company != "" {
		sig = c.w.SignatureBiz
	}
	op := c.w.Operator[c.parties.Complainant.Kind]
	for _, s := range sig {
		line := c.render(s, c.with("Operator", op))
		if c.trace() && c.lang == Chinese {
			// The sender of a request, not a complainant (投诉人：→ 来函人：).
			line = strings.Replace(line, c.w.Headings["complainant"]+"：", c.w.Headings["trace_sender"]+"：", 1)
		}
		c.add(BlockSignature, "", line)
	}
	c.hints()
	c.checkEvidence()
}

func (c *composer) complainant() {
	p := c.parties.Complainant
	if c.trace() {
		c.heading("trace_sender")
	} else {
		c.heading("complainant")
	}
	if p.Company != "" {
		c.field("company", c.free(p.Company))
		c.field("kind", c.w.KindNames[p.Kind])
		c.field("credit_code", p.CreditCode)
		c.field(map[bool]string{true: "operator", false: "contact_person"}[p.Kind == evidence.PartySoleTrader], c.free(p.Name))
	} else {
		c.field("name", c.free(p.Name))
	}
	id := p.IDNumber
	needsID := c.to == ToBank || c.to == ToRegulator
	if !needsID {
		id = evidence.MaskID(id)
	} else if id == "" && p.Company == "" {
		c.warn("no_id_number", nil)
	}
	c.field("id_number", id)
	c.field("phone", p.Phone)
	c.field("address", c.free(p.Address))
	if p.Phone == "" {
		c.warn("no_phone", nil)
	}
	if c.merchant && c.to != ToMerchant {
		c.field("merchant_no", c.merchantNo())
		c.field("terminal_no", c.terminalNo())
	}
}

func (c *composer) terminalNo() string {
	if n := c.parties.Merchant.TerminalNo; n != "" {
		return n
	}
	if n := c.full.Case.Respondent.TerminalNo; n != "" {
		return n
	}
	return c.focus.TerminalNo
}

// respondent describes who the letter is about: the merchant for a
// consumer's letter to the merchant, a consumer body or regulator; the
// institution for a regulator letter; the merchant involved for a
// cardholder's letter to a bank or acquirer.
func (c *composer) respondent() {
	p := c.parties
	switch {
	case c.to == ToRegulator:
		c.heading("respondent_institution")
		c.field("institution_name", c.base["Institution"].(string))
		c.field("kind", c.w.KindNames[c.target.Kind])
		if c.target.Address != "" {
			c.field("institution_address", c.free(c.target.Address))
		} else {
			c.warn("no_institution_address", nil)
		}
		c.field("phone", c.target.Phone)
		if !c.merchant {
			c.field("merchant_involved", c.base["Merchant"].(string))
			c.field("merchant_no", c.merchantNo())
			c.field("terminal_no", c.terminalNo())
		}
	case c.merchant:
		// A merchant's letter: the counterparty is the acquirer (or, to
		// the settlement bank, the bank itself), with its registered details.
		// The settlement bank is asked for help, not complained about.
		if c.trace() {
			c.heading("addressee_institution")
		} else {
			c.heading("respondent_institution")
		}
		c.field("institution_name", c.base["Institution"].(string))
		c.field("kind", c.w.KindNames[c.target.Kind])
		c.field("institution_address", c.free(c.target.Address))
		c.field("phone", c.target.Phone)
	case c.to == ToBank || c.to == ToPaymentCompany:
		c.heading("respondent_merchant")
		c.merchantFields(p.Merchant)
	default:
		c.heading("respondent")
		c.merchantFields(p.Merchant)
		if p.Merchant.Address == "" {
			c.warn("no_respondent_address", nil)
		}
	}
}

func (c *composer) merchantFields(m evidence.Party) {
	c.field("respondent_name", c.base["Merchant"].(string))
	c.field("kind", c.w.KindNames[m.Kind])
	c.field("respondent_address", c.free(m.Address))
	c.field("phone", m.Phone)
	c.field("merchant_no", c.merchantNo())
	c.field("terminal_no", c.terminalNo())
}

// GeneratedRequests are the requests the plan makes of recipient to for
// case d, from the computed summary, in lang: what LoadRequests' edits start from.
func GeneratedRequests(d evidence.Dossier, to Recipient, lang Lang, terms check.Terms) ([]evidence.Claim, error) {
	l, err := ComposeWith(d, to, lang, time.Now(), Options{Terms: terms})
	if err != nil {
		return nil, err
	}
	return l.Requests, nil
}

// requestAmount is the sum a request names, from the summary.
func (c *composer) requestAmount(key string) evidence.Money {
	s := c.summary
	switch key {
	case "refund_overcharge":
		return s.Overcharge
	case "refund_duplicate":
		return s.Duplicate
	case "settle_shortfall", "mediate_settlement":
		return s.Shortfall
	case "refund_debit", "check_disputed", "issuer_dispute", "acquirer_error", "merchant_error_handling", "mediate", "samr_accept":
		return s.Refund
	}
	return 0
}

func (c *composer) claims() {
	if c.trace() {
		c.heading("trace_claims")
	} else {
		c.heading("claims")
	}
	if c.opt.Requests != nil {
		for _, cl := range c.opt.Requests {
			text := c.free(cl.Text)
			if cl.Amount > 0 && !strings.Contains(text, cl.Amount.String()) {
				text = c.render(c.w.Requests["with_amount"], map[string]any{"Text": text, "Amount": cl.Amount.String()})
			}
			c.requests = append(c.requests, evidence.Claim{Text: text, Amount: cl.Amount})
		}
	} else {
		for _, key := range c.plan.Requests {
			amount := c.requestAmount(key)
			data := c.with("Amount", "", "Ticket", "", "TicketDate", "")
			if amount > 0 {
				data["Amount"] = amount.String()
			}
			if first := c.firstApproach(); first != nil {
				data["Ticket"], data["TicketDate"] = first.ticket, c.day(first.at)
			}
			text := c.render(c.w.Requests[key], data)
			if text == "" {
				continue
			}
			c.requests = append(c.requests, evidence.Claim{Text: text, Amount: amount})
		}
		if c.summary.Refund == 0 && c.full.Case.Scenario == evidence.WrongAmount {
			c.warn("no_agreed_amount", nil)
		}
	}
	if len(c.requests) == 0 {
		c.warn("no_claims", nil)
	}
	for i, r := range c.requests {
		c.item(i+1, r.Text)
	}
}

// dated is one line of the chronology.
type dated struct {
	at   time.Time
	text string
}

func (c *composer) facts() {
	c.heading("facts")
	facts := strings.TrimSpace(c.full.Case.Facts)
	if facts == "" {
		c.warn("no_facts", nil)
	}
	for _, line := range strings.Split(facts, "\n") {
		c.para(c.free(strings.TrimSpace(line)))
	}
	c.summaryParagraph()
	c.chronology()
}

// summaryParagraph states the computed figures once, in words, with the
// sum that gives them; the settlement days follow as items.
func (c *composer) summaryParagraph() {
	s := c.summary
	key := string(c.full.Case.Scenario)
	switch {
	case c.merchant && c.full.Case.Scenario != evidence.SettlementShortfall:
		key = "merchant"
	case c.full.Case.Scenario == evidence.WrongAmount && !s.AgreedKnown:
		key = "wrong-amount-unknown"
	case c.full.Case.Scenario == evidence.SettlementShortfall && len(s.Days) == 0:
		key = "settlement-none"
	}
	text := c.render(c.w.Summary[key], c.base)
	c.para(text)
	c.summaryLines = append(c.summaryLines[:0], text)
	if c.full.Case.Scenario == evidence.SettlementShortfall {
		for i, day := range s.Days {
			traded := ""
			if !day.TradedFrom.IsZero() {
				traded = day.TradedFrom.Format(c.w.DayLayout)
				if !day.TradedTo.Equal(day.TradedFrom) {
					traded = c.render(c.w.Summary["day_range"], map[string]any{"From": traded, "To": day.TradedTo.Format(c.w.DayLayout)})
				}
			}
			line := c.render(c.w.Summary["settlement_day"], map[string]any{
				"Day": day.Day.In(evidence.Shanghai).Format(c.w.DayLayout), "Traded": traded, "Sales": day.Sales.String(), "Fees": day.Fees.String(),
				"Due": day.Due.String(), "Credited": day.Credited.String(), "Short": day.Shortfall.String(),
			})
			c.item(i+1, line)
			c.summaryLines = append(c.summaryLines, line)
		}
	}
}

// factsSheet is the 争议交易要素表: the identifiers the staff who handle
// 差错处理 look for first, one group per disputed (or ticked) transaction.
func (c *composer) factsSheet() {
	c.heading("sheet")
	if c.full.Case.Scenario == evidence.SettlementShortfall && c.merchant {
		c.settlementSheet()
		return
	}
	txns := c.disputed
	if len(txns) == 0 {
		txns = c.d.Transactions
	}
	p := c.parties
	issuer := p.Issuer.RegisteredName()
	acquirer := p.Acquirer.RegisteredName()
	first := c.firstApproach()
	for i, t := range txns {
		if len(txns) > 1 {
			c.para(c.render(c.w.Sheet["transaction_n"], map[string]any{"N": i + 1}))
		}
		card := ""
		if t.CardLast4 != "" {
			typ := t.CardType
			if v, ok := c.w.CardTypes[typ]; ok {
				typ = v
			}
			card = c.render(c.w.Sheet["card"], map[string]any{"Last4": t.CardLast4, "Type": c.free(typ)})
		}
		iss, acq := issuer, acquirer
		if iss == "" {
			iss = t.Issuer
		}
		if acq == "" {
			acq = t.Acquirer
		}
		merchant := t.Merchant
		if merchant == "" {
			merchant = c.base["Merchant"].(string)
		}
		mno, tno := t.MerchantNo, t.TerminalNo
		if mno == "" {
			mno = c.merchantNo()
		}
		if tno == "" {
			tno = c.terminalNo()
		}
		c.sheetField("card_label", card)
		c.sheetField("issuer", c.free(iss))
		c.sheetField("acquirer", c.free(acq))
		c.sheetField("merchant", c.free(merchant))
		c.sheetField("merchant_no", mno)
		c.sheetField("terminal_no", tno)
		if !t.Time.IsZero() {
			c.sheetField("time", c.when(t.Time))
		}
		c.sheetField("amount", t.Amount.String())
		should := ""
		switch {
		case t.Agreed > 0:
			should = t.Agreed.String()
		case c.full.Case.Scenario == evidence.WrongAmount && c.summary.AgreedKnown && len(txns) == 1:
			should = c.summary.Agreed.String()
		case c.full.Case.Scenario == evidence.DuplicateCharge || c.full.Case.Scenario == evidence.AccidentalSettlement:
			if t.Disputed {
				should = evidence.Money(0).String()
			}
		}
		c.sheetField("should", should)
		c.sheetField("rrn", t.RRN)
		c.sheetField("batch", t.Batch)
		c.sheetField("voucher", t.Voucher)
		c.sheetField("auth", t.AuthCode)
		c.sheetField("reason", c.w.DisputeReasons[c.full.Case.Scenario])
	}
	tickets := c.tickets()
	c.sheetField("tickets", strings.Join(tickets, c.w.ListSep))
	if first == nil && len(tickets) == 0 {
		c.sheetField("tickets", c.w.Sheet["none"])
	}
}

// settlementSheet is the facts sheet of a merchant's settlement case: who
// settles to whom, the period, and the reconciled sums.
func (c *composer) settlementSheet() {
	p := c.parties
	s := c.summary
	c.sheetField("merchant", c.free(p.Complainant.RegisteredName()))
	c.sheetField("merchant_no", c.merchantNo())
	c.sheetField("terminal_no", c.terminalNo())
	c.sheetField("acquirer", c.base["Acquirer"].(string))
	c.sheetField("settlement_bank", c.free(p.SettlementBank.RegisteredName()))
	if len(s.Days) > 0 {
		c.sheetField("period", c.base["From"].(string)+" – "+c.base["To"].(string))
		c.sheetField("due", s.Due.String())
		c.sheetField("credited", s.Credited.String())
		c.sheetField("shortfall", s.Shortfall.String())
	}
	c.sheetField("reason", c.w.DisputeReasons[c.full.Case.Scenario])
	c.sheetField("tickets", strings.Join(c.tickets(), c.w.ListSep))
}

func (c *composer) sheetField(key, value string) {
	if value != "" {
		c.add(BlockField, c.w.Sheet[key], value)
	}
}

// tickets are the ticket numbers of earlier contacts with the dates they
// were opened, for the facts sheet.
func (c *composer) tickets() []string {
	var out []string
	seen := map[string]bool{}
	for _, ct := range c.earlierContacts() {
		if ct.ticket != "" && !seen[ct.ticket] {
			seen[ct.ticket] = true // listed once, with the date it was opened
			out = append(out, c.render(c.w.Sheet["ticket"], map[string]any{"Ticket": ct.ticket, "Date": c.day(ct.at), "Party": c.free(ct.party)}))
		}
	}
	return out
}

func (c *composer) channel(ch string) string {
	if v, ok := c.w.Channels[strings.ToLower(ch)]; ok {
		return v
	}
	return ch
}

func (c *composer) txnLine(t evidence.Transaction) string {
	var ids []string
	for _, kv := range [][2]string{{"rrn", t.RRN}, {"voucher", t.Voucher}, {"batch", t.Batch}, {"auth", t.AuthCode}, {"order", t.OrderNo}} {
		if kv[1] != "" {
			ids = append(ids, c.render(c.w.TxnIDs[kv[0]], kv[1]))
		}
	}
	if t.Channel != "" {
		ids = append(ids, c.render(c.w.TxnIDs["channel"], c.channel(t.Channel)))
	}
	var where []string
	for _, kv := range [][2]string{{"merchant_no", t.MerchantNo}, {"terminal_no", t.TerminalNo}} {
		if kv[1] != "" {
			where = append(where, c.render(c.w.TxnIDs[kv[0]], kv[1]))
		}
	}
	typ := t.Type
	if v, ok := c.w.TxnTypes[typ]; ok {
		typ = v
	} else if typ != "" && !isASCII(typ) {
		// A word we do not know as a transaction type (a wallet's spending
		// category such as 家居家装, or one we cannot translate): say
		// debit/credit instead of "发生家居家装".
		typ = ""
	}
	if typ == "" {
		typ = c.w.Direction[t.Direction]
	}
	status := t.Status
	if v, ok := c.w.TxnStatuses[status]; ok {
		status = v
	} else if c.lang == English && !isASCII(status) {
		status = ""
	}
	amount := t.Amount.String()
	if t.Currency != "" && t.Currency != "CNY" {
		amount = t.Currency + " " + t.Amount.Yuan()
	}
	note := t.Note
	if note == "" {
		note = t.Description
	}
	note = c.importedNote(note)
	return c.render(c.w.Txn, c.with(
		"Time", c.when(t.Time), "Merchant", c.free(t.Merchant), "Where", strings.Join(where, c.w.ListSep),
		"Type", typ, "Amount", amount, "Card", t.CardLast4, "IDs", strings.Join(ids, c.w.ListSep),
		"Status", status, "Disputed", t.Disputed, "Note", c.sentence(c.free(note))))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func (c *composer) minutes(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	m := int((d + 30*time.Second) / time.Minute)
	if m == 0 {
		m = 1
	}
	return c.render(c.w.Minutes, m)
}

// sentence ends s with a full stop in the letter's language unless it
// already ends with closing punctuation.
func (c *composer) sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	if strings.ContainsRune("。！？.!?）)」》\"”", r) {
		return s
	}
	if c.lang == English {
		return s + "."
	}
	return s + "。"
}

func (c *composer) callLine(cl evidence.CallLog) string {
	dir := c.render(c.w.CallDirection[cl.Direction], c.base)
	org := cl.Organisation
	if org == "" {
		org = cl.Number
	}
	number := cl.Number
	if number == org {
		number = ""
	}
	return c.render(c.w.Call, c.with(
		"Time", c.when(cl.Start), "Dir", dir, "Org", c.free(org), "Number", number, "Contact", c.free(cl.Contact),
		"Agent", cl.Agent, "Ticket", cl.Ticket, "Duration", c.minutes(cl.Duration), "Summary", c.sentence(c.free(cl.Summary))))
}

func (c *composer) eventLine(e evidence.Event) string {
	due := ""
	if !e.Due.IsZero() {
		due = c.day(e.Due)
	}
	return c.render(c.w.Event, c.with(
		"Time", c.when(e.Time), "Kind", c.w.EventKinds[e.Kind], "Party", c.free(e.Party),
		"Note", c.free(strings.TrimRight(e.Note, "。.；;，, ")), "Due", due))
}

// contact is one earlier approach to someone about the case.
type contact struct {
	at             time.Time
	party, ticket  string
	outcome        string
	complaintFirst bool // a call or contacted/complaint event: counts as approaching someone
	call           bool
}

func (c *composer) earlierContacts() []contact {
	var cs []contact
	for _, cl := range c.d.Calls {
		party := cl.Organisation
		if party == "" {
			party = cl.Number
		}
		if cl.Contact != "" {
			party += " " + cl.Contact
		}
		cs = append(cs, contact{at: cl.Start, party: strings.TrimSpace(party), ticket: cl.Ticket, outcome: cl.Summary, complaintFirst: true, call: true})
	}
	for _, e := range c.d.Events {
		switch e.Kind {
		case evidence.EventContacted, evidence.EventComplaint, evidence.EventReply, evidence.EventEscalated:
		default:
			continue
		}
		party := e.Party
		kind := c.w.EventKinds[e.Kind]
		if party == "" {
			party = kind
		}
		outcome := e.Note
		if outcome == "" {
			outcome = kind
		}
		first := e.Kind == evidence.EventContacted || e.Kind == evidence.EventComplaint
		cs = append(cs, contact{at: e.Time, party: party, outcome: outcome, complaintFirst: first})
	}
	cs = append(cs, c.filingContacts()...)
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].at.Before(cs[j].at) })
	return dropEchoes(cs, c.d.Calls)
}

// dropEchoes leaves out events that record the same approach as a call
// (same party, within a quarter of an hour): the user often logs both, and the letter
// should list the contact once. Calls themselves are always kept.
func dropEchoes(cs []contact, calls []evidence.CallLog) []contact {
	out := cs[:0]
	for _, ct := range cs {
		echo := false
		if !ct.call {
			for _, cl := range calls {
				d := ct.at.Sub(cl.Start)
				if d < 0 {
					d = -d
				}
				sameTicket := ct.ticket != "" && ct.ticket == cl.Ticket
				if sameTicket || d <= 15*time.Minute && cl.Organisation != "" && strings.Contains(ct.party, cl.Organisation) {
					echo = true
					break
				}
			}
		}
		if !echo {
			out = append(out, ct)
		}
	}
	return out
}

// isRegulator tells contacts with a regulator or consumer body (which do not
// count as approaching the institution first) by the hotline or name.
func isRegulator(party string) bool {
	for _, w := range []string{"12363", "12378", "12315", "人民银行", "人行", "金融监管", "消费者协会", "消协", "市场监督", "PBOC", "People's Bank", "NFRA", "Consumer Association"} {
		if strings.Contains(party, w) {
			return true
		}
	}
	return false
}

// sameInstitution reports whether a contact's party names the institution:
// either name contains the other once legal-form and branch words are set
// aside ("示例银行" and "示例银行上海分行" are one bank).
func sameInstitution(party string, names ...string) bool {
	core := func(s string) string {
		s = strings.TrimSpace(s)
		for _, suffix := range []string{"股份有限公司", "有限责任公司", "有限公司", "客服中心", "客服", "信用卡中心"} {
			s = strings.ReplaceAll(s, suffix, "")
		}
		return s
	}
	p := core(party)
	if p == "" {
		return false
	}
	for _, n := range names {
		n = core(n)
		if n == "" {
			continue
		}
		if strings.Contains(p, n) || strings.Contains(n, p) {
			return true
		}
		// Branch names: "示例银行上海分行" starts with the bank's name.
		if i := strings.Index(n, "银行"); i > 0 && strings.HasPrefix(p, n[:i+len("银行")]) {
			return true
		}
	}
	return false
}

// firstApproach is the complaint to the institution a regulator letter is
// about — its own ticket and date — or for other letters the first
// approach to the addressee; nil when none is recorded.
func (c *composer) firstApproach() *contact {
	cs := c.earlierContacts()
	names := []string{c.target.RegisteredName(), c.target.Name}
	switch c.plan.Route {
	case "issuer":
		names = append(names, c.focus.Issuer)
	case "acquirer":
		names = append(names, c.focus.Acquirer)
	}
	if c.to == ToBank {
		names = append(names, c.focus.Issuer)
	}
	if c.to == ToPaymentCompany {
		names = append(names, c.focus.Acquirer)
	}
	var best *contact
	for i := range cs {
		ct := &cs[i]
		if !ct.complaintFirst || isRegulator(ct.party) || !sameInstitution(ct.party, names...) {
			continue
		}
		if best == nil || (best.ticket == "" && ct.ticket != "") {
			best = ct
		}
	}
	if best == nil {
		return nil
	}
	out := *best
	return &out
}

// failing says what the institution did wrong: how long it has had the
// complaint, what it last answered, and (for a bank) whether the 15 days of
// 银保监会令2020年第3号 第十八条 have passed.
func (c *composer) failing(first *contact) string {
	days := int(c.date.Sub(first.at).Hours() / 24)
	if days < 0 {
		days = 0
	}
	reply := ""
	var last time.Time
	for _, e := range c.d.Events {
		if e.Kind == evidence.EventReply && e.Note != "" && !e.Time.Before(first.at) && e.Time.After(last) &&
			sameInstitution(e.Party, first.party, c.target.RegisteredName()) {
			reply, last = strings.TrimRight(e.Note, "。. "), e.Time
		}
	}
	limit := 0
	if slices.Contains(c.plan.AllowedCitations, "nfra-18") {
		limit = 15
	}
	return c.render(c.w.InstFailing, c.with("Days", days, "Reply", c.free(reply), "Limit", limit, "Over", limit > 0 && days > limit))
}

func (c *composer) contacts() {
	c.heading("contacts")
	cs := c.earlierContacts()
	if c.to == ToRegulator {
		if first := c.firstApproach(); first == nil {
			c.warn("no_contact_regulator", map[string]any{"Institution": c.base["Institution"]})
		} else {
			c.para(c.render(c.w.FirstApproached, c.with("When", c.day(first.at), "Party", c.free(first.party), "Ticket", first.ticket)))
			c.para(c.failing(first))
		}
	}
	if len(cs) == 0 {
		c.para(c.render(c.w.ContactsNone[c.to], c.base))
		return
	}
	for i, ct := range cs {
		outcome := ct.outcome
		if outcome == "" {
			outcome = c.w.ContactNoOutcome
		}
		c.item(i+1, c.render(c.w.Contact, c.with("Time", c.when(ct.at), "Party", c.free(ct.party), "Ticket", ct.ticket, "Outcome", c.free(outcome))))
	}
}

func (c *composer) rules() {
	if c.trace() {
		return // a request for help cites no rule against the bank
	}
	c.heading("rules")
	if len(c.plan.AllowedCitations) == 0 {
		c.para(c.render(c.w.RulesNone, c.base))
		return
	}
	c.para(c.render(c.w.RulesIntro, c.base))
	for i, id := range c.plan.AllowedCitations {
		cit := citations[id]
		law, art, sum := cit.In(c.lang)
		c.item(i+1, c.render(c.w.Rule, map[string]any{"Law": law, "Number": cit.Document.CiteNumber(c.lang), "Article": art, "Summary": sum}))
		c.cited = append(c.cited, id)
	}
}

func (c *composer) evidenceList() {
	exs := append([]evidence.Exhibit(nil), c.d.Exhibits...)
	sort.SliceStable(exs, func(i, j int) bool {
		if exs[i].Seq != exs[j].Seq {
			return exs[i].Seq < exs[j].Seq
		}
		return exs[i].ID < exs[j].ID
	})
	// A statement the user imported holds their other spending (or a shop's
	// other sales): when some of its rows are not in this letter, the file is
	// listed but withheld, never attached.
	unrelated := map[int64]bool{}
	for _, t := range c.full.Transactions {
		if t.SourceExhibitID != 0 && !t.InLetter() {
			unrelated[t.SourceExhibitID] = true
		}
	}
	for _, e := range exs {
		name := e.Title
		if name == "" {
			name = e.OriginalName
		}
		source := e.Source
		if source == "" {
			source = c.w.KindSource[e.Kind]
			if e.Platform != "" {
				source = c.render(c.w.SourcePlatform, map[string]any{"Source": source, "Platform": e.Platform})
			}
		}
		purpose := e.Purpose
		if purpose == "" {
			purpose = c.w.KindPurpose[e.Kind]
		}
		c.evidence = append(c.evidence, EvidenceItem{
			Seq: len(c.evidence) + 1, Name: c.free(InLanguage(name, c.lang)), Source: c.free(InLanguage(source, c.lang)),
			Purpose:   c.free(InLanguage(purpose, c.lang)),
			ExhibitID: e.ID, SHA256: e.SHA256, Withheld: unrelated[e.ID],
		})
	}
	table := func(row tableRow, n int, kind string) {
		data := c.with("N", n)
		c.evidence = append(c.evidence, EvidenceItem{
			Seq: len(c.evidence) + 1, Name: c.render(row.Name, data), Source: c.render(row.Source, data),
			Purpose: c.render(row.Purpose, data), Generated: kind,
		})
	}
	if n := len(c.d.Transactions); n > 0 {
		table(c.w.TxnTable, n, "transactions")
	}
	if n := len(c.d.Calls); n > 0 {
		table(c.w.CallTable, n, "calls")
	}
	c.heading("evidence")
	if len(c.evidence) == 0 {
		c.para(c.render(c.w.EvidenceNone, c.base))
		return
	}
	c.para(c.render(c.w.EvidenceIntro, c.with("N", len(c.evidence))))
}

// elsewhere is a recorded contact with a body that handles consumer
// disputes (消协, a court, another authority), or "".
func (c *composer) elsewhere() string {
	for _, ct := range c.earlierContacts() {
		for _, w := range []string{"消费者协会", "消协", "消保委", "法院", "仲裁", "12315", "市场监督", "Consumer Association", "court"} {
			if strings.Contains(ct.party, w) {
				return ct.party
			}
		}
	}
	return ""
}

// ask is the closing request with the letter's one reply deadline.
func (c *composer) ask() {
	if c.to == ToMarketRegulator {
		// 暂行办法 第十五条第（二）项: say the dispute is not before another body, or warn that it is.
		if party := c.elsewhere(); party != "" {
			c.warn("handled_elsewhere", map[string]any{"Party": c.free(party)})
		} else {
			c.para(c.render(c.w.NotElsewhere, c.base))
		}
	}
	key := string(c.to)
	if c.trace() {
		key = "bank_trace"
	}
	if c.to == ToRegulator && c.merchant {
		key = "regulator_report" // a business is no financial consumer: 信访、举报 (2024年第1号公告 第三项)
	}
	text := c.render(c.w.Ask[key], c.base)
	if dl := c.plan.Deadline; dl != nil && dl.Days > 0 {
		text += c.render(c.w.Deadline, c.with("Days", dl.Days, "Working", dl.Working))
	} else {
		text += c.render(c.w.NoDeadline[c.to], c.base)
	}
	c.para(text)
}

// hints tell the user about channels the plan offers (UnionPay 95516) and
// traps of the route (one body at a time), never printed in the letter.
func (c *composer) hints() {
	for _, ch := range c.plan.Channels {
		if info, ok := plan.Channels[ch]; ok {
			c.warnings = append(c.warnings, c.render(c.w.Hints[ch], info))
		}
	}
	if c.to == ToConsumerAssociation || c.to == ToMarketRegulator || c.to == ToRegulator {
		c.warnings = append(c.warnings, c.render(c.w.Hints["one_body"], nil))
	}
}

// checkEvidence turns the scenario checklist's gaps into warnings.
func (c *composer) checkEvidence() {
	for _, gap := range evidence.MissingEvidence(evidence.Checklist(c.full)) {
		var labels []string
		for _, it := range gap.Items {
			if c.lang == English {
				labels = append(labels, it.LabelEn)
			} else {
				labels = append(labels, it.LabelZh)
			}
		}
		key := "missing_required"
		if gap.Level == evidence.OneOf {
			key = "missing_oneof"
		}
		c.warn(key, strings.Join(labels, c.w.ListSep))
	}
}

// importedNote is a transaction's note as a letter prints it. Importers
// gather the cells that have no field of their own as "label value" parts
// joined by "; " (evidence/ingest convert.go): the balance is left out (the
// person's account balance is no business of the recipient), and in an
// English letter the labels are translated.
func (c *composer) importedNote(note string) string {
	if !strings.Contains(note, "; ") && !hasImportLabel(note) {
		return note
	}
	var parts []string
	for _, p := range strings.Split(note, "; ") {
		if strings.HasPrefix(p, "余额 ") {
			continue
		}
		for _, l := range importLabels {
			if strings.HasPrefix(p, l.zh) {
				p = c.w.Labels[l.key] + strings.TrimPrefix(p, l.zh)
				break
			}
		}
		parts = append(parts, p)
	}
	note = strings.Join(parts, c.w.ListSep)
	if c.lang == English {
		note = upperFirst(note) // it starts a sentence
	}
	return note
}

// importLabels are the labels evidence/ingest writes into a note, and the
// wording keys of what a letter calls them.
var importLabels = []struct{ zh, key string }{
	{"支付方式 ", "note_paid_with"}, {"商户单号 ", "note_merchant_order"}, {"对方账号 ", "note_payee_account"},
	{"订单号(Excel改写) ", "note_order_mangled"}, {"参考号(Excel改写) ", "note_rrn_mangled"},
}

func hasImportLabel(note string) bool {
	for _, l := range importLabels {
		if strings.HasPrefix(note, l.zh) {
			return true
		}
	}
	return strings.HasPrefix(note, "余额 ")
}

// trace reports whether the letter asks the merchant's settlement bank for
// help tracing settlement credits: the bank is asked, not complained about.
func (c *composer) trace() bool { return c.plan.Purpose == "settlement_bank_trace" }

// chronology writes the dated list of what happened: the letter's
// transactions (left out of a merchant's letter whose summary lists the
// days instead), calls and events, oldest first. Letters and the civil
// complaint share it.
func (c *composer) chronology() {
	var lines []dated
	if !c.merchant || len(c.summary.Days) == 0 {
		for _, t := range c.d.Transactions {
			lines = append(lines, dated{t.Time, c.txnLine(t)})
		}
	}
	for _, cl := range c.d.Calls {
		lines = append(lines, dated{cl.Start, c.callLine(cl)})
	}
	for _, e := range c.d.Events {
		lines = append(lines, dated{e.Time, c.eventLine(e)})
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].at.Before(lines[j].at) })
	if len(lines) > 0 {
		c.para(c.render(c.w.Chronology, c.base))
		for i, l := range lines {
			c.item(i+1, l.text)
		}
	}
}
