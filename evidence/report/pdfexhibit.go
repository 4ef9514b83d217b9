package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/jung-kurt/gofpdf"
	fpdi "github.com/jung-kurt/gofpdf/contrib/gofpdi"
	"github.com/phpdave11/gofpdi"

	"github.com/disputekit/disputekit/evidence"
)

// PDF exhibits and file attachments.
//
// An exhibit that is itself a PDF (an acquiring agreement, a bank
// statement) has its pages placed into the letter and the case file, one
// per page after its caption, through gofpdi (which imports PDF pages into
// gofpdf as form XObjects, keeping their text). Any other file that is not a
// picture is embedded whole as a PDF file attachment, with a clickable
// annotation on its exhibit page, so "see the attached file" is true.

// maxImportedPages caps how many pages of one PDF exhibit are placed; the
// rest are in the vault and the caption says so.
const maxImportedPages = 60

// maxAttachment is the largest file embedded as an attachment.
const maxAttachment = 32 << 20

func isPDF(ex *evidence.Exhibit) bool {
	return ex.MediaType == "application/pdf" || strings.HasSuffix(strings.ToLower(ex.OriginalName), ".pdf")
}

// readBlob reads a stored file whole, up to limit bytes.
func readBlob(v Vault, sha string, limit int64) ([]byte, error) {
	if v == nil {
		return nil, errNoVault
	}
	rc, err := v.OpenBlob(sha)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", sha, limit)
	}
	return data, nil
}

// blobRead is a stored file read once for all layout passes, and for a
// PDF exhibit what the isolated probe found.
type blobRead struct {
	data   []byte
	err    error
	probed bool
	boxes  []pageBox
	perr   error
}

// blob reads a stored file once per document, whatever the number of passes.
func (d *pdfDoc) blob(v Vault, sha string, limit int64) ([]byte, error) {
	if d.blobs == nil {
		d.blobs = map[string]blobRead{}
	}
	if b, ok := d.blobs[sha]; ok {
		return b.data, b.err
	}
	data, err := readBlob(v, sha, limit)
	d.blobs[sha] = blobRead{data: data, err: err}
	return data, err
}

// pageBox is a page's size in points.
type pageBox struct{ w, h float64 }

// probePDF reads a PDF's page sizes with a throw-away importer; gofpdi
// panics on a file it cannot read, which becomes an error here so a broken
// exhibit never takes the letter down with it.
func probePDF(data []byte) (boxes []pageBox, err error) {
	defer func() {
		if r := recover(); r != nil {
			boxes, err = nil, fmt.Errorf("read PDF exhibit: %v", r)
		}
	}()
	imp := gofpdi.NewImporter()
	var rs io.ReadSeeker = bytes.NewReader(data)
	imp.SetSourceStream(&rs)
	n := imp.GetNumPages()
	sizes := imp.GetPageSizes()
	for i := 1; i <= n; i++ {
		mb := sizes[i]["/MediaBox"]
		if mb["w"] <= 0 || mb["h"] <= 0 {
			return nil, fmt.Errorf("read PDF exhibit: page %d has no size", i)
		}
		boxes = append(boxes, pageBox{mb["w"], mb["h"]})
	}
	if len(boxes) == 0 {
		return nil, fmt.Errorf("read PDF exhibit: no pages")
	}
	return boxes, nil
}

// pdfExhibit places the pages of a PDF exhibit, each on a page of its own
// after the caption page. It reports false when the file cannot be read,
// so the caller says so instead.
func (d *pdfDoc) pdfExhibit(ex *evidence.Exhibit, v Vault) bool {
	data, err := d.blob(v, ex.SHA256, 256<<20)
	if err != nil {
		return false
	}
	br := d.blobs[ex.SHA256]
	if !br.probed {
		br.boxes, br.perr = probeIsolated(data)
		br.probed = true
		d.blobs[ex.SHA256] = br
	}
	boxes, err := br.boxes, br.perr
	if err != nil {
		return false
	}
	shown := min(len(boxes), maxImportedPages)
	d.text(fmt.Sprintf(d.lab.pdfPagesFollow, len(boxes)), textOpts{})
	if shown < len(boxes) {
		d.text(fmt.Sprintf(d.lab.pdfPagesCut, shown), textOpts{})
	}
	if d.pdfImporter == nil {
		d.pdfImporter = fpdi.NewImporter()
	}
	var rs io.ReadSeeker = bytes.NewReader(data)
	d.pdfStreams = append(d.pdfStreams, &rs) // the importer names a source by this pointer
	for i := 1; i <= shown; i++ {
		d.newPage()
		d.text(fmt.Sprintf(d.lab.pdfPageOf, d.exhibitTag, i, len(boxes)), textOpts{size: smallSize})
		d.space(1)
		top := d.y()
		w, h := fitPage(boxes[i-1], contentW, bottom-top)
		x := marginL + (contentW-w)/2
		if !d.dry && !d.importPage(&rs, i, x, top, w, h) {
			d.text(d.lab.notRendered, textOpts{})
			continue
		}
		d.pdf.SetDrawColor(160, 160, 160)
		d.pdf.SetLineWidth(0.2)
		d.pdf.Rect(x, top, w, h, "D")
		d.setY(top + h)
	}
	return true
}

// importPage draws page n of the PDF in rs into the box.
func (d *pdfDoc) importPage(rs *io.ReadSeeker, n int, x, y, w, h float64) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			ok = false
		}
	}()
	tpl := d.pdfImporter.ImportPageFromStream(d.pdf, rs, n, "/MediaBox")
	d.pdfImporter.UseImportedTemplate(d.pdf, tpl, x, y, w, h)
	return !d.pdf.Err()
}

// fitPage scales a page (points) to fit maxW×maxH millimetres.
func fitPage(b pageBox, maxW, maxH float64) (float64, float64) {
	const mmPerPt = 25.4 / 72
	w, h := b.w*mmPerPt, b.h*mmPerPt
	scale := min(maxW/w, maxH/h)
	return w * scale, h * scale
}

// attach embeds a stored file in the PDF as a document attachment (the
// reader's attachments panel; pdfdetach lists it) and names it on the
// exhibit page; it reports whether the file could be attached.
func (d *pdfDoc) attach(ex *evidence.Exhibit, v Vault) bool {
	data, err := d.blob(v, ex.SHA256, maxAttachment)
	if err != nil {
		return false
	}
	name := ex.OriginalName
	if name == "" {
		name = ex.SHA256
	}
	d.attachments = append(d.attachments, gofpdf.Attachment{Content: data, Filename: name, Description: evidence.MaskCardNumbers(ex.Title)})
	d.pdf.SetAttachments(d.attachments)
	d.text(fmt.Sprintf(d.lab.attached, name), textOpts{})
	return true
}
