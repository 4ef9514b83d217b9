package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/bundle"
	"github.com/disputekit/disputekit/evidence/casework"
	"github.com/disputekit/disputekit/evidence/ingest"
	"github.com/disputekit/disputekit/evidence/store"
	"github.com/disputekit/disputekit/templates"
)

var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, evidence.Shanghai)

type testUI struct {
	*UI
	st  *store.Store
	win fyne.Window
}

// newTestUI starts the UI on a real store in a temp dir.
func newTestUI(t testing.TB) testUI {
	t.Helper()
	useLocale(t, "en_US.UTF-8")
	a := test.NewTempApp(t)
	a.Settings().SetTheme(NewTheme())
	st, err := store.Open(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	win := test.NewTempWindow(t, widget.NewLabel(""))
	win.Resize(fyne.NewSize(1200, 780))
	svc := CoreServices(st)
	svc.Now = func() time.Time { return testNow }
	u := newUI(a, win, svc, &doQueue{})
	t.Cleanup(u.Close)
	u.wait()
	return testUI{UI: u, st: st, win: win}
}

// useLocale switches the UI language as the OS locale would.
func useLocale(t testing.TB, locale string) {
	t.Helper()
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", locale)
	t.Setenv("LC_MESSAGES", locale)
	t.Setenv("LANG", locale)
	require.NoError(t, LoadTranslations())
}

func TestUIFollowsLocale(t *testing.T) {
	useLocale(t, "zh_CN.UTF-8")
	test.NewTempApp(t)
	assert.Equal(t, "zh", uiLang())
	assert.Equal(t, "新建案件", newCaseList(&UI{}).newBtn.Text)
	assert.Equal(t, "取消", lang.L("Cancel"))
	useLocale(t, "en_US.UTF-8")
	assert.Equal(t, "en", uiLang())
	assert.Equal(t, "New case", lang.L("New case"))
}

// buttonIn finds the button labelled text among the objects laid out in o.
func buttonIn(t testing.TB, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, x := range test.LaidOutObjects(o) {
		if b, ok := x.(*widget.Button); ok && b.Text == text && b.Visible() {
			return b
		}
	}
	require.FailNow(t, "no button "+text)
	return nil
}

// topOverlay is the dialog currently shown.
func (tu testUI) topOverlay(t testing.TB) fyne.CanvasObject {
	t.Helper()
	o := tu.win.Canvas().Overlays().Top()
	require.NotNil(t, o, "no dialog is showing")
	return o
}

// createCase makes a case through the wizard, as a user would.
func (tu testUI) createCase(t testing.TB) evidence.Case {
	t.Helper()
	w := tu.startWizard()
	assert.True(t, w.next.Disabled(), "Next waits for a scenario")
	w.scenario.SetSelected(scenarioLabel(evidence.DuplicateCharge))
	assert.Equal(t, scenarioDescription(evidence.DuplicateCharge), w.description.Text)
	test.Tap(w.next)
	w.role.SetSelected(roleLabel(evidence.RoleConsumer))
	test.Tap(w.next)
	w.title.SetText("")
	test.Type(w.title, "面馆重复扣款")
	test.Type(w.name, "张三")
	test.Type(w.phone, "13800138000")
	test.Type(w.respondent, "幸运面馆")
	test.Type(w.when, "2026-11-20 12:30")
	test.Type(w.amount, "38.00")
	test.Type(w.facts, "一碗面被扣了两次。")
	test.Tap(w.create)
	tu.wait()

	cases, err := tu.st.ListCases(context.Background())
	require.NoError(t, err)
	require.Len(t, cases, 1)
	require.NotNil(t, tu.view, "the new case opens")
	require.True(t, tu.view.loaded)
	return cases[0].Case
}

func TestWizardCreatesCase(t *testing.T) {
	tu := newTestUI(t)
	assert.True(t, tu.list.empty.Visible(), "an empty home says how to start")
	c := tu.createCase(t)

	// In the store.
	assert.Equal(t, "面馆重复扣款", c.Title)
	assert.Equal(t, evidence.DuplicateCharge, c.Scenario)
	assert.Equal(t, evidence.RoleConsumer, c.Role)
	assert.Equal(t, evidence.StatusDraft, c.Status)
	assert.Equal(t, "张三", c.Complainant.Name)
	assert.Equal(t, "13800138000", c.Complainant.Phone)
	assert.Equal(t, "幸运面馆", c.Respondent.Name)
	assert.Equal(t, "一碗面被扣了两次。", c.Facts)
	require.Len(t, c.Claims, 1)
	assert.Equal(t, evidence.Money(3800), c.Claims[0].Amount)
	events, err := tu.st.ListEvents(context.Background(), c.ID)
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, evidence.EventDiscovered, events[0].Kind)
	assert.Equal(t, "2026-11-20 12:30", formatMinute(events[0].Time))

	// On screen: the case view, then the list.
	v := tu.view
	assert.Equal(t, "面馆重复扣款", v.title.Text)
	assert.Equal(t, "张三", v.overview.comp.name.Text)
	assert.Equal(t, "38.00", v.overview.claims[0].amount.Text)
	assert.Equal(t, 1, v.timeline.list.Length())
	tu.showList()
	tu.wait()
	require.Len(t, tu.list.shown, 1)
	assert.False(t, tu.list.empty.Visible())
	assert.Equal(t, "¥38.00", tu.list.cell(tu.list.shown[0], 3, widget.NewLabel("")))
	test.Type(tu.list.search, "没有这个")
	assert.Empty(t, tu.list.shown, "search narrows the list")
}

func TestOverviewSavesAsYouType(t *testing.T) {
	tu := newTestUI(t)
	c := tu.createCase(t)
	o := tu.view.overview
	test.Type(o.resp.address, "北京市朝阳区某路1号")
	test.Type(o.issuer.name, "某某银行北京分行")
	test.Type(o.issuer.address, "北京市西城区金融大街1号")
	o.facts.CursorRow, o.facts.CursorColumn = 0, len([]rune(o.facts.Text))
	test.Type(o.facts, "店员说会退款。")
	o.flush()
	tu.wait()
	got, err := tu.st.GetCase(context.Background(), c.ID)
	require.NoError(t, err)
	assert.Equal(t, "北京市朝阳区某路1号", got.Respondent.Address)
	assert.Equal(t, evidence.Party{Name: "某某银行北京分行", Address: "北京市西城区金融大街1号"}, got.Issuer)
	assert.True(t, got.Institution.Empty(), "the old single institution is not written any more")
	assert.Equal(t, "一碗面被扣了两次。店员说会退款。", got.Facts)
	assert.Equal(t, "All changes saved", tu.status.Text)
}

func TestAddTransaction(t *testing.T) {
	tu := newTestUI(t)
	c := tu.createCase(t)
	s := tu.view.txns
	test.Tap(s.addBtn)
	f := s.form
	require.NotNil(t, f)
	f.time.SetText("")
	test.Type(f.time, "2026-11-20 12:31")
	test.Type(f.amount, "38.00")
	test.Type(f.merchant, "幸运面馆")
	test.Type(f.rrn, "512345678901")
	test.Type(f.card, "6222021234567890128") // a full card number: only the last 4 are kept
	f.disputed.SetChecked(true)
	test.Tap(buttonIn(t, tu.topOverlay(t), "Save"))
	tu.wait()

	ts, err := tu.st.ListTransactions(context.Background(), c.ID)
	require.NoError(t, err)
	require.Len(t, ts, 1)
	assert.Equal(t, evidence.Money(3800), ts[0].Amount)
	assert.Equal(t, "512345678901", ts[0].RRN)
	assert.Equal(t, "0128", ts[0].CardLast4)
	assert.True(t, ts[0].Disputed)
	assert.Equal(t, evidence.Debit, ts[0].Direction)

	require.Len(t, s.shown, 1)
	assert.Equal(t, "-¥38.00", txnColumns[txnCol("amount")].text(&s.all[s.shown[0]]))
	assert.Equal(t, "*0128", txnColumns[txnCol("card")].text(&s.all[s.shown[0]]))
	assert.Equal(t, "1 of 1", s.count.Text)
	assert.Equal(t, "Transaction saved.", tu.status.Text)

	// Delete it, then undo the delete.
	s.table.Select(widget.TableCellID{Row: 0, Col: 1})
	test.Tap(s.delBtn)
	tu.wait()
	ts, _ = tu.st.ListTransactions(context.Background(), c.ID)
	assert.Empty(t, ts)
	assert.Empty(t, s.shown)
	assert.True(t, tu.undoBtn.Visible())
	test.Tap(tu.undoBtn)
	tu.wait()
	ts, _ = tu.st.ListTransactions(context.Background(), c.ID)
	require.Len(t, ts, 1)
	assert.Equal(t, "512345678901", ts[0].RRN)
	assert.Len(t, s.shown, 1)
}

func TestBadAmountKeepsWhatWasTyped(t *testing.T) {
	tu := newTestUI(t)
	c := tu.createCase(t)
	s := tu.view.txns
	test.Tap(s.addBtn)
	f := s.form
	fields := s.dialog.d.fields
	test.Type(f.amount, "38块")
	test.Type(f.merchant, "幸运面馆")
	test.Tap(s.dialog.saveBtn)
	tu.wait()
	// The problem is written under the field; an empty time is an error,
	// never "now"; the dialog stays open with everything typed.
	assert.Equal(t, "Please fill in Time.", fields[0].under.Text)
	assert.Equal(t, widget.DangerImportance, fields[0].under.Importance)
	assert.True(t, s.dialog.dlg != nil && tu.openForm == s.dialog)
	test.Type(f.time, "2026-11-20 12:31")
	test.Tap(s.dialog.saveBtn)
	tu.wait()
	assert.Equal(t, "e.g. 2026-05-01 14:30", fields[0].under.Text, "the fixed field shows its hint again")
	assert.Equal(t, "Amount is not written as in the example.", fields[1].under.Text)
	assert.Same(t, f, s.form)
	assert.Equal(t, "幸运面馆", s.form.merchant.Text)
	assert.Equal(t, "38块", s.form.amount.Text)
	ts, _ := tu.st.ListTransactions(context.Background(), c.ID)
	assert.Empty(t, ts)

	// The store's own refusals land under their field too.
	f.amount.SetText("-5")
	test.Tap(s.dialog.saveBtn)
	tu.wait()
	assert.Equal(t, "Amount cannot be below zero.", fields[1].under.Text)
}

func TestDraftSurvivesClosingTheWindow(t *testing.T) {
	tu := newTestUI(t)
	c := tu.createCase(t)
	test.Tap(tu.view.txns.addBtn)
	f := tu.view.txns.form
	test.Type(f.amount, "1280.00")
	test.Type(f.merchant, "幸运面馆")
	f.included.SetChecked(true)
	tu.view.showTab(tabTransactions)

	// The window closes with the dialog open, as when the app is quit, and
	// the app starts again.
	tu.Close()
	win := test.NewTempWindow(t, widget.NewLabel(""))
	win.Resize(fyne.NewSize(1200, 780))
	u := newUI(tu.app, win, tu.svc, &doQueue{})
	t.Cleanup(u.Close)
	u.wait()
	require.NotNil(t, u.view, "the app reopens on the last case")
	assert.Equal(t, c.ID, u.view.id)
	assert.Equal(t, tabTransactions, u.view.shownTab(), "and on its last tab")
	s := u.view.txns
	test.Tap(s.addBtn)
	assert.Equal(t, "1280.00", s.form.amount.Text, "the draft is offered back")
	assert.Equal(t, "幸运面馆", s.form.merchant.Text)
	assert.True(t, s.form.included.Checked)
	assert.True(t, s.dialog.notice.Visible(), "the user is told the draft is back")

	// Cancel keeps it too.
	test.Tap(buttonIn(t, u.win.Canvas().Overlays().Top(), "Cancel"))
	test.Tap(s.addBtn)
	assert.Equal(t, "1280.00", s.form.amount.Text)

	// "Start empty" throws it away.
	test.Tap(buttonIn(t, u.win.Canvas().Overlays().Top(), "Start empty"))
	assert.Equal(t, "", s.form.amount.Text)
	assert.False(t, s.dialog.notice.Visible())

	// Saving ends the draft.
	test.Type(s.form.time, "2026-11-20 12:31")
	test.Type(s.form.amount, "9.90")
	test.Tap(s.dialog.saveBtn)
	u.wait()
	ts, err := tu.st.ListTransactions(context.Background(), c.ID)
	require.NoError(t, err)
	require.Len(t, ts, 1)
	test.Tap(s.addBtn)
	assert.Equal(t, "", s.form.amount.Text, "a saved draft is not offered again")
}

func testPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 200, 255})
		}
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

func TestAttachFileByDrop(t *testing.T) {
	tu := newTestUI(t)
	c := tu.createCase(t)
	data := testPNG(t, 600, 400)
	path := filepath.Join(t.TempDir(), "签购单.png")
	require.NoError(t, os.WriteFile(path, data, 0o644))

	tu.dropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(path)})
	tu.wait()

	es, err := tu.st.ListExhibits(context.Background(), c.ID)
	require.NoError(t, err)
	require.Len(t, es, 1)
	sum := sha256.Sum256(data)
	assert.Equal(t, hex.EncodeToString(sum[:]), es[0].SHA256)
	assert.Equal(t, evidence.KindPhoto, es[0].Kind, "a camera-less 600×400 image is filed as a photo")
	assert.Equal(t, "签购单.png", es[0].Title)

	s := tu.view.exhibits
	assert.Equal(t, tu.view.tabs.Items[2], tu.view.tabs.Selected(), "dropping shows the evidence")
	require.Len(t, s.all, 1)
	assert.Equal(t, "1 added, 0 already in the case.", tu.status.Text)
	thumb, err := tu.st.Derived(context.Background(), es[0].SHA256, "thumb")
	require.NoError(t, err, "a thumbnail was made in the background and kept")
	assert.NotEqual(t, es[0].SHA256, thumb)
	assert.Equal(t, "thumb-"+es[0].SHA256+".jpg", s.thumbFor(es[0]).Name(), "the grid shows the thumbnail")

	// Describe it: saved as you type.
	s.grid.Select(0)
	test.Type(s.purpose, "证明被扣款两次")
	assert.False(t, s.chatForm.Visible())
	s.kind.SetSelected(kindLabel(evidence.KindChat))
	assert.True(t, s.chatForm.Visible(), "a chat screenshot asks for platform and counterpart")
	test.Type(s.platform, "微信")
	test.Type(s.captured, "2026-11-20 13:00")
	s.flush()
	tu.wait()
	es, _ = tu.st.ListExhibits(context.Background(), c.ID)
	assert.Equal(t, "证明被扣款两次", es[0].Purpose)
	assert.Equal(t, evidence.KindChat, es[0].Kind)
	assert.Equal(t, "微信", es[0].Platform)
	assert.Equal(t, "2026-11-20 13:00", formatMinute(es[0].Captured))

	// The same file again is not stored twice.
	tu.dropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(path)})
	tu.wait()
	es, _ = tu.st.ListExhibits(context.Background(), c.ID)
	assert.Len(t, es, 1)
	assert.Equal(t, "0 added, 1 already in the case.", tu.status.Text)

	// Delete it, then undo: the file comes back from the vault, described as before.
	s.grid.Select(0)
	test.Tap(buttonIn(t, tu.view.exhibits.content, "Delete"))
	tu.wait()
	es, _ = tu.st.ListExhibits(context.Background(), c.ID)
	assert.Empty(t, es)
	assert.Empty(t, s.all)
	tu.undoLast()
	tu.wait()
	es, _ = tu.st.ListExhibits(context.Background(), c.ID)
	require.Len(t, es, 1)
	assert.Equal(t, hex.EncodeToString(sum[:]), es[0].SHA256)
	assert.Equal(t, "证明被扣款两次", es[0].Purpose)
	assert.Len(t, s.all, 1)
}

func TestComposeAndExportLetter(t *testing.T) {
	tu := newTestUI(t)
	c := tu.createCase(t)
	v := tu.view
	v.showLetters()
	tu.wait()
	l := v.letters
	require.True(t, l.composed)
	assert.Equal(t, templates.ToMerchant, l.letter.Recipient)
	assert.Equal(t, templates.English, l.letter.Lang, "the letter's language follows the UI by default")
	l.language.SetSelected("中文")
	tu.wait()
	assert.Equal(t, templates.Chinese, l.letter.Lang)
	var shown strings.Builder
	for _, seg := range l.preview.Segments {
		shown.WriteString(seg.Textual())
	}
	assert.Contains(t, shown.String(), l.letter.Title, "the preview shows the composed letter")
	assert.Contains(t, shown.String(), "幸运面馆")

	out := filepath.Join(t.TempDir(), l.fileName("pdf"))
	l.exportTo("pdf", out)
	tu.wait()
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(b, []byte("%PDF")))
	if txt, err := exec.Command("pdftotext", out, "-").Output(); err == nil {
		assert.Contains(t, strings.Join(strings.Fields(string(txt)), ""), "幸运面馆", "the PDF holds the letter's text")
	}
	assert.Contains(t, tu.status.Text, out)
	assert.Contains(t, tu.status.Text, "Saved to")
	assert.Equal(t, filepath.Dir(out), l.lastDir)
	// The letter was composed from what the store holds.
	d, err := tu.st.Dossier(context.Background(), c.ID)
	require.NoError(t, err)
	assert.Equal(t, d.Case.Title, l.letter.Dossier.Case.Title)
	test.Tap(buttonIn(t, tu.topOverlay(t), "Close"))

	xlsx := filepath.Join(filepath.Dir(out), l.fileName("xlsx"))
	l.exportTo("xlsx", xlsx)
	tu.wait()
	b, err = os.ReadFile(xlsx)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(b, []byte("PK")), "an XLSX is a zip")
	buttonIn(t, tu.topOverlay(t), "Open containing folder")
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*.part-*"))
	assert.Empty(t, left, "no temp files are left behind")
}

func TestCallsAndTimeline(t *testing.T) {
	tu := newTestUI(t)
	c := tu.createCase(t)
	v := tu.view
	test.Tap(buttonIn(t, v.calls.content, "Add a call"))
	f := v.calls.form
	require.NotNil(t, f)
	f.start.SetText("2026-11-21 09:00")
	test.Type(f.minutes, "5:30")
	test.Type(f.org, "幸运面馆")
	test.Type(f.ticket, "T-1")
	test.Type(f.summary, "店长说下周退款。")
	test.Tap(buttonIn(t, tu.topOverlay(t), "Save"))
	tu.wait()
	calls, err := tu.st.ListCalls(context.Background(), c.ID)
	require.NoError(t, err)
	require.Len(t, calls, 1)
	assert.Equal(t, 5*time.Minute+30*time.Second, calls[0].Duration)
	assert.Equal(t, "T-1", calls[0].Ticket)
	assert.Equal(t, evidence.CallOutgoing, calls[0].Direction)
	require.Equal(t, 1, v.calls.list.Length())
	assert.Equal(t, "Call saved.", tu.status.Text)
	assert.True(t, v.overview.steps.Objects[0].(*fyne.Container).Objects[1].(*widget.Icon).Resource != nil)
	steps := casework.NextSteps(v.d, testNow)
	assert.Equal(t, casework.Done, steps[0].State, "calling the merchant completes the first rung")
	assert.Equal(t, casework.Next, steps[1].State)

	test.Tap(buttonIn(t, v.timeline.content, "Add an event"))
	ef := v.timeline.form
	ef.kind.SetSelected(eventKindLabel(evidence.EventComplaint))
	test.Type(ef.party, "银行")
	test.Type(ef.due, "2026-11-26")
	test.Tap(buttonIn(t, tu.topOverlay(t), "Save"))
	tu.wait()
	events, err := tu.st.ListEvents(context.Background(), c.ID)
	require.NoError(t, err)
	require.Len(t, events, 2)
	ev := events[1]
	assert.Equal(t, evidence.EventComplaint, ev.Kind)
	assert.Equal(t, "2026-11-26", formatDay(ev.Due))
	assert.Equal(t, 2, v.timeline.list.Length())
	assert.Equal(t, widget.WarningImportance, dueImportance(ev.Due, testNow), "due within three days is highlighted")
	steps = casework.NextSteps(v.d, testNow)
	assert.Equal(t, casework.Done, steps[1].State)
	assert.Contains(t, steps[len(steps)-1].Text.EN, "2026-11-26")
}

func TestParseDuration(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, true}, {"12", 12 * time.Minute, true}, {"12:30", 12*time.Minute + 30*time.Second, true},
		{"1:02:03", time.Hour + 2*time.Minute + 3*time.Second, true}, {"abc", 0, false}, {"1:-2", 0, false},
	} {
		got, err := parseDuration(tc.in)
		if tc.ok {
			assert.NoError(t, err, tc.in)
			assert.Equal(t, tc.want, got, tc.in)
		} else {
			assert.Error(t, err, tc.in)
		}
	}
}

func TestBundleExportImportVerify(t *testing.T) {
	tu := newTestUI(t)
	c := tu.createCase(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "case.zip.age")
	_, err := bundle.ExportFile(ctx, tu.st, c.ID, path, bundle.Options{}, "秘密 passphrase")
	require.NoError(t, err)

	// Verify asks for the passphrase, then reports every file matched.
	tu.verifyBundlePath(path, "")
	tu.wait()
	var pass *widget.Entry
	for _, o := range test.LaidOutObjects(tu.topOverlay(t)) {
		if e, ok := o.(*widget.Entry); ok && e.Password {
			pass = e
		}
	}
	require.NotNil(t, pass, "an encrypted bundle asks for its passphrase")
	test.Type(pass, "秘密 passphrase")
	test.Tap(buttonIn(t, tu.topOverlay(t), "OK"))
	tu.wait()
	assert.Contains(t, test.RenderObjectToMarkup(tu.topOverlay(t)), "match the hashes in its manifest")
	test.Tap(buttonIn(t, tu.topOverlay(t), "OK"))

	// Import with the passphrase: a second case, opened.
	tu.importBundlePath(path, "秘密 passphrase")
	tu.wait()
	cases, err := tu.st.ListCases(ctx)
	require.NoError(t, err)
	require.Len(t, cases, 2)
	require.NotNil(t, tu.view)
	assert.NotEqual(t, c.ID, tu.view.id)
	assert.Equal(t, c.Title, tu.view.title.Text)
	assert.Equal(t, "Bundle imported as a new case.", tu.status.Text)
}

func TestKeyboardShortcuts(t *testing.T) {
	tu := newTestUI(t)
	sc, ok := tu.win.Canvas().(fyne.Shortcutable)
	require.True(t, ok)

	sc.TypedShortcut(shortcutImport)
	assert.Contains(t, test.RenderObjectToMarkup(tu.topOverlay(t)), "Open a case first", "Ctrl+I needs an open case")
	test.Tap(buttonIn(t, tu.topOverlay(t), "OK"))

	sc.TypedShortcut(shortcutNew)
	assert.Contains(t, test.RenderObjectToMarkup(tu.topOverlay(t)), "Step 1 of 3", "Ctrl+N starts the wizard")
	test.Tap(buttonIn(t, tu.topOverlay(t), "Cancel"))

	tu.createCase(t)
	sc.TypedShortcut(shortcutExport)
	tu.wait()
	assert.Equal(t, tu.view.tabItems[tabLetters], tu.view.tabs.Selected(), "Ctrl+E goes to the letters")
	assert.True(t, tu.view.letters.composed)
}

func TestDeleteCaseAndUndo(t *testing.T) {
	tu := newTestUI(t)
	c := tu.createCase(t)
	ctx := context.Background()
	tu.view.confirmDelete()
	test.Tap(buttonIn(t, tu.topOverlay(t), "Delete"))
	tu.wait()
	cases, err := tu.st.ListCases(ctx)
	require.NoError(t, err)
	assert.Empty(t, cases)
	assert.Nil(t, tu.view, "back to the list")
	assert.Empty(t, tu.list.shown)

	test.Tap(tu.undoBtn)
	tu.wait()
	cases, err = tu.st.ListCases(ctx)
	require.NoError(t, err)
	require.Len(t, cases, 1)
	assert.Equal(t, c.Title, cases[0].Title)
	assert.Equal(t, c.Facts, cases[0].Facts)
	require.Len(t, tu.list.shown, 1)
	events, _ := tu.st.ListEvents(ctx, cases[0].ID)
	assert.Len(t, events, 1)
}

func TestSecondWindowOnSameHomeExplainsItself(t *testing.T) {
	useLocale(t, "en_US.UTF-8")
	test.NewTempApp(t)
	home := t.TempDir()
	st, err := store.Open(home)
	require.NoError(t, err)
	defer st.Close()
	_, err = store.Open(home)
	require.ErrorIs(t, err, store.ErrLocked)

	win := test.NewTempWindow(t, widget.NewLabel(""))
	ShowStartError(win, err)
	shown := test.RenderObjectToMarkup(win.Canvas().Overlays().Top())
	assert.Contains(t, shown, "already open in another window")
	assert.NotContains(t, shown, "lock", "no internals in the message")
}

func TestSampleInstalledOnlyOnce(t *testing.T) {
	st, err := store.Open(t.TempDir())
	require.NoError(t, err)
	defer st.Close()
	ctx := context.Background()
	calls := 0
	install := func(ctx context.Context, st *store.Store) error {
		calls++
		_, err := st.CreateCase(ctx, &evidence.Case{Title: "示例", Scenario: evidence.WrongAmount, Status: evidence.StatusDraft, Role: evidence.RoleConsumer})
		return err
	}
	require.NoError(t, InstallSampleOnce(ctx, st, install))
	cases, _ := st.ListCases(ctx)
	require.Len(t, cases, 1)
	require.NoError(t, st.DeleteCase(ctx, cases[0].ID))
	require.NoError(t, InstallSampleOnce(ctx, st, install))
	assert.Equal(t, 1, calls, "a deleted sample stays deleted")
}

func TestLongWorkShowsProgressAndCancels(t *testing.T) {
	tu := newTestUI(t)
	var result error
	tu.runWithProgress("Working…", func(ctx context.Context) error {
		<-ctx.Done() // runs until cancelled
		return ctx.Err()
	}, func(err error) { result = err })
	// After the delay the dialog is handed to the event goroutine: run it.
	var show []func()
	require.Eventually(t, func() bool { show = tu.queue.drain(); return len(show) > 0 }, 5*time.Second, 10*time.Millisecond)
	for _, fn := range show {
		fn()
	}
	assert.Contains(t, test.RenderObjectToMarkup(tu.topOverlay(t)), "Working…")
	test.Tap(buttonIn(t, tu.topOverlay(t), "Cancel"))
	tu.wait()
	assert.ErrorIs(t, result, context.Canceled)
	assert.Nil(t, tu.win.Canvas().Overlays().Top(), "the dialog closes")
	assert.Equal(t, "Stopped. Nothing was changed.", userMessage(result))
}

func TestImportUnknownExportWithColumnMapping(t *testing.T) {
	tu := newTestUI(t)
	c := tu.createCase(t)
	csvText := "商户对账单\n导出时间,2026-11-21\n\n日子,钱数,店名,流水\n2026-11-20 12:30:01,38.00,幸运面馆,512345678901\n2026-11-20 12:30:40,38.00,幸运面馆,512345678902\n"
	gbk, err := simplifiedchinese.GB18030.NewEncoder().String(csvText)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "对账单.csv")
	require.NoError(t, os.WriteFile(path, []byte(gbk), 0o644))

	tu.view.importPaths([]string{path})
	tu.wait()
	shown := test.RenderObjectToMarkup(tu.topOverlay(t))
	require.Contains(t, shown, "Which column is what?", "an unknown export asks for its columns")
	assert.Contains(t, shown, "日子", "the GB18030 file is previewed as text")

	// The dialog guessed the header row (the one with most cells); map its columns.
	m := tu.view.lastMapping
	require.NotNil(t, m)
	assert.Equal(t, 4, m.header().Line)
	assert.True(t, m.importBtn.Disabled(), "Import waits for a date and an amount")
	m.selects["日子"].SetSelected(fieldLabel(ingest.FieldTime))
	m.selects["钱数"].SetSelected(fieldLabel(ingest.FieldAmount))
	m.selects["店名"].SetSelected(fieldLabel(ingest.FieldMerchant))
	m.selects["流水"].SetSelected(fieldLabel(ingest.FieldRRN))
	require.False(t, m.importBtn.Disabled())
	test.Tap(m.importBtn)
	tu.wait()

	ts, err := tu.st.ListTransactions(context.Background(), c.ID)
	require.NoError(t, err)
	require.Len(t, ts, 2)
	assert.Equal(t, evidence.Money(3800), ts[0].Amount)
	assert.Equal(t, "幸运面馆", ts[0].Merchant)
	assert.Equal(t, "512345678902", ts[1].RRN)
	assert.Equal(t, tu.view.tabs.Items[1], tu.view.tabs.Selected())
	assert.Len(t, tu.view.txns.shown, 2)
	assert.Equal(t, "2 added, 0 already in the case.", tu.status.Text)

	// The mapping is remembered: the same layout imports without asking.
	again := filepath.Join(t.TempDir(), "对账单2.csv")
	more, _ := simplifiedchinese.GB18030.NewEncoder().String(strings.Replace(csvText, "512345678902", "512345678903", 1))
	require.NoError(t, os.WriteFile(again, []byte(more), 0o644))
	tu.view.importPaths([]string{again})
	tu.wait()
	ts, _ = tu.st.ListTransactions(context.Background(), c.ID)
	assert.Len(t, ts, 3)
}

func TestExportCaseFile(t *testing.T) {
	tu := newTestUI(t)
	c := tu.createCase(t)
	test.Type(tu.view.overview.resp.address, "北京市朝阳区某路1号") // still being typed: goes in too
	out := filepath.Join(t.TempDir(), "案件材料.pdf")
	tu.view.letters.exportCaseFile(templates.Chinese, out)
	tu.wait()
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(b, []byte("%PDF")))
	if txt, err := exec.Command("pdftotext", out, "-").Output(); err == nil {
		flat := strings.Join(strings.Fields(string(txt)), "")
		assert.Contains(t, flat, c.Title)
		assert.Contains(t, flat, "北京市朝阳区某路1号")
	}
	buttonIn(t, tu.topOverlay(t), "Open containing folder")
}

func TestTextUndoAndRecordUndo(t *testing.T) {
	tu := newTestUI(t)
	c := tu.createCase(t)
	ctx := context.Background()
	tr := evidence.Transaction{CaseID: c.ID, Time: testNow, Amount: 100, Merchant: "幸运面馆"}
	_, err := tu.st.AddTransaction(ctx, &tr)
	require.NoError(t, err)
	tu.view.reloadAsync()
	tu.wait()
	tu.view.showTab(tabTransactions)
	s := tu.view.txns
	assert.True(t, tu.undoItem.Disabled, "nothing to undo yet")
	s.table.Select(widget.TableCellID{Row: 0, Col: 1})
	test.Tap(s.delBtn)
	tu.wait()
	assert.Equal(t, "Undo delete transaction ¥1.00", tu.undoItem.Label, "Edit › Undo says what it undoes")
	assert.False(t, tu.undoItem.Disabled)
	assert.Equal(t, "Undo delete transaction ¥1.00", tu.undoBtn.Text)

	// Ctrl+Z (the menu item's shortcut) in a text box undoes the typing
	// there, and leaves the deleted transaction alone.
	tu.win.Canvas().Focus(s.filter)
	require.Same(t, s.filter, tu.win.Canvas().Focused())
	test.Type(s.filter, "面馆")
	require.Equal(t, "面馆", s.filter.Text)
	tu.undoItem.Action()
	tu.wait()
	assert.NotEqual(t, "面馆", s.filter.Text, "the typing was undone")
	ts, _ := tu.st.ListTransactions(ctx, c.ID)
	assert.Empty(t, ts, "the delete was not undone from inside a text box")
	assert.Equal(t, "Undo delete transaction ¥1.00", tu.undoItem.Label)

	// Outside a text box it undoes the delete, and says so.
	tu.win.Canvas().Unfocus()
	tu.undoItem.Action()
	tu.wait()
	ts, _ = tu.st.ListTransactions(ctx, c.ID)
	require.Len(t, ts, 1)
	assert.Equal(t, "Undo", tu.undoItem.Label)
	assert.True(t, tu.undoItem.Disabled)

	useLocale(t, "zh_CN.UTF-8")
	what := lang.L("transaction {{.Amount}}", map[string]any{"Amount": evidence.Money(100).String()})
	assert.Equal(t, "撤销删除交易 ¥1.00", lang.L("Undo delete {{.What}}", map[string]any{"What": what}))
}

func TestOnlyTickedTransactionsInTheLetter(t *testing.T) {
	tu := newTestUI(t)
	c := tu.createCase(t)
	ctx := context.Background()
	add := func(merchant string, amount evidence.Money, disputed bool) {
		tr := evidence.Transaction{CaseID: c.ID, Time: testNow.Add(-time.Duration(amount) * time.Minute), Amount: amount,
			Merchant: merchant, Disputed: disputed, Source: "alipay"}
		_, err := tu.st.AddTransaction(ctx, &tr)
		require.NoError(t, err)
	}
	add("争议面馆", 12800, true)
	add("退款书店", 4500, false)
	add("私人药房", 6600, false) // the person's other spending: never in a letter unless ticked
	tu.view.reloadAsync()
	tu.wait()
	v := tu.view
	v.showTab(tabTransactions)
	s := v.txns

	// Bulk select from a filter: filter by the shop, tick all listed.
	test.Type(s.filter, "书店")
	require.Len(t, s.shown, 1)
	test.Tap(s.includeAll)
	tu.wait()
	ts, err := tu.st.ListTransactions(ctx, c.ID)
	require.NoError(t, err)
	for _, tr := range ts {
		assert.Equal(t, tr.Merchant == "退款书店", tr.Included, tr.Merchant)
	}
	s.filter.SetText("")
	tu.wait()
	// The letter column shows a tick box per row: ticked for the disputed
	// (disabled: always in) and the ticked one; ticking the third puts it
	// in, unticking takes it out again.
	var ticks []*widget.Check
	for r := range s.shown {
		cell := s.table.CreateCell()
		s.table.UpdateCell(widget.TableCellID{Row: r, Col: txnCol("letter")}, cell)
		for _, o := range test.LaidOutObjects(cell) {
			if ch, ok := o.(*widget.Check); ok && ch.Visible() {
				ticks = append(ticks, ch)
			}
		}
	}
	require.Len(t, ticks, 3)
	var on, disabled int
	var off *widget.Check
	for _, ch := range ticks {
		if ch.Checked {
			on++
		} else {
			off = ch
		}
		if ch.Disabled() {
			disabled++
		}
	}
	assert.Equal(t, 2, on)
	assert.Equal(t, 1, disabled)
	require.NotNil(t, off)
	test.Tap(off)
	tu.wait()
	ts, _ = tu.st.ListTransactions(ctx, c.ID)
	for _, tr := range ts {
		assert.True(t, tr.InLetter(), tr.Merchant)
	}
	// Untick the pharmacy again through the store's bulk path (filter, untick all).
	test.Type(s.filter, "药房")
	test.Tap(s.excludeAll)
	tu.wait()
	s.filter.SetText("")

	v.showLetters()
	tu.wait()
	l := v.letters
	require.True(t, l.composed)
	var shown strings.Builder
	for _, seg := range l.preview.Segments {
		shown.WriteString(seg.Textual())
	}
	assert.Contains(t, shown.String(), "争议面馆", "the disputed transaction is in the letter")
	assert.Contains(t, shown.String(), "退款书店", "the ticked one is in the letter")
	assert.NotContains(t, shown.String(), "私人药房", "an unticked, undisputed one is not")
	for _, tr := range l.letter.Dossier.Transactions {
		assert.NotEqual(t, "私人药房", tr.Merchant)
	}
}

func TestWizardKeepsItsDraftAndShowsProblemsInline(t *testing.T) {
	tu := newTestUI(t)
	w := tu.startWizard()
	w.scenario.SetSelected(scenarioLabel(evidence.WrongAmount))
	test.Tap(w.next)
	test.Tap(w.next)
	test.Type(w.name, "张三")
	test.Type(w.amount, "38块")
	test.Tap(w.cancel)

	w = tu.startWizard()
	assert.Equal(t, scenarioLabel(evidence.WrongAmount), w.scenario.Selected, "the draft is offered back")
	assert.Equal(t, "张三", w.name.Text)
	assert.Equal(t, "38块", w.amount.Text)
	assert.True(t, w.notice.Visible())
	assert.False(t, w.next.Disabled())
	w.goTo(2)
	test.Tap(w.create)
	tu.wait()
	var amount *recordField
	for _, f := range w.fields {
		if f.key == "amount" {
			amount = f
		}
	}
	require.NotNil(t, amount)
	assert.Equal(t, "Amount in dispute is not written as in the example.", amount.under.Text)
	cases, err := tu.st.ListCases(context.Background())
	require.NoError(t, err)
	assert.Empty(t, cases)

	w.amount.SetText("38")
	test.Tap(w.create)
	tu.wait()
	cases, _ = tu.st.ListCases(context.Background())
	require.Len(t, cases, 1)
	w = tu.startWizard()
	assert.Equal(t, "", w.name.Text, "a created case's draft is gone")
	assert.False(t, w.notice.Visible())
}

func TestEscapeClosesDialogsKeepingTheDraft(t *testing.T) {
	tu := newTestUI(t)
	tu.createCase(t)
	s := tu.view.txns
	tu.view.showTab(tabTransactions)
	test.Tap(s.addBtn)
	test.Type(s.form.amount, "12.00")
	require.NotNil(t, tu.win.Canvas().Overlays().Top())
	s.form.amount.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) // Escape while typing
	assert.Nil(t, tu.win.Canvas().Overlays().Top(), "Escape closed the dialog")
	assert.Nil(t, tu.openForm)
	test.Tap(s.addBtn)
	assert.Equal(t, "12.00", s.form.amount.Text, "what was typed is kept")

	tu.win.Canvas().Unfocus()
	tu.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape}) // Escape with nothing focused
	assert.Nil(t, tu.win.Canvas().Overlays().Top())

	w := tu.startWizard()
	w.name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	assert.Nil(t, tu.win.Canvas().Overlays().Top(), "Escape closes the wizard")
}

func TestMouseWheelOverAnInputScrollsThePage(t *testing.T) {
	tu := newTestUI(t)
	tu.createCase(t)
	tu.win.Resize(fyne.NewSize(800, 600))
	o := tu.view.overview
	var page *container.Scroll
	for _, x := range test.LaidOutObjects(o.content) {
		if sc, ok := x.(*container.Scroll); ok && page == nil {
			page = sc
		}
	}
	require.NotNil(t, page)
	require.Greater(t, page.Content.MinSize().Height, page.Size().Height, "the form is taller than the window")
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o.title)
	test.Scroll(tu.win.Canvas(), pos.Add(fyne.NewPos(10, 10)), 0, -60)
	assert.Greater(t, page.Offset.Y, float32(0), "the wheel over the title box scrolled the page")
}

func TestMergeTypedTwinFromTheOverview(t *testing.T) {
	tu := newTestUI(t)
	c := tu.createCase(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 20, 12, 31, 0, 0, evidence.Shanghai)
	typed := evidence.Transaction{CaseID: c.ID, Time: at, Amount: 3800, Merchant: "幸运面馆", Source: "manual", Note: "店员多刷了一次"}
	imported := evidence.Transaction{CaseID: c.ID, Time: at.Add(time.Minute), Amount: 3800, Merchant: "幸运面馆", Source: "wechat", OrderNo: "4200001"}
	for _, tr := range []*evidence.Transaction{&typed, &imported} {
		_, err := tu.st.AddTransaction(ctx, tr)
		require.NoError(t, err)
	}
	tu.view.reloadAsync()
	tu.wait()
	merge := buttonIn(t, tu.view.overview.findings, "Merge")
	test.Tap(merge)
	tu.wait()
	ts, err := tu.st.ListTransactions(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, ts, 1, "the twins are one transaction")
	assert.Equal(t, imported.ID, ts[0].ID, "the imported row is kept")
	assert.Equal(t, "The two transactions are now one.", tu.status.Text)
}

func TestLetterRemembersRecipientAndLanguagePerCase(t *testing.T) {
	tu := newTestUI(t)
	c := tu.createCase(t)
	l := tu.view.letters
	l.recipient.SetSelected(recipientLabel(templates.ToBank))
	l.language.SetSelected(letterLangLabel(templates.Chinese))
	tu.wait()
	tu.view.showTab(tabTimeline)
	tu.showList()
	tu.openCase(c.ID)
	tu.wait()
	r, lg := tu.view.letters.choice()
	assert.Equal(t, templates.ToBank, r, "the recipient chosen for this case comes back")
	assert.Equal(t, templates.Chinese, lg)
}

func TestDatePickerKeepsTheTime(t *testing.T) {
	day := time.Date(2026, 11, 3, 0, 0, 0, 0, evidence.Shanghai)
	assert.Equal(t, "2026-11-03 14:30", pickedDate("2026-05-01 14:30", day, true))
	assert.Equal(t, "2026-11-03 12:00", pickedDate("", day, true))
	assert.Equal(t, "2026-11-03", pickedDate("2026-05-16", day, false))

	tu := newTestUI(t)
	tu.createCase(t)
	tu.view.showTab(tabTransactions)
	test.Tap(tu.view.txns.addBtn)
	f := tu.view.txns.form
	test.Type(f.time, "2026-05-01 14:30")
	btn, ok := f.time.ActionItem.(*widget.Button)
	require.True(t, ok, "the time box has a calendar button")
	test.Tap(btn)
	var cal *widget.Calendar
	for _, o := range test.LaidOutObjects(tu.win.Canvas().Overlays().Top()) {
		if c, ok := o.(*widget.Calendar); ok {
			cal = c
		}
	}
	require.NotNil(t, cal, "a calendar pops up")
	test.Tap(buttonIn(t, cal, "3"))
	assert.Equal(t, "2026-05-03 14:30", f.time.Text)
}

func TestCutOffTitleShowsWholeOnHover(t *testing.T) {
	tu := newTestUI(t)
	c := evidence.Case{Title: strings.Repeat("一个很长很长的案件标题", 12), Scenario: evidence.WrongAmount}
	_, err := tu.cases.CreateCase(context.Background(), &c, nil)
	require.NoError(t, err)
	tu.win.Resize(fyne.NewSize(800, 600))
	tu.openCase(c.ID)
	tu.wait()
	title := tu.view.title
	require.True(t, title.cutOff(), "the title does not fit at 800 wide")
	title.MouseIn(&desktop.MouseEvent{})
	top := tu.win.Canvas().Overlays().Top()
	require.NotNil(t, top, "a tooltip shows")
	var whole bool
	for _, o := range test.LaidOutObjects(top) {
		if lb, ok := o.(*widget.Label); ok && lb.Text == c.Title {
			whole = true
		}
	}
	assert.True(t, whole, "the tooltip holds the whole title")
	title.MouseOut()
	assert.Nil(t, tu.win.Canvas().Overlays().Top())

	short := newTipLabel("短")
	test.NewTempWindow(t, short).Resize(fyne.NewSize(300, 100))
	short.MouseIn(&desktop.MouseEvent{})
	assert.Nil(t, short.tip, "text that fits gets no tooltip")
}

func TestLetterPreviewIsAPage(t *testing.T) {
	tu := newTestUI(t)
	tu.createCase(t)
	tu.win.Resize(fyne.NewSize(1280, 800))
	tu.view.showLetters()
	tu.wait()
	var page *container.ThemeOverride
	for _, o := range test.LaidOutObjects(tu.view.letters.content) {
		if p, ok := o.(*container.ThemeOverride); ok {
			page = p
		}
	}
	require.NotNil(t, page, "the letter is drawn on a page")
	assert.Equal(t, float32(pageWidth), page.Size().Width, "an A4 page's width")
	fg := page.Theme.Color(theme.ColorNameForeground, theme.VariantDark).(color.NRGBA)
	assert.Less(t, int(fg.R), 0x80, "dark text on the page even in the dark theme")
	assert.Equal(t, "1.退还", numbered(templates.Chinese, 1, "退还"), "no space to break at after a Chinese item's number")
}
