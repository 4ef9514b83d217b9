package app

import (
	"bytes"
	"context"
	"log"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/ingest"
)

// shownTexts collects every text the program shows inside o: labels,
// buttons, boxes, choices, placeholders, tab titles and rich text. What the
// user typed (an entry's text) is theirs, not the program's, and is left out.
func shownTexts(o fyne.CanvasObject, skip ...fyne.CanvasObject) []string {
	var out []string
	skipped := map[fyne.CanvasObject]bool{}
	for _, x := range skip {
		for _, y := range test.LaidOutObjects(x) {
			skipped[y] = true
		}
	}
	for _, x := range test.LaidOutObjects(o) {
		if !x.Visible() || skipped[x] {
			continue
		}
		switch w := x.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, w.Text)
		case *widget.Check:
			out = append(out, w.Text)
		case *widget.Select:
			out = append(out, w.Selected, w.PlaceHolder)
			out = append(out, w.Options...)
		case *widget.RadioGroup:
			out = append(out, w.Options...)
		case *widget.Entry:
			out = append(out, w.PlaceHolder)
		case *formEntry:
			out = append(out, w.PlaceHolder)
		case *canvas.Text:
			out = append(out, w.Text)
		case *widget.RichText:
			out = append(out, w.String())
		case *container.AppTabs:
			for _, it := range w.Items {
				out = append(out, it.Text)
			}
		case *widget.Table:
			rows, cols := w.Length()
			for r := 0; r < rows && r < 20; r++ {
				for c := 0; c < cols; c++ {
					cell := w.CreateCell()
					w.UpdateCell(widget.TableCellID{Row: r, Col: c}, cell)
					out = append(out, shownTexts(cell)...)
				}
			}
			if w.CreateHeader != nil && w.UpdateHeader != nil {
				for c := 0; c < cols; c++ {
					h := w.CreateHeader()
					w.UpdateHeader(widget.TableCellID{Row: -1, Col: c}, h)
					out = append(out, shownTexts(h)...)
				}
			}
		case *widget.List:
			for i := 0; i < w.Length() && i < 20; i++ {
				item := w.CreateItem()
				w.UpdateItem(i, item)
				out = append(out, shownTexts(item)...)
			}
		}
	}
	return out
}

// englishWord finds a word of Latin letters in a text; fileName finds the
// name of a file the user added, which is theirs.
var (
	englishWord = regexp.MustCompile(`[A-Za-z]{2,}`)
	fileName    = regexp.MustCompile(`[\w.-]+\.(csv|xlsx|xls|pdf|jpg|jpeg|png|zip)\b|(/[\w.-]+)+`)
)

// notWords are Latin-letter tokens that belong in a Chinese screen: names
// of formats and of the program, codes Chinese users meet as they are.
var notWords = map[string]bool{
	"PDF": true, "XLSX": true, "CSV": true, "RRN": true, "POS": true, "ID": true, "SHA": true,
	"DisputeKit": true, "English": true, "CNY": true, "PBOC": true, "NFRA": true, "min": true, "sec": true, "App": true,
	"dev": true, // the version of a build from a checkout, in Help › About
}

func englishIn(texts []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range texts {
		for _, w := range englishWord.FindAllString(fileName.ReplaceAllString(t, ""), -1) {
			if !notWords[w] && !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	sort.Strings(out)
	return out
}

// newTestUIIn is newTestUI in the language of locale.
func newTestUIIn(t *testing.T, locale string) testUI {
	tu := newTestUI(t)
	useLocale(t, locale)
	tu.switchLanguage()
	tu.wait()
	return tu
}

// screenTexts opens every tab of the case and every dialog, and collects
// what they show. The composed letter and its warnings are in the letter's
// language, which the templates own, and are left out.
func (tu testUI) screenTexts(t *testing.T) []string {
	texts := shownTexts(tu.win.Content())
	v := tu.view
	for _, name := range tabOrder {
		v.showTab(name)
		tu.wait()
		texts = append(texts, shownTexts(tu.win.Content(), v.letters.preview, v.letters.warnings)...)
	}
	for _, m := range tu.win.MainMenu().Items {
		texts = append(texts, m.Label)
		for _, it := range m.Items {
			texts = append(texts, it.Label)
		}
	}
	for _, open := range []func(){
		func() { v.txns.edit(-1) },
		func() { v.calls.edit(-1) },
		func() { v.timeline.edit(-1) },
		func() { tu.showSettings() },
		func() { tu.showRecipientsHelp() },
		func() { tu.showDataHelp() },
		func() { tu.showAbout() },
		func() { v.confirmDelete() },
	} {
		open()
		tu.wait()
		texts = append(texts, shownTexts(tu.topOverlay(t))...)
		for tu.win.Canvas().Overlays().Top() != nil {
			tu.win.Canvas().Overlays().Top().Hide()
			tu.win.Canvas().Overlays().Remove(tu.win.Canvas().Overlays().Top())
		}
	}
	w := tu.startWizard()
	for step := range w.pages {
		w.goTo(step)
		texts = append(texts, shownTexts(tu.topOverlay(t))...)
	}
	w.dlg.Hide()
	return texts
}

// The Chinese screens and dialogs hold no English word the program wrote,
// for a case with an imported statement, a typed transaction, a call and
// an event.
func TestChineseScreensSpeakChinese(t *testing.T) {
	tu := newTestUIIn(t, "zh_CN.UTF-8")
	require.Equal(t, "zh", uiLang())
	c := tu.createCaseIn(t, "面馆重复扣款", "幸运面馆", "店长说下周退款。")
	_, err := tu.cases.AddFile(context.Background(), c.ID, "../evidence/ingest/testdata/wechat_bom_tab.csv", ingestOptions())
	require.NoError(t, err)
	tu.view.reloadAsync()
	tu.wait()
	assert.Empty(t, englishIn(tu.screenTexts(t)), "English the program wrote into Chinese screens")
}

// And the English ones no Chinese word the program wrote (for a case typed
// in English).
func TestEnglishScreensSpeakEnglish(t *testing.T) {
	tu := newTestUIIn(t, "en_US.UTF-8")
	require.Equal(t, "en", uiLang())
	tu.createCaseIn(t, "Charged twice for noodles", "Lucky Noodles", "The manager promised a refund next week.")
	var chinese []string
	for _, s := range tu.screenTexts(t) {
		if hanWord.MatchString(s) && s != "中文" {
			chinese = append(chinese, s)
		}
	}
	assert.Empty(t, chinese, "Chinese the program wrote into English screens")
}

var hanWord = regexp.MustCompile(`\p{Han}`)

func (tu testUI) createCaseIn(t *testing.T, title, shop, said string) evidence.Case {
	t.Helper()
	c := evidence.Case{Title: title, Scenario: evidence.DuplicateCharge, Role: evidence.RoleConsumer,
		Respondent: evidence.Party{Name: shop}}
	first := &evidence.Event{Kind: evidence.EventDiscovered, Time: testNow.AddDate(0, 0, -4), Party: shop}
	_, err := tu.cases.CreateCase(context.Background(), &c, first)
	require.NoError(t, err)
	tr := evidence.Transaction{CaseID: c.ID, Time: testNow.AddDate(0, 0, -4), Amount: 3800, Merchant: shop, Disputed: true}
	_, err = tu.st.AddTransaction(context.Background(), &tr)
	require.NoError(t, err)
	call := evidence.CallLog{CaseID: c.ID, Start: testNow.AddDate(0, 0, -3), Organisation: shop, Summary: said}
	require.NoError(t, tu.st.AddCall(context.Background(), &call))
	tu.openCase(c.ID)
	tu.wait()
	require.NotNil(t, tu.view)
	return c
}

func TestEnglishWordsAreFoundWhereTheyShouldNotBe(t *testing.T) {
	assert.Equal(t, []string{"来源 manual"}, englishIn([]string{"来源 manual", "导出 PDF", "中文"}))
	assert.Empty(t, englishIn([]string{strings.Repeat("商户", 3)}))
}

func ingestOptions() ingest.ImportOptions { return ingest.ImportOptions{} }

// With no usable locale (unset or C) the app speaks English without Fyne
// logging "Error parsing user locale C"; a choice in Settings wins over
// the system's language, and "follow the system" goes back to it.
func TestLanguageChoiceAndCLocale(t *testing.T) {
	var logged bytes.Buffer
	log.SetOutput(&logged)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	for _, k := range []string{"LANGUAGE", "LC_MESSAGES", "LANG"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("LC_ALL", "C.UTF-8") // Debian's default; go-locale reads it as the language "C"
	test.NewTempApp(t)
	require.NoError(t, UseLanguage(""))
	assert.Equal(t, "en", uiLang())
	assert.NotContains(t, logged.String(), "Error parsing user locale")

	require.NoError(t, UseLanguage("zh"))
	assert.Equal(t, "zh", uiLang())
	require.NoError(t, UseLanguage(""))
	assert.Equal(t, "en", uiLang())
	assert.NotContains(t, logged.String(), "Error parsing user locale")
}

func TestSettingsSwitchesLanguage(t *testing.T) {
	tu := newTestUIIn(t, "en_US.UTF-8")
	c := tu.createCaseIn(t, "Charged twice", "Lucky Noodles", "")
	tu.view.showTab(tabCalls)
	d := tu.showSettings()
	var sel *widget.Select
	for _, o := range test.LaidOutObjects(tu.topOverlay(t)) {
		if s, ok := o.(*widget.Select); ok {
			sel = s
		}
	}
	require.NotNil(t, sel)
	sel.SetSelected("中文")
	tu.wait()
	_ = d
	assert.Equal(t, "zh", uiLang())
	assert.Equal(t, "zh", tu.app.Preferences().String(prefLanguage))
	require.NotNil(t, tu.view, "the case stays open")
	assert.Equal(t, c.ID, tu.view.id)
	assert.Equal(t, tabCalls, tu.view.shownTab(), "on the same tab")
	assert.Equal(t, "沟通记录", tu.view.tabs.Selected().Text)
	t.Cleanup(func() { UseLanguage("") })
}
