package app

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/disputekit/disputekit/evidence"
)

// caseView is one case open in the window, its sections in tabs.
type caseView struct {
	u       *UI
	id      int64
	d       evidence.Dossier
	loaded  bool
	content *fyne.Container
	loading *widget.ProgressBarInfinite

	title    *tipLabel
	status   *widget.Select
	statuses choice[evidence.Status]
	tabs     *container.AppTabs
	tabItems map[tabName]*container.TabItem

	overview *overviewSection
	txns     *txnSection
	exhibits *exhibitSection
	calls    *callSection
	timeline *timelineSection
	filings  *filingSection
	letters  *letterSection

	lastMapping *mappingDialog // the column-mapping dialog last shown
	// reopening is set when the app reopens the case it showed last: it
	// goes back to the tab shown then, and a case no longer there is no error.
	reopening bool
}

func newCaseView(u *UI, id int64) *caseView {
	v := &caseView{u: u, id: id}
	v.loading = widget.NewProgressBarInfinite()
	// Going back abandons the load: loadAsync drops a result for a view no longer shown.
	back := widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), u.showList)
	v.content = container.NewStack(container.NewCenter(container.NewVBox(
		widget.NewLabel(lang.L("Opening the case…")), v.loading, container.NewCenter(back))))
	return v
}

// loadAsync reads the whole case in the background and builds the sections.
func (v *caseView) loadAsync() {
	v.u.goAsync(func() {
		d, err := v.u.cases.Dossier(v.u.ctx, v.id)
		keys := txnSearchKeys(d.Transactions) // the slow part of a 50k case, off the event goroutine
		v.u.do(func() {
			if v.u.view != v {
				v.loading.Stop()
				return // the user went elsewhere meanwhile
			}
			if err != nil {
				v.loading.Stop()
				if !v.reopening {
					v.u.showError(err)
				}
				v.u.showList()
				return
			}
			v.d = d
			v.build(keys)
			v.loaded = true
			if v.reopening {
				v.showTab(tabName(v.u.app.Preferences().String(prefLastTab)))
			}
		})
	})
}

// reloadAsync refreshes every section from the store, keeping the tab.
// deleteRecordAsync runs del off the event goroutine; once it succeeds, the
// deletion can be undone through restore (named by what) and the case reloads.
func (v *caseView) deleteRecordAsync(what string, del, restore func(ctx context.Context) error) {
	u := v.u
	u.goAsync(func() {
		err := del(u.ctx)
		u.do(func() {
			if err != nil {
				u.showError(err)
				return
			}
			u.remember(what, restore)
			v.reloadAsync()
		})
	})
}

// saveAsync runs save off the event goroutine, then, on the event
// goroutine, shows saved and reloads the case — or passes the error to done,
// which always runs (with nil on success).
func (v *caseView) saveAsync(save func(ctx context.Context) error, saved string, done func(error)) {
	u := v.u
	u.goAsync(func() {
		err := save(u.ctx)
		u.do(func() {
			if err == nil {
				u.setStatus(saved)
				v.reloadAsync()
			}
			done(err)
		})
	})
}

func (v *caseView) reloadAsync() {
	v.u.goAsync(func() {
		d, err := v.u.cases.Dossier(v.u.ctx, v.id)
		keys := txnSearchKeys(d.Transactions)
		v.u.do(func() {
			if v.u.view != v || !v.loaded {
				return
			}
			if err != nil {
				v.u.showError(err)
				return
			}
			v.apply(d, keys)
		})
	})
}

// apply shows a freshly loaded dossier in every section.
func (v *caseView) apply(d evidence.Dossier, keys []string) {
	v.d = d
	v.title.SetText(d.Case.Title)
	v.txns.setData(d.Transactions, keys)
	v.exhibits.setData(d.Exhibits)
	v.calls.setData(d.Calls)
	v.timeline.setData(d.Events)
	v.filings.setData(d.Filings)
	v.overview.refreshSideAsync()
}

func (v *caseView) build(txnKeys []string) {
	v.loading.Stop()
	v.u.win.SetTitle(v.d.Case.Title + " — " + lang.L("DisputeKit"))
	back := widget.NewButtonWithIcon(lang.L("All cases"), theme.NavigateBackIcon(), v.u.showList)
	v.title = newTipLabel(v.d.Case.Title) // a long title ends in … and shows whole on hover
	v.title.TextStyle = fyne.TextStyle{Bold: true}
	v.title.SizeName = theme.SizeNameSubHeadingText
	v.statuses = newChoice(evidence.Statuses, statusLabel)
	v.status = newSelect(v.statuses.labels, nil)
	v.status.SetSelected(v.statuses.label(v.d.Case.Status))
	v.status.OnChanged = func(s string) {
		if st, ok := v.statuses.code(s); ok && st != v.d.Case.Status {
			v.d.Case.Status = st
			v.overview.changed()
		}
	}

	v.overview = newOverviewSection(v)
	v.txns = newTxnSection(v, txnKeys)
	v.exhibits = newExhibitSection(v)
	v.calls = newCallSection(v)
	v.timeline = newTimelineSection(v)
	v.filings = newFilingSection(v)
	v.letters = newLetterSection(v)
	v.tabItems = map[tabName]*container.TabItem{
		tabOverview:     container.NewTabItemWithIcon(lang.L("Overview"), theme.InfoIcon(), v.overview.content),
		tabTransactions: container.NewTabItemWithIcon(lang.L("Transactions"), theme.ListIcon(), v.txns.content),
		tabEvidence:     container.NewTabItemWithIcon(lang.L("Evidence"), theme.FileImageIcon(), v.exhibits.content),
		tabCalls:        container.NewTabItemWithIcon(lang.L("Communications"), theme.MailComposeIcon(), v.calls.content),
		tabTimeline:     container.NewTabItemWithIcon(lang.L("Timeline"), theme.HistoryIcon(), v.timeline.content),
		tabFilings:      container.NewTabItemWithIcon(lang.L("Complaints"), theme.MailSendIcon(), v.filings.content),
		tabLetters:      container.NewTabItemWithIcon(lang.L("Letters"), theme.DocumentIcon(), v.letters.content),
	}
	v.tabs = container.NewAppTabs()
	for _, name := range tabOrder {
		v.tabs.Append(v.tabItems[name])
	}
	v.tabs.OnSelected = func(t *container.TabItem) {
		v.u.app.Preferences().SetString(prefLastTab, string(v.shownTab()))
		switch t.Content {
		case v.overview.content:
			v.overview.refreshSideAsync()
		case v.letters.content:
			v.letters.composeAsync()
		case v.exhibits.content:
			v.exhibits.thumbsAsync()
		}
	}
	// A Select sizes to its current text; give it room for the longest status.
	status := container.NewGridWrap(fyne.NewSize(widestLabel(v.statuses.labels)+80, v.status.MinSize().Height), v.status)
	header := container.NewBorder(nil, nil, back, container.NewHBox(widget.NewLabel(lang.L("Status")), status), v.title)
	v.content.Objects = []fyne.CanvasObject{container.NewBorder(container.NewPadded(header), nil, nil, nil, v.tabs)}
	v.content.Refresh()
}

// tabName names a section of an open case; the names are also what the
// app remembers as the last tab shown.
type tabName string

const (
	tabOverview     tabName = "overview"
	tabTransactions tabName = "transactions"
	tabEvidence     tabName = "evidence"
	tabCalls        tabName = "calls"
	tabTimeline     tabName = "timeline"
	tabFilings      tabName = "filings"
	tabLetters      tabName = "letters"
)

// tabOrder is the order the sections' tabs appear in.
var tabOrder = []tabName{tabOverview, tabTransactions, tabEvidence, tabCalls, tabTimeline, tabFilings, tabLetters}

// showTab brings the section name to the front.
func (v *caseView) showTab(name tabName) {
	if it := v.tabItems[name]; it != nil {
		v.tabs.Select(it)
	}
}

// shownTab is the name of the section in front.
func (v *caseView) shownTab() tabName {
	sel := v.tabs.Selected()
	for name, it := range v.tabItems {
		if it == sel {
			return name
		}
	}
	return tabOverview
}

func (v *caseView) showLetters() { v.showTab(tabLetters) }

// leave saves anything still waiting and stops background work.
func (v *caseView) leave() {
	if v.overview != nil {
		v.overview.flush()
	}
	if v.exhibits != nil {
		v.exhibits.flush()
	}
}

// widestLabel is the width of the widest of texts in the theme's text size.
func widestLabel(texts []string) float32 {
	var w float32
	for _, t := range texts {
		if s := fyne.MeasureText(t, theme.TextSize(), fyne.TextStyle{}); s.Width > w {
			w = s.Width
		}
	}
	return w
}

// confirmDelete deletes the whole case after asking; Undo brings it back
// (as a new case number) while its files are still in the vault.
func (v *caseView) confirmDelete() {
	u := v.u
	title := v.d.Case.Title
	msg := widget.NewLabel(lang.L("\"{{.Title}}\" and everything in it will be deleted. You can undo this until DisputeKit is closed.", map[string]any{"Title": title}))
	msg.Wrapping = fyne.TextWrapWord
	// The buttons say what they do (删除 / 取消), not yes or no.
	d := dialog.NewCustomConfirm(lang.L("Delete this case?"), lang.L("Delete"), lang.L("Cancel"), msg, func(ok bool) {
		if ok {
			v.deleteCaseAsync()
		}
	}, u.win)
	d.Resize(dialogSize(u.win, fyne.NewSize(480, 220)))
	d.Show()
}

func (v *caseView) deleteCaseAsync() {
	u := v.u
	v.leave()
	u.goAsync(func() {
		d, err := u.cases.Dossier(u.ctx, v.id) // the latest, saved state
		if err == nil {
			err = u.cases.DeleteCase(u.ctx, v.id)
		}
		u.do(func() {
			if err != nil {
				u.showError(err)
				return
			}
			u.showList()
			u.remember(lang.L("case {{.Title}}", map[string]any{"Title": d.Case.Title}), func(ctx context.Context) error {
				_, err := u.cases.ImportDossier(ctx, d, u.cases.OpenBlob)
				if err == nil {
					u.do(u.list.refreshAsync)
				}
				return err
			})
		})
	})
}
