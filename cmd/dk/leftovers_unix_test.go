//go:build unix

package main

import (
	"encoding/json"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

// Attaching a FIFO, a device or a folder is refused at once: opening a
// FIFO would wait for a writer for ever.
func TestAttachRefusesWhatIsNotAFile(t *testing.T) {
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
