package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/disputekit/disputekit/evidence"
)

// Dossier loads everything about one case from one consistent snapshot:
// transactions by time, exhibits by Seq, calls and events by time, audit oldest first.
func (s *Store) Dossier(ctx context.Context, id int64) (evidence.Dossier, error) {
	var d evidence.Dossier
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		if err = getCase(ctx, tx, id, &d.Case); err != nil {
			return err
		}
		// The rows pass once: SQLite's cache would only hold a second copy
		// of a big case (64 MiB of it) while the caller holds the first.
		restore := smallCache(ctx, tx)
		d.Transactions, err = listTxns(ctx, tx, id)
		restore()
		if err != nil {
			return err
		}
		return loadRecords(ctx, tx, id, &d)
	})
	if err != nil {
		return evidence.Dossier{}, fmt.Errorf("store: load case %d: %w", id, err)
	}
	return d, nil
}

// loadRecords fills everything of case id but the case itself and its
// transactions: exhibits by Seq, calls and events by time, filings, and the
// audit trail oldest first. Dossier and StreamDossier share it.
func loadRecords(ctx context.Context, tx *sql.Tx, id int64, d *evidence.Dossier) error {
	var err error
	if d.Exhibits, err = listExhibits(ctx, tx, id); err != nil {
		return err
	}
	if d.Calls, err = listCalls(ctx, tx, id); err != nil {
		return err
	}
	if d.Events, err = listEvents(ctx, tx, id); err != nil {
		return err
	}
	if d.Filings, err = listFilings(ctx, tx, id); err != nil {
		return err
	}
	d.Audit, err = listAudit(ctx, tx, id)
	return err
}

// ImportDossier creates a new case from d (a bundle being imported, say).
// open supplies each exhibit's file by hash; every file is copied into the
// vault and checked against its hash before any row is written. Then one
// SQL transaction creates the case with its claims, exhibits, transactions
// (their SourceExhibitID remapped to the new exhibit IDs), calls, events and
// the old audit trail followed by a "case.import" entry. It returns the new
// case's ID.
func (s *Store) ImportDossier(ctx context.Context, d evidence.Dossier, open func(sha string) (io.ReadCloser, error)) (int64, error) {
	ts := append([]evidence.Transaction(nil), d.Transactions...)
	for i := range ts { // refuse bad rows before any file is copied
		if _, err := normTxnAs(&ts[i], true); err != nil {
			return 0, fmt.Errorf("store: import case %q: transaction %d: %w", d.Case.Title, i+1, err)
		}
	}
	d.Transactions = nil
	return s.ImportDossierStream(ctx, d, open, func(fn func([]evidence.Transaction) error) error {
		if len(ts) == 0 {
			return nil
		}
		return fn(ts)
	})
}

// ImportDossierStream is ImportDossier for a case with more transactions
// than should be held at once (a bundle's case.json being decoded as a
// stream): d.Transactions is ignored, and each is called once, inside the
// import's SQL transaction, to hand the transactions over in batches, which
// are normalized and inserted as they come (memory: one batch). A batch may
// be reused by each once its callback returns. An error from each, or an
// invalid row, rolls everything back: no case is created. Rows repeating a
// non-empty DedupeKey are kept once.
func (s *Store) ImportDossierStream(ctx context.Context, d evidence.Dossier, open func(sha string) (io.ReadCloser, error),
	each func(func([]evidence.Transaction) error) error) (int64, error) {
	id, err := s.importDossier(ctx, d, open, each)
	if err != nil {
		return 0, fmt.Errorf("store: import case %q: %w", d.Case.Title, err)
	}
	return id, nil
}

func (s *Store) importDossier(ctx context.Context, d evidence.Dossier, open func(sha string) (io.ReadCloser, error),
	each func(func([]evidence.Transaction) error) error) (int64, error) {
	c := d.Case
	c.Claims = append([]evidence.Claim(nil), c.Claims...)
	cws, err := normCaseAs(&c, true)
	if err != nil {
		return 0, err
	}
	over := countOverCeiling(cws)
	if err := checkTimes("created", c.Created); err != nil {
		return 0, err
	}
	for _, a := range d.Audit {
		if err := checkTimes("audit time", a.Time); err != nil {
			return 0, err
		}
	}
	exs := append([]evidence.Exhibit(nil), d.Exhibits...)
	if err := checkDossierFiles(exs); err != nil {
		return 0, err
	}
	for i := range exs {
		if err := normExhibit(&exs[i]); err != nil {
			return 0, fmt.Errorf("exhibit %d: %w", exs[i].Seq, err)
		}
		exs[i].SHA256 = strings.ToLower(strings.TrimSpace(exs[i].SHA256))
		if !validSHA(exs[i].SHA256) {
			return 0, fmt.Errorf("exhibit %d: %q is not a SHA-256 hash: %w", exs[i].Seq, exs[i].SHA256, evidence.ErrInvalid)
		}
	}
	calls := append([]evidence.CallLog(nil), d.Calls...)
	for i := range calls {
		if err := normCall(&calls[i]); err != nil {
			return 0, fmt.Errorf("call %d: %w", i+1, err)
		}
	}
	events := append([]evidence.Event(nil), d.Events...)
	for i := range events {
		if err := normEvent(&events[i]); err != nil {
			return 0, fmt.Errorf("event %d: %w", i+1, err)
		}
	}

	filings := make([]evidence.Filing, len(d.Filings))
	for i, f := range d.Filings {
		f.Replies = append([]evidence.FilingReply(nil), f.Replies...)
		if err := normFiling(&f); err != nil {
			return 0, fmt.Errorf("filing %d: %w", i+1, err)
		}
		for j := range f.Replies {
			if err := f.Replies[j].Normalize(); err != nil {
				return 0, fmt.Errorf("filing %d: reply %d: %w", i+1, j+1, err)
			}
			if err := checkTimes("reply time", f.Replies[j].Time); err != nil {
				return 0, fmt.Errorf("filing %d: reply %d: %w", i+1, j+1, err)
			}
		}
		filings[i] = f
	}

	// Files first: each is durable in the vault before any row names it.
	done := map[string]bool{}
	for _, e := range exs {
		if done[e.SHA256] {
			continue
		}
		if err := s.importBlob(e, open); err != nil {
			return 0, err
		}
		done[e.SHA256] = true
	}

	t := now()
	if c.Created.IsZero() {
		c.Created = t
	}
	c.Updated = t
	err = s.write(ctx, func(tx *sql.Tx) error {
		defer smallCache(ctx, tx)() // the transactions stream through
		if err := insertCase(ctx, tx, &c); err != nil {
			return err
		}
		ids := map[int64]int64{}
		bySHA := map[string]int64{}
		seq := 0
		for i := range exs {
			e := &exs[i]
			if id, ok := bySHA[e.SHA256]; ok { // one file twice in a hand-made dossier: keep the first
				ids[e.ID] = id
				continue
			}
			seq++
			old := e.ID
			e.CaseID, e.Seq = c.ID, seq
			if e.Imported.IsZero() {
				e.Imported = t
			}
			if err := insertExhibit(ctx, tx, e); err != nil {
				return fmt.Errorf("exhibit %q: %w", e.Title, err)
			}
			ids[old] = e.ID
			bySHA[e.SHA256] = e.ID
		}
		added, txnOver, err := insertTxnStream(ctx, tx, c.ID, ids, each)
		if err != nil {
			return err
		}
		over += txnOver
		for i := range calls {
			calls[i].CaseID = c.ID
			if err := insertCall(ctx, tx, &calls[i]); err != nil {
				return err
			}
		}
		for i := range events {
			events[i].CaseID = c.ID
			if err := insertEvent(ctx, tx, &events[i]); err != nil {
				return err
			}
		}
		if err := insertImportedFilings(ctx, tx, c.ID, filings, ids); err != nil {
			return err
		}
		for _, a := range d.Audit {
			ns, tz := encTime(a.Time)
			if ns == nil {
				ns, tz = encTime(t)
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO audit(case_id, time_ns, time_tz, action, detail) VALUES (?, ?, ?, ?, ?)",
				c.ID, ns, tz, a.Action, evidence.MaskCardNumbers(a.Detail)); err != nil {
				return err
			}
		}
		detail := fmt.Sprintf("imported as a new case (was case %d): %d transactions, %d exhibits, %d calls, %d events, %d filings",
			d.Case.ID, added, seq, len(calls), len(events), len(filings))
		if over > 0 {
			detail += fmt.Sprintf("; %d amounts above %s kept as stored (totals count each as %s)", over, evidence.MaxAmount, evidence.MaxAmount)
		}
		return audit(ctx, tx, c.ID, "case.import", detail)
	})
	if err != nil {
		return 0, err
	}
	return c.ID, nil
}

// insertTxnStream inserts the transactions each hands over into the new
// case caseID, their SourceExhibitID mapped through ids (0 when unknown),
// and returns how many were added: a repeated non-empty DedupeKey is kept
// once.
func insertTxnStream(ctx context.Context, tx *sql.Tx, caseID int64, ids map[int64]int64, each func(func([]evidence.Transaction) error) error) (added, over int, err error) {
	ins := newBulkInserter(tx, caseID, false)
	defer ins.close()
	chunk := make([]*evidence.Transaction, 0, insertChunk)
	rows := 0
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		n, err := ins.insert(ctx, chunk)
		if err != nil {
			return fmt.Errorf("transactions %d to %d: %w", rows-len(chunk)+1, rows, err)
		}
		added += n
		clear(chunk)
		chunk = chunk[:0]
		return nil
	}
	err = each(func(batch []evidence.Transaction) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		for i := range batch {
			t := &batch[i]
			rows++
			t.CaseID = caseID
			ws, err := normTxnAs(t, true)
			if err != nil {
				return fmt.Errorf("transaction %d: %w", rows, err)
			}
			over += countOverCeiling(ws)
			t.ID = 0
			t.SourceExhibitID = ids[t.SourceExhibitID]
			chunk = append(chunk, t)
			if len(chunk) == insertChunk {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return flush() // the batch is the caller's again once this returns
	})
	return added, over, err
}

// checkDossierFiles refuses a dossier whose files pass the limits every
// case keeps (evidence.MaxExhibits, MaxExhibitSize, MaxCaseFilesSize), before
// any file is copied.
func checkDossierFiles(exs []evidence.Exhibit) error {
	if len(exs) > evidence.MaxExhibits {
		return fmt.Errorf("the case holds %d files; a case keeps at most %d: %w", len(exs), evidence.MaxExhibits, evidence.ErrTooLarge)
	}
	var total int64
	seen := map[string]bool{}
	for _, e := range exs {
		if e.Size > evidence.MaxExhibitSize {
			return fmt.Errorf("exhibit %d %q: %w", e.Seq, e.Title, errFileTooLarge(e.Size, false))
		}
		if !seen[e.SHA256] {
			seen[e.SHA256] = true
			total += max(e.Size, 0)
		}
	}
	if total > evidence.MaxCaseFilesSize {
		return fmt.Errorf("the case's files add up to %s; a case keeps at most %s of files: %w",
			evidence.SizeText(total), evidence.SizeText(evidence.MaxCaseFilesSize), evidence.ErrTooLarge)
	}
	return nil
}

// importBlob copies one exhibit's file into the vault and checks its hash and size.
func (s *Store) importBlob(e evidence.Exhibit, open func(sha string) (io.ReadCloser, error)) error {
	r, err := open(e.SHA256)
	if err != nil {
		return fmt.Errorf("exhibit %d %q: %w", e.Seq, e.Title, err)
	}
	defer r.Close()
	sha, size, err := s.PutBlob(r)
	if err != nil {
		return fmt.Errorf("exhibit %d %q: %w", e.Seq, e.Title, err)
	}
	if sha != e.SHA256 {
		// The wrong bytes are in the vault under their own hash, named by no
		// row: the next Open removes them.
		return fmt.Errorf("exhibit %d %q: the file's SHA-256 is %s, not %s as recorded: %w", e.Seq, e.Title, sha, e.SHA256, evidence.ErrInvalid)
	}
	if e.Size != 0 && size != e.Size {
		return fmt.Errorf("exhibit %d %q: the file has %d bytes, not %d as recorded: %w", e.Seq, e.Title, size, e.Size, evidence.ErrInvalid)
	}
	return nil
}

// IntegrityCheck verifies the store: SQLite's integrity_check and
// foreign_key_check, and that every file an exhibit or derived image names
// is in the vault with the right SHA-256. It reads every vault file.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	if err := s.integrityCheck(ctx); err != nil {
		return fmt.Errorf("store: check %s: %w", s.home, err)
	}
	return nil
}

func (s *Store) integrityCheck(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return err
	}
	var problems []string
	for rows.Next() {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			rows.Close()
			return err
		}
		if msg != "ok" {
			problems = append(problems, msg)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("database damaged: %s", joinComma(problems))
	}
	rows, err = s.db.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	n := 0
	var first string
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fkid int
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			rows.Close()
			return err
		}
		if n == 0 {
			first = fmt.Sprintf("%s row %d points to a missing %s row", table, rowid.Int64, parent)
		}
		n++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%d broken references, first: %s", n, first)
	}

	var shas []string
	rows, err = s.db.QueryContext(ctx, "SELECT sha256 FROM exhibits UNION SELECT derived_sha FROM derived ORDER BY 1")
	if err != nil {
		return err
	}
	for rows.Next() {
		var sha string
		if err := rows.Scan(&sha); err != nil {
			rows.Close()
			return err
		}
		shas = append(shas, sha)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, sha := range shas {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.checkBlob(sha); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) checkBlob(sha string) error {
	f, err := os.Open(s.BlobPath(sha))
	if err != nil {
		if os.IsNotExist(err) {
			return fmt.Errorf("vault file %s: %w", sha, errBlobMissing)
		}
		return fmt.Errorf("vault file %s: %w", sha, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("vault file %s: %w", sha, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sha {
		return fmt.Errorf("vault file %s: its content now hashes to %s (changed or damaged)", sha, got)
	}
	return nil
}
