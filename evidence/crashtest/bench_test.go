package crashtest

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/bundle"
	"github.com/disputekit/disputekit/evidence/store"
)

// BenchmarkImport imports a bundle of 256 MiB of photos (32 MiB with
// -short) into a fresh home: verify every hash, then stream every file into
// the vault (hashed again, fsynced) and commit the case.
func BenchmarkImport(b *testing.B) {
	ctx := context.Background()
	total := 256 << 20
	if testing.Short() {
		total = 32 << 20
	}
	dir := b.TempDir()
	src, err := store.Open(filepath.Join(dir, "src"))
	if err != nil {
		b.Fatal(err)
	}
	c := evidence.Case{Title: "bench"}
	if _, err := src.CreateCase(ctx, &c); err != nil {
		b.Fatal(err)
	}
	rng := rand.NewChaCha8([32]byte{2})
	buf := make([]byte, 8<<20)
	for i := 0; i*len(buf) < total; i++ {
		rng.Read(buf)
		if _, err := src.Attach(ctx, c.ID, bytes.NewReader(buf), evidence.Exhibit{Kind: evidence.KindPhoto, OriginalName: fmt.Sprintf("IMG_%d.jpg", i), MediaType: "image/jpeg"}); err != nil {
			b.Fatal(err)
		}
	}
	path := filepath.Join(dir, "case.zip")
	if _, err := bundle.ExportFile(ctx, src, c.ID, path, bundle.Options{}, ""); err != nil {
		b.Fatal(err)
	}
	src.Close()
	b.SetBytes(int64(total))
	b.ReportAllocs()
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
		if _, err := bundle.ImportFile(ctx, dst, path, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		dst.Close()
		os.RemoveAll(home)
		b.StartTimer()
	}
}
