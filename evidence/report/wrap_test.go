package report

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cellWidth measures like a monospaced CJK font: wide characters count 2, others 1.
func cellWidth(s string) float64 {
	var w float64
	for _, r := range s {
		if isWide(r) {
			w += 2
		} else {
			w++
		}
	}
	return w
}

// requireNoLoss checks that lines are text with only whitespace removed,
// and only where one line ends and the next begins.
func requireNoLoss(t *testing.T, text string, lines []string) {
	t.Helper()
	rest := text
	for i, l := range lines {
		// What lies between two lines may only be break whitespace.
		ws := len(rest) - len(strings.TrimLeft(rest, breakSpace+"\n"))
		for k := 0; k <= ws && !strings.HasPrefix(rest, l); k++ {
			if strings.HasPrefix(rest[k:], l) {
				rest = rest[k:]
			}
		}
		require.True(t, strings.HasPrefix(rest, l), "line %d %q is not next in %q", i, l, rest)
		rest = rest[len(l):]
	}
	assert.Empty(t, strings.Trim(rest, breakSpace+"\n"), "text left after the last line")
}

func requireFits(t *testing.T, lines []string, first, width float64, measure measureFunc) {
	t.Helper()
	for i, l := range lines {
		limit := width
		if i == 0 {
			limit = first
		}
		if utf8.RuneCountInString(l) > 1 {
			// Hanging punctuation may stick out by up to two full-width characters.
			assert.LessOrEqual(t, measure(l), limit+2*measure("。"), "line %d %q too wide", i, l)
		}
	}
}

func requireNoForbiddenStarts(t *testing.T, lines []string) {
	t.Helper()
	for i, l := range lines {
		if i == 0 || l == "" {
			continue
		}
		r, _ := utf8.DecodeRuneInString(l)
		assert.False(t, forbiddenAtStart(r), "line %d starts with %q: %q", i, r, lines)
	}
}

const mixedParagraph = "2026年11月20日14时03分，本人在上海市徐汇区某某餐厅（商户编号 123456789012345，终端号 12345678）" +
	"用尾号1234的银行卡刷卡消费，约定金额为人民币128.00元，但POS机实际扣款1,280.00元（参考号 RRN 631234567890，凭证号 000123）。" +
	"The merchant admitted the extra zero on the phone but refused to refund; see https://example.com/dispute/ticket?id=ABCDEF0123456789ABCDEF0123456789&lang=zh-CN for the ticket. " +
	"本人随即致电发卡行客服（工单号 CS20261120-0042），客服表示需商户配合退款！商家称“系统故障”，拒不退还多扣的1,152.00元；" +
	"SHA-256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 是签购单照片的哈希值。"

func TestWrapNoLoss(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		width float64
	}{
		{"mixed zh/en", mixedParagraph, 40},
		{"mixed narrow", mixedParagraph, 9},
		{"chinese", "关于POS机交易金额错误的投诉函：请求贵行协助退还多扣款项，并于十五日内书面答复。", 20},
		{"english", "Please refund the amount charged in excess, RMB 1,152.00, to the original card within 7 days.", 30},
		{"hard breaks", "第一行\n\n第三行 third line\r\nlast", 10},
		{"spaces kept inside", "a  b   c", 80},
		{"only a newline", "\n", 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := wrapText(tt.text, tt.width, tt.width, cellWidth)
			requireNoLoss(t, tt.text, lines)
			requireFits(t, lines, tt.width, tt.width, cellWidth)
			requireNoForbiddenStarts(t, lines)
		})
	}
}

func TestWrapPacksChinese(t *testing.T) {
	lines := wrapText("一二三四五六七八九十一二三四五六七八九十", 20, 20, cellWidth)
	assert.Equal(t, []string{"一二三四五六七八九十", "一二三四五六七八九十"}, lines)

	lines = wrapText("一二三四五六七八九十甲乙", 10, 20, cellWidth)
	assert.Equal(t, []string{"一二三四五", "六七八九十甲乙"}, lines, "the first line is narrower (indent)")
}

func TestWrapPunctuationNeverStartsALine(t *testing.T) {
	tests := []struct {
		text  string
		width float64
		want  []string
	}{
		// 。 would be first on line 2: UAX #14 keeps it with 五.
		{"一二三四五。六七", 10, []string{"一二三四", "五。六七"}},
		{"一二三四五，六七", 10, []string{"一二三四", "五，六七"}},
		{"一二三四五）六七", 10, []string{"一二三四", "五）六七"}},
		{"一二三四》」六七", 8, []string{"一二三", "四》」六", "七"}},
		// ASCII cousins.
		{"abcd efgh, ijk", 9, []string{"abcd", "efgh, ijk"}},
		{"abcdefghij.klm", 5, []string{"abcde", "fghij.", "klm"}},
		{"中文中文%", 8, []string{"中文中", "文%"}},
	}
	for _, tt := range tests {
		lines := wrapText(tt.text, tt.width, tt.width, cellWidth)
		assert.Equal(t, tt.want, lines, "%q at %v", tt.text, tt.width)
		requireNoForbiddenStarts(t, lines)
		requireNoLoss(t, tt.text, lines)
	}
}

func TestWrapForbiddenAfterCutToken(t *testing.T) {
	// A 12-character token cut at 5 would start line 3 with "．"; it hangs instead.
	lines := wrapText("abcdefghij．xyz", 10, 10, cellWidth)
	requireNoForbiddenStarts(t, lines)
	requireNoLoss(t, "abcdefghij．xyz", lines)
}

func TestWrapLongLatinTokens(t *testing.T) {
	hash := "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	lines := wrapText("SHA-256: "+hash, 20, 20, cellWidth)
	requireNoLoss(t, "SHA-256: "+hash, lines)
	requireFits(t, lines, 20, 20, cellWidth)
	assert.Equal(t, "SHA-256:", lines[0])
	assert.Equal(t, hash, strings.Join(lines[1:], ""), "the hash is cut, not lost")
	for _, l := range lines[1 : len(lines)-1] {
		assert.Len(t, l, 20)
	}

	url := "https://example.com/a/very/long/path/that/does/not/fit/anywhere?query=1234567890"
	lines = wrapText(url, 13, 13, cellWidth)
	requireNoLoss(t, url, lines)
	requireFits(t, lines, 13, 13, cellWidth)
	assert.Greater(t, len(lines), 5)
}

func TestWrapEmptyLines(t *testing.T) {
	assert.Equal(t, []string{""}, wrapText("", 10, 10, cellWidth))
	assert.Equal(t, []string{"", ""}, wrapText("\n", 10, 10, cellWidth))
	assert.Equal(t, []string{"甲", "", "乙"}, wrapText("甲\n\n乙", 10, 10, cellWidth))
	assert.Equal(t, []string{"甲", "", "乙"}, wrapText("甲\r\n\r\n乙", 10, 10, cellWidth))
	assert.Equal(t, []string{""}, wrapText("   ", 10, 10, cellWidth))
}

func TestWrapTinyWidthStillProgresses(t *testing.T) {
	// Narrower than one character: one grapheme per line, nothing lost, no loop.
	lines := wrapText("中文ab", 1, 1, cellWidth)
	assert.Equal(t, []string{"中", "文", "a", "b"}, lines)
}

func FuzzWrapText(f *testing.F) {
	f.Add(mixedParagraph, 12.0)
	f.Add("一二三四五。六七\n\nabc def", 5.0)
	f.Add("。。。。。。", 2.0)
	f.Add("👍🏽👍🏽👍🏽 e\u0301e\u0301", 3.0)
	f.Fuzz(func(t *testing.T, text string, width float64) {
		if !utf8.ValidString(text) || width < 1 || width > 1000 {
			return
		}
		lines := wrapText(text, width, width, cellWidth)
		requireNoLoss(t, text, lines)
		var nonSpace int
		for _, r := range text {
			if !unicode.IsSpace(r) {
				nonSpace++
			}
		}
		var got int
		for _, l := range lines {
			for _, r := range l {
				if !unicode.IsSpace(r) {
					got++
				}
			}
		}
		if got != nonSpace {
			t.Fatalf("%d of %d characters kept", got, nonSpace)
		}
	})
}
