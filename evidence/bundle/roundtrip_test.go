package bundle_test

// The acceptance round trip: extreme but legitimate cases go export →
// verify → import → export with the evidence unchanged, through the real
// store. The giant sizes (200,000 transactions, 10,000 exhibits, a file at
// the attach limit) run in benchmarks and with DK_BUNDLE_HUGE=1; make test
// runs smaller versions of the same cases.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/bundle"
	"github.com/disputekit/disputekit/evidence/store"
)

var bg = context.Background()

func openStore(t testing.TB, dir string) *store.Store {
	t.Helper()
	s, err := store.Open(dir)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func newCase(t testing.TB, s *store.Store, title string) int64 {
	t.Helper()
	c := evidence.Case{Title: title, Scenario: evidence.WrongAmount, Facts: "round trip"}
	_, err := s.CreateCase(bg, &c)
	require.NoError(t, err)
	return c.ID
}

// addStatement imports n generated transactions into the case as one
// statement, in batches, without holding them all.
func addStatement(t testing.TB, s *store.Store, caseID int64, n int) {
	t.Helper()
	base := time.Date(2025, 1, 1, 8, 0, 0, 0, evidence.Shanghai)
	const batch = 2000
	next := 0
	rows := make([]evidence.Transaction, 0, batch)
	_, added, _, err := s.ImportStatementStream(bg, caseID, strings.NewReader(fmt.Sprintf("statement of %d rows", n)),
		evidence.Exhibit{OriginalName: "statement.csv", MediaType: "text/csv"}, func() ([]evidence.Transaction, error) {
			rows = rows[:0]
			for ; next < n && len(rows) < batch; next++ {
				i := next
				rows = append(rows, evidence.Transaction{Time: base.Add(time.Duration(i) * 97 * time.Second),
					Amount: evidence.Money(1000 + i%50000), Currency: "CNY", Direction: evidence.Debit, Status: "交易成功",
					Merchant: "某某便利店" + strconv.Itoa(i%97), MerchantNo: "102100058120345", TerminalNo: "12345678",
					RRN: fmt.Sprintf("%012d", i), Voucher: fmt.Sprintf("%06d", i%1000000), Channel: "POS",
					Description: "第" + strconv.Itoa(i) + "笔", Source: "mapped", SourceRow: i + 2, DedupeKey: "r" + strconv.Itoa(i)})
			}
			if next >= n {
				return rows, io.EOF
			}
			return rows, nil
		})
	require.NoError(t, err)
	require.Equal(t, n, added)
}

// attachBytes attaches data as an exhibit called name.
func attachBytes(t testing.TB, s *store.Store, caseID int64, name, mt string, data []byte) {
	t.Helper()
	_, err := s.Attach(bg, caseID, bytes.NewReader(data), evidence.Exhibit{Kind: evidence.KindDocument, Title: name, OriginalName: name, MediaType: mt})
	require.NoError(t, err)
}

// evidenceDigest sums up what a case holds, leaving out what an import
// renumbers (IDs, the case ID, times of the import itself): the case's
// description, every exhibit's description and bytes (by hash), every
// transaction (its source exhibit by position), calls and events. It walks
// the transactions, so it holds none of them.
func evidenceDigest(t testing.TB, s *store.Store, caseID int64) string {
	t.Helper()
	h := sha256.New()
	enc := json.NewEncoder(h)
	err := s.StreamDossier(bg, caseID, func(d evidence.Dossier, each func(func([]evidence.Transaction) error) error) error {
		c := d.Case
		c.ID, c.Created, c.Updated = 0, time.Time{}, time.Time{}
		enc.Encode(c)
		seqOf := map[int64]int{}
		for _, e := range d.Exhibits {
			seqOf[e.ID] = e.Seq
			e.ID, e.CaseID, e.Imported = 0, 0, time.Time{}
			enc.Encode(e)
		}
		for _, x := range d.Calls {
			x.ID, x.CaseID = 0, 0
			enc.Encode(x)
		}
		for _, x := range d.Events {
			x.ID, x.CaseID = 0, 0
			enc.Encode(x)
		}
		return each(func(page []evidence.Transaction) error {
			for _, tr := range page {
				tr.SourceExhibitID = int64(seqOf[tr.SourceExhibitID])
				tr.ID, tr.CaseID = 0, 0
				if err := enc.Encode(tr); err != nil {
					return err
				}
			}
			return nil
		})
	})
	require.NoError(t, err)
	return hex.EncodeToString(h.Sum(nil))
}

// evidenceFiles lists a bundle's evidence/ entries as path, hash and size.
func evidenceFiles(m bundle.Manifest) []string {
	var out []string
	for _, f := range m.Files {
		if strings.HasPrefix(f.Path, bundle.EvidenceDir) {
			out = append(out, fmt.Sprintf("%s %s %d %s %d", f.Path, f.SHA256, f.Size, f.MediaType, f.Exhibit))
		}
	}
	return out
}

// roundTrip exports caseID of src, verifies, imports into a fresh store,
// exports the new case, verifies, and checks that the evidence is the same.
func roundTrip(t testing.TB, src *store.Store, caseID int64) {
	t.Helper()
	dir := t.TempDir()
	a := filepath.Join(dir, "a.zip")
	ma, err := bundle.ExportFile(bg, src, caseID, a, bundle.Options{}, "")
	require.NoError(t, err)
	rep, err := bundle.VerifyFile(a, nil)
	require.NoError(t, err)
	require.True(t, rep.OK(), "%v", rep.Err())

	dst := openStore(t, filepath.Join(dir, "dst"))
	newID, err := bundle.ImportFile(bg, dst, a, nil)
	require.NoError(t, err)

	b := filepath.Join(dir, "b.zip")
	mb, err := bundle.ExportFile(bg, dst, newID, b, bundle.Options{}, "")
	require.NoError(t, err)
	rep, err = bundle.VerifyFile(b, nil)
	require.NoError(t, err)
	require.True(t, rep.OK(), "%v", rep.Err())

	require.Equal(t, evidenceFiles(ma), evidenceFiles(mb), "the same evidence files, byte for byte")
	require.Equal(t, evidenceDigest(t, src, caseID), evidenceDigest(t, dst, newID), "the same case, exhibits and transactions")
	require.NoError(t, dst.IntegrityCheck(bg))
}

// plainBMP is a 4.5 MB all-white bitmap: it deflates about 1000:1.
func plainBMP() []byte {
	const w, h = 1500, 1000
	b := make([]byte, 54+w*h*3)
	copy(b, "BM")
	for i := 54; i < len(b); i++ {
		b[i] = 0xff
	}
	return b
}

func huge(t testing.TB) bool {
	return os.Getenv("DK_BUNDLE_HUGE") == "1"
}

// TestRoundTripExtremeCases: highly compressible files, many
// transactions, many exhibits. Sizes: 3,000 transactions and 200
// exhibits (1,500 and 50 with -short); DK_BUNDLE_HUGE=1 runs 200,000 and
// 10,000 (evidence.MaxExhibits).
func TestRoundTripExtremeCases(t *testing.T) {
	txns, exhibits := 3_000, 200 // make test runs this under -race: keep it to seconds (3 pages of 1024)
	if testing.Short() {
		txns, exhibits = 1_500, 50
	}
	if huge(t) {
		txns, exhibits = 200_000, evidence.MaxExhibits
	}
	src := openStore(t, t.TempDir())

	t.Run("highly compressible files", func(t *testing.T) {
		id := newCase(t, src, "compressible")
		attachBytes(t, src, id, "screen.bmp", "image/bmp", plainBMP())
		attachBytes(t, src, id, "zeros.bin", "application/octet-stream", make([]byte, 8<<20))
		attachBytes(t, src, id, "log.txt", "text/plain", bytes.Repeat([]byte("2026-03-01 12:00:00 扣款 128.00 元\n"), 200_000))
		roundTrip(t, src, id)
	})
	t.Run(fmt.Sprintf("%d transactions", txns), func(t *testing.T) {
		id := newCase(t, src, "many transactions")
		addStatement(t, src, id, txns)
		roundTrip(t, src, id)
	})
	t.Run(fmt.Sprintf("%d exhibits", exhibits), func(t *testing.T) {
		roundTrip(t, src, manyExhibitsCase(t, src, exhibits))
	})
}

// manyExhibitsCase makes a case of n small exhibits in one import (one SQL
// transaction, not n attaches) and returns its ID.
func manyExhibitsCase(t testing.TB, s *store.Store, n int) int64 {
	t.Helper()
	files := map[string][]byte{}
	d := evidence.Dossier{Case: evidence.Case{Title: "many exhibits", Scenario: evidence.WrongAmount}}
	for i := range n {
		data := []byte(fmt.Sprintf("chat screenshot %d\n", i))
		sum := sha256.Sum256(data)
		sha := hex.EncodeToString(sum[:])
		files[sha] = data
		d.Exhibits = append(d.Exhibits, evidence.Exhibit{Seq: i + 1, Kind: evidence.KindChat, Title: fmt.Sprintf("截图 %d", i+1),
			OriginalName: fmt.Sprintf("IMG_%05d.txt", i), MediaType: "text/plain", SHA256: sha, Size: int64(len(data))})
	}
	id, err := s.ImportDossier(bg, d, func(sha string) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(files[sha])), nil
	})
	require.NoError(t, err)
	exs, err := s.ListExhibits(bg, id)
	require.NoError(t, err)
	require.Len(t, exs, n)
	return id
}

// TestRoundTripFileAtAttachLimit attaches a sparse file of exactly
// evidence.MaxExhibitSize and takes it round. It writes about 12 GiB to
// disk and takes minutes, so it runs only with DK_BUNDLE_HUGE=1.
func TestRoundTripFileAtAttachLimit(t *testing.T) {
	if !huge(t) {
		t.Skip("writes ~12 GiB: set DK_BUNDLE_HUGE=1")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "recording.wav")
	f, err := os.Create(path)
	require.NoError(t, err)
	w := bufio.NewWriter(f)
	w.WriteString("RIFF")
	require.NoError(t, w.Flush())
	require.NoError(t, f.Truncate(evidence.MaxExhibitSize))
	require.NoError(t, f.Close())
	src := openStore(t, filepath.Join(dir, "src"))
	id := newCase(t, src, "at the limit")
	_, err = src.AttachFile(bg, id, path, evidence.Exhibit{Kind: evidence.KindRecording})
	require.NoError(t, err)
	require.NoError(t, os.Remove(path))
	roundTrip(t, src, id)
}

// peakRSS returns the garbage of the setup to the system, resets the
// process's peak resident size (Linux; elsewhere it does nothing) and
// returns a func reporting the peak since, in MiB.
func peakRSS(b *testing.B) func() {
	debug.FreeOSMemory()
	reset := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	return func() {
		if !reset {
			return
		}
		data, err := os.ReadFile("/proc/self/status")
		if err != nil {
			return
		}
		for _, line := range strings.Split(string(data), "\n") {
			if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
				b.ReportMetric(kb/1024, "peak-RSS-MiB")
			}
		}
	}
}

// benchTxns is the size of the transaction benchmarks: 200,000 (20,000
// with -short).
func benchTxns() int {
	if testing.Short() {
		return 20_000
	}
	return 200_000
}

// BenchmarkExportTransactions exports a case of 200,000 transactions
// (dk bundle export: streamed case.json, temporary file, fsync, rename).
// peak-RSS-MiB is the process's peak while exporting.
func BenchmarkExportTransactions(b *testing.B) {
	dir := b.TempDir()
	src := openStore(b, filepath.Join(dir, "src"))
	id := newCase(b, src, "bench")
	addStatement(b, src, id, benchTxns())
	src.Close() // a fresh store: no page cache left over from the setup
	src = openStore(b, filepath.Join(dir, "src"))
	out := filepath.Join(dir, "out.zip")
	b.ReportAllocs()
	report := peakRSS(b)
	for b.Loop() {
		if _, err := bundle.ExportFile(bg, src, id, out, bundle.Options{}, ""); err != nil {
			b.Fatal(err)
		}
	}
	report()
}

// BenchmarkImportTransactions imports a bundle of a case of 200,000
// transactions into a fresh home (verify, then case.json decoded again
// into the store batch by batch). peak-RSS-MiB is the process's peak while
// importing.
func BenchmarkImportTransactions(b *testing.B) {
	dir := b.TempDir()
	src := openStore(b, filepath.Join(dir, "src"))
	id := newCase(b, src, "bench")
	addStatement(b, src, id, benchTxns())
	zipPath := filepath.Join(dir, "case.zip")
	if _, err := bundle.ExportFile(bg, src, id, zipPath, bundle.Options{}, ""); err != nil {
		b.Fatal(err)
	}
	src.Close()
	b.ReportAllocs()
	report := peakRSS(b)
	n := 0
	for b.Loop() {
		b.StopTimer()
		home := filepath.Join(dir, fmt.Sprint("dst", n))
		n++
		dst, err := store.Open(home)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := bundle.ImportFile(bg, dst, zipPath, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		dst.Close()
		os.RemoveAll(home)
		b.StartTimer()
	}
	report()
}
