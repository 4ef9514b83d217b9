package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// showSettings opens the Settings dialog: the language of the app, which
// follows the system unless chosen here.
func (u *UI) showSettings() *dialog.CustomDialog {
	choices := []struct{ code, label string }{
		{"", lang.L("Follow the system")},
		{"zh", "中文"},
		{"en", "English"},
	}
	labels := make([]string, len(choices))
	current := u.app.Preferences().String(prefLanguage)
	sel := newSelect(nil, nil)
	for i, c := range choices {
		labels[i] = c.label
		if c.code == current {
			defer sel.SetSelected(c.label)
		}
	}
	sel.Options = labels
	var d *dialog.CustomDialog
	sel.OnChanged = func(s string) {
		for _, c := range choices {
			if c.label == s && c.code != u.app.Preferences().String(prefLanguage) {
				u.app.Preferences().SetString(prefLanguage, c.code)
				d.Hide()
				u.switchLanguage()
				return
			}
		}
	}
	note := widget.NewLabel(lang.L("Letters have their own language, chosen on the Letters tab."))
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	form := widget.NewForm(widget.NewFormItem(lang.L("Language"), sel))
	d = dialog.NewCustom(lang.L("Settings"), lang.L("Close"), container.NewVBox(form, note), u.win)
	d.Resize(dialogSize(u.win, fyne.NewSize(480, 220)))
	d.Show()
	return d
}

// switchLanguage applies the language now in the preferences and builds
// every screen again in it, keeping the case and tab shown.
func (u *UI) switchLanguage() {
	if err := UseLanguageFromSettings(u.app); err != nil {
		u.showError(err)
		return
	}
	u.win.SetMainMenu(u.mainMenu())
	u.undoBtn.SetText(lang.L("Undo"))
	u.nameUndo()
	open := int64(0)
	if u.view != nil {
		open = u.view.id
	}
	u.list = newCaseList(u)
	u.showList()
	if open > 0 {
		u.openCaseQuietly(open)
	}
	u.setStatus(lang.L("The app now speaks {{.Language}}.", map[string]any{"Language": languageName()}))
}

// languageName is the UI's language, named in itself.
func languageName() string {
	if uiLang() == "zh" {
		return "中文"
	}
	return "English"
}
