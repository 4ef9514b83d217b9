package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/image/font/sfnt"

	"github.com/disputekit/disputekit/assets"
)

func TestThemeUsesEmbeddedFontForText(t *testing.T) {
	th := NewTheme()
	for _, s := range []fyne.TextStyle{{}, {Bold: true}, {Italic: true}, {Bold: true, Italic: true}, {Monospace: true}} {
		assert.Equal(t, assets.FontTTF, th.Font(s).Content(), "%+v", s)
	}
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		assert.Equal(t, theme.DefaultTheme().Color(theme.ColorNameBackground, v), th.Color(theme.ColorNameBackground, v),
			"colours follow the light/dark variant")
	}
}

// TestFontCoversEveryUIString: no tofu. Every character of every translated
// string has a glyph in the embedded font.
func TestFontCoversEveryUIString(t *testing.T) {
	f, err := sfnt.Parse(assets.FontTTF)
	require.NoError(t, err)
	var buf sfnt.Buffer
	for _, file := range []string{"zh.json", "en.json"} {
		missing := map[rune]string{}
		for k, v := range loadMessages(t, file) {
			for _, r := range k + v {
				if r < ' ' {
					continue
				}
				if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
					missing[r] = v
				}
			}
		}
		assert.Empty(t, missing, "%s has characters the font cannot draw", file)
	}
	for _, r := range "✔—·•¥…：中文" { // drawn by the code itself
		g, err := f.GlyphIndex(&buf, r)
		assert.True(t, err == nil && g != 0, "no glyph for %q", r)
	}
}
