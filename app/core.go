package app

import (
	"context"
	"errors"
	"fmt"
	"fyne.io/fyne/v2/lang"
	"io"
	"time"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/bundle"
	"github.com/disputekit/disputekit/evidence/check"
	"github.com/disputekit/disputekit/evidence/ingest"
	"github.com/disputekit/disputekit/evidence/picture"
	"github.com/disputekit/disputekit/evidence/report"
	"github.com/disputekit/disputekit/evidence/store"
	"github.com/disputekit/disputekit/templates"
)

// CoreServices wires the DisputeKit core to the UI: the same functions the
// dk command line calls.
func CoreServices(st *store.Store) Services {
	return Services{
		Store:        st,
		Compose:      templates.Compose,
		Thumbnail:    picture.Thumbnail,
		PreviewImage: picture.PrintCopy,
		WriteLetterPDF: func(w io.Writer, l templates.Letter, v Vault) error {
			return report.WriteLetterPDF(w, l, v)
		},
		WriteLetterXLSX: report.WriteLetterXLSX,
		WriteCaseFilePDF: func(w io.Writer, d evidence.Dossier, lang templates.Lang, v Vault) error {
			return report.WriteCaseFilePDF(w, d, lang, v)
		},
		Findings: findings,
		ImportFile: func(ctx context.Context, caseID int64, path string) (ImportResult, error) {
			return importFile(ctx, st, caseID, path)
		},
		ImportMapped: func(ctx context.Context, caseID int64, path string, headerLine int, columns map[string]string) (ImportResult, error) {
			m := ingest.Mapping{}
			for col, f := range columns {
				m[col] = ingest.Field(f)
			}
			opts := ingest.ImportOptions{Format: ingest.FormatMapped, HeaderLine: headerLine, Map: m, Previews: true}
			rep, err := ingest.ImportFile(ctx, st, caseID, path, opts)
			return reportResult(rep), err
		},
		PreviewImport: func(ctx context.Context, path string, rows int) (ImportPreview, error) {
			return previewImport(ctx, st, path, rows)
		},
		ExportBundle: func(ctx context.Context, caseID int64, path, passphrase string) error {
			_, err := bundle.ExportFile(ctx, st, caseID, path, bundle.Options{}, passphrase)
			return err
		},
		ImportBundle: func(ctx context.Context, path string, pass func() (string, error)) (int64, error) {
			return bundle.ImportFile(ctx, st, path, bundle.Passphrase(pass))
		},
		VerifyBundle: verifyBundle,
	}
}

// findings runs every case check and words the results in the UI's language.
func findings(d evidence.Dossier, now time.Time) []Finding {
	var out []Finding
	for _, f := range check.Run(d, check.Options{Now: now}) {
		out = append(out, Finding{Text: f.Summary.In(uiLang()), Serious: f.Severity != check.Info})
	}
	return out
}

// importFile adds any file to a case: a statement's rows become
// transactions, a call log's lines calls, everything else an exhibit.
func importFile(ctx context.Context, st *store.Store, caseID int64, path string) (ImportResult, error) {
	rep, err := ingest.ImportFile(ctx, st, caseID, path, ingest.ImportOptions{Previews: true})
	if errors.Is(err, ingest.ErrNotStatement) {
		// Not something ingest reads (a Word file, a text note): keep it as a document.
		_, err := st.AttachFile(ctx, caseID, path, evidence.Exhibit{Kind: guessKind(path), Title: titleFromPath(path)})
		if errors.Is(err, evidence.ErrDuplicate) {
			return ImportResult{Kind: "document", Duplicates: 1}, nil
		}
		if err != nil {
			return ImportResult{}, err
		}
		return ImportResult{Kind: "document", Added: 1}, nil
	}
	res := reportResult(rep)
	if errors.Is(err, ingest.ErrNeedMapping) {
		err = fmt.Errorf("%w: %s", errNeedMapping, err)
	}
	return res, err
}

// reportResult words an import report for the message after an import,
// in the UI's language. Undecodable bytes arrive as one of rep.Warnings.
func reportResult(rep ingest.Report) ImportResult {
	res := ImportResult{Kind: rep.Kind, Added: rep.Imported, Duplicates: rep.Duplicates}
	if rep.Skipped > 0 {
		res.Notes = append(res.Notes, lang.L("{{.N}} rows skipped", map[string]any{"N": rep.Skipped}))
	}
	for _, p := range rep.SkippedRows {
		res.Notes = append(res.Notes, problemText(p))
	}
	for _, p := range rep.Warnings {
		res.Notes = append(res.Notes, problemText(p))
	}
	return res
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

func verifyBundle(path string, pass func() (string, error)) (BundleReport, error) {
	rep, err := bundle.VerifyFile(path, bundle.Passphrase(pass))
	out := BundleReport{OK: rep.OK(), Title: rep.Manifest.Title, Files: len(rep.Files), Encrypted: rep.Encrypted}
	if e := rep.Err(); e != nil {
		out.Problems = append(out.Problems, e.Error())
	}
	if err != nil && errors.Is(err, bundle.ErrRefused) {
		out.OK = false
		out.Problems = append(out.Problems, err.Error())
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
