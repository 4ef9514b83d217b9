package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// formEntry is a text box in a form or dialog. Escape closes the dialog it
// is in (onEscape), as it does elsewhere; and a one-line box does not
// scroll itself, so the mouse wheel over it scrolls the page.
type formEntry struct {
	widget.Entry
	onEscape func()
}

func newFormEntry() *formEntry {
	e := &formEntry{}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrapOff
	e.Scroll = container.ScrollNone
	return e
}

// newFormMultiLineEntry is a formEntry of several lines, wrapped at words.
func newFormMultiLineEntry() *formEntry {
	e := &formEntry{}
	e.ExtendBaseWidget(e)
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	return e
}

func (e *formEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// textBox is a focused widget that edits text and undoes its own typing.
type textBox interface {
	TypedShortcut(fyne.Shortcut)
	SelectedText() string
}
