package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/picture"
	"github.com/disputekit/disputekit/templates"
)

// Vault gives the writers the stored evidence files by SHA-256
// (*store.Store satisfies it).
type Vault interface {
	OpenBlob(sha string) (io.ReadCloser, error)
}

// PrintCopies is optionally implemented by a Vault that keeps print-size
// copies of pictures made when they were attached (store.SetDerived with
// kind picture.Print). The writers use them when present and make their own
// otherwise, so a 200-photo case does not decode 200 photos per export.
// The writers call PrintCopy, Derived and OpenBlob from several goroutines
// at once.
type PrintCopies interface {
	PrintCopy(sha string) (data []byte, format string, err error)
}

// DerivedCopies is the store's link from a picture to the copies made of it
// when it was attached (*store.Store has it): with it, the writers embed the
// stored print copy (picture.Print) instead of decoding the photo again.
type DerivedCopies interface {
	Derived(ctx context.Context, origSHA, kind string) (string, error)
}

// derivedPrintCopy reads the stored print copy of a picture, if there is one.
func derivedPrintCopy(dv DerivedCopies, v Vault, sha string) ([]byte, string, bool) {
	dsha, err := dv.Derived(context.Background(), sha, picture.Print.Name)
	if err != nil || dsha == "" {
		return nil, "", false
	}
	rc, err := v.OpenBlob(dsha)
	if err != nil {
		return nil, "", false
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, 64<<20))
	if err != nil {
		return nil, "", false
	}
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return data, "jpeg", true
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return data, "png", true
	}
	return nil, "", false
}

// pageRange is where one evidence-list entry sits in the PDF.
type pageRange struct{ from, to int }

func (p pageRange) String() string {
	switch {
	case p.from == 0:
		return "—"
	case p.to > p.from:
		return fmt.Sprintf("%d-%d", p.from, p.to)
	}
	return strconv.Itoa(p.from)
}

// exhibitByItem finds the stored exhibit an evidence-list entry stands for.
func exhibitByItem(d evidence.Dossier, it templates.EvidenceItem) *evidence.Exhibit {
	for i := range d.Exhibits {
		e := &d.Exhibits[i]
		if it.ExhibitID != 0 && e.ID == it.ExhibitID {
			return e
		}
	}
	if it.SHA256 != "" {
		for i := range d.Exhibits {
			if d.Exhibits[i].SHA256 == it.SHA256 {
				return &d.Exhibits[i]
			}
		}
	}
	return nil
}

// evidenceList draws the 证据清单 table. pages is nil on the first pass,
// when the pages are not known yet.
func (d *pdfDoc) evidenceList(items []templates.EvidenceItem, pages []pageRange) {
	d.ensure(40)
	d.bookmark(d.lab.evidenceList, 0)
	d.text(d.lab.evidenceList, textOpts{size: 14, bold: true, align: "C"})
	d.space(2)
	rows := make([]tableRow, len(items))
	for i, it := range items {
		page := "88-88" // as wide as a real range, so both passes wrap alike
		if pages != nil {
			page = pages[i].String()
		}
		rows[i] = tableRow{cells: []string{strconv.Itoa(it.Seq), it.Name, it.Source, it.Purpose, page}}
	}
	d.table([]column{
		{title: d.lab.colSeq, width: 12, align: "C"},
		{title: d.lab.colName, width: 46},
		{title: d.lab.colSource, width: 36},
		{title: d.lab.colPurpose, width: 60},
		{title: d.lab.colPages, align: "C"},
	}, rows, 9.5)
}

// exhibits renders the entries of the evidence list, each from a new page,
// and returns the pages each one covers. Generated entries (the
// transaction and call tables) are rendered only when withGenerated is
// set; the case file shows them in sections of their own.
func (d *pdfDoc) exhibits(items []templates.EvidenceItem, dos evidence.Dossier, v Vault, withGenerated bool) []pageRange {
	pages := make([]pageRange, len(items))
	if !d.dry && *d.copies == nil {
		var shas []string
		for _, it := range items {
			if ex := exhibitByItem(dos, it); ex != nil && isPicture(ex) && !it.Withheld {
				shas = append(shas, ex.SHA256)
			}
		}
		*d.copies = prefetchPrintCopies(v, shas)
	}
	for i, it := range items {
		ex := exhibitByItem(dos, it)
		if ex == nil && (it.Generated == "" || !withGenerated) {
			continue // listed but not on file: the list says "—"
		}
		d.newPage()
		pages[i].from = d.pdf.PageNo()
		d.exhibitTag = fmt.Sprintf(d.lab.exhibit, it.Seq)
		title := d.exhibitTag + "  " + it.Name
		d.bookmark(title, 1)
		d.text(title, textOpts{size: 13, bold: true})
		d.space(1)
		switch {
		case it.Generated == "transactions":
			d.transactionTable(dos.Transactions)
		case it.Generated == "calls":
			d.callTable(dos.Calls)
		case it.Generated != "":
			d.text(d.lab.none, textOpts{})
		case it.Withheld:
			d.exhibitCaption(ex, it.Source)
			d.space(2)
			d.text(d.lab.withheld, textOpts{justify: d.justify()})
		default:
			d.exhibitBody(ex, it.Source, v)
		}
		pages[i].to = d.pdf.PageNo()
	}
	return pages
}

// exhibitCaption lists where a file came from and how to check it.
func (d *pdfDoc) exhibitCaption(ex *evidence.Exhibit, source string) {
	if source == "" {
		source = templates.InLanguage(ex.Source, d.lang)
	}
	if source != "" {
		d.field(d.lab.source, source, smallSize)
	}
	if !ex.Captured.IsZero() {
		d.field(d.lab.captured, evidence.FormatLocal(ex.Captured), smallSize)
	}
	for _, f := range []struct{ label, value string }{
		{d.lab.platform, ex.Platform}, {d.lab.counterpart, ex.Counterpart}, {d.lab.capturedBy, ex.CapturedBy}, {d.lab.note, ex.Note},
	} {
		if f.value != "" {
			d.field(f.label, f.value, smallSize)
		}
	}
	file := ex.OriginalName
	if ex.MediaType != "" {
		file += " · " + ex.MediaType
	}
	if ex.Size > 0 {
		file += " · " + humanSize(ex.Size)
	}
	d.field(d.lab.file, file, smallSize)
	d.field(d.lab.sha, ex.SHA256, smallSize)
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB (%d bytes)", float64(n)/(1<<20), n)
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB (%d bytes)", float64(n)/(1<<10), n)
	}
	return fmt.Sprintf("%d bytes", n)
}

func isPicture(ex *evidence.Exhibit) bool {
	if strings.HasPrefix(ex.MediaType, "image/") {
		return true
	}
	name := strings.ToLower(ex.OriginalName)
	for _, ext := range []string{".jpg", ".jpeg", ".png", ".gif"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// exhibitBody shows a stored file: a picture fitted to the rest of the
// page, or a note that the file travels beside the PDF.
func (d *pdfDoc) exhibitBody(ex *evidence.Exhibit, source string, v Vault) {
	d.exhibitCaption(ex, source)
	d.space(3)
	if isPDF(ex) {
		if !d.pdfExhibit(ex, v) && !d.attach(ex, v) {
			d.text(d.lab.notAvailable, textOpts{})
		}
		return
	}
	if !isPicture(ex) {
		if !d.attach(ex, v) {
			d.text(d.lab.notAvailable, textOpts{})
		}
		return
	}
	if d.dry {
		return // the picture fills this page whatever it is
	}
	data, format, err := (*d.copies)(ex.SHA256)
	switch {
	case errors.Is(err, errNoVault) || errors.Is(err, evidence.ErrNotFound):
		d.text(d.lab.notAvailable, textOpts{})
		return
	case err != nil:
		d.text(d.lab.notRendered, textOpts{})
		return
	}
	if format == "png" && !pdfReadyPNG(data) {
		// A cached copy gofpdf cannot embed (16-bit, interlaced): redo it.
		data, format, err = picture.PrintCopy(bytes.NewReader(data), picture.Print.MaxW, picture.Print.MaxH)
	}
	cfg, _, cfgErr := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfgErr != nil || (format == "png" && !pdfReadyPNG(data)) {
		d.text(d.lab.notRendered, textOpts{})
		return
	}
	typ := "JPG"
	if format == "png" {
		typ = "PNG"
	}
	name := "exhibit-" + ex.SHA256
	opts := gofpdf.ImageOptions{ImageType: typ}
	if d.pdf.GetImageInfo(name) == nil {
		d.pdf.RegisterImageOptionsReader(name, opts, bytes.NewReader(data))
		if d.pdf.Err() {
			return // the writer reports d.pdf.Error()
		}
	}
	top := d.y()
	w, h := fitBox(cfg.Width, cfg.Height, contentW, bottom-top)
	x := marginL + (contentW-w)/2
	d.pdf.ImageOptions(name, x, top, w, h, false, opts, 0, "")
	d.pdf.SetDrawColor(160, 160, 160)
	d.pdf.SetLineWidth(0.2)
	d.pdf.Rect(x, top, w, h, "D")
	d.setY(top + h)
}

// pdfReadyPNG reports whether gofpdf can embed a PNG: 8 bits a channel,
// not interlaced (IHDR bit depth at byte 24, interlace method at 28).
func pdfReadyPNG(b []byte) bool {
	return len(b) > 28 && b[24] == 8 && b[28] == 0
}

// fitBox sizes a w×h-pixel picture in millimetres to fit maxW×maxH, never
// printing it larger than 150 dpi (small screenshots stay sharp).
func fitBox(w, h int, maxW, maxH float64) (float64, float64) {
	const mmPerPx = 25.4 / 150
	fw, fh := float64(w)*mmPerPx, float64(h)*mmPerPx
	scale := min(1, maxW/fw, maxH/fh)
	return fw * scale, fh * scale
}

var errNoVault = errors.New("no vault")

// printResult is a print copy made ahead of the page that shows it.
type printResult struct {
	data   []byte
	format string
	err    error
}

// prefetchPrintCopies starts making the print copies of pictures in the
// background, as many at a time as there are CPUs, in the order the pages
// need them: decoding a 12-megapixel photo takes a tenth of a second or
// more, and the pages are laid out far faster. The returned function
// waits for one copy.
func prefetchPrintCopies(v Vault, shas []string) func(sha string) ([]byte, string, error) {
	results := map[string]chan printResult{}
	var order []string
	for _, sha := range shas {
		if _, ok := results[sha]; !ok {
			results[sha] = make(chan printResult, 1)
			order = append(order, sha)
		}
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), 8))
	go func() {
		sem := make(chan struct{}, workers)
		for _, sha := range order {
			sem <- struct{}{}
			go func() {
				defer func() { <-sem }()
				data, format, err := printCopy(v, sha)
				results[sha] <- printResult{data, format, err}
			}()
		}
	}()
	return func(sha string) ([]byte, string, error) {
		ch, ok := results[sha]
		if !ok {
			return printCopy(v, sha)
		}
		r := <-ch
		ch <- r // an exhibit listed twice finds its copy again
		return r.data, r.format, r.err
	}
}

// printCopy returns a print-size copy of a stored picture, from the
// vault's cache when it has one.
func printCopy(v Vault, sha string) ([]byte, string, error) {
	if v == nil {
		return nil, "", errNoVault
	}
	if pc, ok := v.(PrintCopies); ok {
		if data, format, err := pc.PrintCopy(sha); err == nil && len(data) > 0 && (format == "jpeg" || format == "png") {
			return data, format, nil
		}
	}
	if dv, ok := v.(DerivedCopies); ok {
		if data, format, ok := derivedPrintCopy(dv, v, sha); ok {
			return data, format, nil
		}
	}
	rc, err := v.OpenBlob(sha)
	if err != nil {
		return nil, "", fmt.Errorf("open %s: %w", sha, err)
	}
	defer rc.Close()
	data, format, err := picture.PrintCopy(rc, picture.Print.MaxW, picture.Print.MaxH)
	if err != nil {
		return nil, "", fmt.Errorf("print copy of %s: %w", sha, err)
	}
	return data, format, nil
}

// transactionTable lists transactions; disputed ones are bold.
func (d *pdfDoc) transactionTable(ts []evidence.Transaction) {
	if len(ts) == 0 {
		d.text(d.lab.none, textOpts{})
		return
	}
	rows := make([]tableRow, len(ts))
	anyDisputed := false
	for i, t := range ts {
		card := ""
		if l4 := evidence.CardLast4(t.CardLast4); l4 != "" {
			card = "**** " + l4
		}
		amount := t.Amount.String()
		if t.Currency != "" && t.Currency != "CNY" {
			amount = t.Currency + " " + t.Amount.Yuan()
		}
		status := strings.TrimSpace(wordFor(d.lab.txnType, t.Type) + " " + wordFor(d.lab.txnStatus, t.Status))
		rows[i] = tableRow{bold: t.Disputed, cells: []string{
			evidence.FormatLocal(t.Time), wordFor(d.lab.direction, t.Direction), amount, t.Merchant, card, t.RRN, t.Voucher, status,
		}}
		anyDisputed = anyDisputed || t.Disputed
	}
	d.table([]column{
		{title: d.lab.colTime, width: 20},
		{title: d.lab.colDirection, width: 11, align: "C"},
		{title: d.lab.colAmount, width: 21, align: "R"},
		{title: d.lab.colMerchant, width: 35},
		{title: d.lab.colCard, width: 17},
		{title: d.lab.colRRN, width: 24},
		{title: d.lab.colVoucher, width: 14},
		{title: d.lab.colStatus},
	}, rows, tableSize)
	if anyDisputed {
		d.space(1)
		d.text(d.lab.disputedNote, textOpts{size: smallSize})
	}
}

func (d *pdfDoc) duration(x time.Duration) string {
	if x <= 0 {
		return ""
	}
	s := int(x.Round(time.Second) / time.Second)
	return fmt.Sprintf(d.lab.minutesSeconds, s/60, s%60)
}

// callTable lists phone calls about the case.
func (d *pdfDoc) callTable(cs []evidence.CallLog) {
	if len(cs) == 0 {
		d.text(d.lab.none, textOpts{})
		return
	}
	rows := make([]tableRow, len(cs))
	// The ticket column is as wide as the longest ticket number, so no
	// identifier is split across lines.
	d.setFont(tableSize, false)
	ticketW := 28.0
	for _, c := range cs {
		ticketW = max(ticketW, d.width(c.Ticket)+3, d.width(c.Agent)+3)
	}
	ticketW = min(ticketW, 48)
	for i, c := range cs {
		who := joinNonEmpty(" ", c.Organisation, c.Contact, c.Number)
		ticket := joinNonEmpty(" / ", c.Agent, c.Ticket)
		rows[i] = tableRow{cells: []string{
			evidence.FormatLocal(c.Start), d.duration(c.Duration), wordFor(d.lab.callDirection, c.Direction), who, ticket, c.Summary,
		}}
	}
	d.table([]column{
		{title: d.lab.colTime, width: 20},
		{title: d.lab.colDuration, width: 16},
		{title: d.lab.colCallDirection, width: 15, align: "C"},
		{title: d.lab.colCounterpart, width: 30},
		{title: d.lab.colTicket, width: ticketW},
		{title: d.lab.colSummary},
	}, rows, tableSize)
}

func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}
