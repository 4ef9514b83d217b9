package app

import (
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/casework"
)

// caseList is the start screen: every case with search.
type caseList struct {
	u       *UI
	content fyne.CanvasObject
	search  *widget.Entry
	table   *widget.Table
	empty   *widget.Label
	newBtn  *widget.Button

	all   []casework.CaseLine
	shown []casework.CaseLine
}

var caseColumns = []struct {
	title func() string
	width float32
}{
	{func() string { return lang.L("Case") }, 300},
	{func() string { return lang.L("Problem") }, 200},
	{func() string { return lang.L("Status") }, 150},
	{func() string { return lang.L("In dispute") }, 120},
	{func() string { return lang.L("Last change") }, 150},
	{func() string { return lang.L("Next deadline") }, 220},
}

func newCaseList(u *UI) *caseList {
	l := &caseList{u: u}
	l.search = widget.NewEntry()
	l.search.SetPlaceHolder(lang.L("Search cases by title, party or problem"))
	l.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	l.search.OnChanged = func(string) { l.filter() }
	l.newBtn = widget.NewButtonWithIcon(lang.L("New case"), theme.ContentAddIcon(), u.newCase)
	l.newBtn.Importance = widget.HighImportance

	l.table = widget.NewTable(
		func() (int, int) { return len(l.shown), len(caseColumns) },
		func() fyne.CanvasObject { return newTipLabel("") },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			lb := &o.(*tipLabel).Label
			if id.Row >= len(l.shown) {
				lb.SetText("")
				return
			}
			lb.Importance = widget.MediumImportance
			lb.TextStyle = fyne.TextStyle{Bold: id.Col == 0}
			lb.SetText(l.cell(l.shown[id.Row], id.Col, lb))
		})
	l.table.ShowHeaderRow = true
	l.table.CreateHeader = func() fyne.CanvasObject {
		lb := widget.NewLabel("")
		lb.TextStyle = fyne.TextStyle{Bold: true}
		lb.Truncation = fyne.TextTruncateEllipsis
		return lb
	}
	l.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(caseColumns) {
			o.(*widget.Label).SetText(caseColumns[id.Col].title())
		}
	}
	for i, c := range caseColumns {
		l.table.SetColumnWidth(i, c.width)
	}
	l.table.OnSelected = func(id widget.TableCellID) {
		l.table.UnselectAll()
		if id.Row >= 0 && id.Row < len(l.shown) {
			u.openCase(l.shown[id.Row].ID)
		}
	}
	l.empty = widget.NewLabel(lang.L("No cases yet. Press \"New case\" to start gathering evidence for a payment problem."))
	l.empty.Alignment = fyne.TextAlignCenter
	l.empty.Hide()

	heading := widget.NewLabel(lang.L("Your cases"))
	heading.TextStyle = fyne.TextStyle{Bold: true}
	heading.SizeName = theme.SizeNameSubHeadingText
	top := container.NewBorder(nil, nil, heading, l.newBtn, l.search)
	l.content = container.NewBorder(container.NewPadded(top), nil, nil, nil,
		container.NewStack(l.table, container.NewCenter(l.empty)))
	return l
}

func (l *caseList) cell(c casework.CaseLine, col int, lb *widget.Label) string {
	switch col {
	case 0:
		return c.Title
	case 1:
		return scenarioLabel(c.Scenario)
	case 2:
		return statusLabel(c.Status)
	case 3:
		if c.Disputed == 0 {
			return "—"
		}
		return c.Disputed.String()
	case 4:
		return formatDay(c.Updated)
	case 5:
		// The next date and what it is for: a complaint's answer or a
		// timeline deadline, red once passed.
		if c.Due.IsZero() {
			return "—"
		}
		lb.Importance = dueImportance(c.Due, l.u.svc.now())
		return formatDay(c.Due) + " " + c.DueFor.In(uiLang())
	}
	return ""
}

// refreshAsync reloads the case list from the store.
func (l *caseList) refreshAsync() {
	l.u.goAsync(func() {
		cases, err := l.u.svc.Cases.CaseList(l.u.ctx, l.u.svc.now())
		l.u.do(func() {
			if err != nil {
				l.u.showError(err)
				return
			}
			sort.SliceStable(cases, func(i, j int) bool { return cases[i].Updated.After(cases[j].Updated) })
			l.all = cases
			l.filter()
		})
	})
}

func (l *caseList) filter() {
	q := strings.ToLower(strings.TrimSpace(l.search.Text))
	l.shown = l.shown[:0]
	for _, c := range l.all {
		if q == "" || strings.Contains(caseSearchText(c), q) {
			l.shown = append(l.shown, c)
		}
	}
	if len(l.all) == 0 {
		l.empty.Show()
	} else {
		l.empty.Hide()
	}
	l.table.Refresh()
}

func caseSearchText(c casework.CaseLine) string {
	return strings.ToLower(strings.Join([]string{c.Title, scenarioLabel(c.Scenario), statusLabel(c.Status),
		c.Complainant.Name, c.Respondent.Name, c.Respondent.Company, c.Facts}, "\n"))
}

// dueImportance colours a deadline: red when passed, orange within three days.
func dueImportance(due, now time.Time) widget.Importance {
	switch {
	case due.Before(now):
		return widget.DangerImportance
	case due.Before(now.Add(72 * time.Hour)):
		return widget.WarningImportance
	}
	return widget.MediumImportance
}

func formatDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(evidence.Shanghai).Format("2006-01-02")
}

func formatMinute(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(evidence.Shanghai).Format("2006-01-02 15:04")
}
