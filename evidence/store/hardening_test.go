package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

func TestTimesOutOfRangeRefused(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	for _, tm := range []time.Time{
		time.Date(2999, 1, 1, 0, 0, 0, 0, evidence.Shanghai), // beyond int64 nanoseconds
		time.Date(1024, 5, 1, 0, 0, 0, 0, evidence.Shanghai),
	} {
		tr := txn(c.ID, 1)
		tr.Time = tm
		_, err := s.AddTransaction(ctx, &tr)
		assert.ErrorIs(t, err, evidence.ErrInvalid, tm)
		_, _, err = s.AddTransactions(ctx, c.ID, []evidence.Transaction{txn(0, 2), tr})
		assert.ErrorIs(t, err, evidence.ErrInvalid)
		assert.ErrorIs(t, s.AddEvent(ctx, &evidence.Event{CaseID: c.ID, Time: sh(2024, 1, 1, 0, 0, 0), Due: tm}), evidence.ErrInvalid)
		assert.ErrorIs(t, s.AddCall(ctx, &evidence.CallLog{CaseID: c.ID, Start: tm}), evidence.ErrInvalid)
		// A file is never refused for a bad capture time (damaged EXIF): the time is dropped.
		ex, err := s.Attach(ctx, c.ID, strings.NewReader(tm.String()), evidence.Exhibit{Captured: tm})
		require.NoError(t, err)
		assert.True(t, ex.Captured.IsZero())
		// Typed by the user, it is refused.
		ex.Captured = tm
		assert.ErrorIs(t, s.UpdateExhibit(ctx, &ex), evidence.ErrInvalid)
	}
	d, err := s.Dossier(ctx, c.ID)
	require.NoError(t, err)
	assert.Empty(t, d.Transactions)
	assert.Empty(t, d.Events)
	assert.Empty(t, d.Calls)
	require.Len(t, d.Exhibits, 2)
	assert.True(t, d.Exhibits[0].Captured.IsZero())
}

func TestEmptyListsAreNotNull(t *testing.T) {
	s := openTemp(t)
	c := evidence.Case{Title: "no claims"}
	_, err := s.CreateCase(ctx, &c)
	require.NoError(t, err)
	got, err := s.GetCase(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c, got)
	d, err := s.Dossier(ctx, c.ID)
	require.NoError(t, err)
	b, err := json.Marshal(d)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "null", "--json output gives [] for empty lists")
}

func TestConcurrentWriters(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	const workers, each = 6, 40
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				tr := txn(c.ID, w*1000+i)
				if _, err := s.AddTransaction(ctx, &tr); err != nil {
					errs <- err
				}
				if i%10 == 0 {
					if _, err := s.Attach(ctx, c.ID, strings.NewReader(fmt.Sprintf("file %d %d", w, i)), evidence.Exhibit{}); err != nil {
						errs <- err
					}
					if _, err := s.ListCases(ctx); err != nil {
						errs <- err
					}
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	d, err := s.Dossier(ctx, c.ID)
	require.NoError(t, err)
	assert.Len(t, d.Transactions, workers*each)
	require.Len(t, d.Exhibits, workers*each/10)
	for i, e := range d.Exhibits {
		assert.Equal(t, i+1, e.Seq, "exhibit numbers stay unique under concurrent attaches")
	}
	require.NoError(t, s.IntegrityCheck(ctx))
}

func TestHomeWithAwkwardName(t *testing.T) {
	home := filepath.Join(t.TempDir(), "我的 案件 #1 & 100%")
	s, err := Open(home)
	require.NoError(t, err)
	c := newCase(t, s)
	require.NoError(t, s.Close())
	_, err = os.Stat(filepath.Join(home, "disputekit.db"))
	require.NoError(t, err, "the database lives in the home, not in an escaped look-alike")
	s, err = Open(home)
	require.NoError(t, err)
	defer s.Close()
	_, err = s.GetCase(ctx, c.ID)
	require.NoError(t, err)
}

func TestOpenRefusesNonDatabase(t *testing.T) {
	home := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(home, "disputekit.db"), []byte(strings.Repeat("not sqlite ", 1000)), 0o644))
	_, err := Open(home)
	require.Error(t, err)
	t.Log(err)
	// The failed Open let go of the lock.
	f, err := lockFile(filepath.Join(home, lockName))
	require.NoError(t, err)
	f.Close()
}

func TestFailedMigrationChangesNothing(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	ms, err := migrations()
	require.NoError(t, err)
	broken := append(ms, migration{version: len(ms) + 1, name: "9999_broken.sql", sql: `
		CREATE TABLE half_done (x INTEGER);
		ALTER TABLE cases ADD COLUMN extra TEXT NOT NULL DEFAULT '';
		INSERT INTO no_such_table VALUES (1);`})
	err = applyMigrations(ctx, s.db, broken)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "9999_broken.sql")
	var v, n int
	require.NoError(t, s.db.QueryRow("PRAGMA user_version").Scan(&v))
	assert.Equal(t, len(ms), v)
	require.NoError(t, s.db.QueryRow("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'half_done'").Scan(&n))
	assert.Zero(t, n, "the migration's first statement was rolled back too")
	got, err := s.GetCase(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c.Title, got.Title)

	// A good next migration applies once; running again is a no-op.
	next := append(ms, migration{version: len(ms) + 1, name: "9999_ok.sql", sql: "CREATE TABLE later (x INTEGER);"})
	require.NoError(t, applyMigrations(ctx, s.db, next))
	require.NoError(t, applyMigrations(ctx, s.db, next))
	require.NoError(t, s.db.QueryRow("PRAGMA user_version").Scan(&v))
	assert.Equal(t, len(ms)+1, v)
}

func TestUseAfterClose(t *testing.T) {
	s, err := Open(t.TempDir())
	require.NoError(t, err)
	require.NoError(t, s.Close())
	_, err = s.ListCases(ctx)
	assert.Error(t, err)
	c := evidence.Case{Title: "late"}
	_, err = s.CreateCase(ctx, &c)
	assert.Error(t, err)
	require.NoError(t, s.Close())
}

func TestLostDatabaseKeepsVaultAside(t *testing.T) {
	home := t.TempDir()
	s, err := Open(home)
	require.NoError(t, err)
	c := newCase(t, s)
	ex, err := s.Attach(ctx, c.ID, strings.NewReader("the only copy of a slip photo"), evidence.Exhibit{})
	require.NoError(t, err)
	require.NoError(t, s.Close())

	// The database is lost; the vault is not.
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(filepath.Join(home, "disputekit.db"+suffix))
	}
	s, err = Open(home)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	s, err = Open(home) // and a later Open must not find them either
	require.NoError(t, err)
	defer s.Close()

	aside, err := filepath.Glob(filepath.Join(home, "vault.orphaned-*", ex.SHA256[:2], ex.SHA256))
	require.NoError(t, err)
	require.Len(t, aside, 1, "the old files are kept beside the new vault")
	b, err := os.ReadFile(aside[0])
	require.NoError(t, err)
	assert.Equal(t, "the only copy of a slip photo", string(b))
	assert.Zero(t, countBlobs(t, s))
}

func TestIntegrityCheckFindsBrokenReferences(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	conn, err := s.db.Conn(ctx)
	require.NoError(t, err)
	_, err = conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF")
	require.NoError(t, err)
	_, err = conn.ExecContext(ctx, "INSERT INTO calls(case_id, start_ns, start_tz, direction) VALUES (?, 1, 'UTC', 'outgoing')", c.ID+100)
	require.NoError(t, err)
	_, err = conn.ExecContext(ctx, "PRAGMA foreign_keys = ON")
	require.NoError(t, err)
	require.NoError(t, conn.Close())
	err = s.IntegrityCheck(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "calls row")
}

func TestDamagedBlobIsRepairedByTheSameFile(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	content := []byte("an original receipt scan, long enough to be cut short")
	ex, err := s.Attach(ctx, c.ID, bytes.NewReader(content), evidence.Exhibit{})
	require.NoError(t, err)
	p := s.BlobPath(ex.SHA256)
	require.NoError(t, os.Chmod(p, 0o644))
	require.NoError(t, os.WriteFile(p, content[:10], 0o444)) // a torn copy
	require.Error(t, s.IntegrityCheck(ctx))

	// Storing the same bytes again (another case, or a PutBlob) puts the whole file back.
	_, _, err = s.PutBlob(bytes.NewReader(content))
	require.NoError(t, err)
	got, err := os.ReadFile(p)
	require.NoError(t, err)
	assert.Equal(t, content, got)
	require.NoError(t, s.IntegrityCheck(ctx))
}

func TestAttachStopsWhenCancelled(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	cctx, cancel := context.WithCancel(ctx)
	r := &cancelAfter{n: 3, cancel: cancel}
	_, err := s.Attach(cctx, c.ID, r, evidence.Exhibit{OriginalName: "recording.m4a"})
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, r.reads, 10, "the copy stopped soon after the cancel")
	assert.Empty(t, tempFiles(t, s))
	assert.Zero(t, countBlobs(t, s))
}

// cancelAfter is an endless reader that cancels its context after n reads.
type cancelAfter struct {
	n, reads int
	cancel   func()
}

func (r *cancelAfter) Read(p []byte) (int, error) {
	r.reads++
	if r.reads == r.n {
		r.cancel()
	}
	return len(p), nil
}
