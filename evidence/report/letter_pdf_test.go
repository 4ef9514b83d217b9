package report

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/templates"
)

func renderLetter(t *testing.T, l templates.Letter, v Vault) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, WriteLetterPDF(&buf, l, v))
	if dir := os.Getenv("REPORT_OUT"); dir != "" {
		require.NoError(t, os.WriteFile(fmt.Sprintf("%s/%s-%s.pdf", dir, strings.ReplaceAll(t.Name(), "/", "_"), l.Lang), buf.Bytes(), 0o644))
	}
	return buf.Bytes()
}

// TestLineBreakerKeepsEveryCharacterInPDF is the end-to-end proof that the
// line breaker loses nothing: a long mixed Chinese/English paragraph is laid
// out as a paragraph, a numbered item, a field and a narrow table cell, and
// pdftotext must find every non-space character, in order, in each.
func TestLineBreakerKeepsEveryCharacterInPDF(t *testing.T) {
	l, v := fixtureLetter(t, templates.Chinese)
	l.Blocks = []templates.Block{
		{Kind: templates.BlockTitle, Text: l.Title},
		{Kind: templates.BlockParagraph, Text: "P:" + longMixed},
		{Kind: templates.BlockItem, Number: 1, Text: "I:" + longMixed},
		{Kind: templates.BlockField, Label: "字段", Text: "F:" + longMixed},
	}
	l.Dossier.Calls[0].Summary = "C:" + longMixed
	pdf := renderLetter(t, l, v)
	text := bodyText(t, pdf)
	want := squeeze(longMixed)
	for _, tag := range []string{"P:", "I:", "F:"} {
		assert.True(t, strings.Contains(text, tag+want), "%s: text garbled; pdftotext gives\n%s", tag, text)
	}
	// The call summary sits in the last column of the call table (x from
	// 129 mm): read that column alone.
	column := squeeze(pdfText(t, pdf, 0, 0, true, 366, 0, 171, 842))
	assert.True(t, strings.Contains(column, "C:"+want), "table cell garbled; pdftotext gives\n%s", column)
}

// evidenceListPages reads "seq … page" rows off the evidence-list page.
func evidenceListPages(t *testing.T, pageText string) map[int]string {
	row := regexp.MustCompile(`^\s*(\d+)\s+.*?\s(\d+(?:-\d+)?|—)\s*$`)
	got := map[int]string{}
	for _, line := range strings.Split(pageText, "\n") {
		if m := row.FindStringSubmatch(line); m != nil {
			seq, _ := strconv.Atoi(m[1])
			got[seq] = m[2]
		}
	}
	return got
}

func TestEvidenceListPageNumbersAreRight(t *testing.T) {
	l, v := fixtureLetter(t, templates.Chinese)
	// Enough transactions for the table exhibit to span pages, so that every
	// exhibit after it moves.
	base := l.Dossier.Transactions[0]
	for i := range 150 {
		tx := base
		tx.ID = int64(100 + i)
		tx.Time = base.Time.Add(time.Duration(i) * time.Hour)
		tx.Disputed = i%10 == 0
		tx.RRN = fmt.Sprintf("63%010d", i)
		l.Dossier.Transactions = append(l.Dossier.Transactions, tx)
	}
	// A letter longer than one page pushes the list to page 2 or later.
	for range 6 {
		l.Blocks = append(l.Blocks, templates.Block{Kind: templates.BlockParagraph, Text: longMixed})
	}
	pdf := renderLetter(t, l, v)
	pages := pdfPages(t, pdf, true)

	listPage := 0
	for p, text := range pages {
		if strings.Contains(text, "证据清单") {
			listPage = p
			break
		}
	}
	require.Greater(t, listPage, 1, "the list follows the letter")
	listed := evidenceListPages(t, pages[listPage])
	require.Len(t, listed, len(l.Evidence), "rows read from the list page:\n%s", pages[listPage])
	assert.Equal(t, "—", listed[6], "an item not on file has no page")

	spans := 0
	for _, it := range l.Evidence[:5] {
		rng := listed[it.Seq]
		from, to := rng, rng
		if a, b, ok := strings.Cut(rng, "-"); ok {
			from, to = a, b
			spans++
		}
		p, err := strconv.Atoi(from)
		require.NoError(t, err, "page of item %d: %q", it.Seq, rng)
		q, _ := strconv.Atoi(to)
		caption := fmt.Sprintf("证据%d", it.Seq)
		assert.True(t, strings.HasPrefix(strings.TrimSpace(pages[p]), caption), "page %d should start with %s:\n%s", p, caption, pages[p])
		assert.NotContains(t, pages[p-1], caption+" ", "item %d already on page %d", it.Seq, p-1)
		if q < len(pages)-1 {
			next := fmt.Sprintf("证据%d", it.Seq+1)
			assert.True(t, strings.HasPrefix(strings.TrimSpace(pages[q+1]), next), "item %d ends on page %d", it.Seq, q)
		}
	}
	assert.Equal(t, 1, spans, "the transaction table spans pages")

	// Footer: 第 x 页 共 y 页 on every page, with the right total.
	n := len(pages) - 1
	for p := 1; p <= n; p++ {
		assert.Contains(t, squeeze(pages[p]), fmt.Sprintf("第%d页共%d页", p, n), "footer of page %d", p)
	}
}

func TestWriteLetterPDFIsByteStable(t *testing.T) {
	for _, lang := range []templates.Lang{templates.Chinese, templates.English} {
		l, v := fixtureLetter(t, lang)
		a := renderLetter(t, l, v)
		b := renderLetter(t, l, v)
		assert.True(t, bytes.Equal(a, b), "%s: two renders of the same letter differ", lang)
	}
}

func TestWriteLetterPDFContents(t *testing.T) {
	for _, lang := range []templates.Lang{templates.Chinese, templates.English} {
		t.Run(string(lang), func(t *testing.T) {
			l, v := fixtureLetter(t, lang)
			pdf := renderLetter(t, l, v)
			assert.True(t, bytes.HasPrefix(pdf, []byte("%PDF-")))
			text := bodyText(t, pdf)
			assert.NotContains(t, text, fullCard, "a full card number reached the PDF")
			assert.Contains(t, text, "************0128")
			for _, b := range l.Blocks {
				assert.True(t, strings.Contains(text, squeeze(evidence.MaskCardNumbers(b.Text))), "block %s %q missing", b.Kind, b.Text)
			}
			for _, e := range l.Dossier.Exhibits {
				assert.Contains(t, text, e.SHA256, "each exhibit's hash is printed")
			}
			lab := labelsFor(lang)
			assert.Contains(t, text, squeeze(lab.counterpart+lab.colon+"店长"), "chat screenshot caption names the counterpart")
			// Bookmarks: the letter, the list, and exhibits 1-5 (6 is not on file).
			assert.Equal(t, 7, bytes.Count(pdf, []byte("/Dest [")), "outline entries")
			assert.True(t, bytes.Contains(pdf, []byte("/Creator (DisputeKit)")), "creator")

		})
	}
}

func TestWriteLetterPDFWithoutVault(t *testing.T) {
	l, _ := fixtureLetter(t, templates.Chinese)
	pdf := renderLetter(t, l, nil)
	text := pdfText(t, pdf, 0, 0, false)
	assert.Contains(t, squeeze(text), squeeze(zhLabels.notAvailable))
}

func TestWriteLetterPDFDamagedPicture(t *testing.T) {
	l, v := fixtureLetter(t, templates.Chinese)
	slip := l.Dossier.Exhibits[0].SHA256
	v[slip] = v[slip][:len(v[slip])/3] // truncated JPEG
	pdf := renderLetter(t, l, v)
	text := pdfText(t, pdf, 0, 0, false)
	assert.Contains(t, squeeze(text), squeeze(zhLabels.notRendered))
}

// cachedVault serves print copies the way the store does once it has made them.
type cachedVault struct {
	memVault
	copies map[string][]byte
	asked  atomic.Int32 // print copies are asked for from several goroutines
}

func (c *cachedVault) PrintCopy(sha string) ([]byte, string, error) {
	c.asked.Add(1)
	if b, ok := c.copies[sha]; ok {
		return b, "jpeg", nil
	}
	return nil, "", evidence.ErrNotFound
}

func TestWriteLetterPDFUsesCachedPrintCopies(t *testing.T) {
	l, v := fixtureLetter(t, templates.Chinese)
	slip := l.Dossier.Exhibits[0].SHA256
	cached := slipPhoto(t, 300, 200) // a different picture: proves the cache was used
	cv := &cachedVault{memVault: v, copies: map[string][]byte{slip: cached}}
	withCache := renderLetter(t, l, cv)
	assert.Equal(t, int32(2), cv.asked.Load(), "asked for both pictures' print copies (the PNG falls back)")
	assert.True(t, bytes.Contains(withCache, cached[:200]), "the cached copy is embedded as is")
}

func TestWriteLetterPDFRedoesUnembeddablePNG(t *testing.T) {
	l, v := fixtureLetter(t, templates.Chinese)
	chat := l.Dossier.Exhibits[1].SHA256
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, image.NewGray16(image.Rect(0, 0, 200, 400)))) // 16-bit
	cv := &pngCache{memVault: v, sha: chat, data: buf.Bytes()}
	pdf := renderLetter(t, l, cv)
	text := bodyText(t, pdf)
	assert.NotContains(t, text, squeeze(zhLabels.notRendered), "the 16-bit copy was redone, not refused")
}

// pngCache offers one cached print copy: a 16-bit PNG gofpdf cannot embed.
type pngCache struct {
	memVault
	sha  string
	data []byte
}

func (c *pngCache) PrintCopy(sha string) ([]byte, string, error) {
	if sha == c.sha {
		return c.data, "png", nil
	}
	return nil, "", evidence.ErrNotFound
}

// derivedVault links pictures to print copies the way *store.Store does.
type derivedVault struct {
	memVault
	derived map[string]string
	asked   atomic.Int32
}

func (d *derivedVault) Derived(_ context.Context, orig, kind string) (string, error) {
	d.asked.Add(1)
	if s, ok := d.derived[orig]; ok && kind == "print" {
		return s, nil
	}
	return "", evidence.ErrNotFound
}

func TestWriteLetterPDFUsesStoredDerivedCopies(t *testing.T) {
	l, v := fixtureLetter(t, templates.Chinese)
	slip := l.Dossier.Exhibits[0].SHA256
	stored := slipPhoto(t, 300, 200)
	storedSHA, _ := v.add(stored)
	dv := &derivedVault{memVault: v, derived: map[string]string{slip: storedSHA}}
	pdf := renderLetter(t, l, dv)
	assert.Equal(t, int32(2), dv.asked.Load(), "looked up both pictures")
	assert.True(t, bytes.Contains(pdf, stored[:200]), "the stored print copy is embedded as is")
}

// countingVault counts how often each file is opened.
type countingVault struct {
	memVault
	mu     sync.Mutex
	opened map[string]int
}

func (c *countingVault) OpenBlob(sha string) (io.ReadCloser, error) {
	c.mu.Lock()
	c.opened[sha]++
	c.mu.Unlock()
	return c.memVault.OpenBlob(sha)
}

// TestPageNumbersWhenTheRealLayoutDiffersFromTheDryRun covers the case where
// the first, dry pass (no pictures) lays out differently from the real one:
// a damaged picture's note spills onto a new page. The list must still be
// right, and no picture may be decoded twice.
func TestPageNumbersWhenTheRealLayoutDiffersFromTheDryRun(t *testing.T) {
	passes := map[int]int{}
	passesHook = func(n int) { passes[n]++ }
	t.Cleanup(func() { passesHook = nil })
	for n := 0; n < 40 && passes[3] == 0; n++ {
		l, v := fixtureLetter(t, templates.Chinese)
		slip := &l.Dossier.Exhibits[0]
		v[slip.SHA256] = v[slip.SHA256][:200] // damaged: the real pass prints a note
		slip.Note = strings.Repeat("备注很长，", 400+3*n)
		cv := &countingVault{memVault: v, opened: map[string]int{}}
		pdf := renderLetter(t, l, cv)
		for sha, k := range cv.opened {
			require.Equal(t, 1, k, "%s opened %d times", sha, k)
		}
		if passes[3] == 0 {
			continue
		}
		t.Logf("note of %d characters: 3 passes", 5*(400+3*n))
		pages := pdfPages(t, pdf, true)
		listed := evidenceListPages(t, pages[2])
		for _, it := range l.Evidence[:5] {
			p, err := strconv.Atoi(strings.Split(listed[it.Seq], "-")[0])
			require.NoError(t, err, "item %d: %q", it.Seq, listed[it.Seq])
			assert.True(t, strings.HasPrefix(strings.TrimSpace(pages[p]), fmt.Sprintf("证据%d", it.Seq)), "item %d on page %d", it.Seq, p)
		}
	}
	require.NotZero(t, passes[3], "no note length made the real layout differ: %v", passes)
}

func TestPDFMetadata(t *testing.T) {
	bin, err := exec.LookPath("pdfinfo")
	if err != nil {
		t.Skip("pdfinfo not on PATH")
	}
	l, v := fixtureLetter(t, templates.Chinese)
	l.Title = "投诉函（卡号 " + fullCard + "）"
	pdf := renderLetter(t, l, v)
	path := filepath.Join(t.TempDir(), "l.pdf")
	require.NoError(t, os.WriteFile(path, pdf, 0o644))
	out, err := exec.Command(bin, "-enc", "UTF-8", path).Output()
	require.NoError(t, err)
	info := string(out)
	assert.Contains(t, info, "Title:           投诉函（卡号 **** **** **** 0128）")
	assert.NotContains(t, info, fullCard)
	assert.Contains(t, info, "Author:          张三")
	assert.Contains(t, info, "Creator:         DisputeKit")
	assert.Contains(t, info, "Page size:       595.28 x 841.89 pts (A4)")
	assert.Regexp(t, `CreationDate:\s+\S+ Nov 2[12] `, info, "the creation date is the letter's")
}

// TestCharactersOutsideTheFont: gofpdf panics on characters beyond U+FFFF
// (emoji pasted from a chat); they print as U+FFFD and the export succeeds.
func TestCharactersOutsideTheFont(t *testing.T) {
	l, v := fixtureLetter(t, templates.Chinese)
	l.Title = "投诉函👍"
	l.Blocks = append(l.Blocks,
		templates.Block{Kind: templates.BlockParagraph, Text: "好的👍收到😀，谢谢𠀀"},
		templates.Block{Kind: templates.BlockField, Label: "表情🙂", Text: "✓"},
	)
	l.Dossier.Calls[0].Summary = "店长回复：👌"
	l.Evidence[0].Name = "截图📷"
	pdf := renderLetter(t, l, v)
	text := bodyText(t, pdf)
	assert.Contains(t, text, "好的\uFFFD收到\uFFFD，谢谢\uFFFD")
	assert.Contains(t, text, "店长回复：\uFFFD")

	var buf bytes.Buffer
	require.NoError(t, WriteCaseFilePDF(&buf, l.Dossier, templates.English, v))
}

func TestDrawableText(t *testing.T) {
	assert.Equal(t, "中文 abc ¥1.00 “引号”\n", drawableText("中文 abc ¥1.00 “引号”\n"))
	assert.Equal(t, "a\uFFFDb", drawableText("a😀b"))
	assert.False(t, drawable(0x1F600))
	assert.True(t, drawable('中'))
}
