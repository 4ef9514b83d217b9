package templates

import (
	"fmt"
	"maps"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/disputekit/disputekit/evidence"
)

// Compose writes the complaint letter about case d to recipient to in lang,
// dated date. It never refuses for missing evidence or details: it writes
// what it can and says what is missing in Letter.Warnings. Errors are for
// an unknown recipient or language, or broken embedded wording.
func Compose(d evidence.Dossier, to Recipient, lang Lang, date time.Time) (Letter, error) {
	if err := load(); err != nil {
		return Letter{}, err
	}
	w, ok := wordings[lang]
	if !ok {
		return Letter{}, fmt.Errorf("compose letter: language %q is not zh or en: %w", lang, evidence.ErrInvalid)
	}
	if _, ok := w.Intro[to]; !ok {
		return Letter{}, fmt.Errorf("compose letter: recipient %q is not one of %v: %w", to, Recipients, evidence.ErrInvalid)
	}
	all := len(d.Transactions)
	d = forLetters(d)
	c := &composer{d: d, to: to, lang: lang, w: w, date: date}
	if all > 0 && len(d.Transactions) == 0 {
		c.warn("no_disputed", nil)
	}
	c.prepare()
	c.compose()
	if c.err != nil {
		return Letter{}, fmt.Errorf("compose %s letter to %s: %w", lang, to, c.err)
	}
	c.mask()
	author := d.Case.Complainant.Name
	if d.Case.Complainant.Company != "" {
		author = d.Case.Complainant.Company
	}
	return Letter{
		Recipient: to,
		Lang:      lang,
		Title:     c.title,
		Author:    evidence.MaskCardNumbers(author),
		Date:      date,
		Blocks:    c.blocks,
		Evidence:  c.evidence,
		Warnings:  c.warnings,
		Dossier:   d,
	}, nil
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
	d    evidence.Dossier
	to   Recipient
	lang Lang
	w    *wording
	date time.Time
	err  error

	base     map[string]any // fields every wording template may use
	focus    evidence.Transaction
	disputed []evidence.Transaction
	title    string
	blocks   []Block
	evidence []EvidenceItem
	warnings []string
	// keep are identifiers (ID, merchant and terminal numbers) that mask must
	// not mistake for card numbers.
	keep []string
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

func (c *composer) add(kind BlockKind, label, text string) {
	if text == "" && kind != BlockSignature {
		return
	}
	c.blocks = append(c.blocks, Block{Kind: kind, Label: label, Text: text})
}

func (c *composer) para(text string) { c.add(BlockParagraph, "", text) }

func (c *composer) field(key, value string) {
	if value != "" {
		c.add(BlockField, c.w.Labels[key], value)
	}
}

func (c *composer) heading(key string) { c.add(BlockHeading, "", c.w.Headings[key]) }

func (c *composer) warn(key string, arg any) {
	c.warnings = append(c.warnings, c.render(c.w.Warnings[key], arg))
}

func (c *composer) day(t time.Time) string  { return t.In(evidence.Shanghai).Format(c.w.DateLayout) }
func (c *composer) when(t time.Time) string { return t.In(evidence.Shanghai).Format(c.w.TimeLayout) }

// companyComplainant says whether the complainant writes as a business.
func (c *composer) companyComplainant() bool {
	return c.d.Case.Complainant.Company != ""
}

// institution is the financial institution a regulator letter complains
// about: the acquirer for a merchant's case, the issuer for a cardholder's.
func (c *composer) institution() string {
	if n := c.d.Case.Institution.Name; n != "" {
		return n
	}
	t := c.focus
	merchantSide := c.d.Case.Role == evidence.RoleMerchant || c.d.Case.Scenario == evidence.SettlementShortfall
	order := []string{t.Issuer, t.Acquirer}
	if merchantSide {
		order = []string{t.Acquirer, t.Issuer}
	}
	for _, s := range order {
		if s != "" {
			return s
		}
	}
	for _, tx := range c.d.Transactions {
		for _, s := range []string{tx.Issuer, tx.Acquirer} {
			if s != "" {
				return s
			}
		}
	}
	if merchantSide && c.d.Case.Respondent.Name != "" {
		return c.d.Case.Respondent.Name
	}
	return ""
}

func (c *composer) prepare() {
	d := c.d
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
	self, me, who := c.w.SelfPerson, c.w.SelfObjPerson, c.w.WhoPerson
	if c.companyComplainant() {
		self, me, who = c.w.SelfCompany, c.w.SelfObjCompany, c.w.WhoCompany
	}
	p := d.Case.Complainant
	c.base = map[string]any{
		"Name": p.Name, "Company": p.Company, "Self": self, "Me": me,
		"Respondent": d.Case.Respondent.Name,
	}
	c.base["Who"] = c.render(who, c.base)

	merchant := c.focus.Merchant // the shop's trading name, as on the slip
	if merchant == "" {
		merchant = d.Case.Respondent.Name
	}
	merchantNo := d.Case.Respondent.MerchantNo
	if merchantNo == "" {
		merchantNo = c.focus.MerchantNo
	}
	inst := c.institution()
	if c.to == ToRegulator && inst == "" {
		c.warn("no_institution", nil)
	}
	instText := inst
	if instText == "" {
		instText = c.w.NoInstitution
	}
	txnDate := ""
	if !c.focus.Time.IsZero() {
		txnDate = c.day(c.focus.Time)
	}
	var amounts []string
	for _, t := range c.disputed {
		amounts = append(amounts, t.Amount.String())
	}
	total := d.DisputedAmount()
	totalText := ""
	if total > 0 {
		totalText = total.String()
	}
	maps.Copy(c.base, map[string]any{
		"Merchant": merchant, "MerchantNo": merchantNo, "Institution": instText,
		"Card": c.focus.CardLast4, "TxnDate": txnDate,
		"Disputed": strings.Join(amounts, c.w.ListSep), "Total": totalText,
		"Date": c.day(c.date), "N": 0,
	})
	c.base["Addressee"] = c.addressee(inst)

	for _, id := range []string{p.IDNumber, p.CreditCode, d.Case.Respondent.MerchantNo, d.Case.Respondent.TerminalNo, d.Case.Respondent.CreditCode} {
		c.keepIdentifier(id)
	}
	for _, t := range d.Transactions {
		c.keepIdentifier(t.MerchantNo)
		c.keepIdentifier(t.TerminalNo)
	}
}

// keepIdentifier protects an identifier from card masking when its shape
// says what it is: an 18-character ID or credit code, a 15-digit merchant
// number. Shorter identifiers are never taken for card numbers anyway;
// anything else with 13+ digits stays maskable.
func (c *composer) keepIdentifier(id string) {
	if n := utf8.RuneCountInString(id); n == 15 || n == 18 {
		c.keep = append(c.keep, id)
	}
}

func (c *composer) addressee(inst string) string {
	d := c.d
	name := ""
	switch c.to {
	case ToMerchant:
		name = d.Case.Respondent.Name
	case ToBank:
		name = c.focus.Issuer
		if name == "" {
			name = d.Case.Institution.Name
		}
	case ToPaymentCompany:
		name = c.focus.Acquirer
		if name == "" {
			name = d.Case.Institution.Name
		}
		if name == "" && d.Case.Scenario == evidence.SettlementShortfall {
			name = inst
		}
	}
	if name == "" {
		name = c.w.AddresseeDefault[c.to]
		if strings.Contains(name, "XX") {
			c.warn("placeholder_addressee", nil)
		}
	}
	return name
}

func (c *composer) compose() {
	d := c.d
	c.title = Title(d.Case.Scenario, c.lang)
	c.add(BlockTitle, "", c.title)
	for _, s := range c.w.Salutation {
		c.add(BlockSalutation, "", c.render(s, c.base))
	}
	c.para(c.render(c.w.Intro[c.to], c.base))
	if c.to == ToConsumerAssociation {
		c.para(c.render(c.w.Article9, c.base))
	}

	c.complainant()
	c.respondent()
	c.claims()
	c.facts()
	c.contacts()
	c.rules()
	c.evidenceList()
	c.para(c.render(c.w.Ask[c.to], c.base))

	for _, s := range c.w.Closing {
		c.add(BlockClosing, "", c.render(s, c.base))
	}
	name := d.Case.Complainant.Name
	if d.Case.Complainant.Company != "" {
		name = d.Case.Complainant.Company
	}
	for _, s := range c.w.Signature {
		c.add(BlockSignature, "", c.render(s, c.with("Name", name)))
	}
	c.checkEvidence()
}

func (c *composer) complainant() {
	p := c.d.Case.Complainant
	c.heading("complainant")
	id := p.IDNumber
	needsID := c.to == ToBank || c.to == ToRegulator
	if !needsID {
		id = evidence.MaskID(id)
	} else if id == "" && !c.companyComplainant() {
		c.warn("no_id_number", nil)
	}
	if c.companyComplainant() {
		c.field("company", p.Company)
		c.field("credit_code", p.CreditCode)
		c.field("contact_person", p.Name)
	} else {
		c.field("name", p.Name)
	}
	c.field("id_number", id)
	c.field("phone", p.Phone)
	c.field("address", p.Address)
	if p.Phone == "" {
		c.warn("no_phone", nil)
	}
}

func (c *composer) respondent() {
	r := c.d.Case.Respondent
	merchantNo, terminalNo := r.MerchantNo, r.TerminalNo
	if merchantNo == "" {
		merchantNo = c.focus.MerchantNo
	}
	if terminalNo == "" {
		terminalNo = c.focus.TerminalNo
	}
	if c.to == ToRegulator {
		c.heading("respondent_institution")
		inst := c.base["Institution"].(string)
		c.field("institution_name", inst)
		switch in := c.d.Case.Institution; {
		case in.Name == inst && in.Address != "":
			c.field("institution_address", in.Address)
			c.field("phone", in.Phone)
		case inst == r.Name && r.Address != "":
			c.field("institution_address", r.Address)
		default:
			c.warn("no_institution_address", nil)
		}
		if r.Name != "" && r.Name != inst {
			c.field("merchant_involved", r.Name)
		}
		c.field("merchant_no", merchantNo)
		c.field("terminal_no", terminalNo)
		return
	}
	heading := "respondent"
	merchantSide := c.d.Case.Role == evidence.RoleMerchant || c.d.Case.Scenario == evidence.SettlementShortfall
	if (c.to == ToBank || c.to == ToPaymentCompany) && !merchantSide {
		heading = "respondent_merchant"
	}
	c.heading(heading)
	c.field("respondent_name", r.Name)
	c.field("respondent_address", r.Address)
	c.field("phone", r.Phone)
	c.field("merchant_no", merchantNo)
	c.field("terminal_no", terminalNo)
	if r.Address == "" {
		c.warn("no_respondent_address", nil)
	}
}

func (c *composer) claims() {
	c.heading("claims")
	if len(c.d.Case.Claims) == 0 {
		c.warn("no_claims", nil)
	}
	for i, cl := range c.d.Case.Claims {
		text := cl.Text
		if cl.Amount > 0 && !strings.Contains(text, cl.Amount.String()) && !strings.Contains(text, cl.Amount.Yuan()) {
			if text == "" {
				text = cl.Amount.String()
			} else {
				text = c.render(c.w.ClaimAmount, map[string]any{"Text": text, "Amount": cl.Amount.String()})
			}
		}
		c.blocks = append(c.blocks, Block{Kind: BlockItem, Number: i + 1, Text: text})
	}
}

// dated is one line of the chronology.
type dated struct {
	at   time.Time
	text string
}

func (c *composer) facts() {
	c.heading("facts")
	facts := strings.TrimSpace(c.d.Case.Facts)
	if facts == "" {
		c.warn("no_facts", nil)
	}
	for _, line := range strings.Split(facts, "\n") {
		c.para(strings.TrimSpace(line))
	}
	var lines []dated
	for _, t := range c.d.Transactions {
		lines = append(lines, dated{t.Time, c.txnLine(t)})
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
			c.blocks = append(c.blocks, Block{Kind: BlockItem, Number: i + 1, Text: l.text})
		}
	}
	scen, ok := c.w.Scenario[c.d.Case.Scenario]
	if !ok {
		scen = c.w.Scenario[evidence.ScenarioOther]
	}
	c.para(c.render(scen, c.base))
	if c.base["Total"] != "" {
		c.para(c.render(c.w.Harm, c.base))
	}
}

func (c *composer) txnLine(t evidence.Transaction) string {
	var ids []string
	for _, kv := range [][2]string{{"rrn", t.RRN}, {"voucher", t.Voucher}, {"batch", t.Batch}, {"auth", t.AuthCode}, {"order", t.OrderNo}, {"channel", t.Channel}} {
		if kv[1] != "" {
			ids = append(ids, c.render(c.w.TxnIDs[kv[0]], kv[1]))
		}
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
	}
	if typ == "" {
		typ = c.w.Direction[t.Direction]
	}
	status := t.Status
	if v, ok := c.w.TxnStatuses[status]; ok {
		status = v
	}
	amount := t.Amount.String()
	if t.Currency != "" && t.Currency != "CNY" {
		amount = t.Currency + " " + t.Amount.Yuan()
	}
	note := t.Note
	if note == "" {
		note = t.Description
	}
	return c.render(c.w.Txn, c.with(
		"Time", c.when(t.Time), "Merchant", t.Merchant, "Where", strings.Join(where, c.w.ListSep),
		"Type", typ, "Amount", amount, "Card", t.CardLast4, "IDs", strings.Join(ids, c.w.ListSep),
		"Status", status, "Disputed", t.Disputed, "Note", c.sentence(note)))
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
		"Time", c.when(cl.Start), "Dir", dir, "Org", org, "Number", number, "Contact", cl.Contact,
		"Agent", cl.Agent, "Ticket", cl.Ticket, "Duration", c.minutes(cl.Duration), "Summary", c.sentence(cl.Summary)))
}

func (c *composer) eventLine(e evidence.Event) string {
	due := ""
	if !e.Due.IsZero() {
		due = c.day(e.Due)
	}
	return c.render(c.w.Event, c.with(
		"Time", c.when(e.Time), "Kind", c.w.EventKinds[e.Kind], "Party", e.Party, "Note", strings.TrimRight(e.Note, "。.；;，, "), "Due", due))
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
				if d <= 15*time.Minute && cl.Organisation != "" && strings.Contains(ct.party, cl.Organisation) {
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

func (c *composer) contacts() {
	c.heading("contacts")
	cs := c.earlierContacts()
	if c.to == ToRegulator {
		inst, _ := c.base["Institution"].(string)
		var first *contact
		for i := range cs {
			if !cs[i].complaintFirst || isRegulator(cs[i].party) {
				continue
			}
			if first == nil {
				first = &cs[i]
			}
			if inst != "" && strings.Contains(cs[i].party, inst) {
				first = &cs[i]
				break
			}
		}
		if first == nil {
			c.warn("no_contact_regulator", nil)
		} else {
			c.para(c.render(c.w.FirstApproached, c.with("Date", c.day(first.at), "Party", first.party, "Ticket", first.ticket)))
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
		text := c.render(c.w.Contact, c.with("Time", c.when(ct.at), "Party", ct.party, "Ticket", ct.ticket, "Outcome", outcome))
		c.blocks = append(c.blocks, Block{Kind: BlockItem, Number: i + 1, Text: text})
	}
}

func (c *composer) rules() {
	c.heading("rules")
	c.para(c.render(c.w.RulesIntro, c.base))
	for i, cit := range citations[c.to] {
		law, art, sum := cit.In(c.lang)
		text := c.render(c.w.Rule, map[string]any{"Law": law, "Article": art, "Summary": sum})
		c.blocks = append(c.blocks, Block{Kind: BlockItem, Number: i + 1, Text: text})
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
			Seq: len(c.evidence) + 1, Name: name, Source: source, Purpose: purpose,
			ExhibitID: e.ID, SHA256: e.SHA256,
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

// checkEvidence turns the scenario checklist's gaps into warnings.
func (c *composer) checkEvidence() {
	for _, gap := range evidence.MissingEvidence(evidence.Checklist(c.d)) {
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

// mask passes every text of the letter through evidence.MaskCardNumbers, so
// a card number typed into a note or the facts never reaches the page, while
// identifiers of a known shape (ID, credit code, merchant number) survive.
func (c *composer) mask() {
	m := func(s string) string {
		for i, id := range c.keep {
			s = replaceWhole(s, id, string(rune(0xE000+i)))
		}
		s = evidence.MaskCardNumbers(s)
		for i, id := range c.keep {
			s = strings.ReplaceAll(s, string(rune(0xE000+i)), id)
		}
		return s
	}
	c.title = m(c.title)
	for i := range c.blocks {
		c.blocks[i].Text = m(c.blocks[i].Text)
		c.blocks[i].Label = m(c.blocks[i].Label)
	}
	for i := range c.evidence {
		e := &c.evidence[i]
		e.Name, e.Source, e.Purpose = m(e.Name), m(e.Source), m(e.Purpose)
	}
	for i := range c.warnings {
		c.warnings[i] = m(c.warnings[i])
	}
}

// replaceWhole replaces the occurrences of id in s that are not part of a
// longer run of digits (a card number that happens to contain a merchant
// number must still be masked whole).
func replaceWhole(s, id, with string) string {
	if id == "" {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, id)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(id)
		joined := joinsBefore(s, i) || joinsAfter(s, end)
		if joined {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i])
		b.WriteString(with)
		s = s[end:]
	}
}

func isDigitAt(s string, i int) bool { return i >= 0 && i < len(s) && s[i] >= '0' && s[i] <= '9' }

func isSepAt(s string, i int) bool { return i >= 0 && i < len(s) && (s[i] == ' ' || s[i] == '-') }

// joinsBefore reports whether the text before s[i] would continue a digit
// run into it for the card masker: a digit, or one space or hyphen after a digit.
func joinsBefore(s string, i int) bool {
	return isDigitAt(s, i-1) || (isSepAt(s, i-1) && isDigitAt(s, i-2))
}

// joinsAfter is joinsBefore for the text from s[end] on.
func joinsAfter(s string, end int) bool {
	return isDigitAt(s, end) || (isSepAt(s, end) && isDigitAt(s, end+1))
}
