package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jung-kurt/gofpdf"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/picture"
	"github.com/disputekit/disputekit/templates"
)

// phonePhoto is a w×h JPEG that compresses like a photo (smooth light,
// shapes and sensor noise: about 3 MB at 12 megapixels), stored turned as
// phones store portrait photos (EXIF orientation 6). Each seed differs.
func phonePhoto(w, h int, seed uint64) ([]byte, error) {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	rng := rand.New(rand.NewPCG(seed, seed+1))
	fx, fy := 2+rng.Float64()*6, 2+rng.Float64()*6
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 70 + 60*math.Sin(fx*float64(x)/float64(w)+float64(seed))*math.Cos(fy*float64(y)/float64(h)) + float64(x*50/w) + float64(rng.IntN(14))
			img.Y[y*img.YStride+x] = uint8(min(max(v, 0), 255))
		}
	}
	for y := 0; y < h/2; y++ {
		for x := 0; x < w/2; x++ {
			img.Cb[y*img.CStride+x] = uint8(100 + (x*40)/w + int(seed%20) + rng.IntN(4))
			img.Cr[y*img.CStride+x] = uint8(120 + (y*40)/h + rng.IntN(4))
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		return nil, err
	}
	return withOrientation(buf.Bytes(), 6), nil
}

// photoVault is a vault of distinct phone photos kept on disk (as the store
// keeps them), with the print copies the store would have derived. Making
// 200 twelve-megapixel JPEGs takes minutes, so they are cached in the temp
// directory between benchmark runs.
type photoVault struct {
	dir   string
	files map[string]string // sha → photo path
	print map[string]string // sha → print copy path
	total int64
}

func (v *photoVault) OpenBlob(sha string) (io.ReadCloser, error) {
	p, ok := v.files[sha]
	if !ok {
		return nil, evidence.ErrNotFound
	}
	return os.Open(p)
}

// cachedPhotos adds the PrintCopies a store offers once derived copies exist.
type cachedPhotos struct{ *photoVault }

func (c cachedPhotos) PrintCopy(sha string) ([]byte, string, error) {
	p, ok := c.print[sha]
	if !ok {
		return nil, "", evidence.ErrNotFound
	}
	b, err := os.ReadFile(p)
	return b, "jpeg", err
}

func photoCase(b *testing.B, n, w, h int) (evidence.Dossier, *photoVault) {
	d, _ := fixtureDossier(b)
	d.Exhibits = nil
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("disputekit-bench-%dx%d", w, h))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	v := &photoVault{dir: dir, files: map[string]string{}, print: map[string]string{}}
	paths := make([][2]string, n)
	var g errgroup
	for i := range n {
		photo := filepath.Join(dir, fmt.Sprintf("photo-%03d.jpg", i))
		print := filepath.Join(dir, fmt.Sprintf("print-%03d.jpg", i))
		paths[i] = [2]string{photo, print}
		g.Go(func() error {
			if _, err := os.Stat(print); err == nil {
				return nil
			}
			data, err := phonePhoto(w, h, uint64(i))
			if err != nil {
				return err
			}
			cp, _, err := picture.PrintCopy(bytes.NewReader(data), picture.Print.MaxW, picture.Print.MaxH)
			if err != nil {
				return err
			}
			if err := os.WriteFile(photo, data, 0o644); err != nil {
				return err
			}
			return os.WriteFile(print, cp, 0o644)
		})
	}
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
	for i, p := range paths {
		data, err := os.ReadFile(p[0])
		if err != nil {
			b.Fatal(err)
		}
		sum := sha256.Sum256(data)
		sha := hex.EncodeToString(sum[:])
		v.files[sha], v.print[sha] = p[0], p[1]
		v.total += int64(len(data))
		d.Exhibits = append(d.Exhibits, evidence.Exhibit{
			ID: int64(i + 1), Seq: i + 1, Kind: evidence.KindPhoto, Title: fmt.Sprintf("现场照片 %d", i+1), Source: "本人拍摄",
			Purpose: "证明终端与商户招牌", SHA256: sha, Size: int64(len(data)), OriginalName: filepath.Base(p[0]), MediaType: "image/jpeg",
		})
	}
	return d, v
}

// errgroup runs functions on as many goroutines as there are CPUs.
type errgroup struct {
	wg   sync.WaitGroup
	sem  chan struct{}
	once sync.Once
	err  error
	mu   sync.Mutex
}

func (g *errgroup) Go(f func() error) {
	g.once.Do(func() { g.sem = make(chan struct{}, runtime.GOMAXPROCS(0)) })
	g.wg.Add(1)
	g.sem <- struct{}{}
	go func() {
		defer func() { <-g.sem; g.wg.Done() }()
		if err := f(); err != nil {
			g.mu.Lock()
			g.err = err
			g.mu.Unlock()
		}
	}()
}

func (g *errgroup) Wait() error { g.wg.Wait(); return g.err }

// peakHeap samples the heap while f runs.
func peakHeap(f func()) uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	f()
	close(done)
	return peak.Load()
}

// BenchmarkCaseFile200Photos renders a case file with 200 twelve-megapixel
// phone photos: "cached" embeds the print copies a store made at attach
// time, "uncached" makes them during the export, and "wrap-only" is the
// yardstick of a tool that only wraps the original JPEGs into pages.
func BenchmarkCaseFile200Photos(b *testing.B) {
	d, v := photoCase(b, 200, 3000, 4000)
	run := func(b *testing.B, render func(w io.Writer) error) {
		b.ReportAllocs()
		var size int
		var peak uint64
		for b.Loop() {
			var buf bytes.Buffer
			runtime.GC()
			peak = max(peak, peakHeap(func() {
				if err := render(&buf); err != nil {
					b.Fatal(err)
				}
			}))
			size = buf.Len()
		}
		b.ReportMetric(float64(size)/(1<<20), "pdf-MiB")
		b.ReportMetric(float64(v.total)/(1<<20), "photos-MiB")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	}
	b.Run("cached", func(b *testing.B) {
		run(b, func(w io.Writer) error { return WriteCaseFilePDF(w, d, templates.Chinese, cachedPhotos{v}) })
	})
	b.Run("uncached", func(b *testing.B) {
		run(b, func(w io.Writer) error { return WriteCaseFilePDF(w, d, templates.Chinese, v) })
	})
	b.Run("wrap-only", func(b *testing.B) {
		run(b, func(w io.Writer) error {
			pdf := gofpdf.New("P", "mm", "A4", "")
			for _, e := range d.Exhibits {
				f, err := os.Open(v.files[e.SHA256])
				if err != nil {
					return err
				}
				pdf.AddPage()
				pdf.RegisterImageOptionsReader(e.SHA256, gofpdf.ImageOptions{ImageType: "JPG"}, f)
				f.Close()
				pdf.ImageOptions(e.SHA256, 20, 20, 170, 0, false, gofpdf.ImageOptions{ImageType: "JPG"}, 0, "")
			}
			return pdf.Output(w)
		})
	})
}

func BenchmarkWriteLetterPDF(b *testing.B) {
	l, v := fixtureLetter(b, templates.Chinese)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteLetterPDF(io.Discard, l, v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteLetterXLSX50k writes a letter whose case has 50,000
// transactions (a merchant's year of acquirer exports).
func BenchmarkWriteLetterXLSX50k(b *testing.B) {
	l, _ := fixtureLetter(b, templates.Chinese)
	base := l.Dossier.Transactions[0]
	l.Dossier.Transactions = make([]evidence.Transaction, 50_000)
	for i := range l.Dossier.Transactions {
		tx := base
		tx.ID = int64(i + 1)
		tx.Time = base.Time.Add(time.Duration(i) * time.Minute)
		tx.Amount = evidence.Money(100 + i)
		tx.RRN = fmt.Sprintf("63%010d", i)
		l.Dossier.Transactions[i] = tx
	}
	b.ReportAllocs()
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteLetterXLSX(&buf, l); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size)/(1<<20), "xlsx-MiB")
}
