package main

import (
	"archive/zip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

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

// Errors a user meets come out as sentences in their language: Chinese
// under a zh locale or --lang zh, English otherwise; --debug adds the cause.
func TestErrorsInTheUsersLanguage(t *testing.T) {
	home := t.TempDir()
	id := newCase(t, home, "--title", "t")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "zh_CN.UTF-8")
	add := []string{"txn", "add", id, "--time", "2026-11-03 12:00:00", "--amount"}
	_, errs, code := dk(t, home, append(add, "12,80")...)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "金额“12,80”里的逗号位置不对")
	_, errs, code = dk(t, home, append(add, "0")...)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "“金额”不能是 ¥0.00")
	_, errs, _ = dk(t, home, append(add, "1000000000.01")...)
	assert.Contains(t, errs, "超过了单笔金额上限 ¥1,000,000,000.00")
	_, errs, _ = dk(t, home, "case", "show", "99")
	assert.Contains(t, errs, "找不到这个案件")
	out, errs, _ := dk(t, home, "import", id, filepath.Join(t.TempDir(), "账单.csv"))
	assert.Contains(t, out, "文件“账单.csv”或它所在的文件夹不存在")
	assert.Contains(t, errs, "共 1 个文件，其中 1 个没有保存")
	_, errs, code = dk(t, home, "case", "new", "--title", "x", "--claim", "退款=12,80")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "逗号位置不对", "a mistyped claim amount is not kept as text")

	_, errs, _ = dk(t, home, append([]string{"--lang", "en", "--debug"}, append(add, "12,80")...)...)
	assert.Contains(t, errs, "has a comma in the wrong place")
	assert.Contains(t, errs, "cause: --amount: amount \"12,80\"")
	t.Setenv("LANG", "en_GB.UTF-8")
	_, errs, _ = dk(t, home, "call", "add", id, "--time", "2026-11-04 10:15", "--duration", "99999999999")
	assert.Contains(t, errs, "The call duration is over the limit")
}
