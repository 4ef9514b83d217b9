package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/require"
)

// pdfText runs pdftotext over pages first..last (0: all) of a PDF; the test
// is skipped where poppler is not installed.
func pdfText(t *testing.T, pdf []byte, first, last int, layout bool, crop ...int) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not on PATH")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	require.NoError(t, os.WriteFile(path, pdf, 0o644))
	args := []string{"-enc", "UTF-8"}
	if first > 0 {
		args = append(args, "-f", strconv.Itoa(first), "-l", strconv.Itoa(last))
	}
	if layout {
		// Layout mode also keeps pdftotext from joining "zh-" and "CN" across lines.
		args = append(args, "-layout")
	}
	if len(crop) == 4 { // x, y, w, h in points
		args = append(args, "-x", strconv.Itoa(crop[0]), "-y", strconv.Itoa(crop[1]), "-W", strconv.Itoa(crop[2]), "-H", strconv.Itoa(crop[3]))
	}
	out, err := exec.Command(bin, append(args, path, "-")...).Output()
	require.NoError(t, err, "pdftotext")
	return string(out)
}

// pdfPages returns the text of each page, 1-based (index 0 is empty).
func pdfPages(t *testing.T, pdf []byte, layout bool) []string {
	t.Helper()
	all := pdfText(t, pdf, 0, 0, layout)
	pages := strings.Split(all, "\f")
	if pages[len(pages)-1] == "" || strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	return append([]string{""}, pages...)
}

// squeeze drops all whitespace.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func pageCount(pdf []byte) int {
	return bytes.Count(pdf, []byte("/Type /Page\n")) + bytes.Count(pdf, []byte("/Type /Page "))
}

var footerRE = regexp.MustCompile(`第\s*\d+\s*页\s*共\s*\d+\s*页|Page \d+ of \d+`)

// bodyText is the whole text of a PDF without page footers and whitespace,
// so a paragraph that runs over a page break reads as one.
func bodyText(t *testing.T, pdf []byte) string {
	t.Helper()
	return squeeze(footerRE.ReplaceAllString(pdfText(t, pdf, 0, 0, true), ""))
}
