package report

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"
	fpdi "github.com/jung-kurt/gofpdf/contrib/gofpdi"

	"github.com/disputekit/disputekit/assets"
	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/templates"
)

// Page geometry of every PDF DisputeKit writes: A4 portrait, in millimetres.
const (
	pageW    = 210.0
	pageH    = 297.0
	marginL  = 20.0
	marginR  = 20.0
	marginT  = 20.0
	marginB  = 20.0
	contentW = pageW - marginL - marginR
	bottom   = pageH - marginB // lowest y text may reach
	footerY  = pageH - 13.0

	fontFamily = "wqy"
	bodySize   = 11.0 // points
	smallSize  = 9.0
	tableSize  = 8.5
	ptToMM     = 25.4 / 72
)

// docMeta is what a PDF says about itself.
type docMeta struct {
	title, author, subject string
	date                   time.Time // creation date: fixed so the same input gives the same bytes
}

// pdfDoc lays out a document top to bottom on A4 pages. It manages page
// breaks itself (gofpdf's automatic breaks are off), wraps every text with
// wrapText, and simulates bold by stroking the glyph outlines, so one
// embedded font serves all text.
type pdfDoc struct {
	pdf  *gofpdf.Fpdf
	lab  *labels
	lang templates.Lang
	// dry is the first layout pass: it places everything but loads no
	// images, only to learn on which page each exhibit starts.
	dry  bool
	bold bool
	size float64
	// copies gives the print copy of a picture (made in the background);
	// it is kept across layout passes so no picture is decoded twice.
	copies *func(sha string) ([]byte, string, error)
	// PDF exhibits placed page by page, and files embedded whole (pdfexhibit.go).
	pdfImporter *fpdi.Importer
	pdfStreams  []*io.ReadSeeker
	attachments []gofpdf.Attachment
	blobs       map[string]blobRead // shared by the layout passes
	exhibitTag  string              // "证据4", captioning the imported pages of a PDF exhibit
	// sections number their pages on their own (a court complaint's
	// original with its evidence, then each copy); sectionPages are their
	// page counts as the previous layout pass found them.
	sections     []docSection
	sectionPages []int
}

// docSection is a run of pages numbered on its own: the original (copy 0)
// or copy n of a document printed with copies.
type docSection struct {
	first, copy int
}

func newPDFDoc(meta docMeta, lang templates.Lang, dry bool, copies *func(string) ([]byte, string, error)) *pdfDoc {
	pdf := gofpdf.NewCustom(&gofpdf.InitType{UnitStr: "mm", SizeStr: "A4", OrientationStr: "P"})
	pdf.SetMargins(marginL, marginT, marginR)
	pdf.SetAutoPageBreak(false, marginB)
	pdf.SetCellMargin(0)
	pdf.AliasNbPages("{nb}") // before the font is added, so digits are in its subset
	pdf.AddUTF8FontFromBytes(fontFamily, "", assets.FontTTF)
	pdf.SetCatalogSort(true)
	date := meta.date
	if date.IsZero() {
		date = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	pdf.SetTitle(evidence.MaskCardNumbers(meta.title), true)
	pdf.SetAuthor(evidence.MaskCardNumbers(meta.author), true)
	pdf.SetSubject(evidence.MaskCardNumbers(meta.subject), true)
	pdf.SetCreator("DisputeKit", false)
	pdf.SetProducer("DisputeKit", false)
	d := &pdfDoc{pdf: pdf, lab: labelsFor(lang), lang: lang, dry: dry, copies: copies}
	pdf.SetFooterFunc(func() {
		pdf.SetFont(fontFamily, "", smallSize)
		pdf.SetTextColor(90, 90, 90)
		pdf.SetXY(marginL, footerY)
		pdf.CellFormat(contentW, 5, d.footer(pdf.PageNo()), "", 0, "C", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
	d.setFont(bodySize, false)
	return d
}

// footer is the page number printed at the foot of page: within its
// section where the document has sections and their lengths are known,
// else of the whole document.
func (d *pdfDoc) footer(page int) string {
	for i := len(d.sections) - 1; i >= 0; i-- {
		s := d.sections[i]
		if page < s.first {
			continue
		}
		if i >= len(d.sectionPages) {
			break
		}
		if s.copy == 0 {
			return fmt.Sprintf(d.lab.sectionPage, page-s.first+1, d.sectionPages[i])
		}
		return fmt.Sprintf(d.lab.copyPage, s.copy, page-s.first+1, d.sectionPages[i])
	}
	return fmt.Sprintf(d.lab.page, page)
}

// startSection starts a page that begins a section numbered on its own
// (copy 0 is the original), marked at its top with mark.
func (d *pdfDoc) startSection(copyNo int, mark string) {
	d.sections = append(d.sections, docSection{first: d.pdf.PageNo() + 1, copy: copyNo})
	d.newPage()
	if mark == "" {
		return
	}
	size, bold := d.size, d.bold
	d.setFont(smallSize, false)
	d.pdf.SetTextColor(60, 60, 60)
	d.cell(marginL, marginT-9, contentW, 5, clean(mark), "R")
	d.pdf.SetTextColor(0, 0, 0)
	d.setFont(size, bold)
	d.setY(marginT)
}

// sectionLengths are the page counts of the sections laid out so far.
func (d *pdfDoc) sectionLengths() []int {
	var n []int
	for i, s := range d.sections {
		end := d.pdf.PageNo() + 1
		if i+1 < len(d.sections) {
			end = d.sections[i+1].first
		}
		n = append(n, end-s.first)
	}
	return n
}

// clean makes text printable: full card numbers masked (and kept on one
// line), characters the font lacks as U+FFFD, tabs as spaces,
// other control characters dropped (the font has no glyphs for them).
func clean(s string) string {
	s = evidence.MaskCardNumbers(s)
	// A masked card number stays on one line.
	s = strings.ReplaceAll(s, "**** **** **** ", "****\u00a0****\u00a0****\u00a0")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return drawableText(strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case unicode.IsControl(r), r == '\u200b', r == '\ufeff':
			return -1
		}
		return r
	}, s))
}

func (d *pdfDoc) setFont(size float64, bold bool) {
	d.pdf.SetFont(fontFamily, "", size)
	d.size, d.bold = size, bold
}

// lineHeight is the distance between baselines for the current size.
func (d *pdfDoc) lineHeight() float64 { return d.size * ptToMM * 1.55 }

// width measures s as it will be drawn (characters the font lacks as U+FFFD).
func (d *pdfDoc) width(s string) float64 { return d.pdf.GetStringWidth(drawableText(s)) }

// cell writes one line of text in a box; bold text is filled and stroked.
func (d *pdfDoc) cell(x, y, w, h float64, text, align string) {
	text = drawableText(text) // the last guard: gofpdf panics beyond U+FFFF
	d.pdf.SetXY(x, y)
	if !d.bold {
		d.pdf.CellFormat(w, h, text, "", 0, align, false, 0, "")
		return
	}
	r, g, b := d.pdf.GetDrawColor()
	lw := d.pdf.GetLineWidth()
	d.pdf.SetTextRenderingMode(2)
	d.pdf.SetDrawColor(0, 0, 0)
	d.pdf.SetLineWidth(d.size * 0.012)
	d.pdf.CellFormat(w, h, text, "", 0, align, false, 0, "")
	d.pdf.SetTextRenderingMode(0)
	d.pdf.SetDrawColor(r, g, b)
	d.pdf.SetLineWidth(lw)
}

func (d *pdfDoc) y() float64 { return d.pdf.GetY() }

func (d *pdfDoc) setY(y float64) { d.pdf.SetY(y) }

// newPage starts a page; the footer of the previous one is drawn by gofpdf.
func (d *pdfDoc) newPage() {
	d.pdf.AddPage()
	d.pdf.SetY(marginT)
	d.setFont(d.size, d.bold)
}

// ensure starts a new page unless h millimetres still fit on this one.
func (d *pdfDoc) ensure(h float64) {
	if d.pdf.PageNo() == 0 || d.y()+h > bottom {
		d.newPage()
	}
}

// space adds vertical space, never at the top of a page.
func (d *pdfDoc) space(h float64) {
	if d.y() > marginT+0.01 {
		d.setY(min(d.y()+h, bottom))
	}
}

// textOpts says how text is wrapped and placed.
type textOpts struct {
	size        float64
	bold        bool
	align       string  // "L", "C", "R"
	indentFirst float64 // first-line indent in mm
	hanging     float64 // indent of every line after the first
	left        float64 // extra left offset of the block
	prefix      string  // printed at the block's left on the first line (item number, label)
	prefixBold  bool
	flushRest   bool // with a prefix: lines after the first start at the margin, not under the text
	justify     bool // stretch full lines to both margins (Chinese text)
}

// text writes wrapped text, breaking pages between lines as needed.
func (d *pdfDoc) text(s string, o textOpts) {
	if o.size == 0 {
		o.size = bodySize
	}
	if o.align == "" {
		o.align = "L"
	}
	d.setFont(o.size, o.bold)
	lh := d.lineHeight()
	x := marginL + o.left
	w := contentW - o.left
	first := w - o.indentFirst
	if o.prefix != "" {
		pw := d.width(o.prefix)
		if o.hanging == 0 && !o.flushRest {
			o.hanging = pw
		}
		first = w - max(pw, o.hanging)
	}
	full := d.width("中")
	var lines []string
	var ends []bool // the line ends its hard paragraph: never stretched
	for i, hard := range strings.Split(clean(s), "\n") {
		fw := w - o.hanging
		if i == 0 {
			fw = first
		}
		ls := wrapParagraph(hard, fw, w-o.hanging, d.width)
		for j := range ls {
			ends = append(ends, j == len(ls)-1)
		}
		lines = append(lines, ls...)
	}
	for i, line := range lines {
		d.ensure(lh)
		y := d.y()
		lx, lw := x+o.hanging, w-o.hanging
		if i == 0 {
			lx = x + o.indentFirst
			if o.prefix != "" {
				d.setFont(o.size, o.prefixBold)
				d.cell(x, y, 0, lh, o.prefix, "L")
				d.setFont(o.size, o.bold)
				lx = x + max(d.width(o.prefix), o.hanging)
			}
			lw = x + w - lx
		}
		// Chinese text is set flush at both edges (两端对齐): the gap left at
		// the end of a full line is spread between its characters.
		spread := 0.0
		if o.justify && !ends[i] {
			gap, n := lw-d.width(line), utf8.RuneCountInString(line)
			if gap > 0 && gap <= 2*full && n > 1 {
				spread = gap / float64(n-1)
			}
		}
		if spread > 0 {
			d.pdf.RawWriteStr(fmt.Sprintf("%.4f Tc", spread*72/25.4))
		}
		d.cell(lx, y, lw, lh, line, o.align)
		if spread > 0 {
			d.pdf.RawWriteStr("0 Tc")
		}
		d.setY(y + lh)
	}
}

// bookmark adds an outline entry at the current position.
func (d *pdfDoc) bookmark(title string, level int) {
	d.pdf.Bookmark(clean(strings.ReplaceAll(title, "\n", " ")), level, -1)
}

// column of a table.
type column struct {
	title string
	width float64 // mm; the last column takes what is left when 0
	align string
}

// tableRow is one row of a table; bold rows stand out (disputed transactions).
type tableRow struct {
	cells []string
	bold  bool
}

const cellPad = 1.2

// table draws a bordered table whose cells are wrapped with wrapText. The
// header row repeats on every page; a row taller than a page is split
// between pages line by line.
func (d *pdfDoc) table(cols []column, rows []tableRow, size float64) {
	used := 0.0
	for _, c := range cols {
		used += c.width
	}
	if last := &cols[len(cols)-1]; last.width == 0 {
		last.width = contentW - used
	}
	header := tableRow{bold: true}
	for _, c := range cols {
		header.cells = append(header.cells, c.title)
	}
	d.setFont(size, false)
	lh := d.lineHeight()
	wrapRow := func(r tableRow) [][]string {
		d.setFont(size, r.bold)
		out := make([][]string, len(cols))
		for i, c := range cols {
			text := ""
			if i < len(r.cells) {
				text = r.cells[i]
			}
			out[i] = wrapText(clean(text), c.width-2*cellPad, c.width-2*cellPad, d.width)
		}
		return out
	}
	headerLines := wrapRow(header)
	headerH := rowHeight(headerLines, lh)
	drawRow := func(lines [][]string, from, n int, bold, fill bool) {
		y := d.y()
		h := float64(n)*lh + 2*cellPad
		x := marginL
		d.setFont(size, bold)
		if fill {
			d.pdf.SetFillColor(235, 235, 235)
			d.pdf.Rect(marginL, y, contentW, h, "F")
		}
		d.pdf.SetDrawColor(120, 120, 120)
		d.pdf.SetLineWidth(0.2)
		for i, c := range cols {
			d.pdf.Rect(x, y, c.width, h, "D")
			for j := from; j < from+n && j < len(lines[i]); j++ {
				d.cell(x+cellPad, y+cellPad+float64(j-from)*lh, c.width-2*cellPad, lh, lines[i][j], c.align)
			}
			x += c.width
		}
		d.setY(y + h)
	}
	drawHeader := func() {
		d.ensure(headerH + lh + 2*cellPad)
		drawRow(headerLines, 0, maxLines(headerLines), true, true)
	}
	drawHeader()
	for _, r := range rows {
		lines := wrapRow(r)
		n := maxLines(lines)
		for from := 0; from < n; {
			avail := int((bottom - d.y() - 2*cellPad) / lh)
			if avail >= n-from || (avail >= 3 && n > 6) {
				k := min(avail, n-from)
				drawRow(lines, from, k, r.bold, false)
				from += k
				continue
			}
			d.newPage()
			drawHeader()
		}
	}
	d.setFont(bodySize, false)
}

func maxLines(lines [][]string) int {
	n := 1
	for _, l := range lines {
		n = max(n, len(l))
	}
	return n
}

func rowHeight(lines [][]string, lh float64) float64 {
	return float64(maxLines(lines))*lh + 2*cellPad
}

// field writes "label：text" with the text wrapped beside the label.
func (d *pdfDoc) field(label, text string, size float64) {
	if label == "" {
		d.text(text, textOpts{size: size})
		return
	}
	prefix := label + d.lab.colon
	d.setFont(size, true)
	// A long label: continuation lines start at the margin.
	long := d.width(prefix) > contentW*0.4
	d.text(text, textOpts{size: size, prefix: prefix, prefixBold: true, flushRest: long})
}
