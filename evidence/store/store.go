package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, no cgo)

	"github.com/disputekit/disputekit/evidence"
)

// ErrLocked is returned by Open when another window or process has the home open.
var ErrLocked = errors.New("this DisputeKit home is already open in another window or process")

// ErrNewerSchema is returned by Open for a database written by a newer
// DisputeKit; the error Open returns says which schema version it found.
var ErrNewerSchema = errors.New("this case store was written by a newer DisputeKit; update DisputeKit to open it")

type newerSchemaError struct{ found, known int }

func (e newerSchemaError) Error() string {
	return fmt.Sprintf("this case store was written by a newer DisputeKit (schema %d); update DisputeKit to open it", e.found)
}

func (e newerSchemaError) Is(target error) bool { return target == ErrNewerSchema }

// File and directory names inside a home.
const (
	dbName   = "disputekit.db"
	lockName = "lock"
	vaultDir = "vault"
	tmpDir   = "tmp" // under vault/
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is an open DisputeKit home. It is safe for concurrent use.
type Store struct {
	home string
	db   *sql.DB
	lock *os.File

	closeMu sync.Mutex
	closed  bool
}

// DefaultHome is $DISPUTEKIT_HOME, else the per-user data directory plus
// "DisputeKit" (~/.local/share on Linux, Application Support on macOS,
// %LocalAppData% on Windows).
func DefaultHome() (string, error) {
	if h := os.Getenv("DISPUTEKIT_HOME"); h != "" {
		return h, nil
	}
	var base string
	switch runtime.GOOS {
	case "windows":
		base = os.Getenv("LocalAppData")
	case "darwin", "ios":
		d, err := os.UserConfigDir() // ~/Library/Application Support
		if err != nil {
			return "", fmt.Errorf("find the DisputeKit home: %w", err)
		}
		base = d
	default:
		base = os.Getenv("XDG_DATA_HOME")
		if base == "" || !filepath.IsAbs(base) {
			h, err := os.UserHomeDir()
			if err != nil {
				return "", fmt.Errorf("find the DisputeKit home: %w", err)
			}
			base = filepath.Join(h, ".local", "share")
		}
	}
	if base == "" {
		d, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("find the DisputeKit home: %w", err)
		}
		base = d
	}
	return filepath.Join(base, "DisputeKit"), nil
}

// Open opens (creating if needed) the DisputeKit home: it takes the lock
// (ErrLocked when another process has it), brings the schema up to date
// (ErrNewerSchema for a database from a newer DisputeKit), and removes
// leftover vault temp files and blobs no row refers to. When it has to
// create the database while the vault already holds files (the database
// was lost), it renames that vault to vault.orphaned-<time> rather than
// treat every file as unused.
func Open(home string) (*Store, error) {
	if home == "" {
		return nil, errors.New("open case store: no home directory given")
	}
	abs, err := filepath.Abs(home)
	if err != nil {
		return nil, fmt.Errorf("open case store %s: %w", home, err)
	}
	home = abs
	for _, d := range []string{home, filepath.Join(home, vaultDir), filepath.Join(home, vaultDir, tmpDir)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("open case store %s: %w", home, err)
		}
	}
	lock, err := lockFile(filepath.Join(home, lockName))
	if err != nil {
		return nil, fmt.Errorf("open case store %s: %w", home, err)
	}
	s := &Store{home: home, lock: lock}
	if err := s.open(); err != nil {
		s.Close()
		return nil, fmt.Errorf("open case store %s: %w", home, err)
	}
	return s, nil
}

func dsn(path string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	if runtime.GOOS == "windows" {
		u.Path = "/" + u.Path // file:///C:/...
	}
	// temp_store(MEMORY) keeps statement journals (every multi-row INSERT
	// has one) off disk; a 64 MiB page cache (the most it may grow to) lets a
	// 100,000-row import run without spilling pages to the WAL mid-transaction.
	return u.String() + "?_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)" +
		"&_pragma=temp_store(MEMORY)&_pragma=cache_size(-65536)&_txlock=immediate"
}

func (s *Store) open() error {
	db, err := sql.Open("sqlite", dsn(filepath.Join(s.home, dbName)))
	if err != nil {
		return err
	}
	s.db = db
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	from, err := migrate(context.Background(), db)
	if err != nil {
		return err
	}
	if from == 0 {
		// A new database beside an old vault (the database file deleted or
		// moved, say): every file would look unused and be removed. Keep
		// them all in a side directory instead.
		if err := s.setAsideVault(); err != nil {
			return fmt.Errorf("set the old evidence vault aside: %w", err)
		}
	}
	if err := s.cleanVault(context.Background()); err != nil {
		return fmt.Errorf("clean the evidence vault: %w", err)
	}
	return nil
}

// Home is the directory the store was opened on.
func (s *Store) Home() string { return s.home }

// Close closes the database and releases the lock. Calling it twice is
// harmless; any other method called after Close returns an error.
func (s *Store) Close() error {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	var err error
	if s.db != nil && !s.closed {
		err = s.db.Close() // a closed *sql.DB answers every later call with an error
	}
	s.closed = true
	if s.lock != nil {
		if e := s.lock.Close(); err == nil {
			err = e
		}
		s.lock = nil
	}
	if err != nil {
		return fmt.Errorf("close case store %s: %w", s.home, err)
	}
	return nil
}

type migration struct {
	version int
	name    string
	sql     string
}

// migrationCode is the Go part of a migration, by the file's name without
// its number (numbers are taken in landing order): it runs after the file's
// SQL, in the same transaction, and returns how many fields it rewrote.
var migrationCode = map[string]func(ctx context.Context, tx *sql.Tx) (int, error){
	"remask_cards.sql": remaskCards,
}

func migrations() ([]migration, error) {
	ents, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range ents {
		prefix, _, ok := strings.Cut(e.Name(), "_")
		if !ok || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		v, err := strconv.Atoi(prefix)
		if err != nil {
			return nil, fmt.Errorf("migration %s: bad version prefix", e.Name())
		}
		b, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{v, e.Name(), string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %d", m.name, i+1)
		}
	}
	return ms, nil
}

// schemaVersion is the newest schema this code knows.
func schemaVersion() int {
	ms, err := migrations()
	if err != nil {
		panic(err) // embedded files: a broken build, caught by every test
	}
	return len(ms)
}

// migrate brings db to the newest schema and returns the version it found
// (0 for a database created just now).
func migrate(ctx context.Context, db *sql.DB) (from int, err error) {
	ms, err := migrations()
	if err != nil {
		return 0, err
	}
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&from); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return from, applyMigrations(ctx, db, ms)
}

// applyMigrations brings db to the last of ms, each migration in its own
// transaction together with its user_version bump: a failed one leaves the
// database exactly at the previous version.
func applyMigrations(ctx context.Context, db *sql.DB, ms []migration) error {
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if v > len(ms) {
		return newerSchemaError{found: v, known: len(ms)}
	}
	rewrote := 0
	for _, m := range ms[v:] {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate to schema %d: %w", m.version, err)
		}
		// Re-read inside the write transaction: another opener may have
		// migrated between our read and our lock (cannot happen while we
		// hold the home lock, but costs nothing).
		var cur int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to schema %d: %w", m.version, err)
		}
		if cur >= m.version {
			tx.Rollback()
			continue
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to schema %d (%s): %w", m.version, m.name, err)
		}
		if _, name, _ := strings.Cut(m.name, "_"); migrationCode[name] != nil {
			n, err := migrationCode[name](ctx, tx)
			if err != nil {
				tx.Rollback()
				return fmt.Errorf("migrate to schema %d (%s): %w", m.version, m.name, err)
			}
			rewrote += n
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to schema %d: %w", m.version, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate to schema %d: %w", m.version, err)
		}
	}
	if rewrote > 0 {
		// What a migration rewrote (card numbers, say) must not linger in
		// free pages or in pages the WAL has not yet copied back: rebuild
		// the file and fold the WAL into it.
		if _, err := db.ExecContext(ctx, "VACUUM"); err != nil {
			return fmt.Errorf("migrate: rebuild the database: %w", err)
		}
		if _, err := db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			return fmt.Errorf("migrate: checkpoint the database: %w", err)
		}
	}
	return nil
}

// write runs fn in one immediate (write) transaction and commits it.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// read runs fn in one read transaction, so what it reads is one consistent snapshot.
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// touch bumps the case's Updated time and writes an audit entry. It returns
// evidence.ErrNotFound when the case does not exist, so every mutation of a
// case's rows starts with it.
func touch(ctx context.Context, tx *sql.Tx, caseID int64, action, detail string) error {
	ns, tz := encTime(now())
	res, err := tx.ExecContext(ctx, "UPDATE cases SET updated_ns = ?, updated_tz = ? WHERE id = ?", ns, tz, caseID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return errNoCase
	}
	return audit(ctx, tx, caseID, action, detail)
}

func audit(ctx context.Context, tx *sql.Tx, caseID int64, action, detail string) error {
	ns, tz := encTime(now())
	_, err := tx.ExecContext(ctx, "INSERT INTO audit(case_id, time_ns, time_tz, action, detail) VALUES (?, ?, ?, ?, ?)",
		caseID, ns, tz, action, evidence.MaskCardNumbers(detail))
	return err
}

// errNoCase reads "case not found" and wraps evidence.ErrNotFound.
var errNoCase = fmt.Errorf("case %w", evidence.ErrNotFound)

// mustAffect turns "no row changed" into ErrNotFound for what.
func mustAffect(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%s %w", what, evidence.ErrNotFound)
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

var (
	errInvalid     = evidence.ErrInvalid
	errBlobMissing = fmt.Errorf("file missing from the evidence vault: %w", evidence.ErrNotFound)
	errNoDerived   = fmt.Errorf("none made yet: %w", evidence.ErrNotFound)
)
