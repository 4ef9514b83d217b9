package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/disputekit/disputekit/evidence"
)

const filingColumns = `id, case_id, recipient, party, channel, sent_ns, sent_tz, received_ns, received_tz, ticket, asked,
	due_ns, due_tz, due_basis, status, letter_exhibit_id, note`

func scanFiling(r scanner, f *evidence.Filing) error {
	var sns, rns, dns, letter sql.NullInt64
	var stz, rtz, dtz string
	if err := r.Scan(&f.ID, &f.CaseID, &f.Recipient, &f.Party, &f.Channel, &sns, &stz, &rns, &rtz, &f.Ticket, &f.Asked,
		&dns, &dtz, &f.DueBasis, &f.Status, &letter, &f.Note); err != nil {
		return err
	}
	f.Sent, f.Received, f.Due = decTime(sns, stz), decTime(rns, rtz), decTime(dns, dtz)
	f.LetterExhibitID = letter.Int64
	return nil
}

func filingLabel(f *evidence.Filing) string {
	s := fmt.Sprintf("%s to %s", f.Channel, f.Recipient)
	if f.Party != "" {
		s += " (" + f.Party + ")"
	}
	s += ", sent " + evidence.FormatLocal(f.Sent)
	if f.Ticket != "" {
		s += ", ticket " + f.Ticket
	}
	if !f.Due.IsZero() {
		s += ", reply due " + f.Due.In(evidence.Shanghai).Format("2006-01-02")
	}
	return s + ", " + string(f.Status)
}

func normFiling(f *evidence.Filing) error {
	if _, err := f.Normalize(); err != nil {
		return err
	}
	return checkTimes("sent", f.Sent, "received", f.Received, "due", f.Due)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// exhibitOfCase refuses an exhibit ID that is not one of the case's.
func exhibitOfCase(ctx context.Context, tx *sql.Tx, caseID, exhibitID int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM exhibits WHERE id = ? AND case_id = ?", exhibitID, caseID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("exhibit %d is not a file of this case: %w", exhibitID, evidence.ErrNotFound)
	}
	return nil
}

func insertFiling(ctx context.Context, tx *sql.Tx, f *evidence.Filing) error {
	sns, stz := encTime(f.Sent)
	rns, rtz := encTime(f.Received)
	dns, dtz := encTime(f.Due)
	res, err := tx.ExecContext(ctx, `INSERT INTO filings(case_id, recipient, party, channel, sent_ns, sent_tz, received_ns, received_tz,
		ticket, asked, due_ns, due_tz, due_basis, status, letter_exhibit_id, note) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		f.CaseID, f.Recipient, f.Party, string(f.Channel), sns, stz, rns, rtz, f.Ticket, f.Asked, dns, dtz, f.DueBasis,
		string(f.Status), nullID(f.LetterExhibitID), f.Note)
	if err != nil {
		return err
	}
	f.ID, err = res.LastInsertId()
	return err
}

func insertReply(ctx context.Context, tx *sql.Tx, r *evidence.FilingReply) error {
	ns, tz := encTime(r.Time)
	res, err := tx.ExecContext(ctx, "INSERT INTO filing_replies(filing_id, time_ns, time_tz, content, status) VALUES (?,?,?,?,?)",
		r.FilingID, ns, tz, r.Content, string(r.Status))
	if err != nil {
		return err
	}
	if r.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	for _, ex := range r.ExhibitIDs {
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO filing_reply_exhibits(reply_id, exhibit_id) VALUES (?, ?)", r.ID, ex); err != nil {
			return err
		}
	}
	return nil
}

// AddFiling records a complaint lodged in case f.CaseID and sets f.ID. Its
// replies, if any, are stored with it (their exhibits must be the case's).
func (s *Store) AddFiling(ctx context.Context, f *evidence.Filing) error {
	if err := normFiling(f); err != nil {
		return fmt.Errorf("store: add filing to case %d: %w", f.CaseID, err)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := touch(ctx, tx, f.CaseID, "filing.add", filingLabel(f)); err != nil {
			return err
		}
		if f.LetterExhibitID != 0 {
			if err := exhibitOfCase(ctx, tx, f.CaseID, f.LetterExhibitID); err != nil {
				return err
			}
		}
		if err := insertFiling(ctx, tx, f); err != nil {
			return err
		}
		for i := range f.Replies {
			r := &f.Replies[i]
			if err := r.Normalize(); err != nil {
				return err
			}
			r.FilingID = f.ID
			for _, ex := range r.ExhibitIDs {
				if err := exhibitOfCase(ctx, tx, f.CaseID, ex); err != nil {
					return err
				}
			}
			if err := insertReply(ctx, tx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		f.ID = 0
		return fmt.Errorf("store: add filing to case %d: %w", f.CaseID, err)
	}
	return nil
}

// UpdateFiling replaces the descriptive fields of filing f.ID in case
// f.CaseID (recipient, channel, dates, ticket, what was asked, due date,
// status, note); its replies are left as they are.
func (s *Store) UpdateFiling(ctx context.Context, f *evidence.Filing) error {
	if err := normFiling(f); err != nil {
		return fmt.Errorf("store: update filing %d of case %d: %w", f.ID, f.CaseID, err)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := touch(ctx, tx, f.CaseID, "filing.update", filingLabel(f)); err != nil {
			return err
		}
		if f.LetterExhibitID != 0 {
			if err := exhibitOfCase(ctx, tx, f.CaseID, f.LetterExhibitID); err != nil {
				return err
			}
		}
		return updateFiling(ctx, tx, f)
	})
	if err != nil {
		return fmt.Errorf("store: update filing %d of case %d: %w", f.ID, f.CaseID, err)
	}
	return nil
}

func updateFiling(ctx context.Context, tx *sql.Tx, f *evidence.Filing) error {
	sns, stz := encTime(f.Sent)
	rns, rtz := encTime(f.Received)
	dns, dtz := encTime(f.Due)
	res, err := tx.ExecContext(ctx, `UPDATE filings SET recipient=?, party=?, channel=?, sent_ns=?, sent_tz=?, received_ns=?, received_tz=?,
		ticket=?, asked=?, due_ns=?, due_tz=?, due_basis=?, status=?, letter_exhibit_id=?, note=? WHERE id = ? AND case_id = ?`,
		f.Recipient, f.Party, string(f.Channel), sns, stz, rns, rtz, f.Ticket, f.Asked, dns, dtz, f.DueBasis, string(f.Status),
		nullID(f.LetterExhibitID), f.Note, f.ID, f.CaseID)
	if err != nil {
		return err
	}
	return mustAffect(res, "filing")
}

// AddFilingReply records reply r to filing f.ID of case f.CaseID and, in
// the same transaction, stores f as the caller updated it for the reply
// (its status, and the due date of what is now awaited); it sets r.ID.
// Every exhibit r names must be a file of the case.
func (s *Store) AddFilingReply(ctx context.Context, f *evidence.Filing, r *evidence.FilingReply) error {
	if err := r.Normalize(); err != nil {
		return fmt.Errorf("store: add reply to filing %d: %w", f.ID, err)
	}
	if err := normFiling(f); err != nil {
		return fmt.Errorf("store: add reply to filing %d: %w", f.ID, err)
	}
	r.FilingID = f.ID
	err := s.write(ctx, func(tx *sql.Tx) error {
		detail := fmt.Sprintf("reply of %s to filing %d: %s", evidence.FormatLocal(r.Time), f.ID, r.Status)
		if len(r.ExhibitIDs) > 0 {
			detail += fmt.Sprintf(", exhibits %v", r.ExhibitIDs)
		}
		if err := touch(ctx, tx, f.CaseID, "filing.reply", detail); err != nil {
			return err
		}
		for _, ex := range r.ExhibitIDs {
			if err := exhibitOfCase(ctx, tx, f.CaseID, ex); err != nil {
				return err
			}
		}
		if err := updateFiling(ctx, tx, f); err != nil {
			return err
		}
		return insertReply(ctx, tx, r)
	})
	if err != nil {
		r.ID = 0
		return fmt.Errorf("store: add reply to filing %d: %w", f.ID, err)
	}
	return nil
}

// DeleteFiling removes filing id (and its replies) from case caseID.
func (s *Store) DeleteFiling(ctx context.Context, caseID, id int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var f evidence.Filing
		if err := scanFiling(tx.QueryRowContext(ctx, "SELECT "+filingColumns+" FROM filings WHERE id = ? AND case_id = ?", id, caseID), &f); err != nil {
			if err == sql.ErrNoRows {
				return fmt.Errorf("filing %w", evidence.ErrNotFound)
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM filings WHERE id = ?", id); err != nil {
			return err
		}
		return touch(ctx, tx, caseID, "filing.delete", filingLabel(&f))
	})
	if err != nil {
		return fmt.Errorf("store: delete filing %d of case %d: %w", id, caseID, err)
	}
	return nil
}

// GetFiling returns filing id of case caseID with its replies.
func (s *Store) GetFiling(ctx context.Context, caseID, id int64) (evidence.Filing, error) {
	var out evidence.Filing
	err := s.read(ctx, func(tx *sql.Tx) error {
		fs, err := listFilings(ctx, tx, caseID)
		if err != nil {
			return err
		}
		for _, f := range fs {
			if f.ID == id {
				out = f
				return nil
			}
		}
		return fmt.Errorf("filing %d %w", id, evidence.ErrNotFound)
	})
	if err != nil {
		return evidence.Filing{}, fmt.Errorf("store: get filing %d of case %d: %w", id, caseID, err)
	}
	return out, nil
}

// ListFilings returns the case's filings by the date sent, each with its
// replies by date.
func (s *Store) ListFilings(ctx context.Context, caseID int64) ([]evidence.Filing, error) {
	var fs []evidence.Filing
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		fs, err = listFilings(ctx, tx, caseID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list filings of case %d: %w", caseID, err)
	}
	return fs, nil
}

func listFilings(ctx context.Context, q querier, caseID int64) ([]evidence.Filing, error) {
	if err := caseExists(ctx, q, caseID); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, "SELECT "+filingColumns+" FROM filings WHERE case_id = ? ORDER BY sent_ns, id", caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	fs := []evidence.Filing{}
	index := map[int64]int{}
	for rows.Next() {
		var f evidence.Filing
		if err := scanFiling(rows, &f); err != nil {
			return nil, err
		}
		index[f.ID] = len(fs)
		fs = append(fs, f)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(fs) == 0 {
		return fs, nil
	}
	rrows, err := q.QueryContext(ctx, `SELECT r.id, r.filing_id, r.time_ns, r.time_tz, r.content, r.status,
		COALESCE((SELECT group_concat(exhibit_id) FROM (SELECT exhibit_id FROM filing_reply_exhibits x WHERE x.reply_id = r.id ORDER BY exhibit_id)), '')
		FROM filing_replies r JOIN filings f ON f.id = r.filing_id WHERE f.case_id = ? ORDER BY r.time_ns, r.id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rrows.Close()
	for rrows.Next() {
		var r evidence.FilingReply
		var ns sql.NullInt64
		var tz, exs string
		if err := rrows.Scan(&r.ID, &r.FilingID, &ns, &tz, &r.Content, &r.Status, &exs); err != nil {
			return nil, err
		}
		r.Time = decTime(ns, tz)
		for _, s := range strings.Split(exs, ",") {
			var id int64
			if _, err := fmt.Sscan(s, &id); err == nil {
				r.ExhibitIDs = append(r.ExhibitIDs, id)
			}
		}
		if i, ok := index[r.FilingID]; ok {
			fs[i].Replies = append(fs[i].Replies, r)
		}
	}
	return fs, rrows.Err()
}

// insertImportedFilings stores the filings of an imported dossier in the
// new case caseID, their exhibit references mapped through ids (the old
// exhibit IDs to the new; a reference to an exhibit not in the dossier is
// dropped).
func insertImportedFilings(ctx context.Context, tx *sql.Tx, caseID int64, filings []evidence.Filing, ids map[int64]int64) error {
	for i := range filings {
		f := &filings[i]
		f.CaseID = caseID
		f.LetterExhibitID = ids[f.LetterExhibitID]
		if err := insertFiling(ctx, tx, f); err != nil {
			return fmt.Errorf("filing %d: %w", i+1, err)
		}
		for j := range f.Replies {
			r := &f.Replies[j]
			r.FilingID = f.ID
			var exs []int64
			for _, ex := range r.ExhibitIDs {
				if id := ids[ex]; id != 0 {
					exs = append(exs, id)
				}
			}
			r.ExhibitIDs = exs
			if err := insertReply(ctx, tx, r); err != nil {
				return fmt.Errorf("filing %d: reply %d: %w", i+1, j+1, err)
			}
		}
	}
	return nil
}

// OpenFilings returns, by case, the filings of every case that still wait
// for something dated (sent or accepted, with a due date), without their
// replies: what the case list needs for its next due date.
func (s *Store) OpenFilings(ctx context.Context) (map[int64][]evidence.Filing, error) {
	out := map[int64][]evidence.Filing{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT "+filingColumns+` FROM filings
			WHERE status IN ('sent', 'accepted') AND due_ns IS NOT NULL ORDER BY case_id, due_ns, id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var f evidence.Filing
			if err := scanFiling(rows, &f); err != nil {
				return err
			}
			out[f.CaseID] = append(out[f.CaseID], f)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: list open filings: %w", err)
	}
	return out, nil
}
