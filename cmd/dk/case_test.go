package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/store"
)

// dk runs the CLI in-process against home and returns stdout, stderr and the exit code.
func dk(t *testing.T, home string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"--home", home}, args...), strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

// mustDK runs dk and fails the test unless it exits 0.
func mustDK(t *testing.T, home string, args ...string) string {
	t.Helper()
	out, errs, code := dk(t, home, args...)
	require.Equal(t, 0, code, "dk %v: %s", args, errs)
	return out
}

func newCase(t *testing.T, home string, args ...string) string {
	t.Helper()
	out := mustDK(t, home, append([]string{"case", "new"}, args...)...)
	id := strings.TrimSpace(out)
	_, err := strconv.ParseInt(id, 10, 64)
	require.NoError(t, err, "case new must print the ID alone, got %q", out)
	return id
}

func TestCaseLifecycle(t *testing.T) {
	home := t.TempDir()
	facts := filepath.Join(t.TempDir(), "facts.txt")
	require.NoError(t, os.WriteFile(facts, []byte("11月3日在某某餐厅消费128元，POS机实际扣款1280元。卡号4111111111111111。"), 0o600))
	id := newCase(t, home, "--title", "餐厅多扣款", "--scenario", "wrong-amount",
		"--complainant", "张三", "--phone", "13800000000", "--id-number", "110101199001011234",
		"--address", "北京市东城区某街1号", "--respondent", "某某餐饮有限公司", "--respondent-address", "北京市西城区某路2号",
		"--facts", "@"+facts, "--claim", "退还多扣款项=1152.00", "--claim", "书面答复")

	var d evidence.Dossier
	require.NoError(t, json.Unmarshal([]byte(mustDK(t, home, "case", "show", id, "--json")), &d))
	assert.Equal(t, "餐厅多扣款", d.Case.Title)
	assert.Equal(t, evidence.WrongAmount, d.Case.Scenario)
	assert.Equal(t, "张三", d.Case.Complainant.Name)
	require.Len(t, d.Case.Claims, 2)
	assert.Equal(t, evidence.Money(115200), d.Case.Claims[0].Amount)
	assert.Equal(t, "书面答复", d.Case.Claims[1].Text)
	assert.Contains(t, d.Case.Facts, "**** **** **** 1111")
	assert.NotContains(t, d.Case.Facts, "4111111111111111")

	mustDK(t, home, "case", "set", id, "--status", "open", "--terminal-no", "12345678", "--institution", "某某银行", "--institution-address", "北京市金融街1号")
	require.NoError(t, json.Unmarshal([]byte(mustDK(t, home, "case", "show", id, "--json")), &d))
	assert.Equal(t, "某某银行", d.Case.Institution.Name)
	assert.Equal(t, "北京市金融街1号", d.Case.Institution.Address)
	assert.Equal(t, "某某餐饮有限公司", d.Case.Respondent.Name, "fields not given stay as they were")
	var rows []map[string]any
	require.NoError(t, json.Unmarshal([]byte(mustDK(t, home, "case", "list", "--json")), &rows))
	require.Len(t, rows, 1)
	assert.Equal(t, "open", rows[0]["status"])
	assert.EqualValues(t, 115200, rows[0]["disputed_fen"])

	// A transaction with a short RRN is kept with a warning; a full card number keeps only the last 4.
	out, errs, code := dk(t, home, "txn", "add", id, "--time", "2026-11-03 19:42:00", "--amount", "1,280.00",
		"--merchant", "某某餐厅", "--rrn", "12345", "--card-last4", "4111 1111 1111 1111", "--disputed")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, errs, "rrn")
	require.NotEmpty(t, strings.TrimSpace(out))
	var ts []evidence.Transaction
	require.NoError(t, json.Unmarshal([]byte(mustDK(t, home, "txn", "list", id, "--json")), &ts))
	require.Len(t, ts, 1)
	assert.Equal(t, evidence.Money(128000), ts[0].Amount)
	assert.Equal(t, "1111", ts[0].CardLast4)
	assert.True(t, ts[0].Disputed)
	assert.Equal(t, "+08:00", ts[0].Time.Format("-07:00"))

	// A negative amount is refused and nothing is added.
	_, errs, code = dk(t, home, "txn", "add", id, "--time", "2026-11-03 19:42:00", "--amount", "-5")
	assert.NotEqual(t, 0, code)
	assert.Contains(t, errs, "negative")
	// A malformed amount is a usage error.
	_, _, code = dk(t, home, "txn", "add", id, "--time", "2026-11-03", "--amount", "12.345")
	assert.Equal(t, 2, code)

	// Attaching the same file twice stores it once.
	slip := filepath.Join(t.TempDir(), "slip.jpg")
	require.NoError(t, os.WriteFile(slip, []byte("\xff\xd8\xff\xe0 not really a jpeg"), 0o600))
	first := strings.TrimSpace(mustDK(t, home, "attach", id, slip, "--kind", "slip", "--purpose", "证明实际扣款金额"))
	out, errs, code = dk(t, home, "attach", id, slip)
	require.Equal(t, 0, code, errs)
	assert.Equal(t, first, strings.TrimSpace(out))
	assert.Contains(t, errs, "already attached")

	mustDK(t, home, "call", "add", id, "--time", "2026-11-04 10:15", "--duration", "5:30", "--org", "某某银行", "--ticket", "GD1")
	mustDK(t, home, "event", "add", id, "--kind", "complaint", "--time", "2026-11-04", "--due", "2026-11-19")
	require.NoError(t, json.Unmarshal([]byte(mustDK(t, home, "case", "show", id, "--json")), &d))
	require.Len(t, d.Exhibits, 1)
	assert.Equal(t, evidence.KindSlip, d.Exhibits[0].Kind)
	require.Len(t, d.Calls, 1)
	assert.Equal(t, 330, int(d.Calls[0].Duration.Seconds()))
	require.Len(t, d.Events, 1)

	audit := mustDK(t, home, "case", "audit", id)
	for _, action := range []string{"case", "txn", "exhibit", "call", "event"} {
		assert.Contains(t, audit, action)
	}
	mustDK(t, home, "case", "delete", id)
	_, errs, code = dk(t, home, "case", "show", id)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "not found")
}

func TestUsageErrors(t *testing.T) {
	home := t.TempDir()
	for _, args := range [][]string{
		{"case", "new"},
		{"case", "show", "abc"},
		{"case", "new", "--title", "x", "--bogus"},
		{"nosuch"},
		{"txn", "add", "1", "--amount", "5"},
	} {
		_, errs, code := dk(t, home, args...)
		assert.Equal(t, 2, code, "%v", args)
		assert.NotEmpty(t, errs, "%v", args)
	}
	_, errs, code := dk(t, home, "case", "new", "--title", "x", "--scenario", "bogus")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "scenario")
}

func TestHomeFromEnvironment(t *testing.T) {
	home := t.TempDir()
	t.Setenv("DISPUTEKIT_HOME", home)
	var out, errb bytes.Buffer
	require.Equal(t, 0, run([]string{"case", "new", "--title", "env home"}, strings.NewReader(""), &out, &errb), errb.String())
	assert.FileExists(t, filepath.Join(home, "disputekit.db"))
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]int{"330": 330, "5:30": 330, "1:00:05": 3605, "5m30s": 330} {
		d, err := parseDuration(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, int(d.Seconds()), in)
	}
	_, err := parseDuration("five")
	assert.Error(t, err)
	for _, in := range []string{"99999999999", "25h", "24:00:01", "100000:00"} {
		_, err := parseDuration(in)
		var fe *evidence.FieldError
		if !assert.ErrorAs(t, err, &fe, in) {
			continue
		}
		assert.Equal(t, evidence.ReasonTooLarge, fe.Reason, in)
	}
	d, err := parseDuration("24:00:00")
	require.NoError(t, err)
	assert.Equal(t, 24*time.Hour, d)
}

func TestAttachMakesPreviewsOnce(t *testing.T) {
	home := t.TempDir()
	id := newCase(t, home, "--title", "照片")
	dir := t.TempDir()
	img := image.NewRGBA(image.Rect(0, 0, 1200, 900))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, img, nil))
	photo := filepath.Join(dir, "photo.jpg")
	require.NoError(t, os.WriteFile(photo, buf.Bytes(), 0o600))
	// A PNG header declaring 60000×60000: stored, never decoded, no preview.
	bomb := filepath.Join(dir, "bomb.png")
	hdr := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\xea\x60\x00\x00\xea\x60\x08\x02\x00\x00\x00")
	require.NoError(t, os.WriteFile(bomb, append(hdr, 0, 0, 0, 0), 0o600))

	out, errs, code := dk(t, home, "attach", id, photo, bomb, "--kind", "photo")
	require.Equal(t, 0, code, errs)
	assert.Len(t, strings.Fields(out), 2)
	assert.Contains(t, errs, "bomb.png is stored, but no preview")

	st, err := store.Open(home)
	require.NoError(t, err)
	defer st.Close()
	cid, _ := strconv.ParseInt(id, 10, 64)
	exs, err := st.ListExhibits(context.Background(), cid)
	require.NoError(t, err)
	require.Len(t, exs, 2)
	for _, kind := range []string{"thumb", "print"} {
		sha, err := st.Derived(context.Background(), exs[0].SHA256, kind)
		require.NoError(t, err, kind)
		if kind == "thumb" {
			assert.NotEqual(t, exs[0].SHA256, sha) // the print copy of a photo that already fits is the photo itself
		}
		_, err = st.Derived(context.Background(), exs[1].SHA256, kind)
		assert.ErrorIs(t, err, evidence.ErrNotFound, "no %s for the oversized image", kind)
	}
}
