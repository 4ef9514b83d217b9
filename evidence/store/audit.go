package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/disputekit/disputekit/evidence"
)

// ListAudit returns the case's audit trail, oldest first.
func (s *Store) ListAudit(ctx context.Context, caseID int64) ([]evidence.AuditEntry, error) {
	var as []evidence.AuditEntry
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		as, err = listAudit(ctx, tx, caseID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list audit of case %d: %w", caseID, err)
	}
	return as, nil
}

func listAudit(ctx context.Context, q querier, caseID int64) ([]evidence.AuditEntry, error) {
	if err := caseExists(ctx, q, caseID); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, "SELECT id, case_id, time_ns, time_tz, action, detail FROM audit WHERE case_id = ? ORDER BY id", caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	as := []evidence.AuditEntry{}
	for rows.Next() {
		var a evidence.AuditEntry
		var ns sql.NullInt64
		var tz string
		if err := rows.Scan(&a.ID, &a.CaseID, &ns, &tz, &a.Action, &a.Detail); err != nil {
			return nil, err
		}
		a.Time = decTime(ns, tz)
		as = append(as, a)
	}
	return as, rows.Err()
}

// Setting returns the value stored under key, or an error wrapping
// evidence.ErrNotFound when it was never set.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", fmt.Errorf("store: setting %q: %w", key, evidence.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("store: setting %q: %w", key, err)
	}
	return v, nil
}

// SetSetting stores value under key (settings belong to the home, not a case,
// so they have no audit entry).
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	if key == "" {
		return fmt.Errorf("store: set setting: empty key: %w", evidence.ErrInvalid)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: set setting %q: %w", key, err)
	}
	return nil
}
