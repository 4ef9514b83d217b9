package picture

import "image"

// Phone photos are JPEGs with 4:2:0 chroma: a full-size luma plane and two
// chroma planes of a quarter of its pixels. Halving, resizing and turning
// them plane by plane works on 1.5 bytes a pixel instead of RGBA's 4, and
// hands the JPEG encoder the planes it encodes, with no colour conversion
// at all. Other images take the RGBA path in scale and orient.

// plane is one channel of an image: w×h bytes, rows stride apart.
type plane struct {
	pix          []byte
	w, h, stride int
}

func planes(m *image.YCbCr) (y, cb, cr plane) {
	cw, ch := chromaSize(m.Rect.Dx(), m.Rect.Dy())
	return plane{m.Y, m.Rect.Dx(), m.Rect.Dy(), m.YStride},
		plane{m.Cb, cw, ch, m.CStride},
		plane{m.Cr, cw, ch, m.CStride}
}

func chromaSize(w, h int) (int, int) { return (w + 1) / 2, (h + 1) / 2 }

// as420 returns img as a 4:2:0 YCbCr image whose pixels start at the
// origin, the layout the plane functions handle.
func as420(img image.Image) (*image.YCbCr, bool) {
	m, ok := img.(*image.YCbCr)
	if !ok || m.SubsampleRatio != image.YCbCrSubsampleRatio420 || m.Rect.Min != (image.Point{}) {
		return nil, false
	}
	return m, true
}

// halve420 scales a 4:2:0 image to half its width and height, averaging
// each 2×2 block of every plane.
func halve420(src *image.YCbCr) *image.YCbCr {
	dst := image.NewYCbCr(image.Rect(0, 0, src.Rect.Dx()/2, src.Rect.Dy()/2), image.YCbCrSubsampleRatio420)
	sy, scb, scr := planes(src)
	dy, dcb, dcr := planes(dst)
	halvePlane(dy, sy)
	halvePlane(dcb, scb)
	halvePlane(dcr, scr)
	return dst
}

// halvePlane fills dst (about half of src each way) with 2×2 averages of
// src, repeating src's last row or column where dst needs one more.
func halvePlane(dst, src plane) {
	for y := 0; y < dst.h; y++ {
		r0 := src.pix[min(2*y, src.h-1)*src.stride:]
		r1 := src.pix[min(2*y+1, src.h-1)*src.stride:]
		out := dst.pix[y*dst.stride : y*dst.stride+dst.w]
		for x := range out {
			a, b := min(2*x, src.w-1), min(2*x+1, src.w-1)
			out[x] = uint8((uint32(r0[a]) + uint32(r0[b]) + uint32(r1[a]) + uint32(r1[b]) + 2) / 4)
		}
	}
}

// resample420 resizes a 4:2:0 image to w×h with the filter of
// resampleRGBA, plane by plane.
func resample420(src *image.YCbCr, w, h int) *image.YCbCr {
	dst := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	sy, scb, scr := planes(src)
	dy, dcb, dcr := planes(dst)
	resamplePlane(dy, sy)
	cols, rows := filterWeights(scb.w, dcb.w), filterWeights(scb.h, dcb.h)
	resamplePlaneWith(dcb, scb, cols, rows)
	resamplePlaneWith(dcr, scr, cols, rows)
	return dst
}

func resamplePlane(dst, src plane) {
	resamplePlaneWith(dst, src, filterWeights(src.w, dst.w), filterWeights(src.h, dst.h))
}

// resamplePlaneWith resizes src into dst: a horizontal pass into a
// dst.w×src.h buffer, then a vertical one.
func resamplePlaneWith(dst, src plane, cols, rows []taps) {
	mid := make([]uint8, dst.w*src.h)
	for y := 0; y < src.h; y++ {
		in := src.pix[y*src.stride : y*src.stride+src.w]
		out := mid[dst.w*y : dst.w*(y+1)]
		for x, c := range cols {
			var v int32
			in := in[c.first : c.first+len(c.w)]
			for i, wt := range c.w {
				v += wt * int32(in[i])
			}
			out[x] = clampFixed(v)
		}
	}
	acc := make([]int32, dst.w)
	for y, c := range rows {
		clear(acc)
		for i, wt := range c.w {
			in := mid[dst.w*(c.first+i) : dst.w*(c.first+i+1)]
			acc := acc[:len(in)]
			for j, v := range in {
				acc[j] += wt * int32(v)
			}
		}
		out := dst.pix[y*dst.stride : y*dst.stride+dst.w]
		for j, v := range acc {
			out[j] = clampFixed(v)
		}
	}
}

// orient420 applies an EXIF orientation (2..8) to a 4:2:0 image. Turning
// a 4:2:0 image by 90° keeps it 4:2:0, so the planes turn independently.
func orient420(src *image.YCbCr, o int) *image.YCbCr {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	if o >= 5 {
		w, h = h, w
	}
	dst := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	sy, scb, scr := planes(src)
	dy, dcb, dcr := planes(dst)
	orientPlane(dy, sy, o)
	orientPlane(dcb, scb, o)
	orientPlane(dcr, scr, o)
	return dst
}

// orientPlane copies src into dst turned or flipped as EXIF orientation o
// says (dst is src's size, or its transpose for 5..8). Each orientation
// maps dst(x, y) to src(x0 + x·dx + y·dy) in src's index space, so the
// inner loop is one add per pixel.
func orientPlane(dst, src plane, o int) {
	w, h, st := src.w, src.h, src.stride
	var x0, dx, dy int
	switch o {
	case 2: // mirrored: src(w-1-x, y)
		x0, dx, dy = w-1, -1, st
	case 3: // upside down: src(w-1-x, h-1-y)
		x0, dx, dy = (h-1)*st+w-1, -1, -st
	case 4: // mirrored upside down: src(x, h-1-y)
		x0, dx, dy = (h-1)*st, 1, -st
	case 5: // transposed: src(y, x)
		x0, dx, dy = 0, st, 1
	case 6: // stored turned left, turn right: src(y, h-1-x)
		x0, dx, dy = (h-1)*st, -st, 1
	case 7: // transversed: src(w-1-y, h-1-x)
		x0, dx, dy = (h-1)*st+w-1, -st, -1
	case 8: // stored turned right, turn left: src(w-1-y, x)
		x0, dx, dy = w-1, st, -1
	default:
		x0, dx, dy = 0, 1, st
	}
	for y := 0; y < dst.h; y++ {
		out := dst.pix[y*dst.stride : y*dst.stride+dst.w]
		i := x0 + y*dy
		for x := range out {
			out[x] = src.pix[i]
			i += dx
		}
	}
}
