package ingest

import (
	"errors"
	"fmt"
	"io"

	"github.com/disputekit/disputekit/evidence"
)

// Preview is the start of a file as an importer sees it: what a screen shows
// so the user can confirm or change the column mapping before importing.
type Preview struct {
	Format     string   `json:"format,omitempty"` // "" when no header row was recognised
	Encoding   string   `json:"encoding"`
	HeaderLine int      `json:"header_line,omitempty"`
	Header     []string `json:"header,omitempty"`
	Signature  string   `json:"signature,omitempty"`
	// Mapping is the suggested mapping, with what was remembered for this
	// header and opts.Map on top.
	Mapping Mapping `json:"mapping,omitempty"`
	// Complete reports whether the mapping names a date and an amount column.
	Complete bool `json:"complete"`
	// Before are the rows above the header (all of the first rows when no
	// header was found); After the first rows below it.
	Before []Row `json:"before,omitempty"`
	After  []Row `json:"after,omitempty"`
	// Problem says why no header was found, when none was.
	Problem string `json:"problem,omitempty"`
	// Rows are the first data rows as the import would store them: the
	// amount and direction the mapping produces, or why a row is skipped.
	Rows []PreviewRow `json:"rows,omitempty"`
	// Guessed counts the rows of Rows whose direction the file did not state.
	Guessed int `json:"guessed,omitempty"`
}

// PreviewRow is one data row as it would be imported.
type PreviewRow struct {
	Line      int                `json:"line"`
	Time      string             `json:"time,omitempty"`
	Amount    evidence.Money     `json:"amount"`
	Currency  string             `json:"currency,omitempty"`
	Direction evidence.Direction `json:"direction,omitempty"`
	Merchant  string             `json:"merchant,omitempty"`
	Status    string             `json:"status,omitempty"`
	// Guessed: the file does not say this row's direction.
	Guessed bool `json:"guessed,omitempty"`
	// Skipped says why the row would not be imported, in English and Chinese.
	Skipped   string `json:"skipped,omitempty"`
	SkippedZH string `json:"skipped_zh,omitempty"`
}

// PreviewFile reads the start of a statement: its header row, the mapping
// the importer would use and the first n data rows. A file whose header is not
// recognised still previews (Format empty, Problem set), so the user can
// point at the header row (Options.HeaderLine) and map its columns.
func PreviewFile(r io.Reader, opts Options, n int) (*Preview, error) {
	src, err := openSource(r)
	if err != nil {
		return nil, fmt.Errorf("preview %s: %w", displayName(opts.Name), err)
	}
	defer src.close()
	p := &Preview{Encoding: src.encoding}
	hf, err := findHeader(src.rows, opts)
	p.Before = hf.before
	if err != nil {
		if !errors.Is(err, ErrNeedMapping) && !errors.Is(err, ErrNotStatement) {
			return nil, fmt.Errorf("preview %s: %w", displayName(opts.Name), err)
		}
		p.Problem = src.explain(err).Error()
		return p, nil
	}
	f, header := hf.f, hf.header
	p.Format, p.Header, p.HeaderLine = f.name, header, hf.line
	p.Signature = HeaderSignature(header)
	p.Mapping = mappingFor(f, header, p.Signature, opts)
	p.Complete = mappingComplete(p.Mapping)
	var conv *converter
	if p.Complete && f != calls {
		_, sheet := src.rows.(*sheetSource)
		conv = newConverter(f, header, p.Mapping, opts.Role, sheet)
		switch opts.Positive {
		case PositiveIn:
			conv.sign = signPositiveIn
		case PositiveOut:
			conv.sign = signPositiveOut
		}
		conv.periodYear, conv.periodMonth = statementPeriod(hf.preamble)
		conv.monthFirst = opts.DateOrder == DateOrderMDY
	}
	for len(p.After) < n {
		cells, line, ok, err := src.rows.next()
		if err != nil {
			return nil, fmt.Errorf("preview %s: %w", displayName(opts.Name), err)
		}
		if !ok {
			break
		}
		p.After = append(p.After, Row{line, append([]string(nil), cells...)})
		if conv == nil || blankRow(cells) || footerRow(cells) || sameRow(cells, header) {
			continue
		}
		before := conv.guessed
		t, err := conv.convert(cells, line)
		row := PreviewRow{Line: line}
		var re rowError
		switch {
		case errors.As(err, &re):
			row.Skipped, row.SkippedZH = re.en, re.zh
		case err != nil:
			row.Skipped, row.SkippedZH = err.Error(), err.Error()
		default:
			row.Time, row.Amount, row.Currency, row.Direction = evidence.FormatLocal(t.Time), t.Amount, t.Currency, t.Direction
			row.Merchant, row.Status, row.Guessed = t.Merchant, t.Status, conv.guessed > before
		}
		p.Rows = append(p.Rows, row)
	}
	if conv != nil {
		p.Guessed = conv.guessed
	}
	return p, nil
}
