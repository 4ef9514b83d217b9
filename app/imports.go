package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/ingest"
	"github.com/disputekit/disputekit/evidence/picture"
)

// importDialog asks for a file (statement, call log, photo, document) and
// adds it to the case.
func (v *caseView) importDialog() {
	u := v.u
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			u.showError(err)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		v.importPaths([]string{path})
	}, u.win)
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// importPaths adds files to the case behind a progress dialog: statements
// become transactions, call logs calls, everything else evidence.
func (v *caseView) importPaths(paths []string) {
	if len(paths) == 0 {
		return
	}
	u := v.u
	var added, dups int
	var notes []string
	kinds := map[string]int{}
	var failed []string
	var needMapping []string
	u.runWithProgress(lang.L("Adding files…"), func(ctx context.Context) error {
		// Photos are stored at once; their thumbnails and print copies are
		// made on picture.Intake's workers (one per core) while the next
		// files come in, and the status bar counts them.
		pictures := picture.NewIntake(ctx, u.cases.Store, func(done, total int, _ string, _ error) {
			status := lang.L("Making previews: {{.Done}} of {{.Total}} pictures", map[string]any{"Done": done, "Total": total})
			u.do(func() { u.setStatus(status) })
		})
		defer func() {
			for _, err := range unjoin(pictures.Wait()) {
				fyne.LogError("previews", err)
				notes = append(notes, userMessage(err))
			}
		}()
		for _, p := range paths {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			res, err := v.importOne(ctx, p, pictures)
			switch {
			case err == nil:
				added += res.Imported
				dups += res.Duplicates
				notes = append(notes, importNotes(res)...)
				kinds[res.Kind]++
			case errors.Is(err, evidence.ErrDuplicate):
				dups++
			case errors.Is(err, errNeedMapping):
				needMapping = append(needMapping, p)
			default:
				fyne.LogError("import "+p, err)
				failed = append(failed, filepath.Base(p)+": "+importErrorText(err))
			}
		}
		return nil
	}, func(err error) {
		msg := lang.L("{{.Added}} added, {{.Dups}} already in the case.", map[string]any{"Added": added, "Dups": dups})
		u.setStatus(msg)
		if len(needMapping) > 0 {
			v.showMapping(needMapping[0])
			for _, p := range needMapping[1:] {
				failed = append(failed, filepath.Base(p)+": "+importErrorText(errNeedMapping))
			}
		}
		switch {
		case err != nil:
			u.showError(err)
		case len(failed) > 0:
			dialog.ShowError(errors.New(strings.Join(failed, "\n")), u.win)
		case len(notes) > 0:
			if len(notes) > 12 {
				notes = append(notes[:12:12], "…")
			}
			dialog.ShowInformation(lang.L("Import finished"), msg+"\n\n"+strings.Join(notes, "\n"), u.win)
		}
		switch {
		case kinds["statement"] > 0:
			v.showTab(tabTransactions)
		case kinds["calls"] > 0:
			v.showTab(tabCalls)
		default:
			v.showTab(tabEvidence)
		}
		v.reloadAsync()
	})
}

// importOne adds one file by what it contains (casework.AddFile, as dk
// import does): statements, call logs, images and PDFs are read; anything
// else is kept as a document.
func (v *caseView) importOne(ctx context.Context, path string, pictures *picture.Intake) (ingest.Report, error) {
	rep, err := v.u.cases.AddFile(ctx, v.id, path, ingest.ImportOptions{Previews: true, Pictures: pictures})
	if errors.Is(err, ingest.ErrNeedMapping) {
		err = fmt.Errorf("%w: %w", errNeedMapping, err)
	}
	return rep, err
}

// importErrorText words an import failure for the user.
func importErrorText(err error) string {
	if errors.Is(err, errNeedMapping) {
		return lang.L("the columns of this file were not recognised and it cannot be previewed here. Save it as CSV and import it again, or use dk import with --map.")
	}
	return userMessage(err)
}

// unjoin lists the errors errors.Join put together (none for nil).
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err != nil {
		return []error{err}
	}
	return nil
}
