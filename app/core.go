package app

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/disputekit/disputekit/evidence/bundle"
	"github.com/disputekit/disputekit/evidence/explain"
	"github.com/disputekit/disputekit/evidence/ingest"
	"github.com/disputekit/disputekit/evidence/store"
)

// importNotes words what an import report has to say beyond its counts —
// skipped rows, warnings — in the UI's language. Undecodable bytes arrive
// as one of rep.Warnings.
func importNotes(rep ingest.Report) []string {
	var notes []string
	if rep.Skipped > 0 {
		notes = append(notes, lang.L("{{.N}} rows skipped", map[string]any{"N": rep.Skipped}))
	}
	for _, p := range rep.SkippedRows {
		notes = append(notes, problemText(p))
	}
	for _, p := range rep.Warnings {
		notes = append(notes, problemText(p))
	}
	return notes
}

func problemText(p ingest.Problem) string {
	text := p.In(uiLang())
	if p.Line > 0 {
		return lang.L("line {{.Line}}: {{.Text}}", map[string]any{"Line": p.Line, "Text": text})
	}
	return text
}

// errNeedMapping says a statement's columns were not recognised.
var errNeedMapping = errors.New("columns not recognised")

// BundleReport is what verifying a case bundle found.
type BundleReport struct {
	OK        bool
	Title     string
	Files     int
	Encrypted bool
	Problems  []string
}

// verifyBundle checks the bundle at path; each problem is worded in the UI's
// language by explain (the technical text goes to the log only).
func verifyBundle(path string, pass func() (string, error)) (BundleReport, error) {
	rep, err := bundle.VerifyFile(path, bundle.Passphrase(pass))
	out := BundleReport{OK: rep.OK(), Title: rep.Manifest.Title, Files: len(rep.Files), Encrypted: rep.Encrypted}
	if e := rep.Err(); e != nil {
		fyne.LogError("DisputeKit verify "+path, e)
		for _, f := range rep.Files {
			if f.Status != bundle.Matched {
				out.Problems = append(out.Problems, explain.FileLine(f, messageLang(), false))
			}
		}
		for _, in := range rep.Inconsistencies {
			out.Problems = append(out.Problems, explain.InconsistencyLine(in, messageLang(), false))
		}
	}
	if err != nil && errors.Is(err, bundle.ErrRefused) {
		fyne.LogError("DisputeKit verify "+path, err)
		out.OK = false
		out.Problems = append(out.Problems, userMessage(err))
		return out, nil
	}
	return out, err
}

// isPassphraseError says the bundle is encrypted and the passphrase was
// wrong or missing.
func isPassphraseError(err error) bool { return errors.Is(err, bundle.ErrPassphrase) }

// previewImport reads the start of a statement for the mapping dialog: the
// rows above the header, the header, the first rows below it.
func previewImport(ctx context.Context, st *store.Store, path string, n int) (ImportPreview, error) {
	p, err := ingest.PreviewPath(ctx, st, path, ingest.Options{}, n)
	if err != nil {
		return ImportPreview{}, err
	}
	out := ImportPreview{Header: -1, Mapping: map[string]string{}}
	for _, r := range p.Before {
		out.Rows = append(out.Rows, previewRow{Line: r.Line, Cells: r.Cells})
	}
	if p.HeaderLine > 0 {
		out.Header = len(out.Rows)
		out.Rows = append(out.Rows, previewRow{Line: p.HeaderLine, Cells: p.Header})
		for col, f := range p.Mapping {
			out.Mapping[col] = string(f)
		}
	}
	for _, r := range p.After {
		out.Rows = append(out.Rows, previewRow{Line: r.Line, Cells: r.Cells})
	}
	return out, nil
}

// importMapped imports a statement the importer does not recognise, with
// the user's header row and column meanings (field names of evidence/ingest).
func (v *caseView) importMapped(ctx context.Context, path string, headerLine int, columns map[string]string) (ingest.Report, error) {
	m := ingest.Mapping{}
	for col, f := range columns {
		m[col] = ingest.Field(f)
	}
	opts := ingest.ImportOptions{Format: ingest.FormatMapped, HeaderLine: headerLine, Map: m, Previews: true}
	return v.u.cases.AddFile(ctx, v.id, path, opts)
}

// previewImport reads the first rows of a statement as the importer sees
// them, for the column-mapping dialog.
func (v *caseView) previewImport(ctx context.Context, path string, rows int) (ImportPreview, error) {
	return previewImport(ctx, v.u.cases.Store, path, rows)
}
