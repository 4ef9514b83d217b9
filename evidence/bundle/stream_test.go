package bundle

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/crashtest/hostile"
)

// manyTxns returns n varied transactions of case 7.
func manyTxns(n int) []evidence.Transaction {
	base := time.Date(2026, 1, 1, 9, 0, 0, 0, evidence.Shanghai)
	ts := make([]evidence.Transaction, n)
	for i := range ts {
		ts[i] = evidence.Transaction{ID: int64(i + 1), CaseID: 7, Time: base.Add(time.Duration(i) * time.Minute),
			Amount: evidence.Money(100 + i), Currency: "CNY", Direction: evidence.Debit, Merchant: fmt.Sprintf("商户<%d>&", i%7),
			RRN: fmt.Sprintf("%012d", i), Source: "alipay", DedupeKey: fmt.Sprintf("k%d", i), Disputed: i%3 == 0}
	}
	return ts
}

// TestCaseJSONIsMarshalIndent: the streamed case.json is byte for byte
// what json.MarshalIndent gives for the whole dossier, with and without
// transactions, so the stream changes nothing a reader of case.json sees.
func TestCaseJSONIsMarshalIndent(t *testing.T) {
	for _, n := range []int{0, 1, txnBatch + 3} {
		d := sampleCase(t, MemVault{})
		d.Transactions = manyTxns(n)
		want, err := json.MarshalIndent(d, "", "  ")
		require.NoError(t, err)
		want = append(want, '\n')
		var got bytes.Buffer
		require.NoError(t, writeCaseJSON(&got, d, func(fn func([]evidence.Transaction) error) error {
			for i := 0; i < len(d.Transactions); i += 100 { // pages of any size
				if err := fn(d.Transactions[i:min(i+100, len(d.Transactions))]); err != nil {
					return err
				}
			}
			return nil
		}))
		require.Equal(t, string(want), got.String(), "%d transactions", n)

		back, err := DecodeCase(got.Bytes())
		require.NoError(t, err)
		again, err := json.MarshalIndent(back, "", "  ")
		require.NoError(t, err)
		if n == 0 { // an empty list decodes to nil
			back.Transactions = []evidence.Transaction{}
			again, _ = json.MarshalIndent(back, "", "  ")
		}
		assert.Equal(t, string(want), string(again)+"\n")
	}
}

func TestDecodeCaseRefusesMalformedStreams(t *testing.T) {
	d := sampleCase(t, MemVault{})
	d.Transactions = manyTxns(3)
	good, err := json.Marshal(d)
	require.NoError(t, err)
	_, err = DecodeCase(good)
	require.NoError(t, err)

	cases := map[string]string{
		"key twice":        strings.Replace(string(good), `"exhibits":`, `"transactions":[],"exhibits":`, 1),
		"data after":       string(good) + `{}`,
		"no case":          `{"transactions":[]}`,
		"not an object":    `[1,2]`,
		"bad transaction":  strings.Replace(string(good), `"amount":100`, `"amount":"x"`, 1),
		"truncated":        string(good[:len(good)-40]),
		"bad exhibit hash": strings.Replace(string(good), d.Exhibits[0].SHA256, "xyz", 1),
	}
	for name, data := range cases {
		_, err := DecodeCase([]byte(data))
		assert.ErrorIs(t, err, ErrRefused, name)
		assert.ErrorContains(t, err, CaseName, name)
	}

	// Unknown top-level keys (a later minor version) are skipped.
	withExtra := strings.Replace(string(good), `"exhibits":`, `"later":{"a":[1,{"b":2}]},"exhibits":`, 1)
	back, err := DecodeCase([]byte(withExtra))
	require.NoError(t, err)
	assert.Len(t, back.Transactions, 3)

	// One record over the cap is refused without reading the rest.
	huge := `{"case":{"title":"` + strings.Repeat("x", 4<<20) + `"},"transactions":[]}`
	_, _, err = decodeCase(strings.NewReader(huge), 1<<20, func([]evidence.Transaction) error { return nil })
	assert.ErrorIs(t, err, ErrRefused)
	assert.ErrorContains(t, err, "more than 1048576 bytes")

	// The callback's own error comes back as it is.
	stop := errors.New("stop")
	_, _, err = decodeCase(bytes.NewReader(good), 1<<20, func([]evidence.Transaction) error { return stop })
	assert.Equal(t, stop, err)
}

// plainBMP is a legitimate, extremely compressible exhibit: a 4.5 MB
// white bitmap compresses about 1000:1.
func plainBMP() []byte {
	const w, h = 1500, 1000
	b := make([]byte, 54+w*h*3)
	copy(b, "BM")
	for i := 54; i < len(b); i++ {
		b[i] = 0xff
	}
	return b
}

func TestHighlyCompressibleExhibitRoundTrips(t *testing.T) {
	v := MemVault{}
	d := sampleCase(t, v)
	bmp := plainBMP()
	d.Exhibits = append(d.Exhibits, evidence.Exhibit{ID: 6, CaseID: 7, Seq: 6, Kind: evidence.KindPhoto, Title: "screen.bmp",
		SHA256: v.Put(bmp), Size: int64(len(bmp)), OriginalName: "screen.bmp", MediaType: "image/bmp"})
	data := writeBundle(t, d, v, Options{})

	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	for _, f := range zr.File {
		if f.Name == "evidence/006-screen.bmp" {
			require.Equal(t, zip.Deflate, f.Method)
			require.Greater(t, float64(f.UncompressedSize64)/float64(f.CompressedSize64), DefaultLimits.MaxRatio, "the test needs a file beyond the ratio")
		}
	}
	rep, err := Verify(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	require.True(t, rep.OK(), "%v", rep.Err())

	// The same bytes under a name the manifest does not list, or listed with
	// another size, are still refused as a zip bomb.
	renamed := rezip(t, data, func(name string, b []byte) []byte {
		if name == "evidence/006-screen.bmp" {
			return nil
		}
		return b
	}, map[string][]byte{"evidence/007-other.bmp": bmp})
	_, err = Open(bytes.NewReader(renamed), int64(len(renamed)), Limits{})
	require.ErrorIs(t, err, ErrRefused)
	assert.ErrorContains(t, err, "zip bomb")
	assert.ErrorContains(t, err, "evidence/007-other.bmp")

	lying := rezip(t, data, func(name string, b []byte) []byte {
		if name == "evidence/006-screen.bmp" {
			return append(b, 0xff)
		}
		return b
	}, nil)
	_, err = Open(bytes.NewReader(lying), int64(len(lying)), Limits{})
	require.ErrorIs(t, err, ErrRefused)
	assert.ErrorContains(t, err, "zip bomb")
}

func TestCompressionIsChosenByContent(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	random := make([]byte, 300_000)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	text := []byte(strings.Repeat("2026-03-01 12:00:00,餐饮,某某饭店,128.00\n", 8000))
	tests := []struct {
		name, mt string
		data     []byte
		want     uint16
	}{
		{"random.bin", "application/octet-stream", random, zip.Store},
		{"random.dat", "", random, zip.Store},
		{"statement.csv", "text/csv", text, zip.Deflate},
		{"statement.bin", "application/octet-stream", text, zip.Deflate},
		{"photo.jpg", "image/jpeg", text, zip.Store}, // a compressed type is never tried
		{"voice.m4a", "", text, zip.Store},
		{"tiny.txt", "text/plain", []byte("short text, short text, short text"), zip.Store},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, chooseMethod(tc.mt, tc.name, tc.data[:min(len(tc.data), sampleSize)]), tc.name)
	}

	// In a bundle: the random .bin is stored, and re-exports are identical.
	v := MemVault{}
	d := sampleCase(t, v)
	d.Exhibits = append(d.Exhibits, evidence.Exhibit{ID: 6, CaseID: 7, Seq: 6, Kind: evidence.KindDocument, Title: "r.bin",
		SHA256: v.Put(random), Size: int64(len(random)), OriginalName: "r.bin", MediaType: "application/octet-stream"})
	a := writeBundle(t, d, v, Options{})
	b := writeBundle(t, d, v, Options{})
	require.Equal(t, a, b)
	zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	require.NoError(t, err)
	for _, f := range zr.File {
		if f.Name == "evidence/006-r.bin" {
			assert.Equal(t, zip.Store, f.Method)
		}
	}
}

// TestExportRefusesWhatImportWouldRefuse: the writer applies the limits
// the reader does, naming them, instead of writing a bundle that no
// import accepts.
func TestExportRefusesWhatImportWouldRefuse(t *testing.T) {
	v := MemVault{}
	d := sampleCase(t, v)
	big := d
	big.Exhibits = append([]evidence.Exhibit(nil), d.Exhibits...)
	big.Exhibits[0].Size = evidence.MaxExhibitSize + 1
	_, err := Write(context.Background(), &bytes.Buffer{}, big, v, Options{})
	require.ErrorIs(t, err, evidence.ErrTooLarge)
	assert.ErrorContains(t, err, "at most 4 GiB")

	letters := map[string][]byte{}
	for i := range MaxLetters + 1 {
		letters[fmt.Sprintf("l%d.txt", i)] = []byte("x")
	}
	_, err = Write(context.Background(), &bytes.Buffer{}, d, v, Options{Letters: letters})
	require.ErrorIs(t, err, evidence.ErrTooLarge)
}

// TestUnlistedBombIsRefused: 128 MiB of zeros the manifest does not list is
// refused before a byte of it is inflated.
func TestUnlistedBombIsRefused(t *testing.T) {
	good, _, _ := validBundle(t)
	bomb, crc, n := hostile.ZerosBomb(8)
	withBomb := hostile.AddEntries(good, true, hostile.Entry{Header: &zip.FileHeader{Name: "evidence/zeros.bin", Method: zip.Deflate,
		CRC32: crc, CompressedSize64: uint64(len(bomb)), UncompressedSize64: n}, Content: bomb})
	_, err := Open(bytes.NewReader(withBomb), int64(len(withBomb)), Limits{})
	require.ErrorIs(t, err, ErrRefused)
	assert.ErrorContains(t, err, "zip bomb")
}

// TestKeptRecordsAreBounded: what the reader keeps (everything but the
// transactions) is bounded by the same number the writer checks with
// heldSize: a case exactly at the bound reads back, one record more is
// refused before it is all held.
func TestKeptRecordsAreBounded(t *testing.T) {
	d := sampleCase(t, MemVault{})
	d.Transactions = manyTxns(3000) // not counted: they stream
	for i := range 200 {
		d.Audit = append(d.Audit, evidence.AuditEntry{ID: int64(i + 2), CaseID: 7, Time: d.Case.Updated, Action: "txn.add", Detail: strings.Repeat("详", 40)})
	}
	held, err := heldSize(d)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, writeCaseJSON(&buf, d, func(fn func([]evidence.Transaction) error) error { return fn(d.Transactions) }))
	require.Greater(t, int64(buf.Len()), 10*held, "the transactions are most of the file")

	n := 0
	_, _, err = decodeCase(bytes.NewReader(buf.Bytes()), held, func(p []evidence.Transaction) error { n += len(p); return nil })
	require.NoError(t, err, "a case exactly at the bound reads back")
	require.Equal(t, 3000, n)

	d.Audit = append(d.Audit, d.Audit[:20]...)
	buf.Reset()
	require.NoError(t, writeCaseJSON(&buf, d, func(fn func([]evidence.Transaction) error) error { return fn(d.Transactions) }))
	_, _, err = decodeCase(bytes.NewReader(buf.Bytes()), held, func([]evidence.Transaction) error { return nil })
	require.ErrorIs(t, err, ErrRefused)
	assert.ErrorContains(t, err, "more than")
	assert.ErrorContains(t, err, "bytes together")

	// The writer refuses such a case at the bundle's own bound (lowered
	// here, so that the test does not build 64 MiB of JSON).
	defer func(old int64) { DefaultLimits.MaxJSONSize = old }(DefaultLimits.MaxJSONSize)
	DefaultLimits.MaxJSONSize = 1 << 20
	big := sampleCase(t, MemVault{})
	big.Case.Facts = strings.Repeat("x", int(DefaultLimits.MaxJSONSize))
	_, err = Write(context.Background(), io.Discard, big, MemVault{}, Options{})
	require.ErrorIs(t, err, evidence.ErrTooLarge)
}

// flipAt is a ReaderAt over data that, once flipped, reads one byte changed.
type flipAt struct {
	data    []byte
	pos     int64
	flipped bool
}

func (f *flipAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := bytes.NewReader(f.data).ReadAt(p, off)
	if f.flipped && f.pos >= off && f.pos < off+int64(n) {
		p[f.pos-off] ^= 0x20
	}
	return n, err
}

// streamStore is a Store that flips the bundle's bytes just before it
// reads the transactions, and collects them.
type streamStore struct {
	MemVault
	src   *flipAt
	got   int
	ended error
}

func (s *streamStore) StreamDossier(context.Context, int64, func(evidence.Dossier, func(func([]evidence.Transaction) error) error) error) error {
	return errors.New("not used")
}

func (s *streamStore) ImportDossierStream(_ context.Context, _ evidence.Dossier, _ func(string) (io.ReadCloser, error),
	each func(func([]evidence.Transaction) error) error) (int64, error) {
	s.src.flipped = true
	s.ended = each(func(p []evidence.Transaction) error { s.got += len(p); return nil })
	return 1, s.ended
}

// TestImportRefusesCaseJSONChangedBetweenReadings: case.json read once by
// Open and Verify, then changed before the transactions are read for the
// store: the stream ends in an error (the store rolls back), not a case.
func TestImportRefusesCaseJSONChangedBetweenReadings(t *testing.T) {
	v := MemVault{}
	d := sampleCase(t, v)
	d.Transactions = manyTxns(5000)
	data := writeBundle(t, d, v, Options{})
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	var pos int64
	for _, f := range zr.File {
		if f.Name == CaseName {
			off, err := f.DataOffset()
			require.NoError(t, err)
			pos = off + int64(f.CompressedSize64)*3/4
		}
	}
	src := &flipAt{data: data, pos: pos}
	st := &streamStore{MemVault: v, src: src}
	_, err = Import(context.Background(), st, src, int64(len(data)))
	require.ErrorIs(t, err, ErrRefused)
	assert.ErrorContains(t, err, CaseName)
	require.Error(t, st.ended, "the transactions stream itself failed")
	assert.Less(t, st.got, 5000+1)

	// Unflipped, the same import streams every transaction.
	src2 := &flipAt{data: data, pos: -1}
	st2 := &streamStore{MemVault: v, src: src2}
	_, err = Import(context.Background(), st2, src2, int64(len(data)))
	require.NoError(t, err)
	assert.Equal(t, 5000, st2.got)
}
