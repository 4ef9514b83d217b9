package report

import (
	"strings"
	"sync"

	"golang.org/x/image/font/sfnt"

	"github.com/disputekit/disputekit/assets"
)

// missingGlyph stands in for a character the embedded font cannot draw.
const missingGlyph = '\uFFFD'

// fontCoverage tells which characters of the Basic Multilingual Plane the
// embedded font has glyphs for. gofpdf indexes its width and glyph tables
// by rune below U+10000 and panics beyond it, so an emoji pasted into a
// chat summary would crash the whole export.
var fontCoverage = sync.OnceValue(func() []bool {
	has := make([]bool, 0x10000)
	f, err := sfnt.Parse(assets.FontTTF)
	if err != nil {
		for r := 0x20; r < 0x7F; r++ {
			has[r] = true
		}
		return has
	}
	var buf sfnt.Buffer
	for r := range has {
		if gi, err := f.GlyphIndex(&buf, rune(r)); err == nil && gi != 0 {
			has[r] = true
		}
	}
	return has
})

func drawable(r rune) bool {
	return r >= 0 && r < 0x10000 && fontCoverage()[r]
}

// drawableText replaces every character the font cannot draw with U+FFFD.
func drawableText(s string) string {
	ok := true
	for _, r := range s {
		if !drawable(r) && r != '\n' {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r == '\n' || drawable(r) {
			b.WriteRune(r)
		} else {
			b.WriteRune(missingGlyph)
		}
	}
	return b.String()
}
