package bundle

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

// sampleCase builds a dossier with one exhibit of each interesting kind and
// puts the exhibits' bytes in v.
func sampleCase(t testing.TB, v MemVault) evidence.Dossier {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	jpeg := make([]byte, 200_000)
	for i := range jpeg {
		jpeg[i] = byte(rng.Uint32())
	}
	copy(jpeg, []byte{0xff, 0xd8, 0xff, 0xe0})
	csv := []byte(strings.Repeat("交易时间,交易分类,交易对方,金额\n2026-03-01 12:00:00,餐饮,某某饭店,128.00\n", 500))
	pdf := []byte("%PDF-1.4\n% not really a PDF\n")
	updated := time.Date(2026, 3, 5, 10, 30, 15, 0, evidence.Shanghai)
	d := evidence.Dossier{
		Case: evidence.Case{ID: 7, Title: "POS机刷错金额", Scenario: evidence.WrongAmount, Status: evidence.StatusDraft,
			Role: evidence.RoleConsumer, Complainant: evidence.Party{Name: "张三", Phone: "13800000000"},
			Respondent: evidence.Party{Name: "某某饭店", MerchantNo: "123456789012345", TerminalNo: "12345678"},
			Claims:     []evidence.Claim{{Text: "退还多扣的 1152.00 元", Amount: 115200}},
			Facts:      "2026年3月1日在某某饭店消费 128 元，被刷 1280 元。",
			Created:    updated.Add(-time.Hour), Updated: updated},
		Transactions: []evidence.Transaction{{ID: 1, CaseID: 7, Time: updated.Add(-96 * time.Hour), Amount: 128000, Currency: "CNY",
			Direction: evidence.Debit, Merchant: "某某饭店", CardLast4: "1234", RRN: "123456789012", Source: "manual"}},
		Calls:  []evidence.CallLog{{ID: 1, CaseID: 7, Start: updated.Add(-48 * time.Hour), Duration: 5 * time.Minute, Direction: evidence.CallOutgoing, Organisation: "银联商务"}},
		Events: []evidence.Event{{ID: 1, CaseID: 7, Kind: evidence.EventDiscovered, Time: updated.Add(-90 * time.Hour)}},
		Audit:  []evidence.AuditEntry{{ID: 1, CaseID: 7, Time: updated, Action: "case.create", Detail: "created"}},
	}
	add := func(seq int, kind evidence.ExhibitKind, name, mt string, b []byte) {
		d.Exhibits = append(d.Exhibits, evidence.Exhibit{ID: int64(seq), CaseID: 7, Seq: seq, Kind: kind, Title: name,
			SHA256: v.Put(b), Size: int64(len(b)), OriginalName: name, MediaType: mt, Imported: updated})
	}
	add(1, evidence.KindSlip, "签购单.jpg", "image/jpeg", jpeg)
	add(2, evidence.KindStatement, "支付宝账单.csv", "text/csv", csv)
	add(3, evidence.KindDocument, "../../etc/passwd", "", []byte("root:x:0:0"))
	add(4, evidence.KindDocument, "invoice.pdf", "application/pdf", pdf)
	add(5, evidence.KindDocument, "empty.txt", "text/plain", nil)
	return d
}

func writeBundle(t testing.TB, d evidence.Dossier, v Vault, opt Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	_, err := Write(context.Background(), &buf, d, v, opt)
	require.NoError(t, err)
	return buf.Bytes()
}

func validBundle(t testing.TB) ([]byte, evidence.Dossier, MemVault) {
	v := MemVault{}
	d := sampleCase(t, v)
	return writeBundle(t, d, v, Options{Letters: map[string][]byte{"merchant-zh.txt": []byte("投诉函")}}), d, v
}

func TestWriteIsReproducibleAndVerifies(t *testing.T) {
	v := MemVault{}
	d := sampleCase(t, v)
	a := writeBundle(t, d, v, Options{})
	b := writeBundle(t, d, v, Options{})
	require.Equal(t, a, b, "two exports of an unchanged case must be byte-identical")

	rep, err := Verify(bytes.NewReader(a), int64(len(a)))
	require.NoError(t, err)
	require.True(t, rep.OK(), "%+v", rep)
	require.NoError(t, rep.Err())
	assert.Equal(t, int64(7), rep.Manifest.CaseID)
	assert.True(t, Created(d).Equal(rep.Manifest.Created), "created %v", rep.Manifest.Created)
	assert.Len(t, rep.Files, 6) // case.json + 5 exhibits

	zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	require.NoError(t, err)
	var names []string
	methods := map[string]uint16{}
	for _, f := range zr.File {
		names = append(names, f.Name)
		methods[f.Name] = f.Method
		assert.True(t, f.Modified.Equal(d.Case.Updated), "%s stamped %v", f.Name, f.Modified)
	}
	assert.Equal(t, []string{"case.json", "evidence/001-签购单.jpg", "evidence/002-支付宝账单.csv",
		"evidence/003-passwd", "evidence/004-invoice.pdf", "evidence/005-empty.txt", "manifest.json"}, names)
	assert.Equal(t, zip.Store, methods["evidence/001-签购单.jpg"], "JPEG is stored, not recompressed")
	assert.Equal(t, zip.Store, methods["evidence/004-invoice.pdf"])
	assert.Equal(t, zip.Deflate, methods["evidence/002-支付宝账单.csv"])
	assert.Equal(t, zip.Deflate, methods["case.json"])

	// A changed case gives a different, later-stamped bundle.
	d.Case.Updated = d.Case.Updated.Add(time.Minute)
	c := writeBundle(t, d, v, Options{})
	assert.NotEqual(t, a, c)
}

func TestReaderGivesBackTheExhibits(t *testing.T) {
	data, d, v := validBundle(t)
	r, err := Open(bytes.NewReader(data), int64(len(data)), Limits{})
	require.NoError(t, err)
	require.Equal(t, d.Case.Title, r.Dossier.Case.Title)
	require.Len(t, r.Dossier.Exhibits, len(d.Exhibits))
	for _, e := range r.Dossier.Exhibits {
		rc, err := r.OpenExhibit(e.SHA256)
		require.NoError(t, err)
		got, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		assert.Equal(t, string(v[e.SHA256]), string(got), "exhibit %d", e.Seq)
	}
	_, err = r.OpenExhibit(strings.Repeat("0", 64))
	require.ErrorIs(t, err, evidence.ErrNotFound)
	assert.Contains(t, r.Names(), "letters/merchant-zh.txt")
}

func TestWriteRefusesAVaultThatDoesNotMatch(t *testing.T) {
	v := MemVault{}
	d := sampleCase(t, v)
	sha := d.Exhibits[1].SHA256
	v[sha] = append([]byte("X"), v[sha][1:]...)
	_, err := Write(context.Background(), io.Discard, d, v, Options{})
	require.ErrorIs(t, err, evidence.ErrInvalid)
	assert.Contains(t, err.Error(), "evidence/002-支付宝账单.csv")

	delete(v, sha)
	_, err = Write(context.Background(), io.Discard, d, v, Options{})
	require.ErrorIs(t, err, evidence.ErrNotFound)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Write(ctx, io.Discard, d, v, Options{})
	require.ErrorIs(t, err, context.Canceled)
}

// rezip copies a bundle, letting edit change or drop (nil) each entry's
// bytes, and appending extra entries.
func rezip(t testing.TB, data []byte, edit func(name string, b []byte) []byte, extra map[string][]byte) []byte {
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
		if edit != nil {
			b = edit(f.Name, b)
		}
		if b == nil {
			continue
		}
		fh := f.FileHeader
		w, err := zw.CreateHeader(&fh)
		require.NoError(t, err)
		_, err = w.Write(b)
		require.NoError(t, err)
	}
	for name, b := range extra {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write(b)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return out.Bytes()
}

func TestVerifyNamesEveryChangedFile(t *testing.T) {
	data, _, _ := validBundle(t)
	m := mustManifest(t, data)
	for _, f := range m.Files {
		if f.Size == 0 {
			continue
		}
		t.Run(f.Path, func(t *testing.T) {
			bad := rezip(t, data, func(name string, b []byte) []byte {
				if name == f.Path {
					b = bytes.Clone(b)
					b[len(b)/2] ^= 0x01
				}
				return b
			}, nil)
			rep, err := Verify(bytes.NewReader(bad), int64(len(bad)))
			if f.Path == CaseName {
				// A flipped bit in JSON may break the decoding itself.
				if err != nil {
					assert.ErrorIs(t, err, ErrRefused)
					assert.Contains(t, err.Error(), CaseName)
					return
				}
			}
			require.NoError(t, err)
			require.False(t, rep.OK())
			assert.Contains(t, rep.Err().Error(), f.Path)
			for _, r := range rep.Files {
				if r.Path == f.Path {
					assert.Equal(t, Changed, r.Status)
				} else {
					assert.Equal(t, Matched, r.Status, r.Path)
				}
			}
		})
	}
}

// TestVerifyCatchesRawByteFlips flips single bytes inside each entry's
// stored data in the archive itself (not re-zipped): the CRC or the hash
// must catch every one, and the report or error must name the entry.
func TestVerifyCatchesRawByteFlips(t *testing.T) {
	data, _, _ := validBundle(t)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(3, 4))
	for _, f := range zr.File {
		if f.CompressedSize64 == 0 {
			continue
		}
		off, err := f.DataOffset()
		require.NoError(t, err)
		for range 5 {
			pos := off + rng.Int64N(int64(f.CompressedSize64))
			bad := bytes.Clone(data)
			bad[pos] ^= byte(1 + rng.IntN(255))
			rep, err := Verify(bytes.NewReader(bad), int64(len(bad)))
			if err != nil {
				assert.ErrorIs(t, err, ErrRefused)
				assert.Contains(t, err.Error(), f.Name, "flip at %d", pos)
				continue
			}
			require.False(t, rep.OK(), "flip at %d in %s went unnoticed", pos, f.Name)
			assert.Contains(t, rep.Err().Error(), f.Name)
		}
	}
}

func TestVerifyMissingAndUnexpected(t *testing.T) {
	data, _, _ := validBundle(t)
	bad := rezip(t, data, func(name string, b []byte) []byte {
		if name == "evidence/004-invoice.pdf" {
			return nil
		}
		return b
	}, map[string][]byte{"evidence/999-extra.txt": []byte("planted")})
	rep, err := Verify(bytes.NewReader(bad), int64(len(bad)))
	require.NoError(t, err)
	require.False(t, rep.OK())
	st := map[string]Status{}
	for _, f := range rep.Files {
		st[f.Path] = f.Status
	}
	assert.Equal(t, Missing, st["evidence/004-invoice.pdf"])
	assert.Equal(t, Unexpected, st["evidence/999-extra.txt"])
	assert.Equal(t, Matched, st["evidence/001-签购单.jpg"])
}

func mustManifest(t testing.TB, data []byte) Manifest {
	t.Helper()
	r, err := Open(bytes.NewReader(data), int64(len(data)), Limits{})
	require.NoError(t, err)
	return r.Manifest
}

// TestManifestThatLies rewrites the manifest or case.json consistently
// enough to pass structure checks but not verification.
func TestManifestThatLies(t *testing.T) {
	data, _, _ := validBundle(t)
	editManifest := func(f func(m *Manifest)) []byte {
		return rezip(t, data, func(name string, b []byte) []byte {
			if name != ManifestName {
				return b
			}
			var m Manifest
			require.NoError(t, json.Unmarshal(b, &m))
			f(&m)
			out, err := json.Marshal(m)
			require.NoError(t, err)
			return out
		}, nil)
	}
	editCase := func(f func(d *evidence.Dossier)) []byte {
		var newCase []byte
		out := rezip(t, data, func(name string, b []byte) []byte {
			if name != CaseName {
				return b
			}
			var d evidence.Dossier
			require.NoError(t, json.Unmarshal(b, &d))
			f(&d)
			var err error
			newCase, err = json.Marshal(d)
			require.NoError(t, err)
			return newCase
		}, nil)
		// Keep the manifest honest about case.json so only the lie remains.
		sum := fileOf(CaseName, newCase, "")
		return rezip(t, out, func(name string, b []byte) []byte {
			if name != ManifestName {
				return b
			}
			var m Manifest
			require.NoError(t, json.Unmarshal(b, &m))
			for i := range m.Files {
				if m.Files[i].Path == CaseName {
					m.Files[i].SHA256, m.Files[i].Size = sum.SHA256, sum.Size
				}
			}
			b, _ = json.Marshal(m)
			return b
		}, nil)
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"wrong hash", editManifest(func(m *Manifest) { m.Files[1].SHA256 = strings.Repeat("ab", 32) }), m1(t, data, 1) + " changed"},
		{"wrong size", editManifest(func(m *Manifest) { m.Files[2].Size++ }), m1(t, data, 2) + " changed"},
		{"file not listed", editManifest(func(m *Manifest) { m.Files = append(m.Files[:3], m.Files[4:]...) }), m1(t, data, 3) + " unexpected"},
		{"listed file absent", editManifest(func(m *Manifest) {
			m.Files = append(m.Files, File{Path: "letters/ghost.pdf", SHA256: strings.Repeat("cd", 32), Size: 3})
		}), "letters/ghost.pdf missing"},
		{"other case", editManifest(func(m *Manifest) { m.CaseID = 8 }), "manifest is for case 8"},
		{"case.json names a sha not in the bundle", editCase(func(d *evidence.Dossier) { d.Exhibits[0].SHA256 = strings.Repeat("ef", 32) }),
			"no evidence file in the manifest has"},
		{"case.json size differs", editCase(func(d *evidence.Dossier) { d.Exhibits[1].Size = 1 }), "case.json: exhibit 2 has 1 bytes"},
		{"evidence nobody refers to", editCase(func(d *evidence.Dossier) { d.Exhibits = d.Exhibits[1:] }), "no exhibit in case.json refers to it"},
	}
	kinds := map[string]InconsistencyKind{"other case": OtherCase, "case.json names a sha not in the bundle": NoFile,
		"case.json size differs": SizeDiffers, "evidence nobody refers to": NoExhibit}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Verify(bytes.NewReader(tc.data), int64(len(tc.data)))
			require.NoError(t, err)
			require.False(t, rep.OK())
			require.ErrorIs(t, rep.Err(), ErrRefused)
			assert.Contains(t, rep.Err().Error(), tc.want)
			// Each problem has its facts for the words, one for one.
			require.Len(t, rep.Inconsistencies, len(rep.Problems))
			for i, in := range rep.Inconsistencies {
				assert.Equal(t, rep.Problems[i], in.Problem)
			}
			if kind, ok := kinds[tc.name]; ok {
				var in Inconsistency
				for _, x := range rep.Inconsistencies {
					if x.Kind == kind {
						in = x
					}
				}
				require.Equal(t, kind, in.Kind, "%+v", rep.Inconsistencies)
				switch kind {
				case OtherCase:
					assert.Equal(t, int64(8), in.ManifestID)
					assert.NotZero(t, in.CaseID)
				case NoFile:
					assert.Equal(t, 1, in.Exhibit)
					assert.NotEmpty(t, in.Title)
				case SizeDiffers:
					assert.Equal(t, 2, in.Exhibit)
					assert.Equal(t, int64(1), in.Size)
					assert.Greater(t, in.FileSize, int64(1))
					assert.NotEmpty(t, in.Path)
				case NoExhibit:
					assert.NotEmpty(t, in.Path)
				}
			}
		})
	}
}

// m1 is the path of the manifest's i-th file.
func m1(t testing.TB, data []byte, i int) string { return mustManifest(t, data).Files[i].Path }

func TestSafeName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"签购单.jpg", "签购单.jpg"},
		{"../../etc/passwd", "passwd"},
		{`C:\Users\me\x.png`, "x.png"},
		{"a:b*c?.txt", "a_b_c_.txt"},
		{"..", "file"},
		{"", "file"},
		{".hidden", "hidden"},
		{"con.txt", "_con.txt"},
		{"tab\there\x00.txt", "tab_here_.txt"},
		{"bad\xffutf8.txt", "bad_utf8.txt"},
		{strings.Repeat("长", 100) + ".jpeg", strings.Repeat("长", 38) + ".jpeg"},
	}
	for _, tc := range tests {
		got := SafeName(tc.in)
		assert.Equal(t, tc.want, got, "SafeName(%q)", tc.in)
		assert.NoError(t, checkName(EvidenceDir+got), "SafeName(%q) = %q", tc.in, got)
	}
}
