package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"
	"github.com/disputekit/disputekit/evidence/bundle"
)

// errNoPassphrase stops a bundle read so the UI can ask for the passphrase
// on the event goroutine and try again.
var errNoPassphrase = errors.New("the bundle is encrypted")

// knownPassphrase answers a bundle's passphrase request with p, or stops
// the read when p is empty.
func knownPassphrase(p string) func() (string, error) {
	return func() (string, error) {
		if p == "" {
			return "", errNoPassphrase
		}
		return p, nil
	}
}

// askPassphrase shows a password field; then runs with the answer.
func (u *UI) askPassphrase(title, note string, then func(pass string)) {
	pass := widget.NewPasswordEntry()
	items := []*widget.FormItem{widget.NewFormItem(lang.L("Passphrase"), pass)}
	if note != "" {
		l := widget.NewLabel(note)
		l.Wrapping = fyne.TextWrapWord
		items = append([]*widget.FormItem{widget.NewFormItem("", l)}, items...)
	}
	d := dialog.NewForm(title, lang.L("OK"), lang.L("Cancel"), items, func(ok bool) {
		if ok {
			then(pass.Text)
		}
	}, u.win)
	d.Resize(fyne.NewSize(460, 220))
	d.Show()
	u.win.Canvas().Focus(pass)
}

// exportBundle writes the open case as one portable file, optionally
// encrypted with a passphrase.
func (v *caseView) exportBundle() {
	u := v.u
	u.askPassphrase(lang.L("Export case bundle"),
		lang.L("The bundle holds the whole case and every file, with their SHA-256 hashes. Type a passphrase to encrypt it, or leave it empty."),
		func(pass string) {
			name := fmt.Sprintf("case-%d.zip", v.id)
			if pass != "" {
				name += ".age"
			}
			u.askSavePath(name, func(path string) {
				u.runWithProgress(lang.L("Writing the bundle…"), func(ctx context.Context) error {
					_, err := bundle.ExportFile(ctx, u.cases.Store, v.id, path, bundle.Options{}, pass)
					return err
				}, func(err error) {
					if err != nil {
						u.showError(fmt.Errorf("export bundle %s: %w", path, err))
						return
					}
					u.setStatus(lang.L("Bundle saved to {{.Path}}", map[string]any{"Path": path}))
				})
			}).Show()
		})
}

// pickBundle asks for a bundle file, then runs with its path.
func (u *UI) pickBundle(then func(path string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		then(path)
	}, u.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".zip", ".age"})) // case bundles, plain or encrypted
	d.Resize(dialogSize(u.win, fyne.NewSize(900, 600)))
	d.Show()
}

// importBundle reads a bundle into a new case and opens it.
func (u *UI) importBundle() {
	u.pickBundle(func(path string) { u.importBundlePath(path, "") })
}

func (u *UI) importBundlePath(path, pass string) {
	var id int64
	u.runWithProgress(lang.L("Importing the bundle…"), func(ctx context.Context) error {
		var err error
		id, err = bundle.ImportFile(ctx, u.cases.Store, path, bundle.Passphrase(knownPassphrase(pass)))
		return err
	}, func(err error) {
		if u.askAgainForPassphrase(err, pass, func(p string) { u.importBundlePath(path, p) }) {
			return
		}
		if err != nil {
			u.showError(fmt.Errorf("import bundle %s: %w", path, err))
			return
		}
		u.setStatus(lang.L("Bundle imported as a new case."))
		u.openCase(id)
	})
}

// askAgainForPassphrase asks for the passphrase when err says the bundle is
// encrypted and none (or a wrong one) was given, then calls retry with it.
// It reports whether it asked.
func (u *UI) askAgainForPassphrase(err error, pass string, retry func(string)) bool {
	if !errors.Is(err, errNoPassphrase) && (pass == "" || !isPassphraseError(err)) {
		return false
	}
	note := ""
	if pass != "" {
		note = userMessage(err) // explain's wrong-passphrase sentence, in the UI's language
	}
	u.askPassphrase(lang.L("This bundle is encrypted"), note, retry)
	return true
}

// verifyBundle checks a bundle's files against its manifest.
func (u *UI) verifyBundle() {
	u.pickBundle(func(path string) { u.verifyBundlePath(path, "") })
}

func (u *UI) verifyBundlePath(path, pass string) {
	var rep BundleReport
	u.runWithProgress(lang.L("Checking the bundle…"), func(ctx context.Context) error {
		var err error
		rep, err = verifyBundle(path, knownPassphrase(pass))
		return err
	}, func(err error) {
		if u.askAgainForPassphrase(err, pass, func(p string) { u.verifyBundlePath(path, p) }) {
			return
		}
		if err != nil {
			u.showError(fmt.Errorf("verify bundle %s: %w", path, err))
			return
		}
		if rep.OK {
			dialog.ShowInformation(lang.L("Bundle checked"),
				lang.L("All {{.Files}} files of \"{{.Title}}\" match the hashes in its manifest.", map[string]any{"Files": rep.Files, "Title": rep.Title}), u.win)
			return
		}
		dialog.ShowError(errors.New(lang.L("This bundle does not match its manifest:")+"\n"+strings.Join(rep.Problems, "\n")), u.win)
	})
}
