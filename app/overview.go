package app

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/casework"
	"github.com/disputekit/disputekit/evidence/check"
	"github.com/disputekit/disputekit/evidence/escalation"
)

// overviewSection edits the case itself (parties, claims, facts) and shows
// where it stands: the evidence checklist, findings and the next steps.
type overviewSection struct {
	v       *caseView
	content fyne.CanvasObject
	saver   *saver[evidence.Case]

	scenarios choice[evidence.Scenario]
	roles     choice[evidence.Role]

	title    *formEntry
	scenario *widget.Select
	role     *widget.Select
	comp     partyFields
	resp     partyFields
	issuer   partyFields // 发卡行
	acquirer partyFields // 收单机构
	settle   partyFields // 结算银行, a merchant's case only
	// settleCard is shown only while the case is a merchant's.
	settleCard *widget.Card
	// foldedInstitution: the old single Institution (a case from before
	// the parties) is shown as the issuer or acquirer and saved there.
	foldedInstitution bool
	claims            []*claimRow
	claimBox          *fyne.Container
	facts             *formEntry

	checklist *fyne.Container
	findings  *fyne.Container
	steps     *fyne.Container

	building bool // true while fields are filled in, so no save fires
}

type partyFields struct {
	name, idNumber, phone, address, company, creditCode, merchantNo, terminalNo *formEntry
	kind                                                                        *widget.Select
	kinds                                                                       choice[evidence.PartyKind]
}

// The kinds each party may be, in the order offered; "" is "not chosen"
// (the letters then guess from the name).
var (
	complainantKinds = []evidence.PartyKind{"", evidence.PartyIndividual, evidence.PartySoleTrader, evidence.PartyCompany, evidence.PartyMerchant}
	respondentKinds  = []evidence.PartyKind{"", evidence.PartyMerchant, evidence.PartySoleTrader, evidence.PartyCompany,
		evidence.PartyIndividual, evidence.PartyBank, evidence.PartyPaymentInstitution}
	institutionKinds = []evidence.PartyKind{"", evidence.PartyBank, evidence.PartyPaymentInstitution}
)

type claimRow struct {
	text, amount *formEntry
	row          fyne.CanvasObject
}

func newOverviewSection(v *caseView) *overviewSection {
	o := &overviewSection{v: v}
	u := v.u
	o.saver = &saver[evidence.Case]{
		do: u.do,
		save: func(c evidence.Case) error {
			_, err := u.cases.UpdateCase(u.ctx, &c)
			return err
		},
		saved: func(err error) {
			if err != nil {
				u.setStatus(lang.L("Not saved yet"))
				u.showError(err)
				return
			}
			u.setStatus(lang.L("All changes saved"))
			o.refreshSideAsync()
		},
	}
	o.scenarios = newChoice(evidence.Scenarios, scenarioLabel)
	o.roles = newChoice([]evidence.Role{evidence.RoleConsumer, evidence.RoleMerchant, evidence.RoleHelper}, roleLabel)

	entry := func() *formEntry {
		e := newFormEntry()
		e.OnChanged = func(string) { o.changed() }
		return e
	}
	o.building = true
	c := v.d.Case
	o.title = entry()
	o.title.SetText(c.Title)
	o.scenario = newSelect(o.scenarios.labels, func(string) { o.changed() })
	o.scenario.SetSelected(o.scenarios.label(c.Scenario))
	o.role = newSelect(o.roles.labels, func(string) { o.changed() })
	o.role.SetSelected(o.roles.label(c.Role))
	o.facts = newFormMultiLineEntry()
	o.facts.Wrapping = fyne.TextWrapWord
	o.facts.SetMinRowsVisible(8)
	o.facts.SetPlaceHolder(lang.L("What happened, in order: when, where, how much, what you were told."))
	o.facts.SetText(c.Facts)
	o.facts.OnChanged = func(string) { o.changed() }

	kindPicker := func(f *partyFields, kinds []evidence.PartyKind, k evidence.PartyKind) {
		if !slices.Contains(kinds, k) {
			kinds = append(slices.Clone(kinds), k) // a kind set elsewhere (dk) stays
		}
		f.kinds = newChoice(kinds, partyKindLabel)
		f.kind = newSelect(f.kinds.labels, func(string) { o.changed() })
		f.kind.SetSelected(f.kinds.label(k))
	}
	newParty := func(p evidence.Party) partyFields {
		f := partyFields{name: entry(), idNumber: entry(), phone: entry(), address: entry(), company: entry(),
			creditCode: entry(), merchantNo: entry(), terminalNo: entry()}
		f.name.SetText(p.Name)
		f.idNumber.SetText(p.IDNumber)
		f.phone.SetText(p.Phone)
		f.address.SetText(p.Address)
		f.company.SetText(p.Company)
		f.creditCode.SetText(p.CreditCode)
		f.merchantNo.SetText(p.MerchantNo)
		f.terminalNo.SetText(p.TerminalNo)
		return f
	}
	person := func(p evidence.Party, kinds []evidence.PartyKind, business bool) (partyFields, *widget.Form) {
		f := newParty(p)
		kindPicker(&f, kinds, p.Kind)
		form := widget.NewForm(widget.NewFormItem(lang.L("Name"), f.name))
		if !business {
			form.Append(lang.L("ID number"), f.idNumber)
		}
		form.Append(lang.L("Party kind"), f.kind)
		form.Append(lang.L("Phone"), f.phone)
		form.Append(lang.L("Address"), f.address)
		form.Append(lang.L("Company"), f.company)
		form.Append(lang.L("Credit code"), f.creditCode)
		if business {
			form.Append(lang.L("Merchant no."), f.merchantNo)
			form.Append(lang.L("Terminal no."), f.terminalNo)
		}
		return f, form
	}
	// An institution of the payment: its registered name, kind, domicile and phone.
	institution := func(p evidence.Party) (partyFields, *widget.Form) {
		f := newParty(p)
		kindPicker(&f, institutionKinds, p.Kind)
		return f, widget.NewForm(
			widget.NewFormItem(lang.L("Registered name"), f.name),
			widget.NewFormItem(lang.L("Party kind"), f.kind),
			widget.NewFormItem(lang.L("Address"), f.address),
			widget.NewFormItem(lang.L("Phone"), f.phone),
		)
	}
	var compForm, respForm *widget.Form
	o.comp, compForm = person(c.Complainant, complainantKinds, false)
	o.resp, respForm = person(c.Respondent, respondentKinds, true)
	issuer, acquirer := c.Issuer, c.Acquirer
	if !c.Institution.Empty() { // as evidence.Case.Parties reads an old case
		switch {
		case c.MerchantSide() && acquirer.Name == "":
			acquirer, o.foldedInstitution = c.Institution, true
		case !c.MerchantSide() && issuer.Name == "":
			issuer, o.foldedInstitution = c.Institution, true
		}
	}
	var issuerForm, acquirerForm, settleForm *widget.Form
	o.issuer, issuerForm = institution(issuer)
	o.acquirer, acquirerForm = institution(acquirer)
	o.settle, settleForm = institution(c.SettlementBank)
	o.settleCard = widget.NewCard("", lang.L("Settlement bank (for a shop)"), settleForm)
	o.settleCard.Hidden = !c.MerchantSide()

	o.claimBox = container.NewVBox()
	for _, cl := range c.Claims {
		o.addClaim(cl)
	}
	addClaim := widget.NewButtonWithIcon(lang.L("Add a request"), theme.ContentAddIcon(), func() {
		o.addClaim(evidence.Claim{})
	})
	addClaim.Importance = widget.LowImportance
	o.building = false

	caseForm := widget.NewForm(
		widget.NewFormItem(lang.L("Title"), o.title),
		widget.NewFormItem(lang.L("Problem"), o.scenario),
		widget.NewFormItem(lang.L("You are"), o.role),
	)
	left := container.NewVBox(
		widget.NewCard("", lang.L("The case"), caseForm),
		widget.NewCard("", lang.L("You (complainant)"), compForm),
		widget.NewCard("", lang.L("Complaint against (respondent)"), respForm),
		widget.NewCard("", lang.L("Cardholder's bank (issuer)"), issuerForm),
		widget.NewCard("", lang.L("Acquirer (payment company or bank)"), acquirerForm),
		o.settleCard,
		widget.NewCard("", lang.L("What you ask for"), container.NewVBox(o.claimBox, addClaim)),
		widget.NewCard("", lang.L("What happened"), o.facts),
	)
	o.checklist = container.NewVBox()
	o.findings = container.NewVBox()
	o.steps = container.NewVBox()
	right := container.NewVBox(
		widget.NewCard("", lang.L("Evidence checklist"), o.checklist),
		widget.NewCard("", lang.L("Things to look at"), o.findings),
		widget.NewCard("", lang.L("Next steps"), o.steps),
	)
	split := container.NewHSplit(container.NewVScroll(left), container.NewVScroll(right))
	split.Offset = 0.58
	o.content = split
	o.refreshSideAsync()
	return o
}

func (o *overviewSection) addClaim(cl evidence.Claim) {
	r := &claimRow{text: newFormEntry(), amount: newFormEntry()}
	r.text.SetPlaceHolder(lang.L("e.g. Refund ¥1,150.00 to the original card"))
	r.text.SetText(cl.Text)
	r.amount.SetPlaceHolder("¥")
	if cl.Amount != 0 {
		r.amount.SetText(cl.Amount.Yuan())
	}
	r.text.OnChanged = func(string) { o.changed() }
	r.amount.OnChanged = func(string) { o.changed() }
	del := widget.NewButtonWithIcon("", theme.DeleteIcon(), nil)
	del.Importance = widget.LowImportance
	amount := container.NewGridWrap(fyne.NewSize(110, r.amount.MinSize().Height), r.amount)
	r.row = container.NewBorder(nil, nil, nil, container.NewHBox(amount, del), r.text)
	del.OnTapped = func() {
		for i, x := range o.claims {
			if x == r {
				o.claims = append(o.claims[:i], o.claims[i+1:]...)
				break
			}
		}
		o.claimBox.Remove(r.row)
		o.changed()
	}
	o.claims = append(o.claims, r)
	o.claimBox.Add(r.row)
	if !o.building {
		o.changed()
	}
}

// collect reads the fields into a case; amounts that do not parse yet are
// left out of this save (the user is probably still typing).
func (o *overviewSection) collect() evidence.Case {
	c := o.v.d.Case
	c.Title = o.title.Text
	if sc, ok := o.scenarios.code(o.scenario.Selected); ok {
		c.Scenario = sc
	}
	if r, ok := o.roles.code(o.role.Selected); ok {
		c.Role = r
	}
	read := func(f partyFields) evidence.Party {
		kind, _ := f.kinds.code(f.kind.Selected)
		return evidence.Party{Name: f.name.Text, Kind: kind, IDNumber: f.idNumber.Text, Phone: f.phone.Text, Address: f.address.Text,
			Company: f.company.Text, CreditCode: f.creditCode.Text, MerchantNo: f.merchantNo.Text, TerminalNo: f.terminalNo.Text}
	}
	c.Complainant = read(o.comp)
	c.Respondent = read(o.resp)
	c.Issuer = read(o.issuer)
	c.Acquirer = read(o.acquirer)
	c.SettlementBank = read(o.settle)
	if o.foldedInstitution {
		c.Institution = evidence.Party{} // now kept as the issuer or acquirer
	}
	c.Claims = nil
	for _, r := range o.claims {
		cl := evidence.Claim{Text: strings.TrimSpace(r.text.Text)}
		if m, err := evidence.ParseMoney(r.amount.Text); err == nil && m >= 0 {
			cl.Amount = m
		}
		if cl.Text == "" && cl.Amount == 0 {
			continue
		}
		if cl.Text == "" {
			cl.Text = lang.L("Refund the amount charged wrongly to the original card")
		}
		c.Claims = append(c.Claims, cl)
	}
	c.Facts = o.facts.Text
	return c
}

// changed is called on every edit: the case is saved after a pause.
func (o *overviewSection) changed() {
	if o.building || o.title == nil {
		return
	}
	c := o.collect()
	if c.Title == "" {
		c.Title = o.v.d.Case.Title // a case needs a title; keep the old one while the field is empty
	}
	o.v.d.Case = c
	o.v.title.SetText(c.Title)
	if c.MerchantSide() != o.settleCard.Visible() {
		o.settleCard.Hidden = !c.MerchantSide()
		o.settleCard.Refresh()
	}
	o.v.u.setStatus(lang.L("Saving…"))
	o.saver.set(c)
}

func (o *overviewSection) flush() { o.saver.flush() }

// uiLang is the language the UI is shown in ("zh" or "en").
func uiLang() string { return lang.X("ui.language", "en") }

// sideData is what the overview's right column shows.
type sideData struct {
	checklist []evidence.ChecklistItem
	findings  []check.Finding
	steps     []casework.Step
	filings   []escalation.Line // complaints due or overdue, and the rung each opens
}

// refreshSideAsync recomputes checklist, findings and next steps from the
// dossier off the event goroutine (the checks read every transaction).
func (o *overviewSection) refreshSideAsync() {
	u := o.v.u
	d := o.v.d // the sections replace these slices, never change them in place
	now := u.svc.now()
	u.goAsync(func() {
		var sd sideData
		sd.checklist = evidence.Checklist(d)
		sd.findings = check.Run(d, check.Options{Now: now})
		sd.steps = casework.NextSteps(d, now)
		sd.filings = filingLines(d, now)
		u.do(func() { o.showSide(sd) })
	})
}

func (o *overviewSection) showSide(sd sideData) {
	zh := uiLang() == "zh"
	o.checklist.RemoveAll()
	for _, it := range sd.checklist {
		label := it.LabelEn
		if zh {
			label = it.LabelZh
		}
		icon := theme.CancelIcon()
		imp := widget.DangerImportance
		if it.Satisfied {
			icon, imp = theme.ConfirmIcon(), widget.SuccessImportance
		} else if it.Level == evidence.Optional {
			imp = widget.LowImportance
		}
		lvl := map[evidence.ChecklistLevel]string{
			evidence.Required: lang.L("required"),
			evidence.OneOf:    lang.L("one of these"),
			evidence.Optional: lang.L("optional"),
		}[it.Level]
		text := lang.L("{{.Label}} ({{.Level}})", map[string]any{"Label": label, "Level": lvl})
		by := it.By
		if zh {
			by = it.ByZh
		}
		if len(by) > 0 {
			text += " — " + strings.Join(by, "; ")
		}
		lb := widget.NewLabel(text)
		lb.Wrapping = fyne.TextWrapWord
		lb.Importance = imp
		o.checklist.Add(container.NewBorder(nil, nil, widget.NewIcon(icon), nil, lb))
	}

	o.findings.RemoveAll()
	finds := sd.findings
	if len(finds) == 0 {
		lb := widget.NewLabel(lang.L("Nothing unusual found so far."))
		lb.Importance = widget.LowImportance
		o.findings.Add(lb)
	}
	for _, f := range finds {
		lb := widget.NewLabel(f.Summary.In(uiLang()))
		lb.Wrapping = fyne.TextWrapWord
		icon := theme.InfoIcon()
		if f.Severity != check.Info {
			icon, lb.Importance = theme.WarningIcon(), widget.WarningImportance
		}
		var action fyne.CanvasObject
		if keep, drop, ok := o.twins(f); ok {
			action = widget.NewButtonWithIcon(lang.L("Merge"), theme.ContentCopyIcon(), func() { o.mergeAsync(keep, drop) })
		}
		o.findings.Add(container.NewBorder(nil, nil, widget.NewIcon(icon), action, lb))
	}

	o.steps.RemoveAll()
	for _, l := range sd.filings {
		lb := widget.NewLabel(l.Text.In(uiLang()))
		lb.Wrapping = fyne.TextWrapWord
		icon := theme.MailSendIcon()
		switch {
		case l.Overdue():
			lb.Importance, icon = widget.DangerImportance, theme.WarningIcon()
		case !l.Due.IsZero():
			lb.Importance = dueImportance(l.Due, o.v.u.svc.now())
		case len(l.Next) > 0:
			lb.Importance = widget.HighImportance
		}
		o.steps.Add(container.NewBorder(nil, nil, widget.NewIcon(icon), nil, lb))
	}
	for _, s := range sd.steps {
		lb := widget.NewLabel(s.Text.In(uiLang()))
		lb.Wrapping = fyne.TextWrapWord
		lb.Importance = stepImportance[s.State]
		if !s.Due.IsZero() {
			lb.Importance = dueImportance(s.Due, o.v.u.svc.now())
		}
		icon := theme.RadioButtonIcon()
		if s.State == casework.Done {
			icon = theme.RadioButtonCheckedIcon()
		}
		o.steps.Add(container.NewBorder(nil, nil, widget.NewIcon(icon), nil, lb))
	}
}

// stepImportance colours a next step by where it stands.
var stepImportance = map[casework.StepState]widget.Importance{
	casework.Open:    widget.LowImportance,
	casework.Next:    widget.HighImportance,
	casework.Done:    widget.SuccessImportance,
	casework.Due:     widget.MediumImportance,
	casework.Overdue: widget.DangerImportance,
}

// twins reads a typed-twin finding: the imported transaction to keep and
// the hand-typed one to merge into it.
func (o *overviewSection) twins(f check.Finding) (keep, drop int64, ok bool) {
	if f.Kind != check.TypedTwin || len(f.Transactions) != 2 {
		return 0, 0, false
	}
	typed := map[int64]bool{}
	for _, t := range o.v.d.Transactions {
		typed[t.ID] = t.Source == "manual" || t.Source == ""
	}
	a, b := f.Transactions[0], f.Transactions[1]
	switch {
	case typed[a] && !typed[b]:
		return b, a, true
	case typed[b] && !typed[a]:
		return a, b, true
	}
	return 0, 0, false
}

// mergeAsync makes one transaction of a hand-typed one and its imported
// twin (store.MergeTransactions, as dk txn merge does).
func (o *overviewSection) mergeAsync(keep, drop int64) {
	v := o.v
	v.saveAsync(func(ctx context.Context) error {
		_, err := v.u.cases.MergeTransactions(ctx, v.id, keep, drop)
		return err
	}, lang.L("The two transactions are now one."), func(err error) {
		if err != nil {
			v.u.showError(err)
		}
	})
}
