package picture

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// phonePhoto is a w×h JPEG that compresses like a phone photo (smooth
// light, edges, text-sized detail and sensor noise: about 1.4 MB at 12
// megapixels, the size of the 40 photos), stored turned as phones
// store portrait photos (EXIF orientation 6).
func phonePhoto(tb testing.TB, w, h int, seed uint64) []byte {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	rng := rand.New(rand.NewPCG(seed, seed+1))
	fx, fy := 2+rng.Float64()*6, 2+rng.Float64()*6
	for y := 0; y < h; y++ {
		cy := math.Cos(fy * float64(y) / float64(h))
		for x := 0; x < w; x++ {
			v := 90 + 60*math.Sin(fx*float64(x)/float64(w)+float64(seed))*cy + float64(x*50/w) + float64(rng.IntN(6))
			if (x/40+y/40)%7 == 0 && (x%40 < 4 || y%40 < 4) { // strokes like print on a slip
				v -= 70
			}
			img.Y[y*img.YStride+x] = uint8(min(max(v, 0), 255))
		}
	}
	for y := 0; y < h/2; y++ {
		for x := 0; x < w/2; x++ {
			img.Cb[y*img.CStride+x] = uint8(100 + (x*40)/w + int(seed%20))
			img.Cr[y*img.CStride+x] = uint8(120 + (y*40)/h)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 88}); err != nil {
		tb.Fatal(err)
	}
	return withAPP1(buf.Bytes(), tiffEXIF(6, "HUAWEI", "HUAWEI P30", "2026:11:20 14:03:05"))
}

var (
	photosOnce sync.Once
	photos     [][]byte
)

// fortyPhotos is 40 distinct 12-megapixel phone photos (4032×3024): four
// drawn ones, each saved ten times with a different JPEG comment, so every
// file has its own hash and is decoded in full.
func fortyPhotos(tb testing.TB) [][]byte {
	photosOnce.Do(func() {
		base := make([][]byte, 4)
		var wg sync.WaitGroup
		for i := range base {
			wg.Go(func() { base[i] = phonePhoto(tb, 4032, 3024, uint64(i)) })
		}
		wg.Wait()
		for i := range 40 {
			photos = append(photos, withCOM(base[i%4], fmt.Sprintf("photo %d", i)))
		}
	})
	return photos
}

// withCOM inserts a JPEG comment segment after the SOI marker.
func withCOM(jpg []byte, text string) []byte {
	seg := []byte{0xFF, 0xFE, byte((len(text) + 2) >> 8), byte(len(text) + 2)}
	out := append(append(append([]byte{}, jpg[:2]...), seg...), text...)
	return append(out, jpg[2:]...)
}

// memStore keeps derived images in memory, as the vault would on disk.
type memStore struct {
	mu      sync.Mutex
	blobs   map[string][]byte
	derived map[string]string
}

func newMemStore() *memStore {
	return &memStore{blobs: map[string][]byte{}, derived: map[string]string{}}
}

func (m *memStore) PutBlob(r io.Reader) (string, int64, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return "", 0, err
	}
	sum := sha256.Sum256(b)
	sha := hex.EncodeToString(sum[:])
	m.mu.Lock()
	m.blobs[sha] = b
	m.mu.Unlock()
	return sha, int64(len(b)), nil
}

func (m *memStore) SetDerived(_ context.Context, orig, kind, derived string) error {
	m.mu.Lock()
	m.derived[orig+"/"+kind] = derived
	m.mu.Unlock()
	return nil
}

func shaOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// BenchmarkDerive is one 12-megapixel photo: decoded once, print copy and
// thumbnail made from the same pixels.
func BenchmarkDerive(b *testing.B) {
	jpg := fortyPhotos(b)[0]
	b.SetBytes(int64(len(jpg)))
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		if _, err := Derive(bytes.NewReader(jpg)); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, c0)
}

// reportCPU reports the CPU time per op since c0: on this shared machine
// it says more than the wall clock.
func reportCPU(b *testing.B, c0 time.Duration) {
	b.ReportMetric(float64((cpuTime()-c0).Milliseconds())/float64(b.N), "cpu-ms/op")
}

// BenchmarkThumbnailThenPrintCopy is what attaching a photo did before
// Derive: two decodes of the same photo.
func BenchmarkThumbnailThenPrintCopy(b *testing.B) {
	jpg := fortyPhotos(b)[0]
	b.SetBytes(int64(len(jpg)))
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		if _, err := Thumbnail(bytes.NewReader(jpg), Thumb.MaxW); err != nil {
			b.Fatal(err)
		}
		if _, _, err := PrintCopy(bytes.NewReader(jpg), Print.MaxW, Print.MaxH); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, c0)
}

// BenchmarkIntake40Photos is the 40 × 12 MP attach: every photo's
// print copy and thumbnail made on the Intake's pool. peak-heap-MiB is the
// largest heap seen while it runs beyond the photos themselves (sampled
// every 10 ms); BenchmarkIntake10Photos shows it does not grow with the
// number of photos.
func BenchmarkIntake40Photos(b *testing.B) { benchIntake(b, fortyPhotos(b)) }

// BenchmarkIntake10Photos is the first ten of the same photos.
func BenchmarkIntake10Photos(b *testing.B) { benchIntake(b, fortyPhotos(b)[:10]) }

func benchIntake(b *testing.B, ps [][]byte) {
	var total int64
	for _, p := range ps {
		total += int64(len(p))
	}
	b.SetBytes(total)
	b.ReportAllocs()
	// The photos themselves are the test's, not the intake's.
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	baseline := ms.HeapAlloc
	var peak atomic.Uint64
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Go(func() {
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > baseline && ms.HeapAlloc-baseline > peak.Load() {
				peak.Store(ms.HeapAlloc - baseline)
			}
		}
	})
	c0 := cpuTime()
	for b.Loop() {
		st := newMemStore()
		in := NewIntake(context.Background(), st, nil)
		for i, p := range ps {
			in.Add(Picture{SHA256: shaOf(p), Name: fmt.Sprint(i), Open: func() (io.ReadCloser, error) {
				return io.NopCloser(bytes.NewReader(p)), nil
			}})
		}
		if err := in.Wait(); err != nil {
			b.Fatal(err)
		}
		if len(st.derived) != 2*len(ps) {
			b.Fatalf("%d derived images for %d photos", len(st.derived), len(ps))
		}
	}
	reportCPU(b, c0)
	close(stop)
	sampler.Wait()
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
}
