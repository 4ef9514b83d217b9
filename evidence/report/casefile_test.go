package report

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/templates"
)

func TestWriteCaseFilePDF(t *testing.T) {
	for _, lang := range []templates.Lang{templates.Chinese, templates.English} {
		t.Run(string(lang), func(t *testing.T) {
			d, v := fixtureDossier(t)
			d.Case.Facts = longMixed + "\n" + "卡号 " + fullCard
			d.Case.Institution = evidence.Party{Name: "示例银行上海分行", Address: "上海市黄浦区样本大道200号"}
			var buf bytes.Buffer
			require.NoError(t, WriteCaseFilePDF(&buf, d, lang, v))
			pdf := buf.Bytes()
			if dir := os.Getenv("REPORT_OUT"); dir != "" {
				require.NoError(t, os.WriteFile(fmt.Sprintf("%s/casefile-%s.pdf", dir, lang), pdf, 0o644))
			}
			lab := labelsFor(lang)
			pages := pdfPages(t, pdf, true)
			all := squeeze(strings.Join(pages, ""))

			assert.Contains(t, pages[1], lab.caseFile, "cover page")
			assert.Contains(t, squeeze(pages[1]), squeeze(lab.preparedWith))
			assert.True(t, strings.Contains(all, squeeze(longMixed)), "facts survive whole")
			assert.NotContains(t, all, fullCard)
			assert.NotContains(t, all, d.Case.Complainant.IDNumber, "ID number masked in the case file")
			assert.Contains(t, all, "110101********1234")
			assert.Contains(t, squeeze(pages[1]), "示例银行上海分行", "the institution on the cover")
			assert.Contains(t, all, squeeze(d.Case.Institution.Address), "and its domicile in the summary")
			for _, e := range d.Exhibits {
				assert.Contains(t, all, e.SHA256)
				assert.Contains(t, all, e.OriginalName)
			}
			for _, ev := range d.Events {
				assert.Contains(t, all, squeeze(ev.Note))
			}

			// The evidence list's pages point at the right places.
			listPage := 0
			for p, text := range pages {
				if strings.Contains(squeeze(text), squeeze(lab.evidenceList)+squeeze(lab.colSeq)) {
					listPage = p
				}
			}
			require.NotZero(t, listPage)
			listed := evidenceListPages(t, pages[listPage])
			require.Len(t, listed, len(d.Exhibits)+2, "%s", pages[listPage])
			for _, e := range d.Exhibits {
				p, err := strconv.Atoi(listed[e.Seq])
				require.NoError(t, err)
				caption := fmt.Sprintf(lab.exhibit, e.Seq)
				assert.True(t, strings.HasPrefix(strings.TrimSpace(pages[p]), caption), "page %d starts with %s", p, caption)
			}
			txPage, err := strconv.Atoi(listed[len(d.Exhibits)+1])
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(strings.TrimSpace(pages[txPage]), lab.transactions), "transactions section on page %d", txPage)
			callPage, err := strconv.Atoi(listed[len(d.Exhibits)+2])
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(strings.TrimSpace(pages[callPage]), lab.calls), "calls section on page %d", callPage)

			// Appendix last; bookmarks: cover, summary, timeline, transactions,
			// calls, list, 3 exhibits, appendix.
			assert.Contains(t, squeeze(pages[len(pages)-1]), squeeze(lab.appendix))
			assert.Equal(t, 10, bytes.Count(pdf, []byte("/Dest [")))

			var again bytes.Buffer
			require.NoError(t, WriteCaseFilePDF(&again, d, lang, v))
			assert.True(t, bytes.Equal(pdf, again.Bytes()), "byte-stable")
		})
	}
}
