package app

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/disputekit/disputekit/evidence"
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

// withDatePicker puts a calendar button at the right of e: the day picked
// replaces the date in e and keeps the time typed after it (withTime), or
// "12:00" when there is none yet.
func withDatePicker(e *formEntry, withTime bool) *formEntry {
	var btn *widget.Button
	btn = widget.NewButtonWithIcon("", theme.CalendarIcon(), func() {
		start := time.Now().In(evidence.Shanghai)
		if t, err := evidence.ParseLocalTime(e.Text, evidence.Shanghai); err == nil {
			start = t
		}
		c := fyne.CurrentApp().Driver().CanvasForObject(btn)
		if c == nil {
			return
		}
		var pop *widget.PopUp
		cal := widget.NewCalendar(start, func(day time.Time) {
			e.SetText(pickedDate(e.Text, day, withTime))
			pop.Hide()
		})
		pop = widget.NewPopUp(cal, c)
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(btn)
		pop.ShowAtPosition(pos.Add(fyne.NewPos(0, btn.Size().Height)))
	})
	btn.Importance = widget.LowImportance
	e.ActionItem = btn
	return e
}

// pickedDate is text with its date replaced by day: "2026-05-01 14:30"
// becomes "2026-05-03 14:30".
func pickedDate(text string, day time.Time, withTime bool) string {
	date := day.Format("2006-01-02")
	if !withTime {
		return date
	}
	clock := "12:00"
	if f := strings.Fields(text); len(f) == 2 {
		clock = f[1]
	}
	return date + " " + clock
}
