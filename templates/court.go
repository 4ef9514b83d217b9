package templates

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/escalation"
)

// ToCourt is the last rung: a civil complaint (民事起诉状) to the
// basic-level people's court the user chose. It is not one of Recipients
// (those are complaint letters the plan covers); Compose writes it from
// data/court.json.
const ToCourt Recipient = "court"

// courtData is data/court.json.
type courtData struct {
	Particulars struct {
		Law    string `json:"law"`
		Quote  string `json:"quote"`
		Source string `json:"source"`
		// The items each kind of party must state, for tests and the
		// pre-send check.
		PlaintiffPerson []string `json:"plaintiff_person"`
		PlaintiffOrg    []string `json:"plaintiff_org"`
		DefendantPerson []string `json:"defendant_person"`
		DefendantOrg    []string `json:"defendant_org"`
	} `json:"particulars"`
	EvidenceRule struct {
		Law, Quote, Source string
	} `json:"evidence_rule"`
	Basis       map[string]map[evidence.Scenario][]string `json:"basis"`
	SmallClaims struct {
		Law    string `json:"law"`
		Source string `json:"source"`
		ZH     string `json:"zh"`
		EN     string `json:"en"`
	} `json:"small_claims"`
	Venue struct {
		Law string `json:"law"`
		ZH  string `json:"zh"`
		EN  string `json:"en"`
	} `json:"venue"`
	Wording map[Lang]*courtWording `json:"wording"`
}

// courtWording is everything the complaint says in one language.
type courtWording struct {
	Title, Plaintiff, Defendant, DefendantN, Blank, Sep string
	Gender, Born, IDNumber, Employer                    string
	AddressPerson, AddressOrg, Phone, CreditCode        string
	LegalRep, Operator, KindSole, MerchantNo            string
	LegalRepLabel, OperatorLabel, EvidenceTitle         string
	EvidenceFooter                                      []string
	Requests, Facts, Evidence                           string
	Request                                             map[string]string
	Self, ComplaintsIntro, Complaint                    string
	Outcome                                             map[string]string
	Channel                                             map[string]string
	BasisIntro, ConclusionConsumer, ConclusionMerchant  string
	ConclusionReceipt, ClosingSentence                  string
	EvidencePara, EvidenceNone, Witnesses, Witness      string
	NoWitness                                           string
	Closing                                             []string
	CourtBlank                                          string
	SignaturePerson, SignatureBiz                       []string
	RepCompany, RepSole, Appendix, ListSep, Subject     string
	And, WarnBlank, WarnCourt, WarnAmount               string
	WarnDefendant, WarnCopies                           string
	OriginalMark, CopyMark                              string
	Field                                               map[string]string
}

// UnmarshalJSON reads the snake_case keys of court.json.
func (w *courtWording) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	str := map[string]*string{
		"title": &w.Title, "plaintiff": &w.Plaintiff, "defendant": &w.Defendant, "defendant_n": &w.DefendantN,
		"blank": &w.Blank, "sep": &w.Sep, "gender": &w.Gender, "born": &w.Born, "id_number": &w.IDNumber,
		"employer": &w.Employer, "address_person": &w.AddressPerson, "address_org": &w.AddressOrg, "phone": &w.Phone,
		"credit_code": &w.CreditCode, "legal_rep": &w.LegalRep, "operator": &w.Operator, "kind_sole": &w.KindSole,
		"merchant_no": &w.MerchantNo, "legal_rep_label": &w.LegalRepLabel, "operator_label": &w.OperatorLabel, "evidence_title": &w.EvidenceTitle, "requests": &w.Requests, "facts": &w.Facts, "evidence": &w.Evidence,
		"self": &w.Self, "complaints_intro": &w.ComplaintsIntro, "complaint": &w.Complaint, "basis_intro": &w.BasisIntro,
		"conclusion_consumer": &w.ConclusionConsumer, "conclusion_merchant": &w.ConclusionMerchant,
		"conclusion_receipt": &w.ConclusionReceipt, "closing_sentence": &w.ClosingSentence, "evidence_para": &w.EvidencePara,
		"evidence_none": &w.EvidenceNone, "witnesses": &w.Witnesses, "witness": &w.Witness, "no_witness": &w.NoWitness,
		"court_blank": &w.CourtBlank, "rep_company": &w.RepCompany, "rep_sole": &w.RepSole, "appendix": &w.Appendix,
		"list_sep": &w.ListSep, "subject": &w.Subject, "and": &w.And, "warn_blank": &w.WarnBlank, "warn_court": &w.WarnCourt,
		"warn_amount": &w.WarnAmount, "warn_defendant": &w.WarnDefendant, "warn_copies": &w.WarnCopies,
		"original_mark": &w.OriginalMark, "copy_mark": &w.CopyMark,
	}
	maps := map[string]*map[string]string{"request": &w.Request, "outcome": &w.Outcome, "channel": &w.Channel, "field": &w.Field}
	lists := map[string]*[]string{"closing": &w.Closing, "signature_person": &w.SignaturePerson, "signature_biz": &w.SignatureBiz, "evidence_footer": &w.EvidenceFooter}
	for k, raw := range m {
		var err error
		switch {
		case str[k] != nil:
			err = json.Unmarshal(raw, str[k])
		case maps[k] != nil:
			err = json.Unmarshal(raw, maps[k])
		case lists[k] != nil:
			err = json.Unmarshal(raw, lists[k])
		default:
			return fmt.Errorf("unknown key %q", k)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
	}
	for k, p := range str {
		if *p == "" {
			return fmt.Errorf("missing %q", k)
		}
	}
	return nil
}

var (
	courtOnce sync.Once
	court     courtData
	courtErr  error
)

func loadCourt() error {
	courtOnce.Do(func() {
		b, err := dataFS.ReadFile("data/court.json")
		if err != nil {
			courtErr = fmt.Errorf("load court data: %w", err)
			return
		}
		if err := json.Unmarshal(b, &court); err != nil {
			courtErr = fmt.Errorf("load court data: %w", err)
			return
		}
		for _, l := range []Lang{Chinese, English} {
			if court.Wording[l] == nil {
				courtErr = fmt.Errorf("load court data: no %s wording", l)
				return
			}
		}
	})
	return courtErr
}

// CourtParticulars returns what the civil procedure law requires a
// complaint to state (民事诉讼法 第一百二十四条), with its source: the
// items for a plaintiff who is a person or an organisation and a defendant
// who is a person or an organisation.
func CourtParticulars() (law, quote string, plaintiffPerson, plaintiffOrg, defendantPerson, defendantOrg []string, err error) {
	if err := loadCourt(); err != nil {
		return "", "", nil, nil, nil, nil, err
	}
	p := court.Particulars
	return p.Law, p.Quote, p.PlaintiffPerson, p.PlaintiffOrg, p.DefendantPerson, p.DefendantOrg, nil
}

// courtComposer writes a civil complaint with the letter composer's
// machinery (parties, summary, transaction lines, evidence list).
type courtComposer struct {
	*composer
	cw     *courtWording
	blanks []string
	// originalMark and copyMarks mark the original and each defendant's copy.
	originalMark string
	copyMarks    []string
}

// composeCourt writes the civil complaint about d in lang, dated date.
func composeCourt(d evidence.Dossier, lang Lang, date time.Time, opt Options) (Letter, error) {
	if err := loadCourt(); err != nil {
		return Letter{}, err
	}
	w, ok := wordings[lang]
	if !ok {
		return Letter{}, fmt.Errorf("compose civil complaint: language %q is not zh or en: %w", lang, evidence.ErrInvalid)
	}
	p := Plan{PlanRule: PlanRule{Role: planRole(d.Case), To: ToCourt, Verdict: VerdictOK}}
	side := "consumer"
	if d.Case.MerchantSide() {
		side = "merchant"
	}
	basis := court.Basis[side][d.Case.Scenario]
	if basis == nil {
		basis = court.Basis[side][evidence.ScenarioOther]
	}
	p.AllowedCitations = basis
	c := &courtComposer{composer: &composer{full: d, to: ToCourt, lang: lang, w: w, date: date, plan: p, opt: opt}, cw: court.Wording[lang]}
	c.summary = Summarize(d, opt.Terms)
	c.d = forLetters(d)
	c.prepare()
	c.warnings = nil // the letter's addressee warnings do not apply to a court
	c.base["Self"] = c.cw.Self
	c.base["SelfCap"] = upperFirst(c.cw.Self)
	c.compose()
	if c.err != nil {
		return Letter{}, fmt.Errorf("compose %s civil complaint: %w", lang, c.err)
	}
	courtName := c.free(d.Case.Court.Name)
	var footer []string
	for _, f := range c.cw.EvidenceFooter {
		footer = append(footer, c.render(f, map[string]any{"Name": c.free(c.parties.Complainant.RegisteredName()), "Date": c.day(date)}))
	}
	return Letter{
		EvidenceTitle: c.cw.EvidenceTitle, EvidenceFooter: footer,
		OriginalMark: c.originalMark, CopyMarks: c.copyMarks,
		Recipient: ToCourt, Lang: lang, Title: c.title, Subject: c.subject,
		Author: c.free(c.parties.Complainant.RegisteredName()), Date: date,
		Blocks: c.blocks, Evidence: c.evidence, Warnings: c.warnings,
		Role: planRole(d.Case), Scenario: d.Case.Scenario, Verdict: VerdictOK,
		Requests: c.requests, Citations: c.cited, Allowed: basis,
		Summary: c.summary, Addressee: courtName, Dossier: c.d,
	}, nil
}

// plainHeading is an unnumbered heading (诉讼请求 / 事实与理由).
func (c *courtComposer) plainHeading(text string) { c.add(BlockHeading, "", text) }

// blank is what the complaint prints for a required item the case does
// not hold: a line to fill in by hand, and a warning naming the item.
func (c *courtComposer) blank(field string) string {
	c.blanks = append(c.blanks, c.cw.Field[field])
	return c.cw.Blank
}

// or is v rendered with tmpl, or a blank for field when v is empty.
func (c *courtComposer) or(tmpl, v, field string) string {
	if strings.TrimSpace(v) == "" {
		if field == "" {
			return ""
		}
		return c.render(tmpl, c.blank(field))
	}
	return c.render(tmpl, v)
}

func (c *courtComposer) join(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, c.cw.Sep)
}

// age is the full years from birth to the complaint's date.
func age(birth, at time.Time) int {
	b, a := birth.In(evidence.Shanghai), at.In(evidence.Shanghai)
	n := a.Year() - b.Year()
	if a.Month() < b.Month() || (a.Month() == b.Month() && a.Day() < b.Day()) {
		n--
	}
	return n
}

// person writes a natural person's particulars: sex, birth and age,
// ethnic group, occupation, employer (民事诉讼法 第一百二十四条（一）).
func (c *courtComposer) person(pt evidence.Particulars, withEthnicity bool) []string {
	born := ""
	if pt.Birth.IsZero() {
		born = c.blank("birth")
	} else {
		born = c.render(c.cw.Born, map[string]any{"Date": c.day(pt.Birth), "Age": age(pt.Birth, c.date)})
	}
	out := []string{c.or(c.cw.Gender, c.gender(pt.Gender), "gender"), born}
	if withEthnicity {
		out = append(out, c.or("{{.}}", c.free(pt.Ethnicity), "ethnicity"), c.or("{{.}}", c.free(pt.Occupation), "occupation"))
	}
	return append(out, c.or(c.cw.Employer, c.free(pt.Employer), "employer"))
}

// gender is the sex as the user typed it, in English words where it was
// typed as 男 or 女.
func (c *courtComposer) gender(g string) string {
	g = strings.TrimSpace(g)
	if c.lang == English {
		switch g {
		case "男":
			return "male"
		case "女":
			return "female"
		}
	}
	return c.free(g)
}

func (c *courtComposer) compose() {
	cs := c.full.Case
	c.title = c.cw.Title
	c.add(BlockTitle, "", c.title)
	c.plaintiff()
	names := c.defendants()
	c.subject = c.render(c.cw.Subject, map[string]any{"Plaintiff": c.free(c.parties.Complainant.RegisteredName()), "Defendants": strings.Join(names, c.cw.And)})
	c.claims()
	c.factsAndReasons()
	c.evidenceSection()
	for _, s := range c.cw.Closing {
		c.add(BlockClosing, "", s)
	}
	courtName := c.free(cs.Court.Name)
	if courtName == "" {
		courtName = c.cw.CourtBlank
		c.warnings = append(c.warnings, c.cw.WarnCourt, c.venueNote())
	}
	c.add(BlockClosing, "", courtName)
	c.signature()
	n := len(names)
	c.para(c.render(c.cw.Appendix, map[string]any{"N": n}))
	// The copies the court serves on the defendants (附：本起诉状副本N份)
	// are printed with the original, one per defendant.
	c.originalMark = c.cw.OriginalMark
	for i, name := range names {
		c.copyMarks = append(c.copyMarks, c.render(c.cw.CopyMark, map[string]any{"I": i + 1, "N": n, "Name": name}))
	}

	if len(c.blanks) > 0 {
		c.warnings = append(c.warnings, c.render(c.cw.WarnBlank, strings.Join(unique(c.blanks), c.cw.ListSep)))
	}
	c.warnings = append(c.warnings, c.render(c.cw.WarnCopies, map[string]any{"Total": n + 1, "N": n}))
	if note := c.smallClaimsNote(); note != "" {
		c.warnings = append(c.warnings, note)
	}
}

func unique(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func (c *courtComposer) venueNote() string {
	if c.lang == English {
		return court.Venue.EN
	}
	return court.Venue.ZH
}

// plaintiff states the complainant with every particular the law lists.
func (c *courtComposer) plaintiff() {
	p := c.parties.Complainant
	pt := c.full.Case.Court.Plaintiff
	if p.Kind.Business() && p.Company != "" {
		name := c.free(p.Company)
		if p.Kind == evidence.PartySoleTrader {
			name += c.cw.KindSole
		}
		c.add(BlockField, c.cw.Plaintiff, c.join(name,
			c.or(c.cw.CreditCode, p.CreditCode, ""),
			c.or(c.cw.AddressOrg, c.free(p.Address), "address"),
			c.or(c.cw.Phone, p.Phone, "phone")))
		if p.Kind == evidence.PartySoleTrader {
			// 个体工商户: its operator is named with a person's particulars.
			rest := c.join(append(c.person(pt, true), c.or(c.cw.IDNumber, p.IDNumber, ""))...)
			c.add(BlockField, c.cw.OperatorLabel, c.render(c.cw.Operator, map[string]any{"Name": c.or("{{.}}", c.free(p.Name), "name"), "Rest": rest}))
			return
		}
		rep := pt.LegalRep
		if rep == "" {
			rep = p.Name
		}
		c.add(BlockField, c.cw.LegalRepLabel, c.render(c.cw.LegalRep, map[string]any{
			"Name": c.or("{{.}}", c.free(rep), "legal_rep"), "Title": c.or("{{.}}", c.free(pt.RepTitle), "rep_title"),
			"Phone": firstNonEmpty(pt.RepPhone, p.Phone)}))
		return
	}
	parts := []string{c.or("{{.}}", c.free(p.Name), "name")}
	parts = append(parts, c.person(pt, true)...)
	parts = append(parts, c.or(c.cw.IDNumber, p.IDNumber, ""), c.or(c.cw.AddressPerson, c.free(p.Address), "address"), c.or(c.cw.Phone, p.Phone, "phone"))
	c.add(BlockField, c.cw.Plaintiff, c.join(parts...))
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// defendants states each party sued (民事诉讼法 第一百二十四条（二）) and
// returns their names.
func (c *courtComposer) defendants() []string {
	roles := c.full.Case.Sued()
	var names []string
	for i, role := range roles {
		p, _ := c.parties.Party(role)
		pt := c.full.Case.Court.Others[role]
		name := p.RegisteredName()
		if name == "" {
			switch role {
			case evidence.DefendantMerchant:
				name = c.focus.Merchant
			case evidence.DefendantAcquirer:
				name = c.focus.Acquirer
			case evidence.DefendantIssuer:
				name = c.focus.Issuer
			}
		}
		label := c.cw.Defendant
		if len(roles) > 1 {
			label = c.render(c.cw.DefendantN, map[string]any{"N": i + 1, "CN": chineseNumeral(i + 1)})
		}
		if name == "" {
			c.warnings = append(c.warnings, c.render(c.cw.WarnDefendant, c.render("{{.}}", label)))
			name = c.cw.Blank
		}
		name = c.free(name)
		names = append(names, name)
		var parts []string
		switch p.Kind {
		case evidence.PartyIndividual:
			parts = []string{name, c.or(c.cw.Gender, c.gender(pt.Gender), "defendant_gender"),
				c.or(c.cw.Employer, c.free(pt.Employer), "defendant_employer"),
				c.or(c.cw.AddressPerson, c.free(p.Address), "defendant_address")}
		default:
			shown := name
			if p.Kind == evidence.PartySoleTrader {
				shown += c.cw.KindSole
			}
			parts = []string{shown, c.or(c.cw.CreditCode, p.CreditCode, ""), c.or(c.cw.AddressOrg, c.free(p.Address), "defendant_address")}
			if role == evidence.DefendantMerchant {
				parts = append(parts, c.or(c.cw.MerchantNo, c.merchantNo(), ""))
			}
			parts = append(parts, c.or(c.cw.Phone, p.Phone, ""))
		}
		c.add(BlockField, label, c.join(parts...))
		if pt.LegalRep != "" {
			tmpl, lbl := c.cw.LegalRep, c.cw.LegalRepLabel
			if p.Kind == evidence.PartySoleTrader {
				tmpl, lbl = c.cw.Operator, c.cw.OperatorLabel
			}
			c.add(BlockField, lbl, c.render(tmpl, map[string]any{"Name": c.free(pt.LegalRep), "Title": c.free(pt.RepTitle), "Phone": pt.RepPhone}))
		}
	}
	return names
}

// claims are the 诉讼请求: the sum the dispute summary computes, and costs.
func (c *courtComposer) claims() {
	c.plainHeading(c.cw.Requests)
	s := c.summary
	key := string(c.full.Case.Scenario)
	if _, ok := c.cw.Request[key]; !ok {
		key = string(evidence.ScenarioOther)
	}
	var cl evidence.Claim
	switch {
	case c.full.Case.Scenario == evidence.MissingReceipt:
		cl.Text = c.render(c.cw.Request[key], c.base)
	case s.Refund > 0:
		cl = evidence.Claim{Text: c.render(c.cw.Request[key], map[string]any{"Yuan": s.Refund.Yuan()}), Amount: s.Refund}
	default:
		cl.Text = c.render(c.cw.Request["unknown"], map[string]any{"Blank": c.cw.Blank})
		c.warnings = append(c.warnings, c.cw.WarnAmount)
	}
	costs := evidence.Claim{Text: c.cw.Request["costs"]}
	c.requests = []evidence.Claim{cl, costs}
	for i, r := range c.requests {
		c.item(i+1, r.Text)
	}
}

// factsAndReasons: the user's account, the computed figures, the
// chronology, the complaints made before (from the filings), the legal
// basis and the conclusion.
func (c *courtComposer) factsAndReasons() {
	c.plainHeading(c.cw.Facts)
	for _, line := range strings.Split(strings.TrimSpace(c.full.Case.Facts), "\n") {
		c.para(c.free(strings.TrimSpace(line)))
	}
	if strings.TrimSpace(c.full.Case.Facts) == "" {
		c.warn("no_facts", nil)
	}
	c.summaryParagraph()
	c.chronology()
	c.complaints()
	for _, id := range c.plan.AllowedCitations {
		cit, ok := CitationByID(id)
		if !ok {
			continue
		}
		law, article, text := cit.In(c.lang)
		c.para(c.render(c.cw.BasisIntro, map[string]any{"Law": law, "Article": article, "Text": text}))
		c.cited = append(c.cited, id)
	}
	switch {
	case c.full.Case.Scenario == evidence.MissingReceipt:
		c.para(c.cw.ConclusionReceipt)
	case c.merchant:
		c.para(c.cw.ConclusionMerchant)
	default:
		c.para(c.cw.ConclusionConsumer)
	}
	c.para(c.cw.ClosingSentence)
}

// complaints lists the filings made before the action, with their outcome.
func (c *courtComposer) complaints() {
	fs := c.full.Filings
	if len(fs) == 0 {
		return
	}
	c.para(c.cw.ComplaintsIntro)
	for i, f := range fs {
		party := filingParty(f, c.lang)
		outcome := c.filingOutcome(f, c.cw)
		c.item(i+1, c.render(c.cw.Complaint, map[string]any{
			"Date": c.day(f.Sent), "Channel": c.cw.Channel[string(f.Channel)], "Party": c.free(party),
			"Ticket": f.Ticket, "Asked": strings.TrimRight(c.free(f.Asked), "。."), "Outcome": outcome,
		}))
	}
}

// evidenceSection is 证据和证据来源，证人姓名和住所: the evidence list is
// built as a letter's is (and printed by the renderer as the 证据目录 with
// pages); the section points to it and names the witnesses.
func (c *courtComposer) evidenceSection() {
	n := len(c.blocks)
	c.evidenceList()
	c.blocks = c.blocks[:n] // keep the items, not the letter's heading and sentence
	c.plainHeading(c.cw.Evidence)
	if len(c.evidence) == 0 {
		c.para(c.cw.EvidenceNone)
	} else {
		c.para(c.render(c.cw.EvidencePara, map[string]any{"N": len(c.evidence)}))
	}
	ws := c.full.Case.Court.Witnesses
	if len(ws) == 0 {
		c.para(c.cw.NoWitness)
		return
	}
	var names []string
	for _, w := range ws {
		names = append(names, c.render(c.cw.Witness, map[string]any{"Name": c.free(w.Name), "Address": c.free(w.Address)}))
	}
	c.para(c.render(c.cw.Witnesses, strings.Join(names, c.cw.ListSep)))
}

func (c *courtComposer) signature() {
	p := c.parties.Complainant
	data := c.with()
	lines := c.cw.SignaturePerson
	if p.Kind.Business() && p.Company != "" {
		lines = c.cw.SignatureBiz
		data["Rep"] = c.cw.RepCompany
		if p.Kind == evidence.PartySoleTrader {
			data["Rep"] = c.cw.RepSole
		}
		if rep := c.full.Case.Court.Plaintiff.LegalRep; rep != "" && p.Kind != evidence.PartySoleTrader {
			data["Name"] = c.free(rep)
		}
	}
	for _, s := range lines {
		c.add(BlockSignature, "", c.render(s, data))
	}
}

// smallClaimsNote tells the user, never the court, that a money claim may
// go to the small-claims procedure, with the rule's wording and no amount
// of threshold (it differs by province and year).
func (c *courtComposer) smallClaimsNote() string {
	if c.summary.Refund <= 0 || c.full.Case.Scenario == evidence.MissingReceipt {
		return ""
	}
	tmpl := court.SmallClaims.ZH
	if c.lang == English {
		tmpl = court.SmallClaims.EN
	}
	return c.render(tmpl, map[string]any{"Amount": c.summary.Refund.String()})
}

// filingContacts are the case's filings as earlier contacts of a letter:
// when and to whom each complaint went, its ticket, and where it stands
// (the last reply, or the lapse of its due date) in the letter's language.
func (c *composer) filingContacts() []contact {
	if len(c.full.Filings) == 0 || loadCourt() != nil {
		return nil
	}
	cw := court.Wording[c.lang]
	var cs []contact
	for _, f := range c.full.Filings {
		party := filingParty(f, c.lang)
		cs = append(cs, contact{at: f.Sent, party: party, ticket: f.Ticket, outcome: c.filingOutcome(f, cw), complaintFirst: true})
	}
	return cs
}

// filingOutcome says where filing f stands on the document's date: its
// last reply, its acceptance, or the lapse of its due date.
func (c *composer) filingOutcome(f evidence.Filing, cw *courtWording) string {
	st := escalation.StatusAt(f, c.date)
	data := map[string]any{"Due": "", "Date": "", "Content": ""}
	if !f.Due.IsZero() {
		data["Due"] = c.day(f.Due)
	}
	if n := len(f.Replies); n > 0 {
		data["Date"], data["Content"] = c.day(f.Replies[n-1].Time), c.free(f.Replies[n-1].Content)
	} else if st != evidence.FilingSent && st != evidence.FilingLapsed {
		data["Date"] = c.day(f.Sent) // set by hand: no reply date known
	}
	return c.render(cw.Outcome[string(st)], data)
}

// filingParty names the body a filing went to: as the user typed it, else
// the kind of recipient in lang.
func filingParty(f evidence.Filing, lang Lang) string {
	if f.Party != "" {
		return f.Party
	}
	rec, _ := escalation.RecipientFor(f.Recipient)
	if lang == English {
		return rec.EN
	}
	return rec.ZH
}
