package crashtest

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/bundle"
	"github.com/disputekit/disputekit/evidence/crashtest/hostile"
	"github.com/disputekit/disputekit/evidence/store"
)

func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	return st
}

// fillStore creates a case with transactions, exhibits (one a statement
// with its rows), a call and an event, and returns its ID.
func fillStore(t testing.TB, st *store.Store) int64 {
	t.Helper()
	ctx := context.Background()
	v := bundle.MemVault{}
	d := sampleCase(t, v)
	c := d.Case
	_, err := st.CreateCase(ctx, &c)
	require.NoError(t, err)
	for _, e := range d.Exhibits {
		meta := e
		meta.ID, meta.SHA256, meta.Size = 0, "", 0
		if e.Kind == evidence.KindStatement {
			ts := []evidence.Transaction{{Time: c.Updated.Add(-time.Hour), Amount: 12800, Merchant: "某某饭店", Source: "alipay", DedupeKey: "alipay:1", SourceRow: 2}}
			_, _, _, err = st.ImportStatement(ctx, c.ID, bytes.NewReader(v[e.SHA256]), meta, ts)
		} else {
			_, err = st.Attach(ctx, c.ID, bytes.NewReader(v[e.SHA256]), meta)
		}
		require.NoError(t, err, e.OriginalName)
	}
	for _, tr := range d.Transactions {
		tr.ID, tr.CaseID = 0, c.ID
		_, err := st.AddTransaction(ctx, &tr)
		require.NoError(t, err)
	}
	for _, cl := range d.Calls {
		cl.ID, cl.CaseID = 0, c.ID
		require.NoError(t, st.AddCall(ctx, &cl))
	}
	for _, ev := range d.Events {
		ev.ID, ev.CaseID = 0, c.ID
		require.NoError(t, st.AddEvent(ctx, &ev))
	}
	return c.ID
}

// snapshot is what must not change when an import is refused: every
// case's dossier and every file under the home except the database files
// (whose bytes SQLite may rewrite on read).
func snapshot(t testing.TB, st *store.Store) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	cases, err := st.ListCases(ctx)
	require.NoError(t, err)
	for _, c := range cases {
		d, err := st.Dossier(ctx, c.ID)
		require.NoError(t, err)
		j, _ := json.Marshal(d)
		b.Write(j)
		b.WriteByte('\n')
	}
	require.NoError(t, filepath.WalkDir(st.Home(), func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(st.Home(), p)
		if strings.HasPrefix(rel, "disputekit.db") || rel == "lock" {
			return nil
		}
		info, err := de.Info()
		if err != nil {
			return err
		}
		b.WriteString(rel + " " + info.Mode().String())
		if !de.IsDir() {
			b.WriteString(" " + strconv.FormatInt(info.Size(), 10))
		}
		b.WriteByte('\n')
		return nil
	}))
	return b.String()
}

func exportBytes(t testing.TB, st *store.Store, id int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	_, err := bundle.Export(context.Background(), st, id, &buf, bundle.Options{})
	require.NoError(t, err)
	return buf.Bytes()
}

// evidenceFiles is the part of a manifest that must survive a round trip
// unchanged: the evidence files' paths, hashes, sizes and media types.
func evidenceFiles(m bundle.Manifest) []bundle.File {
	var fs []bundle.File
	for _, f := range m.Files {
		if f.Path != bundle.CaseName {
			fs = append(fs, f)
		}
	}
	return fs
}

func TestExportImportExportRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := openStore(t)
	id := fillStore(t, src)
	first := exportBytes(t, src, id)
	require.Equal(t, first, exportBytes(t, src, id), "an unchanged case exports byte-identically")

	dst := openStore(t)
	otherID := fillStore(t, dst) // the destination already has a case: it must be left alone
	before, err := dst.Dossier(ctx, otherID)
	require.NoError(t, err)
	newID, err := bundle.Import(ctx, dst, bytes.NewReader(first), int64(len(first)))
	require.NoError(t, err)
	require.NotEqual(t, otherID, newID)
	after, err := dst.Dossier(ctx, otherID)
	require.NoError(t, err)
	require.Equal(t, before, after)
	require.NoError(t, dst.IntegrityCheck(ctx))

	second := exportBytes(t, dst, newID)
	m1, m2 := mustManifest(t, first), mustManifest(t, second)
	require.Equal(t, evidenceFiles(m1), evidenceFiles(m2), "export → import → export keeps every evidence file")
	require.Len(t, evidenceFiles(m1), 5)

	d1, err := src.Dossier(ctx, id)
	require.NoError(t, err)
	d2, err := dst.Dossier(ctx, newID)
	require.NoError(t, err)
	assert.Equal(t, d1.Case.Title, d2.Case.Title)
	assert.Equal(t, d1.Case.Facts, d2.Case.Facts)
	assert.Equal(t, d1.Case.Claims, d2.Case.Claims)
	assert.Equal(t, d1.Case.Complainant, d2.Case.Complainant)
	require.Len(t, d2.Transactions, len(d1.Transactions))
	for i := range d1.Transactions {
		a, b := d1.Transactions[i], d2.Transactions[i]
		assert.Equal(t, a.Amount, b.Amount)
		assert.True(t, a.Time.Equal(b.Time))
		assert.Equal(t, a.DedupeKey, b.DedupeKey)
		assert.Equal(t, a.SourceExhibitID != 0, b.SourceExhibitID != 0, "statement link kept")
	}
	require.Len(t, d2.Exhibits, len(d1.Exhibits))
	for i := range d1.Exhibits {
		assert.Equal(t, d1.Exhibits[i].SHA256, d2.Exhibits[i].SHA256)
		assert.Equal(t, d1.Exhibits[i].OriginalName, d2.Exhibits[i].OriginalName)
	}
	assert.Len(t, d2.Calls, len(d1.Calls))
	assert.Len(t, d2.Events, len(d1.Events))
	assert.Greater(t, len(d2.Audit), len(d1.Audit), "the audit trail travels and records the import")
}

// TestRefusedImportsLeaveNoTrace: every hostile bundle and every bundle
// with one flipped byte in one file is refused; the store and the temp
// directory are exactly as before.
func TestRefusedImportsLeaveNoTrace(t *testing.T) {
	ctx := context.Background()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	src := openStore(t)
	good := exportBytes(t, src, fillStore(t, src))

	dst := openStore(t)
	fillStore(t, dst)
	before := snapshot(t, dst)

	type bad struct {
		name string
		data []byte
	}
	var bads []bad
	hs, err := hostile.Corpus(good)
	require.NoError(t, err)
	for _, h := range hs {
		bads = append(bads, bad{"hostile/" + h.Name, h.Data})
	}
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	require.NoError(t, err)
	for _, f := range zr.File {
		if f.UncompressedSize64 == 0 {
			continue
		}
		bads = append(bads, bad{"flipped/" + f.Name, hostile.Rezip(good, func(name string, b []byte) []byte {
			if name == f.Name {
				b = bytes.Clone(b)
				b[len(b)-1] ^= 0x80
			}
			return b
		}, nil)})
	}
	for _, b := range bads {
		t.Run(b.name, func(t *testing.T) {
			_, err := bundle.Import(ctx, dst, bytes.NewReader(b.data), int64(len(b.data)))
			require.Error(t, err)
			if f, ok := strings.CutPrefix(b.name, "flipped/"); ok && f != bundle.ManifestName {
				assert.Contains(t, err.Error(), f, "the error names the file")
			}
			require.Equal(t, before, snapshot(t, dst))
		})
	}
	ents, err := os.ReadDir(tmp)
	require.NoError(t, err)
	assert.Empty(t, ents, "nothing written to the temp directory")
	require.NoError(t, dst.IntegrityCheck(ctx))
}

func TestExportFileIsAtomicAndEncrypts(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	id := fillStore(t, st)
	dir := t.TempDir()

	plain := filepath.Join(dir, "case.zip")
	m, err := bundle.ExportFile(ctx, st, id, plain, bundle.Options{}, "")
	require.NoError(t, err)
	rep, err := bundle.VerifyFile(plain, nil)
	require.NoError(t, err)
	require.True(t, rep.OK())
	require.False(t, rep.Encrypted)
	require.Equal(t, m.Files, rep.Manifest.Files)

	enc := filepath.Join(dir, "case.zip.age")
	_, err = bundle.ExportFile(ctx, st, id, enc, bundle.Options{}, "s3cret")
	require.NoError(t, err)
	_, err = bundle.VerifyFile(enc, func() (string, error) { return "nope", nil })
	require.ErrorIs(t, err, bundle.ErrPassphrase)
	rep, err = bundle.VerifyFile(enc, func() (string, error) { return "s3cret", nil })
	require.NoError(t, err)
	require.True(t, rep.OK())
	require.True(t, rep.Encrypted)

	dst := openStore(t)
	newID, err := bundle.ImportFile(ctx, dst, enc, func() (string, error) { return "s3cret", nil })
	require.NoError(t, err)
	d, err := dst.Dossier(ctx, newID)
	require.NoError(t, err)
	require.Len(t, d.Exhibits, 5)

	// A case that does not exist leaves no file, not even a temporary one.
	_, err = bundle.ExportFile(ctx, st, 999, filepath.Join(dir, "none.zip"), bundle.Options{}, "")
	require.ErrorIs(t, err, evidence.ErrNotFound)
	names := dirNames(t, dir)
	assert.Equal(t, []string{"case.zip", "case.zip.age"}, names)
}

func mustManifest(t testing.TB, data []byte) bundle.Manifest {
	t.Helper()
	r, err := bundle.Open(bytes.NewReader(data), int64(len(data)), bundle.Limits{})
	require.NoError(t, err)
	return r.Manifest
}

// sampleCase is the bundle tests' sample case (the hostile corpus expects
// its five exhibits), with the exhibits' bytes put in v.
func sampleCase(t testing.TB, v bundle.MemVault) evidence.Dossier {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	jpeg := make([]byte, 200_000)
	for i := range jpeg {
		jpeg[i] = byte(rng.Uint32())
	}
	copy(jpeg, []byte{0xff, 0xd8, 0xff, 0xe0})
	csv := []byte(strings.Repeat("交易时间,交易分类,交易对方,金额\n2026-03-01 12:00:00,餐饮,某某饭店,128.00\n", 500))
	updated := time.Date(2026, 3, 5, 10, 30, 15, 0, evidence.Shanghai)
	d := evidence.Dossier{
		Case: evidence.Case{ID: 7, Title: "POS机刷错金额", Scenario: evidence.WrongAmount,
			Complainant: evidence.Party{Name: "张三", Phone: "13800000000"},
			Respondent:  evidence.Party{Name: "某某饭店", MerchantNo: "123456789012345", TerminalNo: "12345678"},
			Claims:      []evidence.Claim{{Text: "退还多扣的 1152.00 元", Amount: 115200}},
			Facts:       "2026年3月1日在某某饭店消费 128 元，被刷 1280 元。", Updated: updated},
		Transactions: []evidence.Transaction{{Time: updated.Add(-96 * time.Hour), Amount: 128000, Direction: evidence.Debit,
			Merchant: "某某饭店", CardLast4: "1234", RRN: "123456789012", Source: "manual"}},
		Calls:  []evidence.CallLog{{Start: updated.Add(-48 * time.Hour), Duration: 5 * time.Minute, Direction: evidence.CallOutgoing, Organisation: "银联商务"}},
		Events: []evidence.Event{{Kind: evidence.EventDiscovered, Time: updated.Add(-90 * time.Hour)}},
	}
	add := func(seq int, kind evidence.ExhibitKind, name, mt string, b []byte) {
		d.Exhibits = append(d.Exhibits, evidence.Exhibit{Seq: seq, Kind: kind, Title: name,
			SHA256: v.Put(b), Size: int64(len(b)), OriginalName: name, MediaType: mt})
	}
	add(1, evidence.KindSlip, "签购单.jpg", "image/jpeg", jpeg)
	add(2, evidence.KindStatement, "支付宝账单.csv", "text/csv", csv)
	add(3, evidence.KindDocument, "../../etc/passwd", "", []byte("root:x:0:0"))
	add(4, evidence.KindDocument, "invoice.pdf", "application/pdf", []byte("%PDF-1.4\n% not really a PDF\n"))
	add(5, evidence.KindDocument, "empty.txt", "text/plain", nil)
	return d
}

func init() { bundle.ScryptWorkFactor = 10 } // fast tests; real exports use age's default
