package picture

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
)

// Kind is one kind of image derived from a picture when it is attached: the
// name it is stored under (store.SetDerived) and the box it is fitted to.
// Thumb and Print are the only kinds; the GUI, dk, ingest and the PDF
// writers all use these two values, so a size is changed here or nowhere.
type Kind struct {
	Name       string
	MaxW, MaxH int // pixels, once the EXIF orientation is applied
	Quality    int // JPEG quality
}

var (
	// Thumb is the picture in the evidence grid and lists: 320 pixels on
	// its longer side, sharp on a HiDPI screen at the grid's 150-point cells.
	Thumb = Kind{Name: "thumb", MaxW: 320, MaxH: 320, Quality: 80}
	// Print is the copy embedded in PDF exports: 1400×2000 is about 200 dpi
	// over the 170×247 mm an exhibit picture can take on an A4 page.
	Print = Kind{Name: "print", MaxW: 1400, MaxH: 2000, Quality: PrintQuality}
)

// Kinds lists every derived kind, the order Derive makes them in.
var Kinds = []Kind{Print, Thumb}

// Derived holds the images made from one picture.
type Derived struct {
	Info        Info
	Print       []byte
	PrintFormat string // "jpeg", or "png" for a screenshot kept as PNG
	Thumb       []byte // always JPEG
}

// Bytes returns the image of kind k.
func (d Derived) Bytes(k Kind) []byte {
	if k.Name == Thumb.Name {
		return d.Thumb
	}
	return d.Print
}

// Derive decodes a picture once and makes its print copy and its thumbnail
// from the same pixels: the photo is halved straight from its YCbCr planes
// until it is less than twice the print size, resized once to the print
// size, and the thumbnail is made from that print-size image. Decoding a
// 12-megapixel JPEG is most of the cost, so doing it once halves it. It
// refuses images declaring more than MaxPixels before decoding (ErrTooLarge)
// and applies the EXIF orientation to both.
func Derive(r io.Reader) (Derived, error) {
	d, err := load(r)
	if err != nil {
		return Derived{}, fmt.Errorf("derive images: %w", err)
	}
	out := Derived{Info: d.info}
	base := d.img
	dw, dh := d.info.DisplaySize()
	if d.info.Format == "jpeg" && d.info.Orientation == 1 && dw <= Print.MaxW && dh <= Print.MaxH && plainJPEG(d.img) {
		out.Print, out.PrintFormat = d.data, "jpeg"
	} else {
		base = scale(d.img, d.info.Orientation, Print.MaxW, Print.MaxH)
		d.img, d.data = nil, nil // the full-size pixels can go while the rest is made
		out.Print, out.PrintFormat, err = encodePrint(orient(base, d.info.Orientation), d.info.Format == "png", Print.Quality)
		if err != nil {
			return Derived{}, fmt.Errorf("derive images: print copy: %w", err)
		}
	}
	thumb := orient(scale(base, d.info.Orientation, Thumb.MaxW, Thumb.MaxH), d.info.Orientation)
	if out.Thumb, err = encodeJPEG(thumb, Thumb.Quality); err != nil {
		return Derived{}, fmt.Errorf("derive images: thumbnail: %w", err)
	}
	return out, nil
}

// encodePrint writes a print copy: PNG when the original was a PNG (a
// screenshot) and stays under pngKeepBytes, JPEG otherwise.
func encodePrint(img image.Image, wasPNG bool, quality int) ([]byte, string, error) {
	if wasPNG {
		var buf bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		if err := enc.Encode(&buf, eightBit(img)); err != nil {
			return nil, "", err
		}
		if buf.Len() <= pngKeepBytes {
			return buf.Bytes(), "png", nil
		}
	}
	out, err := encodeJPEG(img, quality)
	if err != nil {
		return nil, "", err
	}
	return out, "jpeg", nil
}
