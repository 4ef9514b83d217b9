// Package picture owns everything DisputeKit does with evidence photos and
// screenshots: a cheap header-and-EXIF look (Inspect), the guess whether an
// image is a phone screenshot, and the derived images: the one table of
// their kinds and sizes (Thumb, Print), making both from one decode
// (Derive), and storing them for many pictures at once on a pool of
// workers with progress (Intake) — what the GUI, dk attach and dk import
// all call when a photo is attached. Every function refuses images whose
// declared size is absurd before it decodes a single pixel, and applies
// the EXIF orientation that Go's decoders ignore.
package picture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/gif"  // registered for DecodeConfig/Decode
	_ "image/jpeg" // registered for DecodeConfig/Decode
	"io"
	"strings"
	"time"

	"github.com/disintegration/imaging"
	"github.com/rwcarlsen/goexif/exif"
	"github.com/rwcarlsen/goexif/tiff"

	"github.com/disputekit/disputekit/evidence"
)

// MaxPixels is the largest image (width × height, as declared in its header)
// the package will decode. A 50-megapixel RGBA image already needs 200 MB.
const MaxPixels = 50_000_000

// maxFileBytes caps how much of a file PrintCopy and Thumbnail read.
const maxFileBytes = 256 << 20

var (
	// ErrTooLarge is returned for images whose declared dimensions exceed MaxPixels.
	ErrTooLarge = errors.New("image too large")
	// ErrNotImage is returned for data that is not a JPEG, PNG or GIF image.
	ErrNotImage = errors.New("not an image")
)

// Info is what Inspect learns from an image without decoding its pixels.
// Width and Height are as stored; Orientation (EXIF 1..8, 1 when absent)
// says how to turn the stored pixels for display.
type Info struct {
	Format      string    `json:"format"` // "jpeg", "png", "gif"
	Width       int       `json:"width"`
	Height      int       `json:"height"`
	Orientation int       `json:"orientation"`
	Captured    time.Time `json:"captured,omitempty"` // EXIF DateTimeOriginal, Shanghai when it has no offset
	Camera      string    `json:"camera,omitempty"`   // EXIF Make + Model
}

// DisplaySize is the size of the image once its orientation is applied.
func (i Info) DisplaySize() (w, h int) {
	if i.Orientation >= 5 && i.Orientation <= 8 {
		return i.Height, i.Width
	}
	return i.Width, i.Height
}

// Inspect reads an image's header and EXIF block: format, size, orientation,
// capture time and camera. It never decodes pixels. Images declaring more than
// MaxPixels give ErrTooLarge; anything that is not an image gives ErrNotImage.
// A damaged EXIF block is ignored (the image is still an image).
func Inspect(r io.ReadSeeker) (Info, error) {
	cfg, format, err := image.DecodeConfig(r)
	if err != nil {
		return Info{}, fmt.Errorf("inspect image: %w: %v", ErrNotImage, err)
	}
	info := Info{Format: format, Width: cfg.Width, Height: cfg.Height, Orientation: 1}
	if err := checkSize(cfg); err != nil {
		return info, fmt.Errorf("inspect image: %w", err)
	}
	if format != "jpeg" {
		return info, nil
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return info, fmt.Errorf("inspect image: %w", err)
	}
	// The EXIF block sits before the first scan; 1 MiB is more than enough
	// for the markers that precede it (APP1 is at most 64 KiB).
	head, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return info, fmt.Errorf("inspect image: %w", err)
	}
	readEXIF(head, &info)
	return info, nil
}

func checkSize(cfg image.Config) error {
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return fmt.Errorf("%w: empty image %d×%d", ErrNotImage, cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return fmt.Errorf("%w: %d×%d pixels (at most %d)", ErrTooLarge, cfg.Width, cfg.Height, MaxPixels)
	}
	return nil
}

// jpegEXIF finds the APP1 "Exif" segment of a JPEG by walking its markers up
// to the first scan, so a photo without EXIF is never read to its end.
func jpegEXIF(b []byte) []byte {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil
	}
	i := 2
	for i+4 <= len(b) {
		if b[i] != 0xFF {
			return nil
		}
		marker := b[i+1]
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		if marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7) {
			i += 2
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan / end of image
			return nil
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return nil
		}
		seg := b[i+4 : i+2+n]
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return seg
		}
		i += 2 + n
	}
	return nil
}

// readEXIF fills orientation, capture time and camera from a JPEG's EXIF
// block. goexif is not hardened against hostile input, so a panic in it is
// treated like a missing block.
func readEXIF(jpegHead []byte, info *Info) {
	seg := jpegEXIF(jpegHead)
	if seg == nil {
		return
	}
	defer func() { _ = recover() }()
	x, err := exif.Decode(bytes.NewReader(seg))
	if err != nil && x == nil {
		return
	}
	if tag, err := x.Get(exif.Orientation); err == nil {
		if o, err := tag.Int(0); err == nil && o >= 1 && o <= 8 {
			info.Orientation = o
		}
	}
	if tag, err := x.Get(exif.DateTimeOriginal); err == nil && tag.Format() == tiff.StringVal {
		s := strings.TrimRight(string(tag.Val), "\x00 ")
		if t, err := time.ParseInLocation("2006:01:02 15:04:05", s, evidence.Shanghai); err == nil {
			info.Captured = t
		}
	}
	var cam []string
	for _, f := range []exif.FieldName{exif.Make, exif.Model} {
		if tag, err := x.Get(f); err == nil && tag.Format() == tiff.StringVal {
			if s := strings.TrimSpace(strings.TrimRight(string(tag.Val), "\x00")); s != "" {
				cam = append(cam, s)
			}
		}
	}
	// Many makers repeat the make in the model ("Apple" "iPhone 13" vs "HUAWEI" "HUAWEI P30").
	if len(cam) == 2 && strings.HasPrefix(strings.ToLower(cam[1]), strings.ToLower(cam[0])) {
		cam = cam[1:]
	}
	info.Camera = strings.Join(cam, " ")
}

// LooksLikeScreenshot guesses whether an image is a phone screenshot: no
// camera in its EXIF and the tall (or wide) aspect of a phone screen.
func LooksLikeScreenshot(i Info) bool {
	if i.Camera != "" || i.Width <= 0 || i.Height <= 0 {
		return false
	}
	long, short := i.Width, i.Height
	if short > long {
		long, short = short, long
	}
	ratio := float64(long) / float64(short)
	return short >= 480 && ratio >= 1.6 && ratio <= 2.4
}

// decoded is an image read into memory with what Inspect knows about it.
type decoded struct {
	info Info
	data []byte
	img  image.Image
}

// load reads r fully, checks the declared size and decodes the pixels.
func load(r io.Reader) (decoded, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileBytes+1))
	if err != nil {
		return decoded{}, err
	}
	if len(data) > maxFileBytes {
		return decoded{}, fmt.Errorf("%w: file larger than %d MiB", ErrTooLarge, maxFileBytes>>20)
	}
	info, err := Inspect(bytes.NewReader(data))
	if err != nil {
		return decoded{}, err
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return decoded{}, fmt.Errorf("decode %s: %w", info.Format, err)
	}
	return decoded{info: info, data: data, img: img}, nil
}

// fit returns the largest size with the aspect of w×h within maxW×maxH
// (never larger than w×h).
func fit(w, h, maxW, maxH int) (int, int) {
	if w <= maxW && h <= maxH {
		return w, h
	}
	// Compare w/h with maxW/maxH without floats.
	if int64(w)*int64(maxH) >= int64(h)*int64(maxW) {
		nh := int((int64(h)*int64(maxW) + int64(w)/2) / int64(w))
		return maxW, max(nh, 1)
	}
	nw := int((int64(w)*int64(maxH) + int64(h)/2) / int64(h))
	return max(nw, 1), maxH
}

// orient applies an EXIF orientation to img.
func orient(img image.Image, o int) image.Image {
	if m, ok := as420(img); ok && o >= 2 && o <= 8 {
		return orient420(m, o)
	}
	switch o {
	case 2:
		return imaging.FlipH(img)
	case 3:
		return imaging.Rotate180(img)
	case 4:
		return imaging.FlipV(img)
	case 5:
		return imaging.Transpose(img)
	case 6:
		return imaging.Rotate270(img)
	case 7:
		return imaging.Transverse(img)
	case 8:
		return imaging.Rotate90(img)
	}
	return img
}

// scale downsizes img (stored pixels, not yet turned) to fit maxW×maxH
// once the EXIF orientation o is applied; it never enlarges.
func scale(img image.Image, o, maxW, maxH int) image.Image {
	b := img.Bounds()
	if o >= 5 && o <= 8 {
		maxW, maxH = maxH, maxW
	}
	w, h := fit(b.Dx(), b.Dy(), maxW, maxH)
	// An image more than twice the target size is first halved with a 2×2
	// box (straight from the YCbCr planes of a JPEG): the resampling filter
	// then works on a quarter of the pixels, and a box average loses nothing
	// a final reduction of less than 2× would keep.
	for {
		b := img.Bounds()
		if b.Dx() < 2*w || b.Dy() < 2*h {
			break
		}
		if m, ok := as420(img); ok {
			img = halve420(m)
			continue
		}
		half, ok := halve(img)
		if !ok {
			break
		}
		img = half
	}
	if b := img.Bounds(); w != b.Dx() || h != b.Dy() {
		if m, ok := as420(img); ok {
			return resample420(m, w, h)
		}
		// CatmullRom is sharp enough for slips and text; imaging widens the
		// kernel by the scale factor, so it also anti-aliases big reductions.
		if m, ok := img.(*image.RGBA); ok {
			return resampleRGBA(m, w, h)
		}
		img = imaging.Resize(img, w, h, imaging.CatmullRom)
	}
	return img
}

// halve returns img at half its width and height for the pixel layouts
// decoders and imaging produce, and false for any other.
func halve(img image.Image) (image.Image, bool) {
	switch m := img.(type) {
	case *image.YCbCr:
		return halveYCbCr(m), true
	case *image.RGBA:
		return &image.RGBA{Pix: halve4(m.Pix, m.Stride, m.Rect), Stride: 4 * (m.Rect.Dx() / 2), Rect: image.Rect(0, 0, m.Rect.Dx()/2, m.Rect.Dy()/2)}, true
	case *image.NRGBA:
		// Averaging non-premultiplied channels is off only where alpha
		// changes within a 2×2 block, which a thumbnail cannot show.
		return &image.NRGBA{Pix: halve4(m.Pix, m.Stride, m.Rect), Stride: 4 * (m.Rect.Dx() / 2), Rect: image.Rect(0, 0, m.Rect.Dx()/2, m.Rect.Dy()/2)}, true
	}
	return nil, false
}

// halve4 averages each 2×2 block of a 4-bytes-a-pixel image.
func halve4(pix []byte, stride int, r image.Rectangle) []byte {
	w, h := r.Dx()/2, r.Dy()/2
	out := make([]byte, 4*w*h)
	for y := 0; y < h; y++ {
		row0 := pix[2*y*stride : 2*y*stride+8*w]
		row1 := pix[(2*y+1)*stride : (2*y+1)*stride+8*w]
		dst := out[4*w*y : 4*w*(y+1)]
		for i := range dst {
			j := i&^3*2 + i&3
			dst[i] = uint8((uint32(row0[j]) + uint32(row0[j+4]) + uint32(row1[j]) + uint32(row1[j+4]) + 2) / 4)
		}
	}
	return out
}

// halveYCbCr scales a YCbCr image to half its width and height, averaging
// each 2×2 block of luma and converting to RGB.
func halveYCbCr(src *image.YCbCr) *image.RGBA {
	b := src.Bounds()
	w, h := b.Dx()/2, b.Dy()/2
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		sy := b.Min.Y + 2*y
		row0 := src.YOffset(b.Min.X, sy)
		row1 := src.YOffset(b.Min.X, sy+1)
		out := dst.Pix[y*dst.Stride:]
		for x := 0; x < w; x++ {
			yy := (uint32(src.Y[row0+2*x]) + uint32(src.Y[row0+2*x+1]) + uint32(src.Y[row1+2*x]) + uint32(src.Y[row1+2*x+1]) + 2) / 4
			c := src.COffset(b.Min.X+2*x, sy)
			r, g, bb := color.YCbCrToRGB(uint8(yy), src.Cb[c], src.Cr[c])
			out[4*x], out[4*x+1], out[4*x+2], out[4*x+3] = r, g, bb, 255
		}
	}
	return dst
}

// flatten puts an image with transparency on white, for JPEG output.
func flatten(img image.Image) image.Image {
	if o, ok := img.(interface{ Opaque() bool }); ok && o.Opaque() {
		return img
	}
	b := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Bounds(), &image.Uniform{C: color.White}, image.Point{}, draw.Src)
	draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Over)
	return dst
}

func encodeJPEG(img image.Image, quality int) ([]byte, error) {
	var buf bytes.Buffer
	if err := imaging.Encode(&buf, flatten(img), imaging.JPEG, imaging.JPEGQuality(quality)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Thumbnail decodes an image and returns a JPEG whose longer side is at most
// maxSide pixels, with the EXIF orientation applied.
func Thumbnail(r io.Reader, maxSide int) ([]byte, error) {
	if maxSide <= 0 {
		return nil, fmt.Errorf("thumbnail: side %d: %w", maxSide, evidence.ErrInvalid)
	}
	d, err := load(r)
	if err != nil {
		return nil, fmt.Errorf("thumbnail: %w", err)
	}
	out, err := encodeJPEG(orient(scale(d.img, d.info.Orientation, maxSide, maxSide), d.info.Orientation), Thumb.Quality)
	if err != nil {
		return nil, fmt.Errorf("thumbnail: %w", err)
	}
	return out, nil
}

// PrintQuality is the JPEG quality of print copies: slips stay legible, and a
// 12-megapixel photo shrinks to a few hundred kilobytes.
const PrintQuality = 85

// pngKeepBytes is the largest PNG print copy kept as PNG; screenshots of text
// compress well and stay crisp in PNG, photos saved as PNG do not.
const pngKeepBytes = 1 << 20

// PrintCopy decodes an image and returns a copy for print: oriented upright,
// downscaled to fit maxW×maxH (about 200 dpi on A4 is 1400×2000), as JPEG —
// or as PNG when the original is a PNG (a screenshot) that stays under 1 MiB.
// A JPEG that already fits and needs no turning is returned unchanged.
func PrintCopy(r io.Reader, maxW, maxH int) ([]byte, string, error) {
	if maxW <= 0 || maxH <= 0 {
		return nil, "", fmt.Errorf("print copy: box %d×%d: %w", maxW, maxH, evidence.ErrInvalid)
	}
	d, err := load(r)
	if err != nil {
		return nil, "", fmt.Errorf("print copy: %w", err)
	}
	dw, dh := d.info.DisplaySize()
	if d.info.Format == "jpeg" && d.info.Orientation == 1 && dw <= maxW && dh <= maxH && plainJPEG(d.img) {
		return d.data, "jpeg", nil
	}
	img := orient(scale(d.img, d.info.Orientation, maxW, maxH), d.info.Orientation)
	out, format, err := encodePrint(img, d.info.Format == "png", PrintQuality)
	if err != nil {
		return nil, "", fmt.Errorf("print copy: %w", err)
	}
	return out, format, nil
}

// eightBit returns img with 8 bits a channel: PDF writers such as gofpdf
// refuse 16-bit PNGs, which Go's encoder writes for 16-bit images.
func eightBit(img image.Image) image.Image {
	switch img.(type) {
	case *image.NRGBA, *image.RGBA, *image.Gray, *image.Paletted:
		return img
	case *image.Gray16:
		b := img.Bounds()
		g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(g, g.Bounds(), img, b.Min, draw.Src)
		return g
	}
	return imaging.Clone(img)
}

// plainJPEG reports whether a decoded JPEG is one a PDF embeds as is
// (YCbCr or grey; CMYK JPEGs vary in how they store ink and are re-encoded).
func plainJPEG(img image.Image) bool {
	switch img.(type) {
	case *image.YCbCr, *image.Gray:
		return true
	}
	return false
}
