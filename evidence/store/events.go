package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/disputekit/disputekit/evidence"
)

const eventColumns = `id, case_id, kind, time_ns, time_tz, party, note, due_ns, due_tz`

func scanEvent(r scanner, e *evidence.Event) error {
	var ns, dns sql.NullInt64
	var tz, dtz string
	if err := r.Scan(&e.ID, &e.CaseID, &e.Kind, &ns, &tz, &e.Party, &e.Note, &dns, &dtz); err != nil {
		return err
	}
	e.Time = decTime(ns, tz)
	e.Due = decTime(dns, dtz)
	return nil
}

func eventLabel(e *evidence.Event) string {
	s := fmt.Sprintf("%s %s", evidence.FormatLocal(e.Time), e.Kind)
	if e.Party != "" {
		s += " (" + e.Party + ")"
	}
	if !e.Due.IsZero() {
		s += ", due " + evidence.FormatLocal(e.Due)
	}
	return s
}

func insertEvent(ctx context.Context, tx *sql.Tx, e *evidence.Event) error {
	ns, tz := encTime(e.Time)
	dns, dtz := encTime(e.Due)
	res, err := tx.ExecContext(ctx, `INSERT INTO events(case_id, kind, time_ns, time_tz, party, note, due_ns, due_tz) VALUES (?,?,?,?,?,?,?,?)`,
		e.CaseID, string(e.Kind), ns, tz, e.Party, e.Note, dns, dtz)
	if err != nil {
		return err
	}
	e.ID, err = res.LastInsertId()
	return err
}

// AddEvent records a timeline event in case e.CaseID and sets e.ID.
func (s *Store) AddEvent(ctx context.Context, e *evidence.Event) error {
	if err := normEvent(e); err != nil {
		return fmt.Errorf("store: add event to case %d: %w", e.CaseID, err)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := touch(ctx, tx, e.CaseID, "event.add", eventLabel(e)); err != nil {
			return err
		}
		return insertEvent(ctx, tx, e)
	})
	if err != nil {
		e.ID = 0
		return fmt.Errorf("store: add event to case %d: %w", e.CaseID, err)
	}
	return nil
}

// UpdateEvent replaces every field of event e.ID in case e.CaseID.
func (s *Store) UpdateEvent(ctx context.Context, e *evidence.Event) error {
	if err := normEvent(e); err != nil {
		return fmt.Errorf("store: update event %d of case %d: %w", e.ID, e.CaseID, err)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := touch(ctx, tx, e.CaseID, "event.update", eventLabel(e)); err != nil {
			return err
		}
		ns, tz := encTime(e.Time)
		dns, dtz := encTime(e.Due)
		res, err := tx.ExecContext(ctx, `UPDATE events SET kind=?, time_ns=?, time_tz=?, party=?, note=?, due_ns=?, due_tz=? WHERE id = ? AND case_id = ?`,
			string(e.Kind), ns, tz, e.Party, e.Note, dns, dtz, e.ID, e.CaseID)
		if err != nil {
			return err
		}
		return mustAffect(res, "event")
	})
	if err != nil {
		return fmt.Errorf("store: update event %d of case %d: %w", e.ID, e.CaseID, err)
	}
	return nil
}

// DeleteEvent removes event id from case caseID.
func (s *Store) DeleteEvent(ctx context.Context, caseID, id int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var e evidence.Event
		if err := scanEvent(tx.QueryRowContext(ctx, "SELECT "+eventColumns+" FROM events WHERE id = ? AND case_id = ?", id, caseID), &e); err != nil {
			if err == sql.ErrNoRows {
				return fmt.Errorf("event %w", evidence.ErrNotFound)
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM events WHERE id = ?", id); err != nil {
			return err
		}
		return touch(ctx, tx, caseID, "event.delete", eventLabel(&e))
	})
	if err != nil {
		return fmt.Errorf("store: delete event %d of case %d: %w", id, caseID, err)
	}
	return nil
}

// ListEvents returns the case's timeline by time.
func (s *Store) ListEvents(ctx context.Context, caseID int64) ([]evidence.Event, error) {
	var es []evidence.Event
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		es, err = listEvents(ctx, tx, caseID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list events of case %d: %w", caseID, err)
	}
	return es, nil
}

func listEvents(ctx context.Context, q querier, caseID int64) ([]evidence.Event, error) {
	if err := caseExists(ctx, q, caseID); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, "SELECT "+eventColumns+" FROM events WHERE case_id = ? ORDER BY time_ns, id", caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	es := []evidence.Event{}
	for rows.Next() {
		var e evidence.Event
		if err := scanEvent(rows, &e); err != nil {
			return nil, err
		}
		es = append(es, e)
	}
	return es, rows.Err()
}
