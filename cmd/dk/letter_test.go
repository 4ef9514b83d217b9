package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/disputekit/disputekit/evidence/sample"
	"github.com/disputekit/disputekit/templates"
)

// squeeze drops every space and line break, so text wrapped by a PDF
// compares with the text it came from.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// longDigits finds card-like numbers in extracted PDF text: 13–19 digits in
// a row, or written in groups of four. (Looser patterns match table cells
// that pdftotext joins with a space, a file size next to a date say.)
var longDigits = regexp.MustCompile(`\d{13,19}|\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?`)

func luhn(d string) bool {
	sum, double := 0, false
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if double {
			if v *= 2; v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

func TestDemoWritesEveryLetterAndCaseFile(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 26 documents")
	}
	home, out := t.TempDir(), filepath.Join(t.TempDir(), "out")
	var stdout, stderr strings.Builder
	code := run([]string{"--home", home, "demo", "-o", out, "--date", "2026-11-24"}, strings.NewReader(""), &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())

	var want []string
	for _, r := range templates.Recipients {
		for _, l := range []string{"zh", "en"} {
			for _, f := range []string{"pdf", "xlsx"} {
				want = append(want, string(r)+"-"+l+"."+f)
			}
		}
	}
	want = append(want, "casefile-zh.pdf", "casefile-en.pdf")
	require.Len(t, want, 26)
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	assert.ElementsMatch(t, want, got, "exactly the letters and case files, no temporary files left")
	for _, name := range want {
		fi, err := os.Stat(filepath.Join(out, name))
		require.NoError(t, err, name)
		assert.Greater(t, fi.Size(), int64(1000), name)
		assert.Contains(t, stdout.String(), filepath.Join(out, name))
	}
	// The regulator letter has no domicile for the bank: the user is told.
	assert.Contains(t, stderr.String(), "warning: regulator-zh: ")

	facts := squeeze(sample.Facts)
	allowed := map[string]bool{"110105199003071235": true, "898310058120345": true} // the complainant's ID (bank/regulator letters) and the merchant number
	if _, err := exec.LookPath("pdftotext"); err == nil {
		for _, name := range want {
			if !strings.HasSuffix(name, ".pdf") {
				continue
			}
			b, err := exec.Command("pdftotext", "-enc", "UTF-8", filepath.Join(out, name), "-").Output()
			require.NoError(t, err, name)
			text := squeeze(string(b))
			assert.Contains(t, text, facts, "%s holds every character of the facts", name)
			assert.Contains(t, text, "532218004517", name)
			for _, run := range longDigits.FindAllString(string(b), -1) {
				digits := strings.NewReplacer(" ", "", "-", "").Replace(run)
				if !allowed[digits] {
					assert.False(t, luhn(digits), "%s: card-like number %q", name, run)
				}
			}
		}
	} else {
		t.Log("pdftotext not on PATH: PDF text not checked")
	}

	for _, name := range want {
		if !strings.HasSuffix(name, ".xlsx") {
			continue
		}
		f, err := excelize.OpenFile(filepath.Join(out, name))
		require.NoError(t, err, name)
		var all strings.Builder
		for _, sh := range f.GetSheetList() {
			rows, err := f.GetRows(sh)
			require.NoError(t, err)
			for _, row := range rows {
				all.WriteString(strings.Join(row, "\t") + "\n")
			}
		}
		require.NoError(t, f.Close())
		assert.Contains(t, squeeze(all.String()), facts, name)
		assert.Contains(t, all.String(), "532218004517", name)
	}

	// Running the demo again reuses the sample case.
	mustDK(t, home, "demo", "-o", out)
	listing := mustDK(t, home, "case", "list")
	assert.Equal(t, 1, strings.Count(listing, sample.Title), listing)
}

func TestLetterCommand(t *testing.T) {
	home := t.TempDir()
	dir := t.TempDir()
	// Install the sample through the store the CLI uses.
	st, err := (&cli{home: home}).openStore()
	require.NoError(t, err)
	id, err := sample.Install(t.Context(), st)
	require.NoError(t, err)
	require.NoError(t, st.Close())
	ids := "1"
	require.Equal(t, int64(1), id)

	t.Run("json to stdout", func(t *testing.T) {
		out, errs, code := dk(t, home, "letter", ids, "--to", "regulator", "--lang", "en", "--date", "2026-11-24")
		require.Equal(t, 0, code, errs)
		var l templates.Letter
		require.NoError(t, json.Unmarshal([]byte(out), &l))
		assert.Equal(t, templates.ToRegulator, l.Recipient)
		assert.Equal(t, "Complaint about a wrong POS charge", l.Title)
		assert.NotEmpty(t, l.Evidence)
		assert.Contains(t, errs, "warning: ", "missing institution domicile is reported")
	})
	t.Run("pdf by extension", func(t *testing.T) {
		path := filepath.Join(dir, "bank.pdf")
		out := mustDK(t, home, "letter", ids, "--to", "bank", "-o", path)
		assert.Equal(t, path+"\n", out)
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(string(b), "%PDF-"))
	})
	t.Run("xlsx", func(t *testing.T) {
		path := filepath.Join(dir, "merchant.out")
		mustDK(t, home, "letter", ids, "--to", "merchant", "--format", "xlsx", "-o", path)
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(string(b), "PK"))
	})
	t.Run("casefile", func(t *testing.T) {
		path := filepath.Join(dir, "case.pdf")
		mustDK(t, home, "casefile", ids, "--lang", "en", "-o", path)
		fi, err := os.Stat(path)
		require.NoError(t, err)
		assert.Greater(t, fi.Size(), int64(1000))
	})
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no recipient", []string{"letter", ids, "-o", filepath.Join(dir, "x.pdf")}, 2, "--to is required"},
		{"bad recipient", []string{"letter", ids, "--to", "police", "-o", filepath.Join(dir, "x.pdf")}, 2, "not one of merchant"},
		{"bad language", []string{"letter", ids, "--to", "bank", "--lang", "fr", "-o", filepath.Join(dir, "x.pdf")}, 2, "not zh or en"},
		{"bad format", []string{"letter", ids, "--to", "bank", "--format", "doc", "-o", filepath.Join(dir, "x.doc")}, 2, "not pdf, xlsx or json"},
		{"pdf needs a file", []string{"letter", ids, "--to", "bank", "--format", "pdf"}, 2, "-o FILE is required"},
		{"bad date", []string{"letter", ids, "--to", "bank", "--date", "24/11/2026", "-o", filepath.Join(dir, "x.pdf")}, 2, "not a date"},
		{"no case", []string{"letter", "99", "--to", "bank", "-o", filepath.Join(dir, "x.pdf")}, 1, "not found"},
		{"missing directory", []string{"letter", ids, "--to", "bank", "-o", filepath.Join(dir, "nope", "x.pdf")}, 1, "x.pdf or its folder was not found"},
		{"casefile needs a file", []string{"casefile", ids}, 2, "-o FILE is required"},
		{"demo needs a directory", []string{"demo"}, 2, "-o DIR is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs, code := dk(t, home, tc.args...)
			assert.Equal(t, tc.code, code, errs)
			assert.Contains(t, errs, tc.msg)
		})
	}
	_, err = os.Stat(filepath.Join(dir, "x.pdf"))
	assert.True(t, os.IsNotExist(err), "a refused export writes nothing")
}

func TestLetterCheckAndEditedRequests(t *testing.T) {
	home := t.TempDir()
	dk := func(args ...string) (string, string, int) {
		var stdout, stderr strings.Builder
		code := run(append([]string{"--home", home}, args...), strings.NewReader(""), &stdout, &stderr)
		return stdout.String(), stderr.String(), code
	}
	_, errOut, code := dk("demo", "-o", t.TempDir(), "--date", "2026-11-24")
	require.Equal(t, 0, code, errOut)

	out, errOut, code := dk("letter", "1", "--to", "regulator", "--lang", "en", "--check", "--date", "2026-11-24")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "- [warning]", "the pre-send check lists the composer's warnings too")
	assert.NotContains(t, out, "[self-harm]", "the sample's facts no longer admit skipping the amount")

	out, errOut, code = dk("letter", "1", "--to", "merchant", "--request", "退还多扣的款项=1152", "--request", "书面道歉", "--date", "2026-11-24")
	require.Equal(t, 0, code, errOut)
	var l templates.Letter
	require.NoError(t, json.Unmarshal([]byte(out), &l))
	require.Len(t, l.Requests, 2)
	assert.Equal(t, "书面道歉", l.Requests[1].Text)
	// Kept for the next letter to the merchant, not for the bank.
	out, _, _ = dk("letter", "1", "--to", "merchant", "--date", "2026-11-24")
	require.NoError(t, json.Unmarshal([]byte(out), &l))
	assert.Len(t, l.Requests, 2)
	out, _, _ = dk("letter", "1", "--to", "bank", "--date", "2026-11-24")
	require.NoError(t, json.Unmarshal([]byte(out), &l))
	assert.NotEqual(t, "书面道歉", l.Requests[len(l.Requests)-1].Text)
	out, _, _ = dk("letter", "1", "--to", "merchant", "--reset-requests", "--date", "2026-11-24")
	require.NoError(t, json.Unmarshal([]byte(out), &l))
	require.Len(t, l.Requests, 1)
	assert.Equal(t, l.Summary.Refund, l.Requests[0].Amount)

	_, errOut, code = dk("case", "set", "1", "--role", "merchant", "--scenario", "wrong-amount")
	require.Equal(t, 0, code, errOut)
	_, errOut, code = dk("letter", "1", "--to", "merchant")
	assert.NotEqual(t, 0, code, "a merchant writing to itself is refused")
	assert.Contains(t, errOut, "商户")
}
