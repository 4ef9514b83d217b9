package report

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/templates"
)

// WriteCaseFilePDF writes the case file of d without saved settlement terms
// or request edits: WriteCaseFilePDFWith a digest of d computed from the
// case alone. Callers with a store pass templates.DigestCase's result to
// WriteCaseFilePDFWith so the case file shows what the letters use.
func WriteCaseFilePDF(w io.Writer, d evidence.Dossier, lang templates.Lang, v Vault) error {
	dg, err := templates.DigestCase(context.Background(), nil, d, lang, time.Now())
	if err != nil {
		return fmt.Errorf("write case file PDF for case %d: %w", d.Case.ID, err)
	}
	return WriteCaseFilePDFWith(w, d, lang, v, dg)
}

// WriteCaseFilePDFWith writes the case file a legal helper hands on: a
// cover page, the case summary (parties, the computed dispute summary and
// the requests of each letter as dg gives them, facts), the timeline and
// the complaints lodged, the transactions, the call log, the evidence list
// with the page of each exhibit, every exhibit, and an appendix of every
// file's SHA-256, size and original name. ID numbers are masked throughout.
func WriteCaseFilePDFWith(w io.Writer, d evidence.Dossier, lang templates.Lang, v Vault, dg templates.CaseFileDigest) error {
	lab := labelsFor(lang)
	items := caseEvidence(d, lab)
	date := d.Case.Updated
	if date.IsZero() {
		date = d.Case.Created
	}
	meta := docMeta{
		title:   lab.caseFile + lab.colon + d.Case.Title,
		author:  d.Case.Complainant.Name,
		subject: wordFor(lab.scenarioName, d.Case.Scenario),
		date:    date,
	}
	err := renderTwice(w, meta, lang, func(p *pdfDoc, pages []pageRange) []pageRange {
		p.newPage()
		p.cover(d)
		p.newPage()
		p.summary(d, dg)
		p.section(lab.timeline, false)
		p.timelineTable(d.Events)
		if len(d.Filings) > 0 {
			p.section(filingWordsByLang[lang].title, false)
			p.filingTable(d.Filings, date)
		}

		p.section(lab.transactions, true)
		txPages := pageRange{from: p.pdf.PageNo()}
		p.transactionTable(d.Transactions)
		txPages.to = p.pdf.PageNo()

		p.section(lab.calls, true)
		callPages := pageRange{from: p.pdf.PageNo()}
		p.callTable(d.Calls)
		callPages.to = p.pdf.PageNo()

		p.newPage()
		p.evidenceList(items, pages)
		got := p.exhibits(items, d, v, false)
		for i, it := range items {
			switch it.Generated {
			case "transactions":
				got[i] = txPages
			case "calls":
				got[i] = callPages
			}
		}
		p.newPage()
		p.appendix(d.Exhibits)
		return got
	})
	if err != nil {
		return fmt.Errorf("write case file PDF for case %d: %w", d.Case.ID, err)
	}
	return nil
}

// caseEvidence is the evidence list of a case file: every stored exhibit
// in order, then the transaction and call tables when there are any.
func caseEvidence(d evidence.Dossier, lab *labels) []templates.EvidenceItem {
	var items []templates.EvidenceItem
	seq := 0
	for _, e := range d.Exhibits {
		seq = max(seq, e.Seq)
	}
	for _, e := range d.Exhibits {
		items = append(items, templates.EvidenceItem{Seq: e.Seq, Name: e.Title, Source: e.Source, Purpose: e.Purpose, ExhibitID: e.ID, SHA256: e.SHA256})
	}
	if len(d.Transactions) > 0 {
		seq++
		items = append(items, templates.EvidenceItem{Seq: seq, Name: lab.transactions, Source: "DisputeKit", Generated: "transactions"})
	}
	if len(d.Calls) > 0 {
		seq++
		items = append(items, templates.EvidenceItem{Seq: seq, Name: lab.calls, Source: "DisputeKit", Generated: "calls"})
	}
	return items
}

// section starts a titled part of the case file, on a new page if asked.
func (d *pdfDoc) section(title string, newPage bool) {
	if newPage {
		d.newPage()
	} else {
		d.space(6)
		d.ensure(30)
	}
	d.bookmark(title, 0)
	d.text(title, textOpts{size: 14, bold: true})
	d.space(2)
}

// cover is the first page: what the case is and who is in it.
func (d *pdfDoc) cover(dos evidence.Dossier) {
	c := dos.Case
	d.bookmark(d.lab.caseFile, 0)
	d.setY(70)
	d.text(d.lab.caseFile, textOpts{size: 26, bold: true, align: "C"})
	d.space(6)
	d.text(c.Title, textOpts{size: 16, bold: true, align: "C"})
	d.space(18)
	d.field(d.lab.complainant, partyName(c.Complainant), 12)
	d.space(1)
	d.field(d.lab.respondent, partyName(c.Respondent), 12)
	d.space(1)
	for _, ip := range d.institutions(c) {
		d.field(ip.label, ip.party.RegisteredName(), 12)
		d.space(1)
	}
	d.field(d.lab.scenario, wordFor(d.lab.scenarioName, c.Scenario), 12)
	d.space(1)
	if amt := dos.DisputedAmount(); amt != 0 {
		d.field(d.lab.amountInDispute, amt.String(), 12)
		d.space(1)
	}
	if !c.Updated.IsZero() {
		d.field(d.lab.date, c.Updated.In(evidence.Shanghai).Format("2006-01-02"), 12)
	}
	d.setY(bottom - 12)
	d.text(d.lab.preparedWith, textOpts{size: smallSize, align: "C"})
}

// labelledParty is a financial party of the case with its label.
type labelledParty struct {
	label string
	party evidence.Party
}

// institutions are the banks and payment institutions of the case (the
// issuer, the acquirer, a merchant's settlement bank), an older case's
// single institution read as one of them (evidence.Case.Parties).
func (d *pdfDoc) institutions(c evidence.Case) []labelledParty {
	p := c.Parties()
	var out []labelledParty
	for _, x := range []labelledParty{{d.lab.issuer, p.Issuer}, {d.lab.acquirer, p.Acquirer}, {d.lab.settlementBank, p.SettlementBank}} {
		if x.party.Name != "" || x.party.Address != "" {
			out = append(out, x)
		}
	}
	return out
}

func partyName(p evidence.Party) string {
	switch {
	case p.Company != "" && p.Name != "" && p.Company != p.Name:
		return p.Company + " · " + p.Name
	case p.Company != "":
		return p.Company
	}
	return p.Name
}

// summary states the parties, the computed dispute summary, the requests
// each letter makes, and the facts.
func (d *pdfDoc) summary(dos evidence.Dossier, dg templates.CaseFileDigest) {
	c := dos.Case
	d.bookmark(d.lab.summary, 0)
	d.text(d.lab.summary, textOpts{size: 14, bold: true})
	d.space(2)
	d.field(d.lab.scenario, wordFor(d.lab.scenarioName, c.Scenario), bodySize)
	d.field(d.lab.role, wordFor(d.lab.roleName, c.Role), bodySize)
	d.field(d.lab.status, wordFor(d.lab.statusName, c.Status), bodySize)
	d.party(d.lab.complainant, c.Complainant)
	d.party(d.lab.respondent, c.Respondent)
	for _, ip := range d.institutions(c) {
		d.party(ip.label, ip.party)
	}
	d.space(3)
	d.ensure(20)
	d.text(d.lab.disputeSummary, textOpts{size: 12, bold: true})
	amount := dg.Summary.Refund
	if amount == 0 {
		amount = dos.DisputedAmount()
	}
	d.field(d.lab.amountInDispute, amount.String(), bodySize)
	for i, line := range dg.SummaryLines {
		opts := textOpts{justify: d.justify()}
		if i > 0 {
			opts.prefix = fmt.Sprintf(d.lab.itemNumber, i)
		}
		d.text(line, opts)
	}
	d.space(3)
	d.ensure(20)
	d.text(d.lab.claims, textOpts{size: 12, bold: true})
	if len(dg.Requests) == 0 {
		d.text(d.lab.none, textOpts{})
	}
	for _, rr := range dg.Requests {
		d.space(2)
		d.ensure(14)
		head := fmt.Sprintf(d.lab.requestsTo, rr.Addressee)
		if rr.Edited {
			head += d.lab.editedByUser
		}
		d.text(head, textOpts{bold: true})
		if len(rr.Requests) == 0 {
			d.text(d.lab.none, textOpts{})
		}
		for i, cl := range rr.Requests {
			d.text(cl.Text, textOpts{prefix: fmt.Sprintf(d.lab.itemNumber, i+1)})
		}
	}
	if c.Facts != "" {
		d.space(3)
		d.text(d.lab.facts, textOpts{size: 12, bold: true})
		for _, p := range strings.Split(c.Facts, "\n") {
			d.text(p, textOpts{indentFirst: d.indent(bodySize), justify: d.justify()})
		}
	}
}

// party lists what is known of one side; the ID number is masked.
func (d *pdfDoc) party(title string, p evidence.Party) {
	d.space(3)
	d.ensure(20)
	d.text(title, textOpts{size: 12, bold: true})
	fields := []struct{ label, value string }{
		{d.lab.name, p.Name}, {d.lab.company, p.Company}, {d.lab.creditCode, p.CreditCode},
		{d.lab.idNumber, evidence.MaskID(p.IDNumber)}, {d.lab.phone, p.Phone}, {d.lab.address, p.Address},
		{d.lab.merchantNo, p.MerchantNo}, {d.lab.terminalNo, p.TerminalNo},
	}
	for _, f := range fields {
		if f.value != "" {
			d.field(f.label, f.value, bodySize)
		}
	}
}

// timelineTable lists the case's events in order.
func (d *pdfDoc) timelineTable(es []evidence.Event) {
	if len(es) == 0 {
		d.text(d.lab.none, textOpts{})
		return
	}
	rows := make([]tableRow, len(es))
	for i, e := range es {
		rows[i] = tableRow{cells: []string{evidence.FormatLocal(e.Time), wordFor(d.lab.eventKind, e.Kind), e.Party, e.Note, evidence.FormatLocal(e.Due)}}
	}
	d.table([]column{
		{title: d.lab.colTime, width: 22},
		{title: d.lab.colEvent, width: 22},
		{title: d.lab.colParty, width: 28},
		{title: d.lab.colNote, width: 76},
		{title: d.lab.colDue},
	}, rows, tableSize)
}

// appendix lists every stored file with what identifies it.
func (d *pdfDoc) appendix(exs []evidence.Exhibit) {
	d.bookmark(d.lab.appendix, 0)
	d.text(d.lab.appendix, textOpts{size: 14, bold: true})
	d.space(2)
	if len(exs) == 0 {
		d.text(d.lab.none, textOpts{})
		return
	}
	rows := make([]tableRow, len(exs))
	for i, e := range exs {
		rows[i] = tableRow{cells: []string{
			strconv.Itoa(e.Seq), e.OriginalName, strconv.FormatInt(e.Size, 10), evidence.FormatLocal(e.Imported), e.SHA256,
		}}
	}
	d.table([]column{
		{title: d.lab.colSeq, width: 11, align: "C"},
		{title: d.lab.colFileName, width: 45},
		{title: d.lab.size, width: 18, align: "R"},
		{title: d.lab.colImported, width: 22},
		{title: d.lab.colHash},
	}, rows, tableSize)
}
