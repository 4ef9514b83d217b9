package main

import (
	"archive/zip"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

func TestEmptyHomeIsAnError(t *testing.T) {
	for _, args := range [][]string{{"--home", "", "case", "list"}, {"--home=", "case", "list"}} {
		var out, errb strings.Builder
		code := run(args, strings.NewReader(""), &out, &errb)
		assert.Equal(t, 2, code, args)
		assert.Contains(t, errb.String(), "--home needs a directory")
	}
}

// Attaching a FIFO, a device or a folder is refused at once: opening a
// FIFO would wait for a writer for ever.
func TestAttachRefusesWhatIsNotAFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs")
	}
	home := t.TempDir()
	id := newCase(t, home, "--title", "t")
	dir := t.TempDir()
	fifo := filepath.Join(dir, "statement.csv")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	for _, path := range []string{fifo, dir, "/dev/null"} {
		done := make(chan struct{})
		var errs string
		var code int
		go func() {
			_, errs, code = dk(t, home, "attach", id, path)
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(time.Minute): // far longer than a refusal takes; a hang never returns
			t.Fatalf("attach %s hangs", path)
		}
		assert.Equal(t, 1, code, path)
		assert.Contains(t, errs, "not a file", path)
	}
	var d evidence.Dossier
	require.NoError(t, json.Unmarshal([]byte(mustDK(t, home, "case", "show", id, "--json")), &d))
	assert.Empty(t, d.Exhibits)
}

// U+202E and the other bidi controls are dropped from titles and from the
// names that become ZIP entries, where they would disguise an extension.
func TestBidiControlsAreDropped(t *testing.T) {
	home := t.TempDir()
	id := newCase(t, home, "--title", "发票\u202Efdp.exe")
	dir := t.TempDir()
	name := filepath.Join(dir, "invoice\u202Egpj.exe")
	require.NoError(t, os.WriteFile(name, []byte("MZ not really"), 0o644))
	mustDK(t, home, "attach", id, name, "--title", "收据\u2067x\u2069")
	var d evidence.Dossier
	require.NoError(t, json.Unmarshal([]byte(mustDK(t, home, "case", "show", id, "--json")), &d))
	assert.Equal(t, "发票fdp.exe", d.Case.Title)
	require.Len(t, d.Exhibits, 1)
	assert.Equal(t, "invoicegpj.exe", d.Exhibits[0].OriginalName)
	assert.Equal(t, "收据x", d.Exhibits[0].Title)

	out := filepath.Join(dir, "case.zip")
	mustDK(t, home, "bundle", "export", id, "-o", out)
	zr, err := zip.OpenReader(out)
	require.NoError(t, err)
	defer zr.Close()
	for _, f := range zr.File {
		for _, r := range f.Name {
			assert.False(t, r == '\u202E' || (r >= '\u2066' && r <= '\u2069') || (r >= '\u202A' && r <= '\u202D'), "entry %q", f.Name)
		}
	}
}
