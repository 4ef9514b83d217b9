package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// tipLabel is a one-line label that ends in "…" when its text does not
// fit, and then shows the whole text in a tooltip while the pointer rests
// on it.
type tipLabel struct {
	widget.Label
	tip *widget.PopUp
}

func newTipLabel(text string) *tipLabel {
	l := &tipLabel{}
	l.ExtendBaseWidget(l)
	l.Text = text
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// textSize is the size the label's text is drawn in.
func (l *tipLabel) textSize() float32 {
	if l.SizeName != "" {
		return theme.Size(l.SizeName)
	}
	return theme.TextSize()
}

// cutOff says whether the text is wider than the label shows.
func (l *tipLabel) cutOff() bool {
	w := fyne.MeasureText(l.Text, l.textSize(), l.TextStyle).Width + 2*theme.InnerPadding()
	return w > l.Size().Width
}

func (l *tipLabel) MouseIn(e *desktop.MouseEvent) {
	if l.Text == "" || !l.cutOff() {
		return
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(l)
	if c == nil {
		return
	}
	text := widget.NewLabel(l.Text)
	text.Wrapping = fyne.TextWrapWord
	width := fyne.Min(fyne.MeasureText(l.Text, l.textSize(), l.TextStyle).Width+4*theme.InnerPadding(), c.Size().Width*0.6)
	l.tip = widget.NewPopUp(container.NewGridWrap(fyne.NewSize(width, text.MinSize().Height), text), c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(l)
	l.tip.ShowAtPosition(pos.Add(fyne.NewPos(e.Position.X, l.Size().Height)))
}

func (l *tipLabel) MouseMoved(*desktop.MouseEvent) {}

func (l *tipLabel) MouseOut() {
	if l.tip != nil {
		l.tip.Hide()
		l.tip = nil
	}
}

var _ desktop.Hoverable = (*tipLabel)(nil)
