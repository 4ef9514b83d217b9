package app

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/disputekit/disputekit/evidence"
)

// wizard creates a case in three short steps: what happened, who you are,
// the basic facts.
type wizard struct {
	u    *UI
	dlg  *dialog.CustomDialog
	step int

	scenarios choice[evidence.Scenario]
	roles     choice[evidence.Role]

	scenario    *widget.RadioGroup
	description *widget.Label
	role        *widget.RadioGroup
	title       *formEntry
	name        *formEntry
	phone       *formEntry
	respondent  *formEntry
	when        *formEntry
	amount      *formEntry
	facts       *formEntry

	fields         []*recordField // step 3, and the choices of steps 1 and 2, kept as a draft
	filling        bool
	notice         *fyne.Container
	pages          []fyne.CanvasObject
	stepLabel      *widget.Label
	body           *fyne.Container
	back, next     *widget.Button
	cancel, create *widget.Button
	titleEdited    bool
}

func newWizard(u *UI) *wizard {
	w := &wizard{u: u}
	w.scenarios = newChoice(evidence.Scenarios, scenarioLabel)
	w.roles = newChoice([]evidence.Role{evidence.RoleConsumer, evidence.RoleMerchant, evidence.RoleHelper}, roleLabel)

	w.description = widget.NewLabel(lang.L("Pick the problem that fits best. You can change it later."))
	w.description.Wrapping = fyne.TextWrapWord
	w.scenario = widget.NewRadioGroup(w.scenarios.labels, func(s string) {
		sc, ok := w.scenarios.code(s)
		if !ok {
			w.next.Disable()
			return
		}
		w.description.SetText(scenarioDescription(sc))
		if sc == evidence.SettlementShortfall && w.role.Selected == "" {
			w.role.SetSelected(w.roles.label(evidence.RoleMerchant))
		}
		if !w.titleEdited {
			w.title.SetText(scenarioLabel(sc))
			w.titleEdited = false
		}
		w.next.Enable()
	})
	w.role = widget.NewRadioGroup(w.roles.labels, nil)
	w.role.SetSelected(w.roles.label(evidence.RoleConsumer))

	w.title = newFormEntry()
	w.title.OnChanged = func(string) { w.titleEdited = true }
	w.name = newFormEntry()
	w.phone = newFormEntry()
	w.respondent = newFormEntry()
	w.when = withDatePicker(newFormEntry(), true)
	w.amount = newFormEntry()
	w.facts = newFormMultiLineEntry()
	w.facts.Wrapping = fyne.TextWrapWord
	w.facts.SetPlaceHolder(lang.L("What happened, in your own words. You can add to this later."))
	w.facts.SetMinRowsVisible(4)

	step1 := container.NewVBox(w.scenario, widget.NewSeparator(), w.description)
	step2 := container.NewVBox(widget.NewLabel(lang.L("Who are you in this case?")), w.role)
	w.fields = []*recordField{
		newField("title", lang.L("Case title"), false, w.title, ""),
		newField("name", lang.L("Your name"), false, w.name, lang.L("Your full name, as on your ID")),
		newField("phone", lang.L("Your phone"), false, w.phone, ""),
		newField("respondent", lang.L("Complaint against"), false, w.respondent, lang.L("Shop, bank or payment company")),
		newField("time", lang.L("When it happened"), false, w.when, lang.L("e.g. 2026-05-01 14:30")),
		newField("amount", lang.L("Amount in dispute (¥)"), false, w.amount, lang.L("e.g. 1280.00")),
		newField("facts", lang.L("What happened"), false, w.facts, ""),
	}
	grid := container.New(&formLayout{})
	for _, f := range w.fields {
		label := f.label
		if f.required {
			label += " *"
		}
		grid.Add(widget.NewLabel(label))
		grid.Add(container.NewVBox(f.input, f.under))
	}
	form := container.NewVScroll(grid)
	choices := []*recordField{newField("scenario", "", false, w.scenario, ""), newField("role", "", false, w.role, "")}
	for _, f := range append(choices, w.fields...) {
		f.onChange(w.keepDraft)
		if e, ok := f.input.(*formEntry); ok {
			e.onEscape = w.close
		}
	}
	w.fields = append(choices, w.fields...) // the choices first: a scenario fills in a title the draft may overwrite
	discard := widget.NewButton(lang.L("Start empty"), w.discardDraft)
	discard.Importance = widget.LowImportance
	restored := widget.NewLabel(lang.L("What you typed last time is back."))
	restored.Importance = widget.HighImportance
	w.notice = container.NewBorder(nil, nil, nil, discard, restored)
	w.notice.Hide()
	w.pages = []fyne.CanvasObject{step1, step2, form}
	w.stepLabel = widget.NewLabel("")
	w.stepLabel.TextStyle = fyne.TextStyle{Bold: true}
	w.body = container.NewStack()

	w.back = widget.NewButtonWithIcon(lang.L("Back"), theme.NavigateBackIcon(), func() { w.goTo(w.step - 1) })
	w.next = widget.NewButtonWithIcon(lang.L("Next"), theme.NavigateNextIcon(), func() { w.goTo(w.step + 1) })
	w.next.IconPlacement = widget.ButtonIconTrailingText
	w.next.Importance = widget.HighImportance
	w.next.Disable()
	w.create = widget.NewButtonWithIcon(lang.L("Create case"), theme.ConfirmIcon(), w.submit)
	w.create.Importance = widget.HighImportance
	w.cancel = widget.NewButton(lang.L("Cancel"), w.close)

	content := container.NewBorder(container.NewVBox(w.notice, w.stepLabel), nil, nil, nil, w.body)
	w.dlg = dialog.NewCustomWithoutButtons(lang.L("New case"), content, u.win)
	w.restoreDraft()
	w.goTo(0)
	if w.scenario.Selected != "" {
		w.next.Enable()
	}
	return w
}

// prefWizardDraft keeps what was typed into the new-case wizard.
const prefWizardDraft = "draft/wizard"

func (w *wizard) keepDraft() {
	if !w.filling {
		w.u.app.Preferences().SetString(prefWizardDraft, draftValues(w.fields))
	}
}

func (w *wizard) restoreDraft() {
	w.filling = true
	changed := restoreValues(w.fields, w.u.app.Preferences().String(prefWizardDraft))
	w.filling = false
	if changed {
		w.titleEdited = true
		w.notice.Show()
	}
}

// discardDraft throws the draft away and starts the wizard afresh.
func (w *wizard) discardDraft() {
	w.u.app.Preferences().RemoveValue(prefWizardDraft)
	w.dlg.Hide()
	w.u.startWizard()
}

func (w *wizard) show() {
	w.dlg.Resize(dialogSize(w.u.win, fyne.NewSize(640, 560)))
	w.dlg.Show()
	w.u.openWizard = w
}

// close hides the wizard; what was typed stays as a draft.
func (w *wizard) close() {
	w.dlg.Hide()
	if w.u.openWizard == w {
		w.u.openWizard = nil
	}
}

func (w *wizard) goTo(step int) {
	if step < 0 || step >= len(w.pages) {
		return
	}
	w.step = step
	titles := []string{
		lang.L("Step 1 of 3: What went wrong?"),
		lang.L("Step 2 of 3: Who are you?"),
		lang.L("Step 3 of 3: The basic facts"),
	}
	w.stepLabel.SetText(titles[step])
	w.body.Objects = []fyne.CanvasObject{w.pages[step]}
	w.body.Refresh()
	buttons := []fyne.CanvasObject{w.cancel}
	if step > 0 {
		buttons = append(buttons, w.back)
	}
	if step < len(w.pages)-1 {
		buttons = append(buttons, w.next)
	} else {
		buttons = append(buttons, w.create)
	}
	w.dlg.SetButtons(buttons)
}

// caseFromForm builds the case the wizard describes; the error names the
// field that needs fixing.
func (w *wizard) caseFromForm() (evidence.Case, *evidence.Event, error) {
	sc, _ := w.scenarios.code(w.scenario.Selected)
	if sc == "" {
		sc = evidence.ScenarioOther
	}
	role, ok := w.roles.code(w.role.Selected)
	if !ok {
		role = evidence.RoleConsumer
	}
	c := evidence.Case{
		Title:       strings.TrimSpace(w.title.Text),
		Scenario:    sc,
		Status:      evidence.StatusDraft,
		Role:        role,
		Complainant: evidence.Party{Name: strings.TrimSpace(w.name.Text), Phone: strings.TrimSpace(w.phone.Text)},
		Respondent:  evidence.Party{Name: strings.TrimSpace(w.respondent.Text)},
		Facts:       strings.TrimSpace(w.facts.Text),
	}
	if c.Title == "" {
		c.Title = scenarioLabel(sc)
	}
	if s := strings.TrimSpace(w.amount.Text); s != "" {
		m, err := evidence.ParseMoney(s)
		if err != nil || m < 0 {
			return c, nil, fieldFormat("amount")
		}
		c.Claims = []evidence.Claim{{Text: claimText(sc, role), Amount: m}}
	}
	var ev *evidence.Event
	if s := strings.TrimSpace(w.when.Text); s != "" {
		t, err := evidence.ParseLocalTime(s, evidence.Shanghai)
		if err != nil {
			return c, nil, fieldFormat("time")
		}
		ev = &evidence.Event{Kind: evidence.EventDiscovered, Time: t, Party: c.Respondent.Name, Note: c.Title}
	}
	return c, ev, nil
}

// claimText is the first request a new case starts with; the user edits it
// on the overview.
func claimText(sc evidence.Scenario, role evidence.Role) string {
	switch {
	case sc == evidence.SettlementShortfall || role == evidence.RoleMerchant:
		return lang.L("Settle the missing amount to my settlement account")
	case sc == evidence.MissingReceipt:
		return lang.L("Issue the transaction slip and refund any amount charged wrongly")
	case sc == evidence.DuplicateCharge:
		return lang.L("Reverse the duplicate debit to the original card")
	}
	return lang.L("Refund the amount charged wrongly to the original card")
}

func (w *wizard) submit() {
	for _, f := range w.fields {
		f.showProblem("")
	}
	c, ev, err := w.caseFromForm()
	if err != nil {
		w.showError(err)
		return
	}
	w.create.Disable()
	w.u.goAsync(func() {
		_, err := w.u.cases.CreateCase(w.u.ctx, &c, ev)
		w.u.do(func() {
			w.create.Enable()
			if err != nil {
				w.showError(err) // the wizard stays open with everything typed
				return
			}
			w.u.app.Preferences().RemoveValue(prefWizardDraft)
			w.u.openWizard = nil
			w.dlg.Hide()
			w.u.openCase(c.ID)
		})
	})
}

// showError writes a field's problem under it, anything else in a message.
func (w *wizard) showError(err error) {
	var fe *evidence.FieldError
	if errors.As(err, &fe) {
		for _, f := range w.fields {
			if f.key == fe.Field {
				f.showProblem(fieldProblem(fe, f.label))
				return
			}
		}
	}
	w.u.showError(err)
}
