package bundle

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Passphrase supplies the passphrase of an encrypted bundle when one is
// met (from a flag, the environment or a dialog).
type Passphrase func() (string, error)

// ExportFile writes case caseID of st to path as a bundle, encrypted with
// passphrase when it is not empty. The file appears complete or not at all:
// the bundle is written to a temporary file beside path, synced and renamed.
func ExportFile(ctx context.Context, st Store, caseID int64, path string, opt Options, passphrase string) (Manifest, error) {
	var m Manifest
	err := WriteFileAtomic(path, func(w io.Writer) error {
		if passphrase == "" {
			var err error
			m, err = Export(ctx, st, caseID, w, opt)
			return err
		}
		ew, err := Encrypt(w, passphrase)
		if err != nil {
			return err
		}
		if m, err = Export(ctx, st, caseID, ew, opt); err != nil {
			return err
		}
		return ew.Close()
	})
	return m, err
}

// WriteFileAtomic creates path with what write writes, through a temporary
// file in the same directory that is synced and renamed into place only if
// write and every step after it succeed. On failure (a full disk, say) the
// temporary file is removed and path is left as it was.
func WriteFileAtomic(path string, write func(w io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	var rnd [6]byte
	rand.Read(rnd[:])
	tmp := filepath.Join(dir, "."+filepath.Base(path)+".part-"+hex.EncodeToString(rnd[:]))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
			err = fmt.Errorf("write %s: %w", path, err)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20) // few, large writes
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil { // make the rename durable where directories can be synced
		d.Sync()
		d.Close()
	}
	return nil
}

// openPlain opens a bundle file and, when it is encrypted, its plaintext.
func openPlain(path string, pass Passphrase) (r io.ReaderAt, size int64, encrypted bool, closeFn func() error, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, false, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, false, nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, 0, false, nil, fmt.Errorf("%s is not a regular file", path)
	}
	r, size, encrypted, err = Plain(f, fi.Size(), pass)
	if err != nil {
		f.Close()
		return nil, 0, encrypted, nil, err
	}
	return r, size, encrypted, f.Close, nil
}

// VerifyFile verifies the bundle at path (see Verify), asking pass for the
// passphrase if it is encrypted.
func VerifyFile(path string, pass Passphrase) (Report, error) {
	r, size, enc, closeFn, err := openPlain(path, pass)
	if err != nil {
		return Report{Encrypted: enc}, fmt.Errorf("verify %s: %w", path, err)
	}
	defer closeFn()
	rep, err := Verify(r, size)
	rep.Encrypted = enc
	if err != nil {
		return rep, fmt.Errorf("verify %s: %w", path, err)
	}
	return rep, nil
}

// ImportFile imports the bundle at path into st as a new case (see Import),
// asking pass for the passphrase if it is encrypted.
func ImportFile(ctx context.Context, st Store, path string, pass Passphrase) (int64, error) {
	r, size, _, closeFn, err := openPlain(path, pass)
	if err != nil {
		return 0, fmt.Errorf("import %s: %w", path, err)
	}
	defer closeFn()
	id, err := Import(ctx, st, r, size)
	if err != nil {
		return 0, fmt.Errorf("import %s: %w", path, err)
	}
	return id, nil
}
