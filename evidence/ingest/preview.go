package ingest

import (
	"errors"
	"fmt"
	"io"
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
	f, header, line, before, err := findHeader(src.rows, opts)
	p.Before = before
	if err != nil {
		if !errors.Is(err, ErrNeedMapping) && !errors.Is(err, ErrNotStatement) {
			return nil, fmt.Errorf("preview %s: %w", displayName(opts.Name), err)
		}
		p.Problem = err.Error()
		return p, nil
	}
	p.Format, p.Header, p.HeaderLine = f.name, header, line
	p.Signature = HeaderSignature(header)
	p.Mapping = mappingFor(f, header, p.Signature, opts)
	p.Complete = f != mapped || mappingComplete(p.Mapping)
	for len(p.After) < n {
		cells, line, ok, err := src.rows.next()
		if err != nil {
			return nil, fmt.Errorf("preview %s: %w", displayName(opts.Name), err)
		}
		if !ok {
			break
		}
		p.After = append(p.After, Row{line, append([]string(nil), cells...)})
	}
	return p, nil
}
