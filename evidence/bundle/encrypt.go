package bundle

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"filippo.io/age"
)

// ageMagic starts every binary age file.
const ageMagic = "age-encryption.org/v1\n"

// ErrPassphrase means an encrypted bundle could not be opened with the
// passphrase given (or none was given).
var ErrPassphrase = errors.New("wrong or missing passphrase")

// ScryptWorkFactor is the scrypt cost (log2 N) of passphrase encryption:
// age's default, about a second of work. Only tests lower it.
var ScryptWorkFactor = 18

// IsEncrypted reports whether a file starting with prefix (16 bytes or
// more) is an age-encrypted bundle.
func IsEncrypted(prefix []byte) bool {
	n := min(len(prefix), len(ageMagic))
	return n >= 16 && bytes.Equal(prefix[:n], []byte(ageMagic[:n]))
}

// Encrypt returns a writer that encrypts to w with passphrase (age, scrypt
// recipient): the result opens with `age -d`. Close it to finish the file.
func Encrypt(w io.Writer, passphrase string) (io.WriteCloser, error) {
	rcpt, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return nil, fmt.Errorf("encrypt bundle: %w", err)
	}
	rcpt.SetWorkFactor(ScryptWorkFactor)
	ew, err := age.Encrypt(w, rcpt)
	if err != nil {
		return nil, fmt.Errorf("encrypt bundle: %w", err)
	}
	return ew, nil
}

// Decrypt gives random access to the plaintext of an age-encrypted bundle
// without writing it anywhere: chunks are decrypted and authenticated as
// they are read.
func Decrypt(r io.ReaderAt, size int64, passphrase string) (io.ReaderAt, int64, error) {
	if passphrase == "" {
		return nil, 0, fmt.Errorf("decrypt bundle: the bundle is encrypted: %w", ErrPassphrase)
	}
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, 0, fmt.Errorf("decrypt bundle: %w", err)
	}
	pr, n, err := age.DecryptReaderAt(r, size, id)
	if err != nil {
		var nomatch *age.NoIdentityMatchError
		if errors.As(err, &nomatch) {
			return nil, 0, fmt.Errorf("decrypt bundle: %w", ErrPassphrase)
		}
		return nil, 0, refusef("decrypt bundle: %v", err)
	}
	return pr, n, nil
}

// Plain returns the bundle's plaintext: r itself, or its decryption when it
// is age-encrypted, in which case passphrase is called (once) for the
// passphrase. encrypted reports which.
func Plain(r io.ReaderAt, size int64, passphrase Passphrase) (pr io.ReaderAt, n int64, encrypted bool, err error) {
	head := make([]byte, len(ageMagic))
	k, _ := r.ReadAt(head, 0)
	if !IsEncrypted(head[:k]) {
		return r, size, false, nil
	}
	pass := ""
	if passphrase != nil {
		if pass, err = passphrase(); err != nil {
			return nil, 0, true, fmt.Errorf("decrypt bundle: %w", err)
		}
	}
	pr, n, err = Decrypt(r, size, pass)
	return pr, n, true, err
}
