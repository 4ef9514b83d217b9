package picture

import (
	"image"
	"testing"

	"github.com/disintegration/imaging"
)

// The final resize of a 12-megapixel photo's print copy: from the halved
// 2016×1512 to 1867×1400.
func benchResize(b *testing.B, resize func(*image.RGBA)) {
	src := image.NewRGBA(image.Rect(0, 0, 2016, 1512))
	for i := range src.Pix {
		src.Pix[i] = uint8(i * 7)
	}
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		resize(src)
	}
	reportCPU(b, c0)
}

func BenchmarkResampleRGBA(b *testing.B) {
	benchResize(b, func(src *image.RGBA) { resampleRGBA(src, 1867, 1400) })
}

func BenchmarkImagingResize(b *testing.B) {
	benchResize(b, func(src *image.RGBA) { imaging.Resize(src, 1867, 1400, imaging.CatmullRom) })
}
