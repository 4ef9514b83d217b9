package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/assets"
)

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}, {"-V"}} {
		var out, errb bytes.Buffer
		require.Equal(t, 0, run(args, strings.NewReader(""), &out, &errb), "dk %v: %s", args, errb.String())
		assert.True(t, strings.HasPrefix(out.String(), "dk (DisputeKit) "+assets.Version()), "dk %v printed %q", args, out.String())
	}
}

// TestCompletionScriptsParse loads every script into its shell's syntax
// check when that shell is installed (bash always is on Debian; zsh and fish
// are checked where present). PowerShell has no checker here.
func TestCompletionScriptsParse(t *testing.T) {
	checks := map[string][]string{"bash": {"bash", "-n"}, "zsh": {"zsh", "-n"}, "fish": {"fish", "--no-execute"}}
	for shell, check := range checks {
		t.Run(shell, func(t *testing.T) {
			out := mustDK(t, t.TempDir(), "completion", shell)
			assert.Contains(t, out, "bundle")
			assert.Contains(t, out, "passphrase-file", "flags come from the commands themselves")
			if _, err := exec.LookPath(check[0]); err != nil {
				t.Skipf("%s is not installed: syntax not checked", check[0])
			}
			script := filepath.Join(t.TempDir(), "dk."+shell)
			require.NoError(t, os.WriteFile(script, []byte(out), 0o644))
			msg, err := exec.Command(check[0], append(check[1:], script)...).CombinedOutput()
			require.NoError(t, err, "%s rejects the script: %s", shell, msg)
		})
	}
	ps := mustDK(t, t.TempDir(), "completion", "powershell")
	assert.Contains(t, ps, "Register-ArgumentCompleter -Native -CommandName 'dk', 'dk.exe'")
	_, errs, code := dk(t, t.TempDir(), "completion", "tcsh")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "tcsh")
}

// TestBashCompletionCompletes drives the bash function the way bash does
// on Tab: command words, sub-commands, then the command's flags.
func TestBashCompletionCompletes(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	script := filepath.Join(t.TempDir(), "dk.bash")
	require.NoError(t, os.WriteFile(script, []byte(mustDK(t, t.TempDir(), "completion", "bash")), 0o644))
	complete := func(line string) []string {
		words := strings.Fields(line)
		if strings.HasSuffix(line, " ") {
			words = append(words, "")
		}
		prog := `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _dk; printf '%s\n' "${COMPREPLY[@]}"`
		out, err := exec.Command("bash", append([]string{"-c", prog, "bash", script}, words...)...).CombinedOutput()
		require.NoError(t, err, "%s", out)
		return strings.Fields(string(out))
	}
	assert.Equal(t, []string{"case", "casefile"}, complete("dk cas"))
	assert.Contains(t, complete("dk --home /tmp/x bun"), "bundle")
	assert.Equal(t, []string{"export", "import", "verify"}, complete("dk bundle "))
	assert.Equal(t, []string{"--passphrase-file"}, complete("dk bundle import --pa"))
	assert.Contains(t, complete("dk case new --"), "--title")
}

// stderrThatCancels pretends to be a terminal's stderr and presses Ctrl+C
// (cancels) the moment a progress bar first draws on it: that is, in the
// middle of the work.
type stderrThatCancels struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	cancel context.CancelFunc
}

func (s *stderrThatCancels) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cancel()
	return s.buf.Write(b)
}

func pretendTerminal(t *testing.T, stderr io.Writer) {
	old, oldThrottle := isTerminal, progressThrottle
	isTerminal = func(w io.Writer) bool { return w == stderr }
	progressThrottle = 0 // draw on every step: the work here is quicker than the real throttle
	t.Cleanup(func() { isTerminal, progressThrottle = old, oldThrottle })
}

func TestProgressOnlyOnATerminal(t *testing.T) {
	home := t.TempDir()
	id := bundleCase(t, home)
	big := filepath.Join(t.TempDir(), "statement.bin")
	blob := make([]byte, 1<<20) // 1 MiB that does not compress: many steps of the bar
	rand.Read(blob)
	require.NoError(t, os.WriteFile(big, blob, 0o644))
	mustDK(t, home, "attach", id, big)
	zip := filepath.Join(t.TempDir(), "case.zip")

	// Not a terminal (a pipe, a file, a test buffer): not one byte of bar.
	_, errs, code := dk(t, home, "bundle", "export", id, "-o", zip)
	require.Equal(t, 0, code, errs)
	assert.Empty(t, errs, "no progress on a stderr that is not a terminal")

	// A terminal: the bar draws while the work runs.
	var term bytes.Buffer
	pretendTerminal(t, &term)
	require.Equal(t, 0, run([]string{"--home", home, "bundle", "verify", zip}, strings.NewReader(""), io.Discard, &term))
	assert.Contains(t, term.String(), "verify", "the bar names the work")
	assert.Contains(t, term.String(), "\r", "the bar redraws in place")

	// --json: silent even on a terminal, so scripts that capture both streams get clean output.
	term.Reset()
	require.Equal(t, 0, run([]string{"--home", home, "bundle", "verify", "--json", zip}, strings.NewReader(""), io.Discard, &term))
	assert.Empty(t, term.String())
}

// TestCtrlCLeavesNothingHalfWritten cancels export, backup and the case
// file in the middle (when their bar first draws) and checks that the
// command fails, that no output file and no temporary file is left, and
// that the case is unchanged.
func TestCtrlCLeavesNothingHalfWritten(t *testing.T) {
	home := t.TempDir()
	id := bundleCase(t, home)
	before := mustDK(t, home, "case", "show", id, "--json")
	for _, args := range [][]string{
		{"bundle", "export", id, "-o", "case.zip"},
		{"backup", "-o", "backup.zip"},
		{"casefile", id, "-o", "case.pdf"},
	} {
		t.Run(args[0], func(t *testing.T) {
			dir := t.TempDir()
			for i, a := range args {
				if strings.Contains(a, ".") {
					args[i] = filepath.Join(dir, a)
				}
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			stderr := &stderrThatCancels{cancel: cancel}
			pretendTerminal(t, stderr)
			var out bytes.Buffer
			code := runContext(ctx, append([]string{"--home", home}, args...), strings.NewReader(""), &out, stderr)
			require.NotEqual(t, 0, code, "a cancelled %s must not report success: %s", args[0], out.String())
			require.Error(t, ctx.Err(), "the bar drew, so the work was under way when it was cancelled")
			left, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Empty(t, left, "nothing half-written (no output, no temporary file)")
		})
	}
	assert.Equal(t, before, mustDK(t, home, "case", "show", id, "--json"), "the case is as it was")
	vaultTemps, _ := filepath.Glob(filepath.Join(home, "vault", "*", "*.tmp*"))
	assert.Empty(t, vaultTemps, "no temporary file in the vault")
}

// TestAttachProgressCountsFilesAndPreviews attaches pictures with the bar
// drawn: the previews are made on the intake's workers while the bar is
// moved from there and from the loop (run with -race).
func TestAttachProgressCountsFilesAndPreviews(t *testing.T) {
	home := t.TempDir()
	id := newCase(t, home, "--title", "三张照片", "--scenario", "wrong-amount", "--complainant", "张三", "--respondent", "某店")
	dir := t.TempDir()
	var files []string
	for i := range 3 {
		img := image.NewRGBA(image.Rect(0, 0, 64+i, 48))
		for x := range 64 + i {
			img.Set(x, x%48, color.RGBA{R: uint8(40 * i), G: 200, B: 90, A: 255})
		}
		p := filepath.Join(dir, fmt.Sprintf("照片 %d.png", i))
		f, err := os.Create(p)
		require.NoError(t, err)
		require.NoError(t, png.Encode(f, img))
		require.NoError(t, f.Close())
		files = append(files, p)
	}
	var term bytes.Buffer
	pretendTerminal(t, &term)
	var out bytes.Buffer
	code := run(append([]string{"--home", home, "attach", id}, files...), strings.NewReader(""), &out, &term)
	require.Equal(t, 0, code, term.String())
	assert.Len(t, strings.Fields(out.String()), 3, "one exhibit ID per file on stdout, untouched by the bar")
	assert.Contains(t, term.String(), "attach")
	assert.Contains(t, term.String(), "(5/6)", "the total counts three files stored and three pictures' previews made")
}

// TestImportProgressAndCtrlC: a 10,000-row statement draws the row counter
// on a terminal, stays silent with --json, and a Ctrl+C pressed when the
// counter first draws stores none of its rows.
func TestImportProgressAndCtrlC(t *testing.T) {
	home := t.TempDir()
	id := newCase(t, home, "--title", "对账单", "--scenario", "duplicate-charge")
	var b strings.Builder
	b.WriteString("支付宝交易记录明细\n------------------------支付宝（中国）网络技术有限公司  电子客户回单------------------------\n" +
		"交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,交易订单号,商家订单号,备注,\n")
	for i := range 10_000 {
		fmt.Fprintf(&b, "2024-03-01 10:%02d:%02d,餐饮美食,某某餐厅,x@y.com,午餐,支出,%d.00,余额,交易成功,20240301%08d\t,T%d\t,,\n", i/60%60, i%60, 10+i%90, i, i)
	}
	statement := filepath.Join(t.TempDir(), "alipay.csv")
	require.NoError(t, os.WriteFile(statement, []byte(b.String()), 0o600))
	rows := func() int {
		out := mustDK(t, home, "txn", "list", id, "--json")
		return strings.Count(out, `"amount"`)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := &stderrThatCancels{cancel: cancel}
	pretendTerminal(t, stderr)
	code := runContext(ctx, []string{"--home", home, "import", id, statement}, strings.NewReader(""), io.Discard, stderr)
	assert.NotEqual(t, 0, code, "a cancelled import does not report success")
	assert.Contains(t, stderr.buf.String(), "import alipay.csv")
	assert.Zero(t, rows(), "Ctrl+C during the import keeps none of its rows")

	var term bytes.Buffer
	pretendTerminal(t, &term)
	require.Equal(t, 0, run([]string{"--home", home, "import", "--json", id, statement}, strings.NewReader(""), io.Discard, &term))
	assert.Empty(t, term.String(), "--json: no bar")
	assert.Equal(t, 10_000, rows())
}
