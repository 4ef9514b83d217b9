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
// 8 MiB "photos" (stored) plus a few MiB of statements (deflated), once
// per test binary.
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
			if err := put(seq, fmt.Sprintf("IMG_%04d.jpg", seq), "image/jpeg", buf); err != nil {
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

// BenchmarkExport writes the bundle to a file as dk bundle export does
// (temporary file, fsync, rename): hashing every exhibit, storing the
// photos, deflating the statement.
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
