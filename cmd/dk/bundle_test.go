package main

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence/bundle"
)

func init() { bundle.ScryptWorkFactor = 10 } // fast tests; real exports use age's default

// bundleCase makes a case with two attachments and a transaction.
func bundleCase(t *testing.T, home string) string {
	t.Helper()
	id := newCase(t, home, "--title", "重复扣款", "--scenario", "duplicate-charge", "--complainant", "李四",
		"--respondent", "某某超市", "--facts", "同一笔消费被扣两次。", "--claim", "退还重复扣款=88.00")
	dir := t.TempDir()
	photo := filepath.Join(dir, "签购单.jpg")
	blob := make([]byte, 50_000)
	rand.Read(blob)
	copy(blob, []byte{0xff, 0xd8, 0xff, 0xe0})
	require.NoError(t, os.WriteFile(photo, blob, 0o644))
	note := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(note, []byte(strings.Repeat("商户承认重复扣款。\n", 50)), 0o644))
	mustDK(t, home, "attach", id, photo, note, "--kind", "slip")
	mustDK(t, home, "txn", "add", id, "--time", "2026-03-01 12:00:00", "--amount", "88.00", "--merchant", "某某超市")
	return id
}

func TestBundleExportVerifyImport(t *testing.T) {
	home, other := t.TempDir(), t.TempDir()
	id := bundleCase(t, home)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.zip"), filepath.Join(dir, "b.zip")
	out := mustDK(t, home, "bundle", "export", id, "-o", a)
	assert.Contains(t, out, "sha256")
	mustDK(t, home, "bundle", "export", id, "-o", b, "--letters")
	l1, err := os.ReadFile(b)
	require.NoError(t, err)
	mustDK(t, home, "bundle", "export", id, "-o", b, "--letters")
	l2, err := os.ReadFile(b)
	require.NoError(t, err)
	require.Equal(t, l1, l2, "letters are dated by the case, so bundles with letters are reproducible too")
	ab, err := os.ReadFile(a)
	require.NoError(t, err)
	mustDK(t, home, "bundle", "export", "-o", b, id)
	bb, err := os.ReadFile(b)
	require.NoError(t, err)
	require.Equal(t, ab, bb, "two exports of an unchanged case are byte-identical")

	out = mustDK(t, home, "bundle", "verify", a)
	assert.Contains(t, out, "matched    evidence/001-签购单.jpg")
	assert.Contains(t, out, "ok: all 3 files match")
	var rep bundle.Report
	require.NoError(t, json.Unmarshal([]byte(mustDK(t, home, "bundle", "verify", "--json", a)), &rep))
	require.True(t, rep.OK())

	newID := strings.TrimSpace(mustDK(t, other, "bundle", "import", a))
	require.NotEmpty(t, newID)
	c := filepath.Join(dir, "c.zip")
	mustDK(t, other, "bundle", "export", newID, "-o", c)
	ra, err := bundle.VerifyFile(a, nil)
	require.NoError(t, err)
	rc, err := bundle.VerifyFile(c, nil)
	require.NoError(t, err)
	require.Equal(t, ra.Files[1:], rc.Files[1:], "evidence files survive export → import → export")

	// One changed byte in one file: verify names it and exits 1; import refuses.
	bad := filepath.Join(dir, "bad.zip")
	require.NoError(t, os.WriteFile(bad, flipInEntry(t, ab, "evidence/002-notes.txt"), 0o644))
	out, errs, code := dk(t, home, "bundle", "verify", bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "changed    evidence/002-notes.txt (its content is not what the manifest records: it was changed after export)\n")
	assert.NotContains(t, out, "cause", "the technical cause only under --debug")
	assert.Contains(t, errs, "This bundle is damaged")
	out, _, code = dk(t, home, "--lang", "zh", "bundle", "verify", bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "已改动 evidence/002-notes.txt（内容与清单记录的不一致：导出后被改动过）\n")
	assert.Contains(t, out, "一致　 evidence/001-签购单.jpg\n")
	out, _, _ = dk(t, home, "--lang", "en", "--debug", "bundle", "verify", bad)
	assert.Contains(t, out, "changed    evidence/002-notes.txt (its content is not what the manifest records: it was changed after export; cause: hash or size differs from the manifest)")
	_, errs, code = dk(t, other, "--debug", "bundle", "import", bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "nothing was imported")
	assert.Contains(t, errs, "evidence/002-notes.txt", "--debug shows which entry")

	// A hostile bundle is an error, not a report.
	slip := filepath.Join(dir, "slip.zip")
	require.NoError(t, os.WriteFile(slip, addZipEntry(t, ab, "../../evil.sh"), 0o644))
	_, errs, code = dk(t, home, "--debug", "bundle", "verify", slip)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "zip-slip")

	_, _, code = dk(t, home, "bundle", "export", "999", "-o", filepath.Join(dir, "none.zip"))
	assert.Equal(t, 1, code)
	_, err = os.Stat(filepath.Join(dir, "none.zip"))
	assert.True(t, os.IsNotExist(err))
}

func TestBundleLettersAndEncryption(t *testing.T) {
	home := t.TempDir()
	id := bundleCase(t, home)
	dir := t.TempDir()
	passFile := filepath.Join(dir, "pass")
	require.NoError(t, os.WriteFile(passFile, []byte("马上开门\n"), 0o600))
	enc := filepath.Join(dir, "case.zip.age")
	mustDK(t, home, "bundle", "export", id, "-o", enc, "--encrypt", "--letters", "--passphrase-file", passFile)
	head := make([]byte, 32)
	f, err := os.Open(enc)
	require.NoError(t, err)
	_, err = io.ReadFull(f, head)
	f.Close()
	require.NoError(t, err)
	require.True(t, bundle.IsEncrypted(head))

	t.Setenv("DISPUTEKIT_PASSPHRASE", "")
	_, errs, code := dk(t, home, "bundle", "verify", enc)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "passphrase")
	out := mustDK(t, home, "bundle", "verify", enc, "--passphrase-file", passFile)
	assert.Contains(t, out, "encrypted")
	assert.Contains(t, out, "matched    letters/merchant-zh.pdf")
	t.Setenv("DISPUTEKIT_PASSPHRASE", "马上开门")
	mustDK(t, t.TempDir(), "bundle", "import", enc)
	t.Setenv("DISPUTEKIT_PASSPHRASE", "wrong")
	_, errs, code = dk(t, t.TempDir(), "bundle", "import", enc)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "The passphrase is wrong or missing")
	_, errs, _ = dk(t, t.TempDir(), "--lang", "zh", "bundle", "import", enc)
	assert.Contains(t, errs, "密码不对")
}

func TestBackupRestoreCommands(t *testing.T) {
	home := t.TempDir()
	id := bundleCase(t, home)
	dir := t.TempDir()
	backup := filepath.Join(dir, "backup.zip")
	mustDK(t, home, "backup", "-o", backup)

	restored := filepath.Join(dir, "restored")
	out := mustDK(t, home, "restore", backup, "--home", restored)
	assert.Contains(t, out, "restored")
	var want, got any
	require.NoError(t, json.Unmarshal([]byte(mustDK(t, home, "case", "show", id, "--json")), &want))
	require.NoError(t, json.Unmarshal([]byte(mustDK(t, restored, "case", "show", id, "--json")), &got))
	assert.Equal(t, want, got)

	_, errs, code := dk(t, home, "restore", backup, "--home", restored)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "not empty")
	out = mustDK(t, home, "restore", backup, "--home", restored, "--force")
	assert.Contains(t, out, "kept as")
}

func flipInEntry(t *testing.T, data []byte, entry string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		if f.Name == entry {
			b[len(b)/2] ^= 1
		}
		fh := f.FileHeader
		w, err := zw.CreateHeader(&fh)
		require.NoError(t, err)
		w.Write(b)
	}
	require.NoError(t, zw.Close())
	return out.Bytes()
}

func addZipEntry(t *testing.T, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		require.NoError(t, zw.Copy(f))
	}
	w, err := zw.Create(name)
	require.NoError(t, err)
	w.Write([]byte("x"))
	require.NoError(t, zw.Close())
	return out.Bytes()
}

// TestAttachSaysTheLimit: a file over the attach limit (a sparse one) is
// refused at once with a message naming the limit, and attach's help says
// the limits too.
func TestAttachSaysTheLimit(t *testing.T) {
	home := t.TempDir()
	id := newCase(t, home, "--title", "大文件")
	path := filepath.Join(t.TempDir(), "录音.wav")
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(5<<30))
	require.NoError(t, f.Close())
	_, errs, code := dk(t, home, "--debug", "attach", id, path)
	assert.NotEqual(t, 0, code)
	assert.Contains(t, errs, "at most 4 GiB a file")
	assert.Contains(t, errs, "the file is 5 GiB; a case keeps files of at most 4 GiB each")
	out, _, _ := dk(t, home, "help")
	assert.Contains(t, out, "at most 4 GiB a file")
}

// A bundle whose manifest names another case than its case.json: verify's
// problem line is worded in the user's language, the technical text only
// under --debug.
func TestBundleVerifyInconsistencyWorded(t *testing.T) {
	home := t.TempDir()
	id := bundleCase(t, home)
	dir := t.TempDir()
	a := filepath.Join(dir, "a.zip")
	mustDK(t, home, "bundle", "export", id, "-o", a)
	ab, err := os.ReadFile(a)
	require.NoError(t, err)
	zr, err := zip.NewReader(bytes.NewReader(ab), int64(len(ab)))
	require.NoError(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		if f.Name == bundle.ManifestName {
			var m map[string]any
			require.NoError(t, json.Unmarshal(b, &m))
			m["case_id"] = 999
			b, err = json.Marshal(m)
			require.NoError(t, err)
		}
		fh := f.FileHeader
		w, err := zw.CreateHeader(&fh)
		require.NoError(t, err)
		_, err = w.Write(b)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	bad := filepath.Join(dir, "other-case.zip")
	require.NoError(t, os.WriteFile(bad, out.Bytes(), 0o644))

	stdout, _, code := dk(t, home, "--lang", "en", "bundle", "verify", bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, stdout, "problem    The manifest is for case 999 but the case data holds case "+id+": the two parts do not belong together")
	assert.NotContains(t, stdout, "case.json holds", "the technical text only under --debug")
	stdout, _, code = dk(t, home, "--lang", "zh", "bundle", "verify", bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, stdout, "问题　 清单登记的是案件 999，案件数据里却是案件 "+id+"：两部分不属于同一个案件")
	assert.NotContains(t, stdout, "case.json holds")
	stdout, _, _ = dk(t, home, "--lang", "zh", "--debug", "bundle", "verify", bad)
	assert.Contains(t, stdout, "技术原因：manifest is for case 999, case.json holds case "+id)
	var rep bundle.Report
	stdout, _, _ = dk(t, home, "bundle", "verify", "--json", bad)
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	require.Len(t, rep.Inconsistencies, 1)
	assert.Equal(t, bundle.OtherCase, rep.Inconsistencies[0].Kind)
}
