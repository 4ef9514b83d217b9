package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/disputekit/disputekit/evidence"
)

// The vault keeps every file under vault/<first two hex digits>/<sha256>.
// A blob is written to vault/tmp while hashed, synced, renamed into place and
// its directory synced before any row naming it commits; it is never changed
// afterwards (0444). Open removes temp files and blobs no row refers to.

// validSHA reports whether sha is 64 lowercase hex digits.
func validSHA(sha string) bool {
	if len(sha) != 64 {
		return false
	}
	for i := 0; i < len(sha); i++ {
		c := sha[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// BlobPath is where the blob with this hash lives (whether or not it
// exists). For a string that is not a SHA-256 hex digest it returns a path
// inside the vault that never exists, so a hostile name ("../../x") can
// never point outside it.
func (s *Store) BlobPath(sha string) string {
	sha = strings.ToLower(sha)
	if !validSHA(sha) {
		return filepath.Join(s.home, vaultDir, "not-a-sha256")
	}
	return filepath.Join(s.home, vaultDir, sha[:2], sha)
}

// OpenBlob opens the vault file with this hash for reading; a missing blob
// wraps evidence.ErrNotFound.
func (s *Store) OpenBlob(sha string) (io.ReadCloser, error) {
	sha = strings.ToLower(sha)
	if !validSHA(sha) {
		return nil, fmt.Errorf("store: open blob %q: not a SHA-256 hex digest: %w", sha, errInvalid)
	}
	f, err := os.Open(s.BlobPath(sha))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("store: open blob %s: %w", sha, errBlobMissing)
		}
		return nil, fmt.Errorf("store: open blob %s: %w", sha, err)
	}
	return f, nil
}

// PutBlob streams r into the vault and returns its hash and size. Storing
// the same bytes again is harmless (the existing file is kept). It writes no
// row: a blob nothing refers to is removed at the next Open.
func (s *Store) PutBlob(r io.Reader) (sha string, size int64, err error) {
	sha, size, _, err = s.putBlob(r)
	if err != nil {
		return "", 0, fmt.Errorf("store: put blob: %w", err)
	}
	return sha, size, nil
}

// putBlob also returns the first bytes read (for media type sniffing).
func (s *Store) putBlob(r io.Reader) (sha string, size int64, head []byte, err error) {
	tmp, err := s.tempFile()
	if err != nil {
		return "", 0, nil, err
	}
	tmpName := tmp.Name()
	defer func() {
		if tmp != nil {
			tmp.Close()
		}
		if err != nil {
			os.Remove(tmpName)
		}
	}()
	h := sha256.New()
	hd := &headWriter{max: 512}
	size, err = io.Copy(io.MultiWriter(tmp, h, hd), io.LimitReader(r, evidence.MaxExhibitSize+1))
	if err != nil {
		return "", 0, nil, fmt.Errorf("copy into the vault: %w", err)
	}
	if size > evidence.MaxExhibitSize {
		err = errFileTooLarge(size, true)
		return "", 0, nil, err
	}
	if err = tmp.Sync(); err != nil {
		return "", 0, nil, fmt.Errorf("sync vault file: %w", err)
	}
	if err = tmp.Close(); err != nil {
		tmp = nil
		return "", 0, nil, fmt.Errorf("close vault file: %w", err)
	}
	tmp = nil
	sha = hex.EncodeToString(h.Sum(nil))
	if err = s.place(tmpName, sha, size); err != nil {
		return "", 0, nil, err
	}
	return sha, size, hd.buf, nil
}

// place moves a synced temp file to its blob path, or drops it when the blob
// is already there with the right size.
func (s *Store) place(tmpName, sha string, size int64) error {
	dst := s.BlobPath(sha)
	if fi, err := os.Stat(dst); err == nil && fi.Mode().IsRegular() && fi.Size() == size {
		return os.Remove(tmpName)
	}
	dir := filepath.Dir(dst)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("make vault directory: %w", err)
		}
		// The new directory's own entry must be durable too.
		if err := syncDir(filepath.Dir(dir)); err != nil {
			return fmt.Errorf("sync vault directory: %w", err)
		}
	}
	if err := os.Chmod(tmpName, 0o444); err != nil {
		return fmt.Errorf("protect vault file: %w", err)
	}
	if err := os.Rename(tmpName, dst); err != nil {
		// Windows will not rename over a read-only file: a blob of the same
		// content that appeared meanwhile is as good as ours.
		if fi, serr := os.Stat(dst); serr == nil && fi.Size() == size {
			return os.Remove(tmpName)
		}
		return fmt.Errorf("move file into the vault: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("sync vault directory: %w", err)
	}
	return nil
}

func (s *Store) tempFile() (*os.File, error) {
	dir := filepath.Join(s.home, vaultDir, tmpDir)
	var b [12]byte
	for i := 0; i < 10; i++ {
		rand.Read(b[:])
		f, err := os.OpenFile(filepath.Join(dir, hex.EncodeToString(b[:])), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			return f, nil
		}
		if errors.Is(err, fs.ErrNotExist) {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, err
			}
			continue
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("create vault temp file: %w", err)
		}
	}
	return nil, errors.New("create vault temp file: too many collisions")
}

// ctxReader stops a long copy into the vault (a big recording, say) once
// ctx is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// headWriter keeps the first max bytes written to it.
type headWriter struct {
	buf []byte
	max int
}

func (w *headWriter) Write(p []byte) (int, error) {
	if n := w.max - len(w.buf); n > 0 {
		if n > len(p) {
			n = len(p)
		}
		w.buf = append(w.buf, p[:n]...)
	}
	return len(p), nil
}

// cleanVault removes leftover temp files, derived links whose original no
// exhibit uses, and blobs no row refers to. It runs only from Open, while we
// hold the home lock, so no other writer can be between "blob written" and
// "row committed".
func (s *Store) cleanVault(ctx context.Context) error {
	tmp := filepath.Join(s.home, vaultDir, tmpDir)
	ents, err := os.ReadDir(tmp)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	for _, e := range ents {
		if err := os.RemoveAll(filepath.Join(tmp, e.Name())); err != nil {
			return err
		}
	}
	if _, err := s.db.ExecContext(ctx, "DELETE FROM derived WHERE orig_sha NOT IN (SELECT sha256 FROM exhibits)"); err != nil {
		return err
	}
	used := map[string]bool{}
	rows, err := s.db.QueryContext(ctx, `SELECT sha256 FROM exhibits UNION SELECT orig_sha FROM derived UNION SELECT derived_sha FROM derived`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var sha string
		if err := rows.Scan(&sha); err != nil {
			return err
		}
		used[sha] = true
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	vault := filepath.Join(s.home, vaultDir)
	dirs, err := os.ReadDir(vault)
	if err != nil {
		return err
	}
	for _, d := range dirs {
		if !d.IsDir() || len(d.Name()) != 2 || !validSHA(d.Name()+strings.Repeat("0", 62)) {
			continue // not ours: leave it alone
		}
		sub := filepath.Join(vault, d.Name())
		files, err := os.ReadDir(sub)
		if err != nil {
			return err
		}
		removed := false
		for _, f := range files {
			name := f.Name()
			if !validSHA(name) || !strings.HasPrefix(name, d.Name()) || used[name] {
				continue
			}
			p := filepath.Join(sub, name)
			if err := os.Remove(p); err != nil {
				// Windows refuses to delete a read-only file.
				os.Chmod(p, 0o644)
				if err := os.Remove(p); err != nil {
					return err
				}
			}
			removed = true
		}
		if removed {
			if err := syncDir(sub); err != nil {
				return err
			}
		}
	}
	return nil
}

// SetDerived links a derived image (kind "thumb" or "print") of the blob
// origSHA to the blob derivedSHA, which PutBlob has stored.
func (s *Store) SetDerived(ctx context.Context, origSHA, kind, derivedSHA string) error {
	origSHA, derivedSHA = strings.ToLower(origSHA), strings.ToLower(derivedSHA)
	if !validSHA(origSHA) || !validSHA(derivedSHA) || kind == "" {
		return fmt.Errorf("store: set %s of %s: bad hash or kind: %w", kind, origSHA, errInvalid)
	}
	if _, err := os.Stat(s.BlobPath(derivedSHA)); err != nil {
		return fmt.Errorf("store: set %s of %s: %w", kind, origSHA, errBlobMissing)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO derived(orig_sha, kind, derived_sha) VALUES (?, ?, ?)
			ON CONFLICT (orig_sha, kind) DO UPDATE SET derived_sha = excluded.derived_sha`, origSHA, kind, derivedSHA)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: set %s of %s: %w", kind, origSHA, err)
	}
	return nil
}

// Derived returns the hash of the derived image of this kind, or an error
// wrapping evidence.ErrNotFound when none was made.
func (s *Store) Derived(ctx context.Context, origSHA, kind string) (string, error) {
	var sha string
	err := s.db.QueryRowContext(ctx, "SELECT derived_sha FROM derived WHERE orig_sha = ? AND kind = ?", strings.ToLower(origSHA), kind).Scan(&sha)
	if err == sql.ErrNoRows {
		return "", fmt.Errorf("store: %s of %s: %w", kind, origSHA, errNoDerived)
	}
	if err != nil {
		return "", fmt.Errorf("store: %s of %s: %w", kind, origSHA, err)
	}
	return sha, nil
}

// setAsideVault renames a vault that holds blobs to vault.orphaned-<time>
// and starts an empty one. Open calls it when it has just created the
// database, so no row can refer to those files.
func (s *Store) setAsideVault() error {
	vault := filepath.Join(s.home, vaultDir)
	dirs, err := os.ReadDir(vault)
	if err != nil {
		return err
	}
	blobs := false
	for _, d := range dirs {
		if d.IsDir() && d.Name() != tmpDir {
			if files, _ := os.ReadDir(filepath.Join(vault, d.Name())); len(files) > 0 {
				blobs = true
				break
			}
		}
	}
	if !blobs {
		return nil
	}
	aside := filepath.Join(s.home, vaultDir+".orphaned-"+now().UTC().Format("20060102T150405.000000000"))
	if err := os.Rename(vault, aside); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(vault, tmpDir), 0o755); err != nil {
		return err
	}
	return syncDir(s.home)
}
