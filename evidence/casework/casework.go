// Package casework owns the use cases both faces of DisputeKit offer — the
// desktop app (app/) and the dk command line call the same functions here:
// create a case with its first event, add any file to a case (import what
// can be imported, attach the rest), the next steps on the escalation
// ladder, and writing letters and case files to disk atomically.
//
// It sits above the store, the importers, the checks and the report writers
// and below the two faces; it knows nothing of Fyne or flags.
package casework

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/ingest"
	"github.com/disputekit/disputekit/evidence/store"
)

// Service runs the use cases on one case store. Its embedded store serves
// the plain record reads and writes (list, add, update, delete).
type Service struct {
	*store.Store
}

// New returns the use cases on st.
func New(st *store.Store) *Service { return &Service{Store: st} }

// CreateCase stores a new case and, when first is not nil, its first
// timeline event (e.g. when the problem was discovered), in one store
// transaction: after an error nothing was stored, so trying again never
// makes a second case.
func (s *Service) CreateCase(ctx context.Context, c *evidence.Case, first *evidence.Event) ([]evidence.Warning, error) {
	if first == nil {
		return s.Store.CreateCase(ctx, c)
	}
	return s.Store.CreateCase(ctx, c, first)
}

// AddFile adds any file to a case by what it contains: a statement
// export's rows become transactions, a call log's lines calls, an image, PDF
// or recording an exhibit (ingest decides by content, never by the name).
// Anything the importers do not read — a Word file, a text note — is kept
// unchanged as a document exhibit. A table whose columns are not recognised
// is refused with an error wrapping ingest.ErrNeedMapping, for the caller to
// ask for a column mapping: a statement must not end up as a mere document.
func (s *Service) AddFile(ctx context.Context, caseID int64, path string, opts ingest.ImportOptions) (ingest.Report, error) {
	rep, err := ingest.ImportFile(ctx, s.Store, caseID, path, opts)
	if !errors.Is(err, ingest.ErrNotStatement) {
		return rep, err
	}
	if looksLikeTable(ctx, s.Store, path) {
		return rep, fmt.Errorf("%w (%w)", ingest.ErrNeedMapping, err)
	}
	name := filepath.Base(path)
	rep = ingest.Report{File: name, Kind: "document", Format: string(evidence.KindDocument)}
	if opts.DryRun {
		rep.Imported = 1
		return rep, nil
	}
	meta := evidence.Exhibit{Kind: evidence.KindDocument, Title: strings.TrimSuffix(name, filepath.Ext(name))}
	ex, err := s.Store.AttachFile(ctx, caseID, path, meta)
	rep.ExhibitID, rep.ExhibitSeq, rep.SHA256 = ex.ID, ex.Seq, ex.SHA256
	switch {
	case errors.Is(err, evidence.ErrDuplicate):
		rep.Duplicates = 1
		return rep, nil
	case err != nil:
		return rep, fmt.Errorf("attach %s: %w", name, err)
	}
	rep.Imported = 1
	return rep, nil
}

// looksLikeTable says whether the start of the file reads as rows of
// several cells (a statement the importer did not recognise) rather than
// prose or binary data.
func looksLikeTable(ctx context.Context, st *store.Store, path string) bool {
	p, err := ingest.PreviewPath(ctx, st, path, ingest.Options{}, 10)
	if err != nil || p == nil {
		return false
	}
	rows := 0
	for _, r := range append(append(p.Before, ingest.Row{Cells: p.Header}), p.After...) {
		cells := 0
		for _, c := range r.Cells {
			if strings.TrimSpace(c) != "" {
				cells++
			}
		}
		if cells >= 3 {
			rows++
		}
	}
	return rows >= 2
}
