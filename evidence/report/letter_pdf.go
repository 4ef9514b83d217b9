package report

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/disputekit/disputekit/templates"
)

// WriteLetterPDF renders a composed letter as an A4 PDF: the letter, its
// evidence list with the page where each exhibit starts, then every
// exhibit — pictures fitted to a page, other files described by name, size
// and SHA-256, and the case's transactions and calls as tables. A letter
// with copy marks (a court complaint) is followed by the letter again once
// per copy, each copy marked and numbered on its own; the evidence list's
// page numbers are those of the original, which starts on page 1. The
// output is the same bytes for the same input (the creation date is the
// letter's).
func WriteLetterPDF(w io.Writer, l templates.Letter, v Vault) error {
	meta := docMeta{title: l.Title, author: l.Author, subject: l.Subject, date: l.Date}
	err := renderTwice(w, meta, l.Lang, func(d *pdfDoc, pages []pageRange) []pageRange {
		if len(l.CopyMarks) > 0 {
			d.startSection(0, l.OriginalMark)
		} else {
			d.newPage()
		}
		d.letter(l, l.OriginalMark)
		var got []pageRange
		if len(l.Evidence) > 0 {
			d.newPage()
			if l.EvidenceTitle != "" {
				lab := *d.lab
				lab.evidenceList = l.EvidenceTitle
				d.lab = &lab
			}
			d.evidenceList(l.Evidence, pages)
			if len(l.EvidenceFooter) > 0 {
				d.space(4)
				for _, s := range l.EvidenceFooter {
					d.text(s, textOpts{align: "R"})
				}
			}
			got = d.exhibits(l.Evidence, l.Dossier, v, true)
		}
		for i, mark := range l.CopyMarks {
			d.startSection(i+1, mark)
			d.letter(l, mark)
		}
		return got
	})
	if err != nil {
		return fmt.Errorf("write letter PDF %q: %w", l.Title, err)
	}
	return nil
}

// renderTwice lays a document out until the page numbers it prints in its
// evidence list are the ones its exhibits really start on: a first, dry
// pass (no pictures loaded) learns the pages, the next renders with them.
func renderTwice(w io.Writer, meta docMeta, lang templates.Lang, render func(d *pdfDoc, pages []pageRange) []pageRange) error {
	var pages []pageRange
	var sectionPages []int
	var copies func(string) ([]byte, string, error)
	blobs := map[string]blobRead{}
	for pass := 0; ; pass++ {
		d := newPDFDoc(meta, lang, pass == 0, &copies)
		d.blobs = blobs
		d.sectionPages = sectionPages
		got := render(d, pages)
		if err := d.pdf.Error(); err != nil {
			return err
		}
		lengths := d.sectionLengths()
		if pass > 0 && ((slices.Equal(got, pages) && slices.Equal(lengths, sectionPages)) || pass == 3) {
			if passesHook != nil {
				passesHook(pass + 1)
			}
			var buf bytes.Buffer
			if err := d.pdf.Output(&buf); err != nil {
				return err
			}
			_, err := w.Write(withLang(buf.Bytes(), lang))
			return err
		}
		pages, sectionPages = got, lengths
	}
}

// withLang declares the document's language (/Lang in the catalog, which
// gofpdf cannot set) so screen readers and text extraction know it. gofpdf
// writes the catalog as the last object before the cross-reference table,
// so the insertion moves only the table, whose offset (startxref) is fixed up.
func withLang(pdf []byte, lang templates.Lang) []byte {
	tag := "zh-CN"
	if lang == templates.English {
		tag = "en"
	}
	cat := bytes.LastIndex(pdf, []byte("/Type /Catalog"))
	sx := bytes.LastIndex(pdf, []byte("startxref\n"))
	if cat < 0 || sx < cat {
		return pdf
	}
	numStart := sx + len("startxref\n")
	numEnd := numStart
	for numEnd < len(pdf) && pdf[numEnd] >= '0' && pdf[numEnd] <= '9' {
		numEnd++
	}
	off, err := strconv.Atoi(string(pdf[numStart:numEnd]))
	if err != nil || off < cat {
		return pdf
	}
	ins := []byte("\n/Lang (" + tag + ")")
	at := cat + len("/Type /Catalog")
	out := make([]byte, 0, len(pdf)+len(ins)+4)
	out = append(out, pdf[:at]...)
	out = append(out, ins...)
	out = append(out, pdf[at:numStart]...)
	out = strconv.AppendInt(out, int64(off+len(ins)), 10)
	out = append(out, pdf[numEnd:]...)
	return out
}

// passesHook, when set by a test, learns how many layout passes a render took.
var passesHook func(passes int)

// indent is the Chinese first-line indent: two characters.
func (d *pdfDoc) indent(size float64) float64 {
	if d.lang == templates.English {
		return 0
	}
	d.setFont(size, false)
	return 2 * d.width("中")
}

// justify says whether running text is set flush at both margins: Chinese
// is; English stays ragged (gofpdf cannot widen spaces with a CID font).
func (d *pdfDoc) justify() bool { return d.lang != templates.English }

// letter lays out the blocks of a letter by kind; its bookmark names the
// copy (mark) where the letter is printed with copies.
func (d *pdfDoc) letter(l templates.Letter, mark string) {
	title := l.Title
	for _, b := range l.Blocks {
		if b.Kind == templates.BlockTitle && title == "" {
			title = b.Text
		}
	}
	if mark != "" && len(l.CopyMarks) > 0 {
		title = fmt.Sprintf(d.lab.markedTitle, title, mark)
	}
	d.bookmark(title, 0)
	signed := false
	for i, b := range l.Blocks {
		prev := templates.BlockKind("")
		if i > 0 {
			prev = l.Blocks[i-1].Kind
		}
		switch b.Kind {
		case templates.BlockTitle:
			d.text(b.Text, textOpts{size: 17, bold: true, align: "C"})
			d.space(5)
		case templates.BlockSalutation:
			d.space(2)
			d.text(b.Text, textOpts{})
			d.space(1)
		case templates.BlockHeading:
			d.space(3)
			d.ensure(3 * bodySize * ptToMM * 1.55) // keep a heading with what follows
			d.text(b.Text, textOpts{size: 12, bold: true})
			d.space(1)
		case templates.BlockParagraph:
			if i+1 < len(l.Blocks) && l.Blocks[i+1].Kind == templates.BlockClosing {
				// The last paragraph goes with the closing and the signature:
				// a signature alone on a page could be put under any text.
				d.setFont(bodySize, false)
				lines := 1 + int(d.width(b.Text)/(contentW-d.indent(bodySize)))
				d.ensure(float64(lines)*d.lineHeight() + closingHeight(l.Blocks[i+1:]) + d.trailerHeight(l.Blocks[i+1:]) + 12)
			}
			for _, p := range strings.Split(b.Text, "\n") {
				d.text(p, textOpts{indentFirst: d.indent(bodySize), justify: d.justify()})
				if d.lang == templates.English {
					d.space(1.5)
				}
			}
		case templates.BlockItem:
			prefix := ""
			if b.Number > 0 {
				prefix = fmt.Sprintf(d.lab.itemNumber, b.Number)
			}
			d.text(b.Text, textOpts{prefix: prefix, left: d.indent(bodySize), justify: d.justify()})
			d.space(0.8)
		case templates.BlockField:
			d.field(b.Label, b.Text, bodySize)
		case templates.BlockClosing:
			if prev != templates.BlockClosing {
				d.space(4)
				// Keep the closing with the signature on one page, and
				// with what follows the signature (附: the enclosures).
				d.ensure(closingHeight(l.Blocks[i:]) + d.trailerHeight(l.Blocks[i:]) + 8)
			}
			// 此致 is indented, 敬礼 starts at the margin (a Chinese letter;
			// an English valediction stays at the margin). The closing may
			// come as one block with a line break or as one block a line.
			for j, p := range strings.Split(b.Text, "\n") {
				in := 0.0
				if j == 0 && prev != templates.BlockClosing && d.lang == templates.Chinese {
					in = d.indent(bodySize)
				}
				d.text(p, textOpts{indentFirst: in})
			}
		case templates.BlockSignature:
			if !signed {
				d.space(8)
				signed = true
			}
			d.text(b.Text, textOpts{align: "R"})
		default:
			d.text(b.Text, textOpts{})
		}
	}
}

// trailerHeight is the height of the paragraphs after the signature of
// bs (a court complaint's 附 line), in the body font.
func (d *pdfDoc) trailerHeight(bs []templates.Block) float64 {
	last := -1
	for i, b := range bs {
		if b.Kind == templates.BlockSignature {
			last = i
		}
	}
	if last < 0 {
		return 0
	}
	size, bold := d.size, d.bold
	d.setFont(bodySize, false)
	defer d.setFont(size, bold)
	h := 0.0
	for _, b := range bs[last+1:] {
		if b.Kind == templates.BlockParagraph {
			lines := 1 + int(d.width(b.Text)/(contentW-d.indent(bodySize)))
			h += float64(lines) * d.lineHeight()
		}
	}
	return h
}

// closingHeight is the height of the closing and signature lines of bs.
func closingHeight(bs []templates.Block) float64 {
	lines := 0
	for _, r := range bs {
		if r.Kind == templates.BlockClosing || r.Kind == templates.BlockSignature {
			lines += 1 + strings.Count(r.Text, "\n")
		}
	}
	return float64(lines) * bodySize * ptToMM * 1.6
}
