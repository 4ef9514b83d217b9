//go:build unix

package store

import (
	"bufio"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

// TestHelperProcess is not a test: the tests below run the test binary
// again with DK_STORE_HELPER set, to hold a home open in another process.
func TestHelperProcess(t *testing.T) {
	home := os.Getenv("DK_STORE_HELPER_HOME")
	if home == "" {
		t.Skip("helper process only")
	}
	s, err := Open(home)
	if err != nil {
		os.Stdout.WriteString("error " + err.Error() + "\n")
		os.Exit(3)
	}
	switch os.Getenv("DK_STORE_HELPER") {
	case "hold":
		os.Stdout.WriteString("open\n")
		time.Sleep(time.Minute)
	case "write":
		// Add batches until killed: each batch is one transaction.
		c := evidence.Case{Title: "crash"}
		if _, err := s.CreateCase(ctx, &c); err != nil {
			os.Exit(4)
		}
		for n := 0; ; n++ {
			if n == 1 {
				os.Stdout.WriteString("open\n") // one batch is in
			}
			if n >= 1 {
				os.Stdout.WriteString("batch\n") // n batches acknowledged
			}
			ts := make([]evidence.Transaction, 1000)
			for i := range ts {
				ts[i] = txn(0, n*1000+i)
			}
			if _, _, err := s.AddTransactions(ctx, c.ID, ts); err != nil {
				os.Exit(5)
			}
			if _, err := s.Attach(ctx, c.ID, strings.NewReader(strings.Repeat("x", n+1)), evidence.Exhibit{}); err != nil {
				os.Exit(6)
			}
		}
	}
	os.Exit(0)
}

func startHelper(t *testing.T, mode, home string) *exec.Cmd {
	t.Helper()
	cmd, _ := startHelperLines(t, mode, home)
	return cmd
}

// startHelperLines starts the helper, waits for its "open" line and
// returns it with a reader of its further lines.
func startHelperLines(t *testing.T, mode, home string) (*exec.Cmd, *bufio.Reader) {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "DK_STORE_HELPER="+mode, "DK_STORE_HELPER_HOME="+home)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	r := bufio.NewReader(out)
	line, err := r.ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "open\n", line)
	return cmd, r
}

func TestLockAcrossProcessesAndSIGKILL(t *testing.T) {
	home := t.TempDir()
	cmd := startHelper(t, "hold", home)
	_, err := Open(home)
	require.ErrorIs(t, err, ErrLocked)

	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	cmd.Wait()
	s, err := Open(home)
	require.NoError(t, err, "a killed process leaves no stale lock")
	require.NoError(t, s.Close())
}

func TestKilledWriterLeavesConsistentStore(t *testing.T) {
	home := t.TempDir()
	cmd, lines := startHelperLines(t, "write", home)
	// Kill after a random number of acknowledged batches (counted, not
	// timed), so a slow machine tests the same thing as a fast one: the
	// next batch is under way when the signal comes.
	for range 1 + rand.IntN(4) {
		line, err := lines.ReadString('\n')
		require.NoError(t, err)
		require.Equal(t, "batch\n", line)
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	cmd.Wait()

	s, err := Open(home)
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.IntegrityCheck(ctx))
	list, err := s.ListCases(ctx)
	require.NoError(t, err)
	require.Len(t, list, 1)
	t.Logf("%d transactions survived the kill", list[0].Transactions)
	assert.GreaterOrEqual(t, list[0].Transactions, 1000, "the acknowledged batch survived")
	assert.Zero(t, list[0].Transactions%1000, "batches are all or nothing: %d rows", list[0].Transactions)
	batches := list[0].Transactions / 1000
	assert.Contains(t, []int{batches, batches - 1}, list[0].Exhibits, "an attach follows each batch")
	assert.Empty(t, tempFiles(t, s))
}
