package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/casework"
	"github.com/disputekit/disputekit/evidence/explain"
	"github.com/disputekit/disputekit/templates"
)

// UI is one DisputeKit window: the case list, or one case open in it.
type UI struct {
	app    fyne.App
	win    fyne.Window
	svc    Services
	cases  *casework.Service // svc.Cases
	ctx    context.Context
	cancel context.CancelFunc

	body    *fyne.Container // the current screen
	status  *widget.Label   // "Saved", "Deleted …"
	undoBtn *widget.Button
	// undoItem is Edit › Undo, named after what it undoes.
	undoItem *fyne.MenuItem
	undo     *undoable

	list *caseList
	view *caseView // nil while the list shows
	// openForm and openWizard are the record dialog and the new-case
	// wizard on screen, if any.
	openForm   *recordForm
	openWizard *wizard

	bg sync.WaitGroup // background work, so tests can wait for it
	// do runs a function on the event goroutine: fyne.Do. Tests replace it
	// with a queue they drain on their own goroutine, which is what the
	// real driver does and what the race detector can check.
	do    func(func())
	queue *doQueue // tests only: what do collected, run by wait
}

// doQueue collects functions handed to the event goroutine, for tests.
type doQueue struct {
	mu  sync.Mutex
	fns []func()
}

func (q *doQueue) push(fn func()) {
	q.mu.Lock()
	q.fns = append(q.fns, fn)
	q.mu.Unlock()
}

func (q *doQueue) drain() []func() {
	q.mu.Lock()
	defer q.mu.Unlock()
	fns := q.fns
	q.fns = nil
	return fns
}

// undoable is the last delete, ready to be put back.
type undoable struct {
	what    string
	restore func(ctx context.Context) error
}

// New builds the UI inside win. Call Show (or win.ShowAndRun) afterwards.
func New(a fyne.App, win fyne.Window, svc Services) *UI {
	return newUI(a, win, svc, nil)
}

// newUI builds the UI; with a queue, work handed to the event goroutine
// waits in it until wait runs it (tests).
func newUI(a fyne.App, win fyne.Window, svc Services, q *doQueue) *UI {
	u := &UI{app: a, win: win, svc: svc, cases: svc.Cases, do: fyne.Do, queue: q}
	if q != nil {
		u.do = q.push
	}
	u.ctx, u.cancel = context.WithCancel(context.Background())
	u.status = widget.NewLabel("")
	u.status.Truncation = fyne.TextTruncateEllipsis // the whole message is in the log and, when it matters, a dialog
	u.undoBtn = widget.NewButtonWithIcon(lang.L("Undo"), theme.ContentUndoIcon(), u.undoLast)
	u.undoBtn.Importance = widget.LowImportance
	u.undoBtn.Hide()
	u.body = container.NewStack()
	// The status bar: normal text on a plain band under a rule, readable in
	// both themes (it was low-contrast grey).
	band := canvas.NewRectangle(theme.Color(theme.ColorNameHeaderBackground))
	bar := container.NewStack(band, container.NewBorder(widget.NewSeparator(), nil, nil, u.undoBtn, u.status))
	win.SetContent(container.NewBorder(nil, bar, nil, nil, u.body))
	win.SetMainMenu(u.mainMenu())
	u.addShortcuts()
	win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			u.escape()
		}
	})
	win.SetOnDropped(u.dropped)
	u.list = newCaseList(u)
	u.showList()
	if id := a.Preferences().Int(prefLastCase); id > 0 {
		u.openCaseQuietly(int64(id))
	}
	return u
}

// Preferences the app keeps between runs.
const (
	prefLastCase = "last.case" // the case open when the app was closed; 0 for the list
	prefLastTab  = "last.tab"  // the tab shown in it (a tabName)
)

// Window returns the window the UI lives in.
func (u *UI) Window() fyne.Window { return u.win }

func (u *UI) showList() {
	if u.view != nil {
		u.view.leave()
		u.view = nil
		u.app.Preferences().SetInt(prefLastCase, 0)
	}
	u.win.SetTitle(lang.L("DisputeKit"))
	u.body.Objects = []fyne.CanvasObject{u.list.content}
	u.body.Refresh()
	u.list.refreshAsync()
}

// openCase shows one case; its data loads in the background.
func (u *UI) openCase(id int64) {
	if u.view != nil {
		u.view.leave()
	}
	u.view = newCaseView(u, id)
	u.body.Objects = []fyne.CanvasObject{u.view.content}
	u.body.Refresh()
	u.app.Preferences().SetInt(prefLastCase, int(id))
	u.view.loadAsync()
}

// openCaseQuietly reopens the case shown when the app was last closed, on
// its last tab; if it is gone, the list stays without a word.
func (u *UI) openCaseQuietly(id int64) {
	u.openCase(id)
	u.view.reopening = true
}

// goAsync runs fn on its own goroutine, counted so tests can wait.
func (u *UI) goAsync(fn func()) {
	u.bg.Add(1)
	go func() {
		defer u.bg.Done()
		fn()
	}()
}

// wait runs background work to the end, applying what it hands to the
// event goroutine on the caller's goroutine (tests only).
func (u *UI) wait() {
	for {
		u.bg.Wait()
		if u.queue == nil {
			return
		}
		fns := u.queue.drain()
		if len(fns) == 0 {
			return
		}
		for _, fn := range fns {
			fn()
		}
	}
}

// setStatus shows a short message in the bar at the bottom.
func (u *UI) setStatus(msg string) {
	u.status.SetText(msg)
}

// remember keeps a delete so it can be undone.
func (u *UI) remember(what string, restore func(ctx context.Context) error) {
	u.undo = &undoable{what: what, restore: restore}
	u.setStatus(lang.L("Deleted: {{.What}}", map[string]any{"What": what}))
	u.nameUndo()
}

// nameUndo names Edit › Undo and the status bar's undo button after the
// delete they would undo ("Undo delete transaction ¥1.00").
func (u *UI) nameUndo() {
	label := lang.L("Undo")
	if u.undo != nil {
		label = lang.L("Undo delete {{.What}}", map[string]any{"What": u.undo.what})
		u.undoBtn.SetText(label)
		u.undoBtn.Show()
	} else {
		u.undoBtn.Hide()
	}
	if u.undoItem != nil {
		u.undoItem.Label = label
		u.undoItem.Disabled = u.undo == nil
		if m := u.win.MainMenu(); m != nil {
			m.Refresh()
		}
	}
}

// undoShortcut is Ctrl+Z: in a text box it undoes the typing there, as in
// every other program; elsewhere it undoes the last delete.
func (u *UI) undoShortcut() {
	if e, ok := u.win.Canvas().Focused().(textBox); ok {
		e.TypedShortcut(&fyne.ShortcutUndo{})
		return
	}
	u.undoLast()
}

func (u *UI) undoLast() {
	un := u.undo
	if un == nil {
		u.setStatus(lang.L("Nothing to undo."))
		return
	}
	u.undo = nil
	u.nameUndo()
	u.goAsync(func() {
		err := un.restore(u.ctx)
		u.do(func() {
			if err != nil {
				u.showError(fmt.Errorf("undo delete: %w", err))
				return
			}
			u.setStatus(lang.L("Restored: {{.What}}", map[string]any{"What": un.what}))
			if u.view != nil {
				u.view.reloadAsync()
			}
		})
	})
}

// showError explains err in plain words, in the UI's language, with the
// technical cause folded away under "Details" (and in the log). Nothing
// the user typed is touched: forms stay as they were.
func (u *UI) showError(err error) {
	if err == nil {
		return
	}
	fyne.LogError("DisputeKit", err)
	msg := widget.NewLabel(userMessage(err))
	msg.Wrapping = fyne.TextWrapWord
	cause := widget.NewLabel(err.Error())
	cause.Wrapping = fyne.TextWrapWord
	details := widget.NewAccordion(widget.NewAccordionItem(lang.L("Details"), cause))
	d := dialog.NewCustom(lang.L("Something did not work"), lang.L("OK"), container.NewVBox(msg, details), u.win)
	d.Resize(fyne.NewSize(520, 220))
	d.Show()
}

// messageLang is the language the UI is shown in, as explain names it.
func messageLang() templates.Lang {
	if uiLang() == "zh" {
		return templates.Chinese
	}
	return templates.English
}

// userMessage maps an error to a sentence that says what happened and what
// to do next, never the error's own text (that stays in the log and under
// "Details"). The meaning comes from explain.Classify, the one mapping the
// CLI uses too; the app words a few codes itself where the CLI's words
// speak of flags and commands (--wait, --debug, dk case list) or where it
// names the form's own field labels.
func userMessage(err error) string {
	p := explain.Classify(err)
	switch p.Code {
	case explain.Stopped:
		return lang.L("Stopped. Nothing was changed.")
	case explain.StoreLocked:
		return lang.L("DisputeKit is already open in another window. Close it there, then try again.")
	case explain.NewerSchema:
		return lang.L("Your cases were saved by a newer DisputeKit. Please update DisputeKit to open them.")
	case explain.Duplicate:
		return lang.L("This file is already part of the case, so it was not added again.")
	case explain.RecordNotFound:
		return lang.L("That item no longer exists. It may have been deleted elsewhere.")
	case explain.InvalidField:
		var fe *evidence.FieldError
		if errors.As(err, &fe) {
			return lang.L("This could not be saved: {{.Detail}} What you typed is still there.", map[string]any{"Detail": fieldProblem(fe, refusedFieldLabel(fe.Field))})
		}
	case explain.Unexpected:
		if errors.Is(err, evidence.ErrInvalid) {
			return lang.L("This could not be saved. Please check what you typed and try again; it is still there.")
		}
		return lang.L("Something unexpected went wrong and this did not finish. What you typed is still there; please try again. The technical cause is under Details.")
	default:
		return p.Message(messageLang())
	}
	return lang.L("This could not be saved. Please check what you typed and try again; it is still there.")
}

// progressDelay is how long work runs before a progress dialog appears, so
// quick work does not flash one.
const progressDelay = 400 * time.Millisecond

// runWithProgress does work off the event goroutine behind a dialog with a
// Cancel button, then calls done on the event goroutine.
func (u *UI) runWithProgress(title string, work func(ctx context.Context) error, done func(error)) {
	ctx, cancel := context.WithCancel(u.ctx)
	bar := widget.NewProgressBarInfinite()
	bar.Stop()
	d := dialog.NewCustomWithoutButtons(title, container.NewPadded(bar), u.win)
	cancelBtn := widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), cancel)
	d.SetButtons([]fyne.CanvasObject{cancelBtn})
	finished := false // read and written on the event goroutine only
	timer := time.AfterFunc(progressDelay, func() {
		u.do(func() {
			if !finished {
				bar.Start()
				d.Show()
			}
		})
	})
	u.goAsync(func() {
		err := work(ctx)
		cancel()
		timer.Stop()
		u.do(func() {
			finished = true
			bar.Stop()
			d.Hide()
			if done != nil {
				done(err)
			}
		})
	})
}

func (u *UI) mainMenu() *fyne.MainMenu {
	newCase := fyne.NewMenuItem(lang.L("New case…"), u.newCase)
	newCase.Shortcut = shortcutNew
	imp := fyne.NewMenuItem(lang.L("Import statement…"), func() { u.inCase(func(v *caseView) { v.importDialog() }) })
	imp.Shortcut = shortcutImport
	attach := fyne.NewMenuItem(lang.L("Attach files…"), func() { u.inCase(func(v *caseView) { v.importDialog() }) })
	export := fyne.NewMenuItem(lang.L("Export letter…"), func() { u.inCase(func(v *caseView) { v.showLetters() }) })
	export.Shortcut = shortcutExport
	caseFile := fyne.NewMenuItem(lang.L("Export case file (PDF)…"), func() { u.inCase(func(v *caseView) { v.letters.exportCaseFileDialog() }) })
	cases := fyne.NewMenuItem(lang.L("All cases"), u.showList)
	deleteCase := fyne.NewMenuItem(lang.L("Delete this case…"), func() { u.inCase(func(v *caseView) { v.confirmDelete() }) })
	bundleOut := fyne.NewMenuItem(lang.L("Export case bundle…"), func() { u.inCase(func(v *caseView) { v.exportBundle() }) })
	bundleIn := fyne.NewMenuItem(lang.L("Import case bundle…"), u.importBundle)
	bundleCheck := fyne.NewMenuItem(lang.L("Verify case bundle…"), u.verifyBundle)
	settings := fyne.NewMenuItem(lang.L("Settings…"), func() { u.showSettings() })
	file := fyne.NewMenu(lang.L("File"), newCase, cases, fyne.NewMenuItemSeparator(), imp, attach, export, caseFile,
		fyne.NewMenuItemSeparator(), bundleOut, bundleIn, bundleCheck, fyne.NewMenuItemSeparator(), deleteCase, fyne.NewMenuItemSeparator(), settings)
	u.undoItem = fyne.NewMenuItem(lang.L("Undo"), u.undoShortcut)
	u.undoItem.Shortcut = shortcutUndo
	u.undoItem.Disabled = true
	edit := fyne.NewMenu(lang.L("Edit"), u.undoItem)
	return fyne.NewMainMenu(file, edit, u.helpMenu())
}

var (
	shortcutNew    = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutImport = &desktop.CustomShortcut{KeyName: fyne.KeyI, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutExport = &desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: fyne.KeyModifierShortcutDefault}
	// Ctrl+Z: the main menu sees it before the focused widget does, so
	// undoShortcut hands it to a focused text box itself.
	shortcutUndo = &fyne.ShortcutUndo{}
)

// addShortcuts registers the menu's shortcuts on the canvas too, so they
// work while a widget without its own handling has focus.
func (u *UI) addShortcuts() {
	c := u.win.Canvas()
	c.AddShortcut(shortcutNew, func(fyne.Shortcut) { u.newCase() })
	c.AddShortcut(shortcutImport, func(fyne.Shortcut) { u.inCase(func(v *caseView) { v.importDialog() }) })
	c.AddShortcut(shortcutExport, func(fyne.Shortcut) { u.inCase(func(v *caseView) { v.showLetters() }) })
	c.AddShortcut(shortcutUndo, func(fyne.Shortcut) { u.undoShortcut() })
}

// inCase runs fn on the open case, or says that one must be opened first.
func (u *UI) inCase(fn func(v *caseView)) {
	if u.view == nil || !u.view.loaded {
		dialog.ShowInformation(lang.L("Open a case first"), lang.L("Choose a case from the list, then try again."), u.win)
		return
	}
	fn(u.view)
}

// dropped attaches files dropped onto the window to the open case.
func (u *UI) dropped(_ fyne.Position, uris []fyne.URI) {
	u.inCase(func(v *caseView) {
		var paths []string
		for _, uri := range uris {
			if uri.Scheme() == "file" {
				paths = append(paths, uri.Path())
			}
		}
		v.importPaths(paths)
	})
}

func (u *UI) newCase() { u.startWizard() }

// startWizard opens the new-case wizard and returns it.
func (u *UI) startWizard() *wizard {
	w := newWizard(u)
	w.show()
	return w
}

// askSavePath shows a file-save dialog proposing name and calls save with
// the chosen path (nothing when cancelled). The empty file the dialog
// creates is closed at once: exports write it again, atomically, off the
// event goroutine.
func (u *UI) askSavePath(name string, save func(path string)) *dialog.FileDialog {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		save(path)
	}, u.win)
	d.SetFileName(name)
	d.Resize(fyne.NewSize(900, 600))
	return d
}

// escape closes the dialog or wizard on screen (Escape), keeping what was
// typed in it as a draft.
func (u *UI) escape() {
	switch {
	case u.openForm != nil:
		u.openForm.close()
	case u.openWizard != nil:
		u.openWizard.close()
	}
}
