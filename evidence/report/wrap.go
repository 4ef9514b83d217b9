package report

import (
	"strings"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// measureFunc returns the printed width of a string in the current font
// (gofpdf's GetStringWidth). Widths must add up: w(a+b) == w(a)+w(b).
type measureFunc func(string) float64

// noLineStart holds characters that must not begin a line (避头点): closing
// punctuation, full-width and ASCII. UAX #14 already keeps most of them with
// the character before; this rule covers the rest (a token cut between
// graphemes, a per cent sign after a Chinese character).
const noLineStart = "。，、；：？！）》」』】〕〗〙〛”’…‥·．・〉｝］" + ".,;:?!)]}%"

func forbiddenAtStart(r rune) bool { return strings.ContainsRune(noLineStart, r) }

// breakSpace is the whitespace a line may drop where it breaks.
// Mandatory breaks other than "\n" (CR, VT, FF, NEL, LS, PS) count too.
const breakSpace = " \t\u3000\r\v\f\u0085\u2028\u2029"

// wrapText breaks text into lines that fit width, the first line fitting
// firstWidth (for a first-line indent or a label beside it). Explicit "\n"
// (and "\r\n") always break; an empty text or an empty hard line gives an
// empty line. Only whitespace at a break is dropped, so joining the lines
// gives back the text without its break spaces and newlines.
func wrapText(text string, firstWidth, width float64, measure measureFunc) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var lines []string
	for i, hard := range strings.Split(text, "\n") {
		fw := width
		if i == 0 {
			fw = firstWidth
		}
		lines = append(lines, wrapParagraph(hard, fw, width, measure)...)
	}
	return lines
}

// wrapParagraph wraps one hard line: it packs UAX #14 line segments while
// they fit, and cuts a segment wider than a whole line between graphemes.
func wrapParagraph(text string, firstWidth, width float64, measure measureFunc) []string {
	if text == "" {
		return []string{""}
	}
	var (
		lines []string
		gaps  []string        // the whitespace dropped after each line
		cur   strings.Builder // the current line, with its trailing spaces
		curW  float64         // width of cur without its trailing spaces
		tailW float64         // width of cur's trailing spaces
	)
	limit := func() float64 {
		if len(lines) == 0 {
			return firstWidth
		}
		return width
	}
	flush := func() {
		l := strings.TrimRight(cur.String(), breakSpace)
		lines = append(lines, l)
		gaps = append(gaps, cur.String()[len(l):])
		cur.Reset()
		curW, tailW = 0, 0
	}
	state := -1
	rest := text
	for rest != "" {
		var seg string
		var mustBreak bool
		seg, rest, mustBreak, state = uniseg.FirstLineSegmentInString(rest, state)
		body := strings.TrimRight(seg, breakSpace)
		bodyW, spaceW := measure(body), measure(seg[len(body):])
		switch {
		case cur.Len() > 0 && curW+tailW+bodyW > limit():
			if strings.TrimRight(cur.String(), breakSpace) == "" {
				cur.Reset() // spaces alone before a token that does not fit: a break
			} else {
				flush()
			}
			fallthrough
		case cur.Len() == 0:
			if bodyW > limit() {
				// A token wider than a line (a URL, a hash, a long number).
				pieces := splitGraphemes(body, limit(), width, measure)
				for _, p := range pieces[:len(pieces)-1] {
					cur.WriteString(p)
					flush()
				}
				body = pieces[len(pieces)-1]
				bodyW = measure(body)
			}
			cur.WriteString(body)
			cur.WriteString(seg[len(strings.TrimRight(seg, breakSpace)):])
			curW, tailW = bodyW, spaceW
		default:
			cur.WriteString(seg)
			curW += tailW + bodyW
			tailW = spaceW
		}
		if mustBreak && rest != "" {
			flush()
		}
	}
	flush()
	return fixLineStarts(lines, gaps, measure)
}

// splitGraphemes cuts an overlong token into pieces, the first fitting
// first, the others width; every piece holds at least one grapheme cluster.
func splitGraphemes(s string, first, width float64, measure measureFunc) []string {
	var pieces []string
	var cur strings.Builder
	var curW, spaceW float64 // spaceW: spaces after the last non-space in cur
	limit := first
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		c := g.Str()
		if strings.Trim(c, breakSpace) == "" {
			cur.WriteString(c) // spaces may hang at the end of a piece
			spaceW += measure(c)
			continue
		}
		cw := measure(c)
		if cur.Len() > 0 && curW+spaceW+cw > limit {
			pieces = append(pieces, cur.String())
			cur.Reset()
			curW, spaceW = 0, 0
			limit = width
		}
		cur.WriteString(c)
		curW += spaceW + cw
		spaceW = 0
	}
	return append(pieces, cur.String())
}

// fixLineStarts applies the line-start rule to the lines of one paragraph.
// A run of at most two forbidden characters hangs into the margin at the
// end of the previous line (悬挂) when it is no wider than two full-width
// characters; otherwise the previous line's last grapheme comes down with it.
func fixLineStarts(lines, gaps []string, measure measureFunc) []string {
	hang := 2 * measure("。")
	for i := 1; i < len(lines); i++ {
		r, _ := utf8.DecodeRuneInString(lines[i])
		if !forbiddenAtStart(r) || lines[i-1] == "" {
			continue
		}
		run, n := 0, 0
		for j, c := range lines[i] {
			if !forbiddenAtStart(c) || n == 2 {
				break
			}
			run, n = j+utf8.RuneLen(c), n+1
		}
		if measure(gaps[i-1]+lines[i][:run]) <= hang {
			lines[i-1] += gaps[i-1] + lines[i][:run]
			lines[i] = strings.TrimLeft(lines[i][run:], breakSpace)
			continue
		}
		last := lastGrapheme(lines[i-1])
		if len(last) == len(lines[i-1]) {
			continue // the previous line is a single grapheme: nothing to pull down
		}
		lines[i-1] = lines[i-1][:len(lines[i-1])-len(last)]
		lines[i] = last + gaps[i-1] + lines[i]
	}
	// Hanging can empty a line that held nothing but punctuation.
	out := lines[:0]
	for _, l := range lines {
		if l != "" {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return []string{""} // a line of spaces
	}
	return out
}

// lastGrapheme returns the last grapheme cluster of s.
func lastGrapheme(s string) string {
	var last string
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		last = g.Str()
	}
	return last
}

// isWide reports whether r is an East Asian wide or full-width character.
func isWide(r rune) bool {
	switch {
	case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0x303E, r >= 0x3041 && r <= 0x33FF,
		r >= 0x3400 && r <= 0x4DBF, r >= 0x4E00 && r <= 0x9FFF, r >= 0xA000 && r <= 0xA4CF,
		r >= 0xAC00 && r <= 0xD7A3, r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F,
		r >= 0xFF00 && r <= 0xFF60, r >= 0xFFE0 && r <= 0xFFE6, r >= 0x20000 && r <= 0x3FFFD,
		r == 0x201C || r == 0x201D || r == 0x2018 || r == 0x2019 || r == 0x2026:
		return true
	}
	return false
}
