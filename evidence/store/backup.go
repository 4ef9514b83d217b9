package store

// Backup and restore of a whole home (the bundle engineer's file in this
// package). A backup is one ZIP: a consistent snapshot of the database
// (VACUUM INTO, never a copy of a live file), every vault file a row of the
// snapshot names, and manifest.json listing each file's SHA-256 and size.
// Restore checks all of it in a temporary directory beside the target,
// runs the integrity check there, and only then renames it into place.

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Backup file format.
const (
	backupFormat   = "disputekit-backup"
	backupVersion  = 1
	backupManifest = "manifest.json"
	maxBackupFiles = 1 << 20
	maxManifest    = 256 << 20
)

// ErrBadBackup marks a backup file refused by Restore.
var ErrBadBackup = errors.New("not a usable DisputeKit backup")

// BackupManifest describes a backup file.
type BackupManifest struct {
	Format  string       `json:"format"`
	Version int          `json:"version"`
	Created time.Time    `json:"created"`
	Schema  int          `json:"schema"`
	Cases   int          `json:"cases"`
	Files   []BackupFile `json:"files"` // the database first, then vault files by path
}

// BackupFile is one file of a backup.
type BackupFile struct {
	Path   string `json:"path"` // "disputekit.db" or "vault/ab/abcd…"
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// Backup writes a consistent copy of the whole home to w (a ZIP; see the
// package comment above). Writes to the store may go on meanwhile: the
// database snapshot is taken in one step and vault files never change.
func (s *Store) Backup(ctx context.Context, w io.Writer) error {
	if err := s.writeBackup(ctx, w); err != nil {
		return fmt.Errorf("store: back up %s: %w", s.home, err)
	}
	return nil
}

func (s *Store) writeBackup(ctx context.Context, w io.Writer) error {
	tmp, err := s.tempFile() // a unique name in vault/tmp, which Open empties after a crash
	if err != nil {
		return err
	}
	snap := tmp.Name() + ".db"
	tmp.Close()
	os.Remove(tmp.Name())
	defer os.Remove(snap)
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", snap); err != nil {
		return fmt.Errorf("snapshot the database: %w", err)
	}
	m := BackupManifest{Format: backupFormat, Version: backupVersion, Created: now()}
	shas, err := snapshotInfo(ctx, snap, &m)
	if err != nil {
		return fmt.Errorf("read the snapshot: %w", err)
	}
	zw := zip.NewWriter(w)
	dbFile, err := zipBackupFile(ctx, zw, dbName, snap, zip.Deflate, "")
	if err != nil {
		return err
	}
	m.Files = append(m.Files, dbFile)
	for _, sha := range shas {
		f, err := zipBackupFile(ctx, zw, vaultDir+"/"+sha[:2]+"/"+sha, s.BlobPath(sha), zip.Store, sha)
		if err != nil {
			return err
		}
		m.Files = append(m.Files, f)
	}
	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	mw, err := zw.CreateHeader(&zip.FileHeader{Name: backupManifest, Method: zip.Deflate, Modified: m.Created})
	if err != nil {
		return err
	}
	if _, err := mw.Write(append(mj, '\n')); err != nil {
		return err
	}
	return zw.Close()
}

// snapshotInfo reads the schema version, case count and every blob hash
// the snapshot's rows name.
func snapshotInfo(ctx context.Context, path string, m *BackupManifest) ([]string, error) {
	db, err := sql.Open("sqlite", dsnReadOnly(path))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&m.Schema); err != nil {
		return nil, err
	}
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM cases").Scan(&m.Cases); err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, "SELECT sha256 FROM exhibits UNION SELECT orig_sha FROM derived UNION SELECT derived_sha FROM derived ORDER BY 1")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var shas []string
	for rows.Next() {
		var sha string
		if err := rows.Scan(&sha); err != nil {
			return nil, err
		}
		if !validSHA(sha) {
			return nil, fmt.Errorf("a row names %q, not a SHA-256", sha)
		}
		shas = append(shas, sha)
	}
	return shas, rows.Err()
}

func dsnReadOnly(path string) string {
	return strings.SplitN(dsn(path), "?", 2)[0] + "?mode=ro"
}

// zipBackupFile streams the file at src into the archive as name, hashing it, and
// checks the hash against want when want is set.
func zipBackupFile(ctx context.Context, zw *zip.Writer, name, src string, method uint16, want string) (BackupFile, error) {
	bf := BackupFile{Path: name}
	f, err := os.Open(src)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && want != "" {
			return bf, fmt.Errorf("vault file %s: %w", want, errBlobMissing)
		}
		return bf, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return bf, err
	}
	fh := &zip.FileHeader{Name: name, Method: method, Modified: fi.ModTime()}
	fh.SetMode(0o644)
	w, err := zw.CreateHeader(fh)
	if err != nil {
		return bf, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), backupReader{ctx, f})
	if err != nil {
		return bf, fmt.Errorf("copy %s: %w", name, err)
	}
	bf.SHA256, bf.Size = hex.EncodeToString(h.Sum(nil)), n
	if want != "" && bf.SHA256 != want {
		return bf, fmt.Errorf("vault file %s: its content now hashes to %s (changed or damaged); run the integrity check", want, bf.SHA256)
	}
	return bf, nil
}

type backupReader struct {
	ctx context.Context
	r   io.Reader
}

func (c backupReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// ErrHomeNotEmpty is returned by Restore for a home that holds files
// already, unless force is set.
var ErrHomeNotEmpty = errors.New("the home is not empty")

// Restore puts the backup read from r into home. It refuses a home that is
// not empty unless force is set; then the old home is kept beside the new
// one, renamed to the returned path (empty when nothing was replaced).
// Every file is extracted into a temporary directory next to home, checked
// against the manifest, and the result opened and integrity-checked before
// it is renamed into place: a bad backup leaves home untouched.
func Restore(ctx context.Context, r io.ReaderAt, size int64, home string, force bool) (replaced string, err error) {
	replaced, err = restoreBackup(ctx, r, size, home, force)
	if err != nil {
		return "", fmt.Errorf("store: restore into %s: %w", home, err)
	}
	return replaced, nil
}

func restoreBackup(ctx context.Context, r io.ReaderAt, size int64, home string, force bool) (string, error) {
	home, err := filepath.Abs(home)
	if err != nil {
		return "", err
	}
	m, files, err := readBackup(r, size)
	if err != nil {
		return "", err
	}

	// The target: missing, empty, or (with force) replaced and kept aside.
	nonEmpty := false
	if ents, err := os.ReadDir(home); err == nil {
		nonEmpty = len(ents) > 0
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	if nonEmpty && !force {
		return "", fmt.Errorf("%s is not empty; restore into a new directory, or pass --force to replace it (the old home is kept beside it): %w", home, ErrHomeNotEmpty)
	}
	if nonEmpty {
		lock, err := lockFile(filepath.Join(home, lockName))
		if err != nil {
			return "", err // ErrLocked: DisputeKit has it open
		}
		defer lock.Close()
	}
	parent := filepath.Dir(home)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(home)+".restore-")
	if err != nil {
		return "", err
	}
	ok := false
	defer func() {
		if !ok {
			removeBackupTree(tmp)
		}
	}()
	for _, bf := range m.Files {
		if err := extractBackupFile(ctx, files[bf.Path], bf, tmp); err != nil {
			return "", err
		}
	}
	st, err := Open(tmp)
	if err != nil {
		return "", fmt.Errorf("open the restored store: %w", err)
	}
	err = st.IntegrityCheck(ctx)
	st.Close()
	if err != nil {
		return "", fmt.Errorf("the restored store fails its integrity check: %w", err)
	}

	replaced := ""
	if nonEmpty {
		replaced = fmt.Sprintf("%s.replaced-%s", home, time.Now().Format("20060102-150405"))
		if err := os.Rename(home, replaced); err != nil {
			return "", fmt.Errorf("move the old home aside: %w", err)
		}
	} else {
		os.Remove(home) // empty or missing
	}
	if err := os.Rename(tmp, home); err != nil {
		if replaced != "" {
			os.Rename(replaced, home)
		}
		return "", fmt.Errorf("move the restored home into place: %w", err)
	}
	ok = true
	syncDir(parent)
	return replaced, nil
}

// readBackup checks a backup's structure and manifest and returns the
// entries by path. Names are checked against the only layout a backup can
// have (the database and vault/xx/<sha>), so nothing can land elsewhere.
func readBackup(r io.ReaderAt, size int64) (BackupManifest, map[string]*zip.File, error) {
	var m BackupManifest
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ErrBadBackup)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return m, nil, bad("not a readable ZIP (truncated or damaged): %v", err)
	}
	if len(zr.File) > maxBackupFiles+1 {
		return m, nil, bad("%d entries, more than %d", len(zr.File), maxBackupFiles+1)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		if _, dup := files[strings.ToLower(f.Name)]; dup {
			return m, nil, bad("entry %q appears twice", f.Name)
		}
		if !f.Mode().IsRegular() {
			return m, nil, bad("entry %q is not a regular file", f.Name)
		}
		if f.Method != zip.Store && f.Method != zip.Deflate {
			return m, nil, bad("entry %q: unsupported compression method %d", f.Name, f.Method)
		}
		files[strings.ToLower(f.Name)] = f
	}
	mf, ok := files[backupManifest]
	if !ok {
		return m, nil, bad("no %s", backupManifest)
	}
	if mf.UncompressedSize64 > maxManifest {
		return m, nil, bad("%s is %d bytes", backupManifest, mf.UncompressedSize64)
	}
	rc, err := mf.Open()
	if err != nil {
		return m, nil, bad("%s: %v", backupManifest, err)
	}
	data, err := io.ReadAll(io.LimitReader(rc, maxManifest+1))
	rc.Close()
	if err != nil {
		return m, nil, bad("%s: %v", backupManifest, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, nil, bad("%s: %v", backupManifest, err)
	}
	if m.Format != backupFormat || m.Version != backupVersion {
		return m, nil, bad("%s: format %q version %d, want %q version %d", backupManifest, m.Format, m.Version, backupFormat, backupVersion)
	}
	if m.Schema > schemaVersion() {
		return m, nil, bad("made by a newer DisputeKit (schema %d); update DisputeKit to restore it", m.Schema)
	}
	listed := map[string]bool{backupManifest: true}
	hasDB := false
	for _, bf := range m.Files {
		switch {
		case bf.Path == dbName:
			hasDB = true
		case !isVaultPath(bf.Path, bf.SHA256):
			return m, nil, bad("%s: %q is neither the database nor a vault file named by its hash", backupManifest, bf.Path)
		}
		if !validSHA(bf.SHA256) || bf.Size < 0 {
			return m, nil, bad("%s: %q: bad hash or size", backupManifest, bf.Path)
		}
		if listed[bf.Path] {
			return m, nil, bad("%s: %q listed twice", backupManifest, bf.Path)
		}
		listed[bf.Path] = true
		f, ok := files[bf.Path]
		if !ok || f.Name != bf.Path {
			return m, nil, bad("%q is listed but missing", bf.Path)
		}
		if f.UncompressedSize64 != uint64(bf.Size) {
			return m, nil, bad("entry %q declares %d bytes, the manifest %d", bf.Path, f.UncompressedSize64, bf.Size)
		}
	}
	if !hasDB {
		return m, nil, bad("%s does not list %s", backupManifest, dbName)
	}
	for _, f := range zr.File {
		if !listed[f.Name] {
			return m, nil, bad("entry %q is not in the manifest", f.Name)
		}
	}
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Path < m.Files[j].Path })
	return m, files, nil
}

func isVaultPath(p, sha string) bool {
	return validSHA(sha) && p == vaultDir+"/"+sha[:2]+"/"+sha
}

// extractBackupFile writes one checked file under dir.
func extractBackupFile(ctx context.Context, f *zip.File, bf BackupFile, dir string) error {
	dst := filepath.Join(dir, filepath.FromSlash(bf.Path))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("%s: %w", bf.Path, err)
	}
	defer rc.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), backupReader{ctx, io.LimitReader(rc, bf.Size+1)})
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", bf.Path, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != bf.SHA256 || n != bf.Size {
		return fmt.Errorf("%s: sha256 %s, %d bytes; the manifest lists %s, %d bytes: %w", bf.Path, got, n, bf.SHA256, bf.Size, ErrBadBackup)
	}
	mode := os.FileMode(0o644)
	if bf.Path != dbName {
		mode = 0o444 // vault files are never modified
	}
	return os.Chmod(dst, mode)
}

// removeBackupTree deletes dir even where read-only files make Windows refuse.
func removeBackupTree(dir string) {
	if os.RemoveAll(dir) == nil {
		return
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil {
			os.Chmod(p, 0o755)
		}
		return nil
	})
	os.RemoveAll(dir)
}
