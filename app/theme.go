package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/disputekit/disputekit/assets"
)

// appTheme wraps Fyne's default theme and swaps in the embedded WenQuanYi
// Micro Hei for text, so Chinese renders on machines without any CJK font.
// Colours and sizes stay the default's, so light and dark follow the OS.
type appTheme struct {
	fyne.Theme
	font fyne.Resource
}

var _ fyne.Theme = (*appTheme)(nil)

// NewTheme returns the DisputeKit theme.
func NewTheme() fyne.Theme {
	return &appTheme{
		Theme: theme.DefaultTheme(),
		font:  fyne.NewStaticResource("wqy-microhei.ttf", assets.FontTTF),
	}
}

// Font returns the CJK font for every text style. The symbol style keeps the
// default's font: it holds the shortcut glyphs (⌘, ⇧) the CJK font lacks.
func (t *appTheme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Symbol {
		return t.Theme.Font(s)
	}
	return t.font
}

// paperTheme is the app's theme in its light variant whatever the OS
// chooses: the letter preview is a white page with dark text, as printed.
type paperTheme struct{ fyne.Theme }

func (t paperTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, theme.VariantLight)
}
