package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/disputekit/disputekit/evidence"
)

const exhibitColumns = `id, case_id, seq, kind, title, source, purpose, captured_ns, captured_tz, sha256, size,
	original_name, media_type, imported_ns, imported_tz, platform, counterpart, captured_by, note`

func scanExhibit(r scanner, e *evidence.Exhibit) error {
	var cns, ins sql.NullInt64
	var ctz, itz string
	if err := r.Scan(&e.ID, &e.CaseID, &e.Seq, &e.Kind, &e.Title, &e.Source, &e.Purpose, &cns, &ctz, &e.SHA256, &e.Size,
		&e.OriginalName, &e.MediaType, &ins, &itz, &e.Platform, &e.Counterpart, &e.CapturedBy, &e.Note); err != nil {
		return err
	}
	e.Captured = decTime(cns, ctz)
	e.Imported = decTime(ins, itz)
	return nil
}

// insertExhibit stores e (normalized, SHA256/Size/Imported set) as the next
// exhibit of its case, setting e.ID and, when e.Seq is 0, e.Seq.
func insertExhibit(ctx context.Context, tx *sql.Tx, e *evidence.Exhibit) error {
	if e.Seq <= 0 {
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) + 1 FROM exhibits WHERE case_id = ?", e.CaseID).Scan(&e.Seq); err != nil {
			return err
		}
	}
	cns, ctz := encTime(e.Captured)
	ins, itz := encTime(e.Imported)
	res, err := tx.ExecContext(ctx, `INSERT INTO exhibits(case_id, seq, kind, title, source, purpose, captured_ns, captured_tz, sha256, size,
		original_name, media_type, imported_ns, imported_tz, platform, counterpart, captured_by, note)
		VALUES (?,?,?,?,?,?,?,?,?,?, ?,?,?,?,?,?,?,?)`,
		e.CaseID, e.Seq, string(e.Kind), e.Title, e.Source, e.Purpose, cns, ctz, e.SHA256, e.Size,
		e.OriginalName, e.MediaType, ins, itz, e.Platform, e.Counterpart, e.CapturedBy, e.Note)
	if err != nil {
		return err
	}
	e.ID, err = res.LastInsertId()
	return err
}

// findExhibit returns the case's exhibit with this hash, or sql.ErrNoRows.
func findExhibit(ctx context.Context, q querier, caseID int64, sha string) (evidence.Exhibit, error) {
	var e evidence.Exhibit
	err := scanExhibit(q.QueryRowContext(ctx, "SELECT "+exhibitColumns+" FROM exhibits WHERE case_id = ? AND sha256 = ?", caseID, sha), &e)
	return e, err
}

// prepareExhibit normalizes meta for a file about to be stored in case caseID
// and checks that the case exists, so that no blob is written for nothing.
func (s *Store) prepareExhibit(ctx context.Context, caseID int64, meta *evidence.Exhibit) error {
	meta.CaseID = caseID
	if checkTimes("captured", meta.Captured) != nil {
		// A capture time from a damaged or hostile EXIF block (year 1601,
		// say) must not keep the file itself out: drop the time.
		meta.Captured = time.Time{}
	}
	meta.Imported = time.Time{} // set when stored
	if err := normExhibit(meta); err != nil {
		return err
	}
	if err := caseExists(ctx, s.db, caseID); err != nil {
		return err
	}
	return checkCaseRoom(ctx, s.db, caseID, 0)
}

// errFileTooLarge says that a file of size bytes is over
// evidence.MaxExhibitSize; atLeast when only the first bytes were counted.
func errFileTooLarge(size int64, atLeast bool) error {
	more := ""
	if atLeast {
		more = "more than "
	}
	return fmt.Errorf("the file is %s%s; a case keeps files of at most %s each: %w",
		more, evidence.SizeText(size), evidence.SizeText(evidence.MaxExhibitSize), evidence.ErrTooLarge)
}

// checkCaseRoom refuses one more file of size bytes for the case when it
// would pass evidence.MaxExhibits or evidence.MaxCaseFilesSize (size 0:
// only whether there is room for another file at all).
func checkCaseRoom(ctx context.Context, q querier, caseID, size int64) error {
	var n, total int64
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM exhibits WHERE case_id = ?", caseID).Scan(&n, &total); err != nil {
		return err
	}
	if n >= evidence.MaxExhibits {
		return fmt.Errorf("the case already holds %d files, the most one case keeps: %w", n, evidence.ErrTooLarge)
	}
	if total+size > evidence.MaxCaseFilesSize || (size == 0 && total >= evidence.MaxCaseFilesSize) {
		return fmt.Errorf("the case's files would add up to %s; a case keeps at most %s of files: %w",
			evidence.SizeText(total+size), evidence.SizeText(evidence.MaxCaseFilesSize), evidence.ErrTooLarge)
	}
	return nil
}

func exhibitLabel(e *evidence.Exhibit) string {
	name := e.Title
	if name == "" {
		name = e.OriginalName
	}
	return fmt.Sprintf("exhibit %d %q (%s, %d bytes, sha256 %s)", e.Seq, name, e.Kind, e.Size, e.SHA256)
}

// Attach streams r into the vault and records it as the case's next exhibit,
// described by meta (SHA256, Size and Imported are set here; MediaType is
// sniffed when empty). When the same file is already an exhibit of the case,
// it returns that exhibit and an error wrapping evidence.ErrDuplicate.
func (s *Store) Attach(ctx context.Context, caseID int64, r io.Reader, meta evidence.Exhibit) (evidence.Exhibit, error) {
	ex, err := s.attach(ctx, caseID, r, meta)
	if err != nil {
		name := meta.OriginalName
		if name == "" {
			name = meta.Title
		}
		return ex, fmt.Errorf("store: attach %q to case %d: %w", name, caseID, err)
	}
	return ex, nil
}

func (s *Store) attach(ctx context.Context, caseID int64, r io.Reader, meta evidence.Exhibit) (evidence.Exhibit, error) {
	if err := s.prepareExhibit(ctx, caseID, &meta); err != nil {
		return evidence.Exhibit{}, err
	}
	sha, size, head, err := s.putBlob(ctxReader{ctx, r})
	if err != nil {
		return evidence.Exhibit{}, err
	}
	fillBlobMeta(&meta, sha, size, head)
	var dup evidence.Exhibit
	err = s.write(ctx, func(tx *sql.Tx) error {
		var err error
		dup, err = findExhibit(ctx, tx, caseID, sha)
		if err == nil {
			return fmt.Errorf("the same file is already exhibit %d %q: %w", dup.Seq, dup.Title, evidence.ErrDuplicate)
		}
		if err != sql.ErrNoRows {
			return err
		}
		if err := checkCaseRoom(ctx, tx, caseID, meta.Size); err != nil {
			return err
		}
		if err := insertExhibit(ctx, tx, &meta); err != nil {
			return err
		}
		return touch(ctx, tx, caseID, "exhibit.attach", exhibitLabel(&meta))
	})
	if errors.Is(err, evidence.ErrDuplicate) {
		return dup, err
	}
	if err != nil {
		return evidence.Exhibit{}, err
	}
	return meta, nil
}

func fillBlobMeta(meta *evidence.Exhibit, sha string, size int64, head []byte) {
	meta.SHA256, meta.Size = sha, size
	meta.Imported = now()
	meta.ID, meta.Seq = 0, 0
	if meta.MediaType == "" && meta.OriginalName != "" {
		if t := mime.TypeByExtension(strings.ToLower(filepath.Ext(meta.OriginalName))); t != "" {
			meta.MediaType = t
		}
	}
	if meta.MediaType == "" {
		meta.MediaType = http.DetectContentType(head)
	}
}

// AttachFile attaches the file at path; OriginalName and MediaType come from
// the file when meta leaves them empty.
func (s *Store) AttachFile(ctx context.Context, caseID int64, path string, meta evidence.Exhibit) (evidence.Exhibit, error) {
	if meta.OriginalName == "" {
		meta.OriginalName = filepath.Base(path)
	}
	if err := evidence.CheckRegularFile(path); err != nil {
		return evidence.Exhibit{}, fmt.Errorf("store: attach to case %d: %w", caseID, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return evidence.Exhibit{}, fmt.Errorf("store: attach %s to case %d: %w", path, caseID, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
		return evidence.Exhibit{}, fmt.Errorf("store: attach %s to case %d: not a regular file: %w", path, caseID, evidence.ErrInvalid)
	} else if err == nil && fi.Size() > evidence.MaxExhibitSize { // refused before reading a byte
		return evidence.Exhibit{}, fmt.Errorf("store: attach %s to case %d: %w", path, caseID, errFileTooLarge(fi.Size(), false))
	}
	return s.Attach(ctx, caseID, f, meta)
}

// ImportStatement stores the statement file src as an exhibit of the case
// (or reuses the exhibit already holding the same file) and adds ts with
// SourceExhibitID set to it, all in one SQL transaction: on any error
// nothing is added. Rows already in the case (same non-empty DedupeKey) are
// skipped and counted as duplicates. The rows of ts are normalized in place.
func (s *Store) ImportStatement(ctx context.Context, caseID int64, src io.Reader, meta evidence.Exhibit, ts []evidence.Transaction) (ex evidence.Exhibit, added, duplicates int, err error) {
	// Refuse bad rows before the file is written to the vault.
	if err := normalizeTxns(caseID, ts); err != nil {
		return evidence.Exhibit{}, 0, 0, fmt.Errorf("store: import statement %q into case %d: %w", meta.OriginalName, caseID, err)
	}
	sent := false
	ex, added, duplicates, err = s.ImportStatementStream(ctx, caseID, src, meta, func() ([]evidence.Transaction, error) {
		if sent {
			return nil, io.EOF
		}
		sent = true
		return ts, io.EOF
	})
	if err != nil {
		for i := range ts {
			ts[i].ID = 0
		}
	}
	return ex, added, duplicates, err
}

// UpdateExhibit saves e's descriptive fields (kind, title, source, purpose,
// captured time, original name, media type, platform, counterpart, captured
// by, note). The file, its hash, size, import time and position stay as
// stored; e is refreshed with them.
func (s *Store) UpdateExhibit(ctx context.Context, e *evidence.Exhibit) error {
	if err := normExhibit(e); err != nil {
		return fmt.Errorf("store: update exhibit %d of case %d: %w", e.ID, e.CaseID, err)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		cns, ctz := encTime(e.Captured)
		res, err := tx.ExecContext(ctx, `UPDATE exhibits SET kind=?, title=?, source=?, purpose=?, captured_ns=?, captured_tz=?,
			original_name=?, media_type=?, platform=?, counterpart=?, captured_by=?, note=? WHERE id = ? AND case_id = ?`,
			string(e.Kind), e.Title, e.Source, e.Purpose, cns, ctz, e.OriginalName, e.MediaType, e.Platform, e.Counterpart, e.CapturedBy, e.Note,
			e.ID, e.CaseID)
		if err != nil {
			return err
		}
		if err := mustAffect(res, "exhibit"); err != nil {
			return err
		}
		if err := scanExhibit(tx.QueryRowContext(ctx, "SELECT "+exhibitColumns+" FROM exhibits WHERE id = ?", e.ID), e); err != nil {
			return err
		}
		return touch(ctx, tx, e.CaseID, "exhibit.update", fmt.Sprintf("exhibit %d %q described", e.Seq, e.Title))
	})
	if err != nil {
		return fmt.Errorf("store: update exhibit %d of case %d: %w", e.ID, e.CaseID, err)
	}
	return nil
}

// DeleteExhibit removes the exhibit from the case and renumbers the ones
// after it. Transactions imported from it keep their data but lose the link.
// The vault file stays until the next Open removes it if nothing else uses it.
func (s *Store) DeleteExhibit(ctx context.Context, caseID, id int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var e evidence.Exhibit
		if err := scanExhibit(tx.QueryRowContext(ctx, "SELECT "+exhibitColumns+" FROM exhibits WHERE id = ? AND case_id = ?", id, caseID), &e); err != nil {
			if err == sql.ErrNoRows {
				return fmt.Errorf("exhibit %w", evidence.ErrNotFound)
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM exhibits WHERE id = ?", id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE exhibits SET seq = seq - 1 WHERE case_id = ? AND seq > ?", caseID, e.Seq); err != nil {
			return err
		}
		return touch(ctx, tx, caseID, "exhibit.delete", exhibitLabel(&e))
	})
	if err != nil {
		return fmt.Errorf("store: delete exhibit %d of case %d: %w", id, caseID, err)
	}
	return nil
}

// ListExhibits returns the case's exhibits in evidence-list order (Seq).
func (s *Store) ListExhibits(ctx context.Context, caseID int64) ([]evidence.Exhibit, error) {
	var es []evidence.Exhibit
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		es, err = listExhibits(ctx, tx, caseID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list exhibits of case %d: %w", caseID, err)
	}
	return es, nil
}

func listExhibits(ctx context.Context, q querier, caseID int64) ([]evidence.Exhibit, error) {
	if err := caseExists(ctx, q, caseID); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, "SELECT "+exhibitColumns+" FROM exhibits WHERE case_id = ? ORDER BY seq, id", caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	es := []evidence.Exhibit{}
	for rows.Next() {
		var e evidence.Exhibit
		if err := scanExhibit(rows, &e); err != nil {
			return nil, err
		}
		es = append(es, e)
	}
	return es, rows.Err()
}

// ImportStatementStream is ImportStatement for rows that arrive in batches,
// so that a caller can parse a file while the rows it has read so far are
// stored, and neither has to hold the whole file's rows. The file src is
// stored first; then, in one SQL transaction, the exhibit and every batch
// next returns until it returns io.EOF. Any other error from next, an invalid
// row or a store failure rolls everything back: nothing is added. next is
// called on the caller's goroutine; a batch may be reused by the caller once
// next is called again. Rows already in the case (or earlier in the stream)
// with the same non-empty DedupeKey are skipped and counted as duplicates.
func (s *Store) ImportStatementStream(ctx context.Context, caseID int64, src io.Reader, meta evidence.Exhibit,
	next func() ([]evidence.Transaction, error)) (ex evidence.Exhibit, added, duplicates int, err error) {
	ex, n, err := s.ImportStatementRows(ctx, caseID, src, meta, next)
	return ex, n.Added, n.Duplicates + n.Updated, err
}

// maxChanges bounds the status changes an import lists (the count stays exact).
const maxChanges = 50

// ImportStatementRows is ImportStatementStream telling apart the rows
// already in the case that it left alone from those whose status it
// updated: a row's identity (its DedupeKey) holds no status, so a later
// export of the same account brings the same rows with their new status.
func (s *Store) ImportStatementRows(ctx context.Context, caseID int64, src io.Reader, meta evidence.Exhibit,
	next func() ([]evidence.Transaction, error)) (ex evidence.Exhibit, counts evidence.ImportCounts, err error) {
	name := meta.OriginalName
	fail := func(err error) (evidence.Exhibit, evidence.ImportCounts, error) {
		return evidence.Exhibit{}, evidence.ImportCounts{}, fmt.Errorf("store: import statement %q into case %d: %w", name, caseID, err)
	}
	if meta.Kind == "" {
		meta.Kind = evidence.KindStatement
	}
	if err := s.prepareExhibit(ctx, caseID, &meta); err != nil {
		return fail(err)
	}
	sha, size, head, err := s.putBlob(ctxReader{ctx, src})
	if err != nil {
		return fail(err)
	}
	fillBlobMeta(&meta, sha, size, head)
	err = s.write(ctx, func(tx *sql.Tx) error {
		old, err := findExhibit(ctx, tx, caseID, sha)
		switch {
		case err == nil:
			ex = old
		case err == sql.ErrNoRows:
			if err := checkCaseRoom(ctx, tx, caseID, meta.Size); err != nil {
				return err
			}
			if err := insertExhibit(ctx, tx, &meta); err != nil {
				return err
			}
			if err := audit(ctx, tx, caseID, "exhibit.attach", exhibitLabel(&meta)); err != nil {
				return err
			}
			ex = meta
		default:
			return err
		}
		ins := newBulkInserter(tx, caseID, false)
		defer ins.close()
		var keyed bool // the case has rows a re-import may meet again
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS(SELECT 1 FROM transactions WHERE case_id = ? AND dedupe_key <> '')", caseID).Scan(&keyed); err != nil {
			return err
		}
		store := func(chunk []*evidence.Transaction) (int, error) {
			if keyed {
				var err error
				if chunk, err = updateKnown(ctx, tx, caseID, chunk, &counts); err != nil {
					return 0, err
				}
			}
			return ins.insert(ctx, chunk)
		}
		added := 0
		chunk := make([]*evidence.Transaction, 0, insertChunk)
		rows := 0
		for {
			batch, err := next()
			if err != nil && !errors.Is(err, io.EOF) {
				return err
			}
			for i := range batch {
				t := &batch[i]
				rows++
				t.CaseID = caseID
				if _, err := normTxn(t); err != nil {
					return fmt.Errorf("row %d: %w", rows, err)
				}
				t.ID = 0
				t.SourceExhibitID = ex.ID
				chunk = append(chunk, t)
				if len(chunk) == insertChunk {
					n, err := store(chunk)
					if err != nil {
						return fmt.Errorf("rows %d to %d: %w", rows-len(chunk)+1, rows, err)
					}
					added += n
					chunk = chunk[:0]
				}
			}
			// The batch is the caller's again after next: store what is left of it.
			if len(chunk) > 0 {
				n, err := store(chunk)
				if err != nil {
					return fmt.Errorf("rows %d to %d: %w", rows-len(chunk)+1, rows, err)
				}
				added += n
				clear(chunk)
				chunk = chunk[:0]
			}
			if err != nil { // io.EOF
				break
			}
		}
		counts.Added = added
		counts.Duplicates = rows - added - counts.Updated
		return touch(ctx, tx, caseID, "txn.import", fmt.Sprintf("statement %q (exhibit %d): %d transactions added, %d updated, %d duplicates skipped",
			ex.OriginalName, ex.Seq, added, counts.Updated, counts.Duplicates))
	})
	if cerr := ctx.Err(); err != nil && cerr != nil && !errors.Is(err, cerr) {
		// database/sql closes a cancelled statement under a running insert:
		// "statement is closed" is the cancellation, say so.
		err = fmt.Errorf("%w (%v)", cerr, err)
	}
	if err != nil {
		return fail(err)
	}
	return ex, counts, nil
}

// updateKnown finds which rows of chunk the case already has (by
// DedupeKey), sets the stored status of those whose status differs, and
// returns the rows still to insert. Rows whose key is new stay in chunk.
func updateKnown(ctx context.Context, tx *sql.Tx, caseID int64, chunk []*evidence.Transaction, counts *evidence.ImportCounts) ([]*evidence.Transaction, error) {
	args := make([]any, 0, len(chunk)+1)
	args = append(args, caseID)
	for _, t := range chunk {
		if t.DedupeKey != "" {
			args = append(args, t.DedupeKey)
		}
	}
	if len(args) == 1 {
		return chunk, nil
	}
	rows, err := tx.QueryContext(ctx, "SELECT id, dedupe_key, status FROM transactions WHERE case_id = ? AND dedupe_key IN (?"+
		strings.Repeat(",?", len(args)-2)+")", args...)
	if err != nil {
		return nil, err
	}
	type stored struct {
		id     int64
		status string
	}
	have := map[string]stored{}
	for rows.Next() {
		var k string
		var st stored
		if err := rows.Scan(&st.id, &k, &st.status); err != nil {
			rows.Close()
			return nil, err
		}
		have[k] = st
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(have) == 0 {
		return chunk, nil
	}
	rest := chunk[:0]
	for _, t := range chunk {
		st, ok := have[t.DedupeKey]
		if !ok || t.DedupeKey == "" {
			rest = append(rest, t)
			continue
		}
		if t.Status == "" || t.Status == st.status {
			continue // a duplicate, counted by the caller
		}
		if _, err := tx.ExecContext(ctx, "UPDATE transactions SET status = ? WHERE id = ?", t.Status, st.id); err != nil {
			return nil, err
		}
		counts.Updated++
		if len(counts.Changes) < maxChanges {
			counts.Changes = append(counts.Changes, evidence.StatusChange{ID: st.id, From: st.status, To: t.Status})
		}
		have[t.DedupeKey] = stored{st.id, t.Status}
	}
	return rest, nil
}
