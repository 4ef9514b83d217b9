package picture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/disintegration/imaging"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

// tiffEXIF builds a little-endian EXIF block ("Exif\0\0" + TIFF) with IFD0
// holding Orientation, Make and Model, and an EXIF sub-IFD with DateTimeOriginal.
func tiffEXIF(orientation int, mk, model, taken string) []byte {
	le := binary.LittleEndian
	type entry struct {
		tag, typ uint16
		count    uint32
		value    []byte // inline when ≤ 4 bytes
	}
	ascii := func(s string) []byte { return append([]byte(s), 0) }
	short := func(v int) []byte { b := make([]byte, 2); le.PutUint16(b, uint16(v)); return b }
	var ifd0 []entry
	if orientation > 0 {
		ifd0 = append(ifd0, entry{0x0112, 3, 1, short(orientation)})
	}
	if mk != "" {
		ifd0 = append(ifd0, entry{0x010F, 2, uint32(len(mk) + 1), ascii(mk)})
	}
	if model != "" {
		ifd0 = append(ifd0, entry{0x0110, 2, uint32(len(model) + 1), ascii(model)})
	}
	var sub []entry
	if taken != "" {
		sub = append(sub, entry{0x9003, 2, uint32(len(taken) + 1), ascii(taken)})
		ifd0 = append(ifd0, entry{0x8769, 4, 1, nil}) // patched below
	}
	var buf bytes.Buffer
	buf.WriteString("II*\x00")
	_ = binary.Write(&buf, le, uint32(8))
	// write an IFD at the current offset; data follows the IFD.
	writeIFD := func(es []entry, subOffset func(int) uint32) {
		start := buf.Len()
		dataOff := start + 2 + 12*len(es) + 4
		var data bytes.Buffer
		_ = binary.Write(&buf, le, uint16(len(es)))
		for _, e := range es {
			_ = binary.Write(&buf, le, e.tag)
			_ = binary.Write(&buf, le, e.typ)
			_ = binary.Write(&buf, le, e.count)
			switch {
			case e.tag == 0x8769:
				_ = binary.Write(&buf, le, subOffset(dataOff+data.Len()))
			case len(e.value) <= 4:
				v := make([]byte, 4)
				copy(v, e.value)
				buf.Write(v)
			default:
				_ = binary.Write(&buf, le, uint32(dataOff+data.Len()))
				data.Write(e.value)
				if data.Len()%2 == 1 {
					data.WriteByte(0)
				}
			}
		}
		_ = binary.Write(&buf, le, uint32(0))
		buf.Write(data.Bytes())
	}
	// The sub-IFD goes right after IFD0's data: compute IFD0's size first.
	ifd0Size := 2 + 12*len(ifd0) + 4
	for _, e := range ifd0 {
		if e.tag != 0x8769 && len(e.value) > 4 {
			ifd0Size += len(e.value) + len(e.value)%2
		}
	}
	writeIFD(ifd0, func(int) uint32 { return uint32(8 + ifd0Size) })
	if len(sub) > 0 {
		writeIFD(sub, nil)
	}
	return append([]byte("Exif\x00\x00"), buf.Bytes()...)
}

// withAPP1 inserts an APP1 segment right after a JPEG's SOI marker.
func withAPP1(jpg, payload []byte) []byte {
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

// halves is a w×h image, red on the left half and blue on the right.
func halves(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{255, 0, 0, 255}
			if x >= w/2 {
				c = color.RGBA{0, 0, 255, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func encJPEG(t testing.TB, img image.Image) []byte {
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}))
	return buf.Bytes()
}

func encPNG(t testing.TB, img image.Image) []byte {
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// pngHeader is a PNG signature and a valid IHDR declaring w×h, and nothing else.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	_ = binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func isRed(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r > 0xC000 && g < 0x4000 && b < 0x4000
}

func isBlue(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return b > 0xC000 && r < 0x4000 && g < 0x4000
}

func TestInspectReadsEXIF(t *testing.T) {
	jpg := withAPP1(encJPEG(t, halves(40, 20)), tiffEXIF(6, "HUAWEI", "HUAWEI P30", "2026:11:20 14:03:05"))
	info, err := Inspect(bytes.NewReader(jpg))
	require.NoError(t, err)
	assert.Equal(t, "jpeg", info.Format)
	assert.Equal(t, 40, info.Width)
	assert.Equal(t, 20, info.Height)
	assert.Equal(t, 6, info.Orientation)
	assert.Equal(t, "HUAWEI P30", info.Camera)
	assert.True(t, info.Captured.Equal(time.Date(2026, 11, 20, 14, 3, 5, 0, evidence.Shanghai)), "captured %v", info.Captured)
	w, h := info.DisplaySize()
	assert.Equal(t, [2]int{20, 40}, [2]int{w, h})
	assert.False(t, LooksLikeScreenshot(info), "a camera photo is no screenshot")
}

func TestInspectWithoutEXIF(t *testing.T) {
	for name, data := range map[string][]byte{
		"jpeg": encJPEG(t, halves(30, 10)),
		"png":  encPNG(t, halves(30, 10)),
	} {
		t.Run(name, func(t *testing.T) {
			info, err := Inspect(bytes.NewReader(data))
			require.NoError(t, err)
			assert.Equal(t, Info{Format: name, Width: 30, Height: 10, Orientation: 1}, info)
		})
	}
}

func TestInspectRefuses(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"text", []byte("hello, this is not a picture"), ErrNotImage},
		{"empty", nil, ErrNotImage},
		{"giant png", pngHeader(60000, 60000), ErrTooLarge},
		{"zero width png", pngHeader(0, 10), ErrNotImage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Inspect(bytes.NewReader(tt.data))
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

// allocated returns how many bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestGiantImageRefusedWithoutAllocating(t *testing.T) {
	hdr := pngHeader(60000, 60000) // 3.6 gigapixels, 14 GB as RGBA
	var errs [3]error
	n := allocated(func() {
		_, errs[0] = Inspect(bytes.NewReader(hdr))
		_, _, errs[1] = PrintCopy(bytes.NewReader(hdr), 1400, 2000)
		_, errs[2] = Thumbnail(bytes.NewReader(hdr), 256)
	})
	for _, err := range errs {
		assert.ErrorIs(t, err, ErrTooLarge)
	}
	assert.Less(t, n, uint64(1<<20), "refusing a giant image allocated %d bytes", n)
}

func TestPrintCopyAppliesOrientation(t *testing.T) {
	// Stored 400×200 with red left, blue right; orientation 6 means "turn 90°
	// clockwise to display", so upright the red half is on top.
	jpg := withAPP1(encJPEG(t, halves(400, 200)), tiffEXIF(6, "", "", ""))
	out, format, err := PrintCopy(bytes.NewReader(jpg), 100, 100)
	require.NoError(t, err)
	assert.Equal(t, "jpeg", format)
	img, _, err := image.Decode(bytes.NewReader(out))
	require.NoError(t, err)
	assert.Equal(t, image.Pt(50, 100), img.Bounds().Size())
	assert.True(t, isRed(img.At(25, 10)), "top is %v", img.At(25, 10))
	assert.True(t, isBlue(img.At(25, 90)), "bottom is %v", img.At(25, 90))

	thumb, err := Thumbnail(bytes.NewReader(jpg), 64)
	require.NoError(t, err)
	cfg, _, err := image.DecodeConfig(bytes.NewReader(thumb))
	require.NoError(t, err)
	assert.Equal(t, [2]int{32, 64}, [2]int{cfg.Width, cfg.Height})
}

func TestPrintCopyOrientations(t *testing.T) {
	// For each orientation, where the red (left-stored) half ends up.
	tests := []struct {
		o        int
		w, h     int
		redAt    image.Point
		blueAt   image.Point
		describe string
	}{
		{1, 40, 20, image.Pt(5, 10), image.Pt(35, 10), "as stored"},
		{2, 40, 20, image.Pt(35, 10), image.Pt(5, 10), "mirrored"},
		{3, 40, 20, image.Pt(35, 10), image.Pt(5, 10), "upside down"},
		{6, 20, 40, image.Pt(10, 5), image.Pt(10, 35), "turned clockwise"},
		{8, 20, 40, image.Pt(10, 35), image.Pt(10, 5), "turned anticlockwise"},
	}
	for _, tt := range tests {
		t.Run(tt.describe, func(t *testing.T) {
			jpg := withAPP1(encJPEG(t, halves(40, 20)), tiffEXIF(tt.o, "", "", ""))
			out, _, err := PrintCopy(bytes.NewReader(jpg), 1000, 1000)
			require.NoError(t, err)
			img, _, err := image.Decode(bytes.NewReader(out))
			require.NoError(t, err)
			assert.Equal(t, image.Pt(tt.w, tt.h), img.Bounds().Size())
			assert.True(t, isRed(img.At(tt.redAt.X, tt.redAt.Y)))
			assert.True(t, isBlue(img.At(tt.blueAt.X, tt.blueAt.Y)))
		})
	}
}

func TestPrintCopyKeepsSmallUprightJPEG(t *testing.T) {
	jpg := encJPEG(t, halves(300, 200))
	out, format, err := PrintCopy(bytes.NewReader(jpg), 1400, 2000)
	require.NoError(t, err)
	assert.Equal(t, "jpeg", format)
	assert.Equal(t, jpg, out, "a JPEG that fits is embedded as it is")
}

func TestPrintCopyScreenshotStaysPNG(t *testing.T) {
	shot := halves(1080, 2340)
	out, format, err := PrintCopy(bytes.NewReader(encPNG(t, shot)), 1400, 2000)
	require.NoError(t, err)
	assert.Equal(t, "png", format)
	cfg, err := png.DecodeConfig(bytes.NewReader(out))
	require.NoError(t, err)
	assert.Equal(t, 2000, cfg.Height)
	assert.InDelta(t, 923, cfg.Width, 1)

	info, err := Inspect(bytes.NewReader(encPNG(t, shot)))
	require.NoError(t, err)
	assert.True(t, LooksLikeScreenshot(info))
}

func TestPrintCopySixteenBitPNGBecomesEightBit(t *testing.T) {
	for name, img := range map[string]image.Image{
		"rgba64": image.NewRGBA64(image.Rect(0, 0, 300, 600)),
		"gray16": image.NewGray16(image.Rect(0, 0, 300, 600)),
	} {
		t.Run(name, func(t *testing.T) {
			out, format, err := PrintCopy(bytes.NewReader(encPNG(t, img)), 1400, 2000)
			require.NoError(t, err)
			require.Equal(t, "png", format)
			// IHDR bit depth is byte 24 of a PNG.
			assert.Equal(t, byte(8), out[24], "bit depth")
		})
	}
}

func TestPrintCopyNoisyPNGBecomesJPEG(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 1200, 900))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.IntN(256))
	}
	out, format, err := PrintCopy(bytes.NewReader(encPNG(t, img)), 1400, 2000)
	require.NoError(t, err)
	assert.Equal(t, "jpeg", format, "a photo-like PNG over 1 MiB is re-encoded as JPEG")
	_, err = jpeg.DecodeConfig(bytes.NewReader(out))
	assert.NoError(t, err)
}

func TestPrintCopyTruncatedJPEG(t *testing.T) {
	jpg := encJPEG(t, halves(400, 300))
	_, _, err := PrintCopy(bytes.NewReader(jpg[:len(jpg)/2]), 1400, 2000)
	require.Error(t, err)
	_, err = Thumbnail(bytes.NewReader(jpg[:len(jpg)/2]), 100)
	require.Error(t, err)
	_, _, err = PrintCopy(bytes.NewReader([]byte("not an image")), 1400, 2000)
	assert.ErrorIs(t, err, ErrNotImage)
	_, _, err = PrintCopy(bytes.NewReader(jpg), 0, 100)
	assert.ErrorIs(t, err, evidence.ErrInvalid)
}

func TestLooksLikeScreenshot(t *testing.T) {
	tests := []struct {
		info Info
		want bool
	}{
		{Info{Format: "png", Width: 1080, Height: 2340}, true},
		{Info{Format: "jpeg", Width: 1170, Height: 2532}, true},
		{Info{Format: "png", Width: 2400, Height: 1080}, true}, // landscape screenshot
		{Info{Format: "jpeg", Width: 4000, Height: 3000}, false},
		{Info{Format: "jpeg", Width: 1080, Height: 2340, Camera: "Apple iPhone 13"}, false},
		{Info{Format: "png", Width: 100, Height: 200}, false}, // an icon
		{Info{}, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, LooksLikeScreenshot(tt.info), "%+v", tt.info)
	}
}

func TestHalveYCbCr(t *testing.T) {
	for _, ratio := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422} {
		src := image.NewYCbCr(image.Rect(0, 0, 9, 6), ratio)
		for y := 0; y < 6; y++ {
			for x := 0; x < 9; x++ {
				src.Y[src.YOffset(x, y)] = uint8(20 * x)
				c := src.COffset(x, y)
				src.Cb[c], src.Cr[c] = 128, 128
			}
		}
		got := halveYCbCr(src)
		assert.Equal(t, image.Pt(4, 3), got.Bounds().Size())
		// Output (1, 0) averages luma columns 2 and 3: (40+60)/2 = 50, grey.
		assert.Equal(t, color.RGBA{50, 50, 50, 255}, got.RGBAAt(1, 0), "ratio %v", ratio)
	}
}

func TestPrintCopyOfBigPhotoKeepsColours(t *testing.T) {
	// Big enough to be halved first: red left, blue right must survive.
	jpg := encJPEG(t, halves(3000, 2000))
	out, _, err := PrintCopy(bytes.NewReader(jpg), 700, 700)
	require.NoError(t, err)
	img, _, err := image.Decode(bytes.NewReader(out))
	require.NoError(t, err)
	assert.Equal(t, image.Pt(700, 467), img.Bounds().Size())
	assert.True(t, isRed(img.At(100, 200)), "%v", img.At(100, 200))
	assert.True(t, isBlue(img.At(600, 200)), "%v", img.At(600, 200))
}

func TestFit(t *testing.T) {
	tests := []struct{ w, h, mw, mh, ww, wh int }{
		{4000, 3000, 1400, 2000, 1400, 1050},
		{3000, 4000, 1400, 2000, 1400, 1867},
		{1000, 4000, 1400, 2000, 500, 2000},
		{100, 100, 1400, 2000, 100, 100},
		{10000, 1, 100, 100, 100, 1},
	}
	for _, tt := range tests {
		w, h := fit(tt.w, tt.h, tt.mw, tt.mh)
		assert.Equal(t, [2]int{tt.ww, tt.wh}, [2]int{w, h}, "%+v", tt)
	}
}

func FuzzInspect(f *testing.F) {
	f.Add(withAPP1(encJPEG(f, halves(8, 4)), tiffEXIF(6, "Canon", "EOS", "2026:01:02 03:04:05")))
	f.Add(encPNG(f, halves(4, 4)))
	f.Add(pngHeader(60000, 60000))
	f.Add(withAPP1([]byte{0xFF, 0xD8, 0xFF, 0xD9}, []byte("Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff\xff")))
	f.Add([]byte("GIF89a\x01\x00\x01\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := Inspect(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrNotImage) && !errors.Is(err, ErrTooLarge) {
				// seek/read errors cannot happen on a bytes.Reader
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if info.Orientation < 1 || info.Orientation > 8 {
			t.Fatalf("orientation %d", info.Orientation)
		}
		if int64(info.Width)*int64(info.Height) > MaxPixels {
			t.Fatalf("accepted %d×%d", info.Width, info.Height)
		}
	})
}

func BenchmarkPrintCopy(b *testing.B) {
	img := image.NewYCbCr(image.Rect(0, 0, 4000, 3000), image.YCbCrSubsampleRatio420)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range img.Y {
		img.Y[i] = uint8(i%4000/16) + uint8(rng.IntN(32))
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = uint8(i%256), uint8(rng.IntN(256))
	}
	jpg := encJPEG(b, img)
	b.SetBytes(int64(len(jpg)))
	b.ReportAllocs()
	b.ResetTimer()
	var out []byte
	for b.Loop() {
		var err error
		out, _, err = PrintCopy(bytes.NewReader(jpg), 1400, 2000)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(out)), "out-bytes")
}

func TestResampleRGBAMatchesImaging(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 301, 203))
	rng := rand.New(rand.NewPCG(1, 2))
	for y := 0; y < 203; y++ {
		for x := 0; x < 301; x++ {
			v := uint8(x*255/300) ^ uint8(rng.IntN(16))
			src.SetRGBA(x, y, color.RGBA{v, uint8(y), 255 - v, 255})
		}
	}
	for _, size := range [][2]int{{150, 101}, {280, 190}, {40, 27}, {301, 203}, {400, 260}} {
		got := resampleRGBA(src, size[0], size[1])
		want := imaging.Resize(src, size[0], size[1], imaging.CatmullRom)
		require.Equal(t, want.Bounds(), got.Bounds())
		worst := 0
		for i := range got.Pix {
			worst = max(worst, absInt(int(got.Pix[i])-int(want.Pix[i])))
		}
		assert.LessOrEqual(t, worst, 2, "%v: largest difference from imaging's Catmull-Rom", size)
	}
	flat := image.NewRGBA(image.Rect(0, 0, 64, 64))
	draw.Draw(flat, flat.Bounds(), &image.Uniform{color.RGBA{200, 100, 50, 255}}, image.Point{}, draw.Src)
	out := resampleRGBA(flat, 17, 29)
	for i := 0; i < len(out.Pix); i += 4 {
		require.Equal(t, []uint8{200, 100, 50, 255}, out.Pix[i:i+4], "a flat area stays flat")
	}
}

func TestHalveRGBA(t *testing.T) {
	img := halves(8, 4)
	sub := img.SubImage(image.Rect(1, 0, 7, 4)).(*image.RGBA) // not at the origin
	h, ok := halve(sub)
	require.True(t, ok)
	assert.Equal(t, image.Rect(0, 0, 3, 2), h.Bounds())
	assert.True(t, isRed(h.At(0, 0)))
	assert.True(t, isBlue(h.At(2, 1)))
	r, _, b, _ := h.At(1, 0).RGBA() // the block straddling red and blue
	assert.InDelta(t, 0x8000, r, 0x200)
	assert.InDelta(t, 0x8000, b, 0x200)
}

func absInt(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func TestOrient420MatchesImaging(t *testing.T) {
	src := image.NewYCbCr(image.Rect(0, 0, 6, 4), image.YCbCrSubsampleRatio420)
	rng := rand.New(rand.NewPCG(5, 6))
	for _, p := range [][]byte{src.Y, src.Cb, src.Cr} {
		for i := range p {
			p[i] = uint8(rng.IntN(256))
		}
	}
	for o := 2; o <= 8; o++ {
		got := orient420(src, o)
		want := orient(imaging.Clone(src), o) // the NRGBA path
		require.Equal(t, want.Bounds(), got.Bounds(), "orientation %d", o)
		for y := 0; y < got.Rect.Dy(); y++ {
			for x := 0; x < got.Rect.Dx(); x++ {
				require.Equal(t, color.NRGBAModel.Convert(got.At(x, y)), want.At(x, y), "orientation %d at %d,%d", o, x, y)
			}
		}
	}
}

func TestScale420KeepsPlanesAndSize(t *testing.T) {
	src := image.NewYCbCr(image.Rect(0, 0, 1001, 601), image.YCbCrSubsampleRatio420)
	for i := range src.Y {
		src.Y[i] = 100
	}
	for i := range src.Cb {
		src.Cb[i], src.Cr[i] = 90, 160
	}
	out := scale(src, 6, 200, 300) // turned: fits 300×200 as stored
	m, ok := out.(*image.YCbCr)
	require.True(t, ok, "a 4:2:0 photo stays 4:2:0 through halving and resizing")
	assert.Equal(t, image.Rect(0, 0, 300, 180), m.Rect)
	assert.Equal(t, uint8(100), m.Y[m.YOffset(299, 179)])
	assert.Equal(t, uint8(90), m.Cb[m.COffset(150, 90)])
	assert.Equal(t, uint8(160), m.Cr[m.COffset(0, 0)])
}
