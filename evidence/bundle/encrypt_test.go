package bundle

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func init() { ScryptWorkFactor = 10 } // keep tests fast; age -d accepts it

func encryptedBundle(t *testing.T, pass string) (plain, enc []byte) {
	t.Helper()
	plain, _, _ = validBundle(t)
	var buf bytes.Buffer
	ew, err := Encrypt(&buf, pass)
	require.NoError(t, err)
	_, err = ew.Write(plain)
	require.NoError(t, err)
	require.NoError(t, ew.Close())
	return plain, buf.Bytes()
}

func TestEncryptedBundleVerifiesWithThePassphrase(t *testing.T) {
	plain, enc := encryptedBundle(t, "正确的 passphrase")
	require.True(t, IsEncrypted(enc))
	require.False(t, IsEncrypted(plain))
	assert.False(t, bytes.Contains(enc, []byte("case.json")), "names must not leak")

	pr, n, encrypted, err := Plain(bytes.NewReader(enc), int64(len(enc)), func() (string, error) { return "正确的 passphrase", nil })
	require.NoError(t, err)
	require.True(t, encrypted)
	require.Equal(t, int64(len(plain)), n)
	b, err := Open(pr, n, Limits{})
	require.NoError(t, err)
	require.True(t, b.Verify().OK())

	_, _, _, err = Plain(bytes.NewReader(enc), int64(len(enc)), func() (string, error) { return "wrong", nil })
	require.ErrorIs(t, err, ErrPassphrase)
	_, _, _, err = Plain(bytes.NewReader(enc), int64(len(enc)), nil)
	require.ErrorIs(t, err, ErrPassphrase)

	// A plain bundle never asks for a passphrase.
	_, _, encrypted, err = Plain(bytes.NewReader(plain), int64(len(plain)), func() (string, error) {
		t.Fatal("asked for a passphrase for a plain bundle")
		return "", nil
	})
	require.NoError(t, err)
	require.False(t, encrypted)

	// Any flipped byte of the ciphertext is caught by age's authentication.
	for _, pos := range []int{len(enc) / 2, len(enc) - 5} {
		bad := bytes.Clone(enc)
		bad[pos] ^= 0x20
		pr, n, _, err := Plain(bytes.NewReader(bad), int64(len(bad)), func() (string, error) { return "正确的 passphrase", nil })
		if err == nil {
			_, err = Open(pr, n, Limits{})
			if err == nil {
				err = verifyErr(pr, n)
			}
		}
		require.Error(t, err, "flip at %d", pos)
	}
}

// verifyErr runs Verify and turns a bad report into an error.
func verifyErr(r interface {
	ReadAt([]byte, int64) (int, error)
}, n int64) error {
	rep, err := Verify(r, n)
	if err != nil {
		return err
	}
	return rep.Err()
}

// TestAgeCLIDecryptsBundles checks the promise that a lawyer can open an
// encrypted bundle with the standard age tool. age reads passphrases only
// from a terminal, so it runs under script(1), which gives it one.
func TestAgeCLIDecryptsBundles(t *testing.T) {
	agePath, err := exec.LookPath("age")
	if err != nil {
		t.Skip("age not installed")
	}
	scriptPath, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) not installed")
	}
	plain, enc := encryptedBundle(t, "open sesame")
	dir := t.TempDir()
	in, out := filepath.Join(dir, "case.zip.age"), filepath.Join(dir, "case.zip")
	require.NoError(t, os.WriteFile(in, enc, 0o600))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, scriptPath, "-qec", agePath+" -d -o "+out+" "+in, "/dev/null")
	cmd.Stdin = strings.NewReader("open sesame\n")
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", msg)
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	require.Equal(t, plain, got)
}
