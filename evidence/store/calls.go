package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/disputekit/disputekit/evidence"
)

const callColumns = `id, case_id, start_ns, start_tz, duration_ns, own_number, number, direction, organisation, contact, agent, ticket, summary`

func scanCall(r scanner, c *evidence.CallLog) error {
	var ns sql.NullInt64
	var tz string
	var d int64
	if err := r.Scan(&c.ID, &c.CaseID, &ns, &tz, &d, &c.OwnNumber, &c.Number, &c.Direction, &c.Organisation, &c.Contact, &c.Agent, &c.Ticket, &c.Summary); err != nil {
		return err
	}
	c.Start = decTime(ns, tz)
	c.Duration = time.Duration(d)
	return nil
}

func callLabel(c *evidence.CallLog) string {
	s := fmt.Sprintf("%s %s call", evidence.FormatLocal(c.Start), c.Direction)
	if c.Organisation != "" {
		s += " with " + c.Organisation
	}
	if c.Ticket != "" {
		s += ", ticket " + c.Ticket
	}
	return s
}

func insertCall(ctx context.Context, tx *sql.Tx, c *evidence.CallLog) error {
	ns, tz := encTime(c.Start)
	res, err := tx.ExecContext(ctx, `INSERT INTO calls(case_id, start_ns, start_tz, duration_ns, own_number, number, direction, organisation, contact, agent, ticket, summary)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`, c.CaseID, ns, tz, int64(c.Duration), c.OwnNumber, c.Number, string(c.Direction), c.Organisation, c.Contact, c.Agent, c.Ticket, c.Summary)
	if err != nil {
		return err
	}
	c.ID, err = res.LastInsertId()
	return err
}

// AddCall records a call in case c.CaseID and sets c.ID.
func (s *Store) AddCall(ctx context.Context, c *evidence.CallLog) error {
	if err := normCall(c); err != nil {
		return fmt.Errorf("store: add call to case %d: %w", c.CaseID, err)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := touch(ctx, tx, c.CaseID, "call.add", callLabel(c)); err != nil {
			return err
		}
		return insertCall(ctx, tx, c)
	})
	if err != nil {
		c.ID = 0
		return fmt.Errorf("store: add call to case %d: %w", c.CaseID, err)
	}
	return nil
}

// UpdateCall replaces every field of call c.ID in case c.CaseID.
func (s *Store) UpdateCall(ctx context.Context, c *evidence.CallLog) error {
	if err := normCall(c); err != nil {
		return fmt.Errorf("store: update call %d of case %d: %w", c.ID, c.CaseID, err)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := touch(ctx, tx, c.CaseID, "call.update", callLabel(c)); err != nil {
			return err
		}
		ns, tz := encTime(c.Start)
		res, err := tx.ExecContext(ctx, `UPDATE calls SET start_ns=?, start_tz=?, duration_ns=?, own_number=?, number=?, direction=?,
			organisation=?, contact=?, agent=?, ticket=?, summary=? WHERE id = ? AND case_id = ?`,
			ns, tz, int64(c.Duration), c.OwnNumber, c.Number, string(c.Direction), c.Organisation, c.Contact, c.Agent, c.Ticket, c.Summary, c.ID, c.CaseID)
		if err != nil {
			return err
		}
		return mustAffect(res, "call")
	})
	if err != nil {
		return fmt.Errorf("store: update call %d of case %d: %w", c.ID, c.CaseID, err)
	}
	return nil
}

// DeleteCall removes call id from case caseID.
func (s *Store) DeleteCall(ctx context.Context, caseID, id int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var c evidence.CallLog
		if err := scanCall(tx.QueryRowContext(ctx, "SELECT "+callColumns+" FROM calls WHERE id = ? AND case_id = ?", id, caseID), &c); err != nil {
			if err == sql.ErrNoRows {
				return fmt.Errorf("call %w", evidence.ErrNotFound)
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM calls WHERE id = ?", id); err != nil {
			return err
		}
		return touch(ctx, tx, caseID, "call.delete", callLabel(&c))
	})
	if err != nil {
		return fmt.Errorf("store: delete call %d of case %d: %w", id, caseID, err)
	}
	return nil
}

// ListCalls returns the case's calls by start time.
func (s *Store) ListCalls(ctx context.Context, caseID int64) ([]evidence.CallLog, error) {
	var cs []evidence.CallLog
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		cs, err = listCalls(ctx, tx, caseID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list calls of case %d: %w", caseID, err)
	}
	return cs, nil
}

func listCalls(ctx context.Context, q querier, caseID int64) ([]evidence.CallLog, error) {
	if err := caseExists(ctx, q, caseID); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, "SELECT "+callColumns+" FROM calls WHERE case_id = ? ORDER BY start_ns, id", caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cs := []evidence.CallLog{}
	for rows.Next() {
		var c evidence.CallLog
		if err := scanCall(rows, &c); err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}
