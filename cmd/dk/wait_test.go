package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/store"
)

// Twenty scripts adding transactions to one home at once: with --wait each
// takes its turn and every one of the 200 lands; without it, a writer that
// finds the home open fails at once and says so.
func TestParallelWritersWait(t *testing.T) {
	home := t.TempDir()
	id := newCase(t, home, "--title", "并发")
	const writers, each = 20, 10
	var wg sync.WaitGroup
	failures := make(chan string, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				var out, errb strings.Builder
				// A deadline far beyond what 200 small writes take, so only a
				// writer that never gets its turn fails.
				code := run([]string{"--home", home, "--wait", "10m", "txn", "add", id, "--time", "2026-11-03 12:00:00",
					"--amount", fmt.Sprintf("%d.%02d", w+1, i), "--merchant", fmt.Sprintf("w%d-%d", w, i)}, strings.NewReader(""), &out, &errb)
				if code != 0 {
					failures <- errb.String()
				}
			}
		}()
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	var d evidence.Dossier
	require.NoError(t, json.Unmarshal([]byte(mustDK(t, home, "case", "show", id, "--json")), &d))
	assert.Len(t, d.Transactions, writers*each)

	st, err := store.Open(home) // held open: the next dk without --wait fails at once
	require.NoError(t, err)
	_, errs, code := dk(t, home, "case", "list")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "open in another window or program")
	_, errs, code = dk(t, home, "--debug", "--wait", "50ms", "case", "list")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "waited 50ms")
	require.NoError(t, st.Close())
	mustDK(t, home, "--wait", "1s", "case", "list")

	_, errs, code = dk(t, home, "--wait", "soon", "case", "list")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "not a duration")
}
