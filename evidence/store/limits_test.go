package store

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

// TestAttachRefusesFileOverLimit: a (sparse) file one byte over
// evidence.MaxExhibitSize is refused at once, saying the limit, and nothing
// lands in the vault.
func TestAttachRefusesFileOverLimit(t *testing.T) {
	s := openTemp(t)
	c := newCase(t, s)
	path := filepath.Join(t.TempDir(), "huge.bin")
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(evidence.MaxExhibitSize+1))
	require.NoError(t, f.Close())

	_, err = s.AttachFile(ctx, c.ID, path, evidence.Exhibit{Kind: evidence.KindDocument, Title: "huge"})
	require.ErrorIs(t, err, evidence.ErrTooLarge)
	assert.Contains(t, err.Error(), "at most 4 GiB")
	exs, err := s.ListExhibits(ctx, c.ID)
	require.NoError(t, err)
	assert.Empty(t, exs)
}

// insertFakeExhibits adds n exhibit rows of size bytes each straight into
// the database (no vault files), to bring a case to its limits quickly.
func insertFakeExhibits(t *testing.T, s *Store, caseID int64, n int, size int64) {
	t.Helper()
	_, err := s.db.ExecContext(ctx, `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?)
		INSERT INTO exhibits(case_id, seq, kind, sha256, size) SELECT ?, i, 'document', printf('%064x', i), ? FROM k`, n, caseID, size)
	require.NoError(t, err)
	var count int
	require.NoError(t, s.db.QueryRowContext(ctx, "SELECT COUNT(DISTINCT sha256) FROM exhibits WHERE case_id = ?", caseID).Scan(&count))
	require.Equal(t, n, count)
}

func TestAttachRefusesFileOverCaseLimits(t *testing.T) {
	s := openTemp(t)
	full := newCase(t, s)
	insertFakeExhibits(t, s, full.ID, evidence.MaxExhibits, 1)
	_, err := s.Attach(ctx, full.ID, strings.NewReader("one more"), evidence.Exhibit{Kind: evidence.KindDocument, OriginalName: "a.txt"})
	require.ErrorIs(t, err, evidence.ErrTooLarge)
	assert.Contains(t, err.Error(), fmt.Sprintf("already holds %d files", evidence.MaxExhibits))

	heavy := newCase(t, s)
	insertFakeExhibits(t, s, heavy.ID, 1, evidence.MaxCaseFilesSize-4)
	_, err = s.Attach(ctx, heavy.ID, strings.NewReader("12345"), evidence.Exhibit{Kind: evidence.KindDocument, OriginalName: "a.txt"})
	require.ErrorIs(t, err, evidence.ErrTooLarge)
	assert.Contains(t, err.Error(), "at most 16 GiB of files")
	_, err = s.Attach(ctx, heavy.ID, strings.NewReader("1234"), evidence.Exhibit{Kind: evidence.KindDocument, OriginalName: "a.txt"})
	require.NoError(t, err, "exactly at the limit is accepted")
}

func TestImportDossierRefusesFilesOverLimits(t *testing.T) {
	s := openTemp(t)
	never := func(string) (io.ReadCloser, error) { panic("no file may be read") }
	big := evidence.Dossier{Case: evidence.Case{Title: "big", Scenario: evidence.WrongAmount},
		Exhibits: []evidence.Exhibit{{Seq: 1, Kind: evidence.KindDocument, Title: "x", SHA256: strings.Repeat("a", 64), Size: evidence.MaxExhibitSize + 1}}}
	_, err := s.ImportDossier(ctx, big, never)
	require.ErrorIs(t, err, evidence.ErrTooLarge)

	many := evidence.Dossier{Case: big.Case}
	for i := range evidence.MaxExhibits + 1 {
		many.Exhibits = append(many.Exhibits, evidence.Exhibit{Seq: i + 1, Kind: evidence.KindDocument, SHA256: fmt.Sprintf("%064x", i), Size: 1})
	}
	_, err = s.ImportDossier(ctx, many, never)
	require.ErrorIs(t, err, evidence.ErrTooLarge)
}
