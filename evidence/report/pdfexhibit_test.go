package report

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jung-kurt/gofpdf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/templates"
)

// agreementPDF is a small PDF exhibit of n pages, each saying which page it is.
func agreementPDF(t testing.TB, n int) []byte {
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.SetFont("Helvetica", "", 14)
	for i := 1; i <= n; i++ {
		pdf.AddPage()
		pdf.Text(20, 30, fmt.Sprintf("ACQUIRING AGREEMENT 7731 PAGE %d", i))
	}
	var b bytes.Buffer
	require.NoError(t, pdf.Output(&b))
	return b.Bytes()
}

// TestPDFExhibitPagesAndAttachments: a PDF exhibit's pages are in the
// letter (pdftotext finds their text), another file is embedded as an
// attachment, and the evidence list still gives the right pages.
func TestPDFExhibitPagesAndAttachments(t *testing.T) {
	for _, lang := range []templates.Lang{templates.Chinese, templates.English} {
		l, v := fixtureLetter(t, lang)
		sha, size := v.add(agreementPDF(t, 3))
		ex := evidence.Exhibit{ID: 14, Seq: 4, Kind: evidence.KindAgreement, Title: "收单协议", Source: "收单机构", Purpose: "证明约定的费率",
			SHA256: sha, Size: size, OriginalName: "agreement.pdf", MediaType: "application/pdf"}
		l.Dossier.Exhibits = append(l.Dossier.Exhibits, ex)
		items := append([]templates.EvidenceItem{}, l.Evidence[:3]...)
		items = append(items, templates.EvidenceItem{Seq: 4, Name: ex.Title, Source: ex.Source, Purpose: ex.Purpose, ExhibitID: ex.ID, SHA256: sha})
		for _, it := range l.Evidence[3:] {
			it.Seq++
			items = append(items, it)
		}
		l.Evidence = items
		pdf := renderLetter(t, l, v)

		text := pdfText(t, pdf, 0, 0, false)
		for i := 1; i <= 3; i++ {
			assert.Contains(t, text, fmt.Sprintf("ACQUIRING AGREEMENT 7731 PAGE %d", i), "the exhibit's page %d is in the letter", i)
		}
		// The agreement's pages follow its caption page, in order, one a page,
		// and the evidence list says where it starts and ends.
		pages := pdfPages(t, pdf, true)
		caption := map[templates.Lang]string{templates.Chinese: "证据4", templates.English: "Exhibit 4"}[lang]
		start := 0
		for p, s := range pages {
			if strings.HasPrefix(strings.TrimSpace(s), caption) {
				start = p
				break
			}
		}
		require.NotZero(t, start)
		for i := 1; i <= 3; i++ {
			assert.Contains(t, pages[start+i], fmt.Sprintf("PAGE %d", i))
		}
		listPage := 0
		list := map[templates.Lang]string{templates.Chinese: "证据清单", templates.English: "Evidence list"}[lang]
		for p, s := range pages {
			if strings.Contains(s, list) {
				listPage = p
				break
			}
		}
		listed := evidenceListPages(t, pages[listPage])
		assert.Equal(t, fmt.Sprintf("%d-%d", start, start+3), listed[4], "the list gives the agreement's pages")

		// /Lang is declared, and the file still opens.
		tag := map[templates.Lang]string{templates.Chinese: "/Lang (zh-CN)", templates.English: "/Lang (en)"}[lang]
		assert.Contains(t, string(pdf), tag)
		if bin, err := exec.LookPath("pdfinfo"); err == nil {
			path := filepath.Join(t.TempDir(), "l.pdf")
			require.NoError(t, os.WriteFile(path, pdf, 0o644))
			out, err := exec.Command(bin, path).CombinedOutput()
			require.NoError(t, err, string(out))
			assert.NotContains(t, string(out), "Syntax Error", "the xref offset was fixed up")
			assert.Regexp(t, `Pages:\s+`+strconv.Itoa(len(pages)-1)+`\n`, string(out))
		}
		// The CSV statement is embedded whole.
		if bin, err := exec.LookPath("pdfdetach"); err == nil {
			path := filepath.Join(t.TempDir(), "l.pdf")
			require.NoError(t, os.WriteFile(path, pdf, 0o644))
			out, err := exec.Command(bin, "-list", path).CombinedOutput()
			require.NoError(t, err, string(out))
			assert.Contains(t, string(out), "statement.csv")
		}
	}
}

func TestBrokenPDFExhibitDoesNotStopTheLetter(t *testing.T) {
	l, v := fixtureLetter(t, templates.Chinese)
	sha, size := v.add([]byte("%PDF-1.4\nthis is not really a PDF"))
	l.Dossier.Exhibits = append(l.Dossier.Exhibits, evidence.Exhibit{ID: 15, Seq: 4, Kind: evidence.KindDocument, Title: "坏文件",
		SHA256: sha, Size: size, OriginalName: "broken.pdf", MediaType: "application/pdf"})
	l.Evidence = append(l.Evidence, templates.EvidenceItem{Seq: 7, Name: "坏文件", Source: "x", Purpose: "y", ExhibitID: 15, SHA256: sha})
	pdf := renderLetter(t, l, v)
	assert.Contains(t, squeeze(pdfText(t, pdf, 0, 0, false)), "broken.pdf", "named and attached instead")
}

func TestCaseFileCarriesPDFExhibitPages(t *testing.T) {
	d, v := fixtureDossier(t)
	sha, size := v.add(agreementPDF(t, 2))
	d.Exhibits = append(d.Exhibits, evidence.Exhibit{ID: 14, Seq: 4, Kind: evidence.KindAgreement, Title: "收单协议",
		SHA256: sha, Size: size, OriginalName: "agreement.pdf", MediaType: "application/pdf"})
	var buf bytes.Buffer
	require.NoError(t, WriteCaseFilePDF(&buf, d, templates.English, v))
	text := pdfText(t, buf.Bytes(), 0, 0, false)
	assert.Contains(t, text, "ACQUIRING AGREEMENT 7731 PAGE 1")
	assert.Contains(t, text, "ACQUIRING AGREEMENT 7731 PAGE 2")
	assert.Contains(t, buf.String(), "/Lang (en)")
}
