package bundle

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/atomicfile"
)

// dirVault serves blobs from files named by their hash, like the store's vault.
type dirVault string

func (d dirVault) OpenBlob(sha string) (io.ReadCloser, error) {
	return os.Open(filepath.Join(string(d), sha))
}

type benchCase struct {
	dir   string
	d     evidence.Dossier
	total int64
	zip   string
}

var (
	benchOnce sync.Once
	bench     benchCase
	benchErr  error
)

// benchSetup writes ~1 GiB (64 MiB with -short) of incompressible evidence:
// 8 MiB files of random bytes typed application/octet-stream (so stored
// because their first block does not deflate, not because of their type)
// plus a few MiB of statements (deflated), once per test binary.
func benchSetup(b *testing.B) benchCase {
	b.Helper()
	benchOnce.Do(func() {
		total := int64(1 << 30)
		if testing.Short() {
			total = 64 << 20
		}
		dir, err := os.MkdirTemp("", "dk-bundle-bench-")
		if err != nil {
			benchErr = err
			return
		}
		bench.dir = dir
		src := rand.NewChaCha8([32]byte{1})
		rng := rand.New(src)
		d := evidence.Dossier{Case: evidence.Case{ID: 1, Title: "bench", Updated: time.Date(2026, 3, 1, 0, 0, 0, 0, evidence.Shanghai)}}
		put := func(seq int, name, mt string, data []byte) error {
			sum := sha256.Sum256(data)
			sha := hex.EncodeToString(sum[:])
			if err := os.WriteFile(filepath.Join(dir, sha), data, 0o644); err != nil {
				return err
			}
			d.Exhibits = append(d.Exhibits, evidence.Exhibit{Seq: seq, Title: name, OriginalName: name, MediaType: mt, SHA256: sha, Size: int64(len(data))})
			bench.total += int64(len(data))
			return nil
		}
		buf := make([]byte, 8<<20)
		seq := 0
		for bench.total < total-(4<<20) {
			src.Read(buf)
			seq++
			if err := put(seq, fmt.Sprintf("data_%04d.bin", seq), "application/octet-stream", buf); err != nil {
				benchErr = err
				return
			}
		}
		var csv bytes.Buffer
		for i := 0; csv.Len() < 4<<20; i++ {
			fmt.Fprintf(&csv, "2026-03-01 12:%02d:%02d,消费,某某超市%d,%d.%02d,%016x\n", i/60%60, i%60, rng.IntN(1000), rng.IntN(10000), rng.IntN(100), rng.Uint64())
		}
		seq++
		if err := put(seq, "statement.csv", "text/csv", csv.Bytes()); err != nil {
			benchErr = err
			return
		}
		bench.d = d
		bench.zip = filepath.Join(dir, "bundle.zip")
		f, err := os.Create(bench.zip)
		if err != nil {
			benchErr = err
			return
		}
		defer f.Close()
		_, benchErr = Write(context.Background(), f, d, dirVault(dir), Options{})
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return bench
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.dir != "" && strings.Contains(bench.dir, "dk-bundle-bench-") {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

// BenchmarkExport (incompressible) writes the bundle to a file as dk
// bundle export does (temporary file, fsync, rename): hashing every
// exhibit, storing the random files, deflating the statement.
func BenchmarkExport(b *testing.B) {
	bc := benchSetup(b)
	b.SetBytes(bc.total)
	b.ReportAllocs()
	out := filepath.Join(bc.dir, "export.zip")
	for b.Loop() {
		err := atomicfile.Write(out, atomicfile.Private, func(w io.Writer) error {
			_, err := Write(context.Background(), w, bc.d, dirVault(bc.dir), Options{})
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify checks every file of the bundle against its manifest.
func BenchmarkVerify(b *testing.B) {
	bc := benchSetup(b)
	b.SetBytes(bc.total)
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.Open(bc.zip)
		if err != nil {
			b.Fatal(err)
		}
		fi, _ := f.Stat()
		rep, err := Verify(f, fi.Size())
		f.Close()
		if err != nil || !rep.OK() {
			b.Fatal(err, rep.Err())
		}
	}
}

// BenchmarkHashOnly is the floor: SHA-256 over the same files, no ZIP.
func BenchmarkHashOnly(b *testing.B) {
	bc := benchSetup(b)
	b.SetBytes(bc.total)
	b.ReportAllocs()
	for b.Loop() {
		for _, e := range bc.d.Exhibits {
			f, err := os.Open(filepath.Join(bc.dir, e.SHA256))
			if err != nil {
				b.Fatal(err)
			}
			h := sha256.New()
			io.Copy(h, f)
			f.Close()
		}
	}
}

// BenchmarkCopyOnly is the disk's (here: page cache's) speed for the same
// bytes: read every file and write it to one output file.
func BenchmarkCopyOnly(b *testing.B) {
	bc := benchSetup(b)
	b.SetBytes(bc.total)
	b.ReportAllocs()
	out := filepath.Join(bc.dir, "copy.bin")
	for b.Loop() {
		w, err := os.Create(out)
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range bc.d.Exhibits {
			f, err := os.Open(filepath.Join(bc.dir, e.SHA256))
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(w, f)
			f.Close()
		}
		w.Close()
	}
}

var (
	textOnce sync.Once
	textCase benchCase
	textErr  error
)

// textSetup writes 256 MiB (32 MiB with -short) of statement-like text in
// 32 MiB CSV files, once per test binary.
func textSetup(b *testing.B) benchCase {
	b.Helper()
	bc := benchSetup(b) // shares its directory, removed by TestMain
	textOnce.Do(func() {
		total := int64(256 << 20)
		if testing.Short() {
			total = 32 << 20
		}
		rng := rand.New(rand.NewChaCha8([32]byte{3}))
		d := evidence.Dossier{Case: evidence.Case{ID: 2, Title: "text", Updated: time.Date(2026, 3, 1, 0, 0, 0, 0, evidence.Shanghai)}}
		var buf bytes.Buffer
		for seq := 1; textCase.total < total; seq++ {
			buf.Reset()
			for buf.Len() < 32<<20 {
				fmt.Fprintf(&buf, "2026-%02d-%02d %02d:%02d:%02d,消费,某某超市%d,%d.%02d,%016x\n",
					1+rng.IntN(12), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), rng.IntN(60), rng.IntN(1000), rng.IntN(10000), rng.IntN(100), rng.Uint64())
			}
			sum := sha256.Sum256(buf.Bytes())
			sha := hex.EncodeToString(sum[:])
			if textErr = os.WriteFile(filepath.Join(bc.dir, sha), buf.Bytes(), 0o644); textErr != nil {
				return
			}
			name := fmt.Sprintf("statement_%d.csv", seq)
			d.Exhibits = append(d.Exhibits, evidence.Exhibit{Seq: seq, Title: name, OriginalName: name, MediaType: "text/csv", SHA256: sha, Size: int64(buf.Len())})
			textCase.total += int64(buf.Len())
		}
		textCase.dir, textCase.d = bc.dir, d
	})
	if textErr != nil {
		b.Fatal(textErr)
	}
	return textCase
}

// BenchmarkExportCompressible exports 256 MiB of statements: every file
// deflated (fast level), as dk bundle export does.
func BenchmarkExportCompressible(b *testing.B) {
	bc := textSetup(b)
	b.SetBytes(bc.total)
	b.ReportAllocs()
	out := filepath.Join(bc.dir, "export-text.zip")
	for b.Loop() {
		err := atomicfile.Write(out, atomicfile.Private, func(w io.Writer) error {
			_, err := Write(context.Background(), w, bc.d, dirVault(bc.dir), Options{})
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if fi, err := os.Stat(out); err == nil {
		b.ReportMetric(float64(bc.total)/float64(fi.Size()), "ratio")
	}
}
