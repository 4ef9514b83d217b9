package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type rect struct{ x, y, w, h float32 }

func absRect(o fyne.CanvasObject) rect {
	p := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	s := o.Size()
	return rect{p.X, p.Y, s.Width, s.Height}
}

func (a rect) overlaps(b rect) bool {
	return a.x < b.x+b.w && b.x < a.x+a.w && a.y < b.y+b.h && b.y < a.y+a.h
}

func (a rect) inside(w, h float32) bool {
	return a.x >= 0 && a.y >= 0 && a.x+a.w <= w && a.y+a.h <= h
}

// checkDialogLayout asserts, for the dialog on top of the window, that its
// buttons lie inside the window and cover no input: inputs are either in a
// scrolling body the buttons stay clear of, or clear of the buttons
// themselves.
func checkDialogLayout(t *testing.T, tu testUI, name string) {
	t.Helper()
	top := tu.win.Canvas().Overlays().Top()
	require.NotNil(t, top, name)
	size := tu.win.Canvas().Size()
	var buttons []*widget.Button
	var inputs []fyne.CanvasObject
	var scrolls []*container.Scroll
	for _, o := range test.LaidOutObjects(top) {
		if !o.Visible() {
			continue
		}
		switch w := o.(type) {
		case *widget.Button:
			buttons = append(buttons, w)
		case *formEntry, *widget.Entry, *widget.Select, *widget.Check, *widget.RadioGroup:
			inputs = append(inputs, w)
		case *container.Scroll:
			scrolls = append(scrolls, w)
		}
	}
	require.NotEmpty(t, buttons, name)
	inScroll := func(o fyne.CanvasObject) *container.Scroll {
		r := absRect(o)
		for _, sc := range scrolls {
			s := absRect(sc)
			if r.y >= s.y-1 && r.x >= s.x-1 && r.x <= s.x+s.w {
				return sc
			}
		}
		return nil
	}
	for _, b := range buttons {
		br := absRect(b)
		if b.Text == "" || br.w == 0 || br.h == 0 { // hidden with its container, or icon-only
			continue // icon-only buttons inside inputs (a password's eye)
		}
		if sc := inScroll(b); sc != nil && absRect(sc).overlaps(br) {
			continue // a button inside the scrolling body scrolls with it
		}
		assert.True(t, br.inside(size.Width, size.Height), "%s: button %q at %v is outside the %v window", name, b.Text, br, size)
		for _, in := range inputs {
			ir := absRect(in)
			if sc := inScroll(in); sc != nil {
				ir = absRect(sc) // what of the input can show is the scroll's viewport
			}
			assert.False(t, br.overlaps(ir), "%s: button %q at %v covers an input at %v", name, b.Text, br, ir)
		}
	}
}

func closeOverlays(tu testUI) {
	for tu.win.Canvas().Overlays().Top() != nil {
		tu.win.Canvas().Overlays().Top().Hide()
		tu.win.Canvas().Overlays().Remove(tu.win.Canvas().Overlays().Top())
	}
	tu.openForm, tu.openWizard = nil, nil
}

// At 800×600 every dialog keeps its buttons inside the window and off the
// fields (the add-transaction dialog's buttons used to cover 备注 and 有争议).
func TestDialogsAt800x600(t *testing.T) {
	for _, locale := range []string{"zh_CN.UTF-8", "en_US.UTF-8"} {
		t.Run(locale, func(t *testing.T) {
			tu := newTestUIIn(t, locale)
			tu.createCaseIn(t, "面馆重复扣款", "幸运面馆", "店长说下周退款。")
			tu.win.Resize(fyne.NewSize(800, 600))
			v := tu.view
			for name, open := range map[string]func(){
				"transaction":  func() { v.txns.edit(-1) },
				"call":         func() { v.calls.edit(-1) },
				"event":        func() { v.timeline.edit(-1) },
				"settings":     func() { tu.showSettings() },
				"recipients":   func() { tu.showRecipientsHelp() },
				"data":         func() { tu.showDataHelp() },
				"about":        func() { tu.showAbout() },
				"delete case":  func() { v.confirmDelete() },
				"wizard step1": func() { tu.startWizard() },
				"wizard step2": func() { tu.startWizard().goTo(1) },
				"wizard step3": func() { tu.startWizard().goTo(2) },
			} {
				open()
				tu.wait()
				checkDialogLayout(t, tu, name)
				closeOverlays(tu)
			}
		})
	}
}
