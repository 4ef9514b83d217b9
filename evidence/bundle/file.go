package bundle

import (
	"context"
	"fmt"
	"github.com/disputekit/disputekit/evidence"
	"io"
	"os"

	"github.com/disputekit/disputekit/evidence/atomicfile"
)

// Passphrase supplies the passphrase of an encrypted bundle when one is
// met (from a flag, the environment or a dialog).
type Passphrase func() (string, error)

// ExportFile writes case caseID of st to path as a bundle, encrypted with
// passphrase when it is not empty. The file appears complete or not at all:
// the bundle is written to a temporary file beside path, synced and renamed.
func ExportFile(ctx context.Context, st Store, caseID int64, path string, opt Options, passphrase string) (Manifest, error) {
	var m Manifest
	err := atomicfile.Write(path, atomicfile.Private, func(w io.Writer) error {
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

// openPlain opens a bundle file and, when it is encrypted, its plaintext.
func openPlain(path string, pass Passphrase) (r io.ReaderAt, size int64, encrypted bool, closeFn func() error, err error) {
	if err := evidence.CheckRegularFile(path); err != nil {
		return nil, 0, false, nil, err
	}
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
