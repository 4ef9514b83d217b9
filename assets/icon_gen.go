//go:build ignore

// icon_gen draws assets/icon.png: a blue shield holding a white receipt
// with a torn edge and a green check, the app's "your evidence, protected" mark.
// Run with: go run icon_gen.go (from assets/).
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
)

const (
	size = 512
	ss   = 4 // supersampling per axis
)

type pt struct{ x, y float64 }

func inPoly(p pt, poly []pt) bool {
	in := false
	for i, j := 0, len(poly)-1; i < len(poly); j, i = i, i+1 {
		a, b := poly[i], poly[j]
		if (a.y > p.y) != (b.y > p.y) && p.x < (b.x-a.x)*(p.y-a.y)/(b.y-a.y)+a.x {
			in = !in
		}
	}
	return in
}

// shield outline: flat top with rounded shoulders, sides curving to a point.
func shield() []pt {
	var ps []pt
	ps = append(ps, pt{256, 28})
	ps = append(ps, pt{440, 88})
	for t := 0.0; t <= 1.0; t += 0.02 { // right side curve down to the tip
		x := 440 - 184*math.Pow(t, 1.6)
		y := 88 + 392*t
		ps = append(ps, pt{x, y})
	}
	for t := 1.0; t >= 0; t -= 0.02 {
		x := 72 + 184*math.Pow(t, 1.6)
		y := 88 + 392*t
		ps = append(ps, pt{x, y})
	}
	ps = append(ps, pt{72, 88})
	return ps
}

func receipt() []pt {
	ps := []pt{{168, 120}, {344, 120}}
	// zigzag torn bottom edge
	y0 := 380.0
	ps = append(ps, pt{344, y0})
	for i := 0; i < 8; i++ {
		x := 344 - float64(i)*22
		ps = append(ps, pt{x - 11, y0 + 18}, pt{x - 22, y0})
	}
	ps = append(ps, pt{168, 120})
	return ps
}

func rect(x0, y0, x1, y1 float64) []pt { return []pt{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}} }

// thick line as a quad
func line(a, b pt, w float64) []pt {
	dx, dy := b.x-a.x, b.y-a.y
	l := math.Hypot(dx, dy)
	nx, ny := -dy/l*w/2, dx/l*w/2
	return []pt{{a.x + nx, a.y + ny}, {b.x + nx, b.y + ny}, {b.x - nx, b.y - ny}, {a.x - nx, a.y - ny}}
}

type layer struct {
	poly []pt
	c    color.NRGBA
}

func main() {
	layers := []layer{
		{shield(), color.NRGBA{0x1e, 0x5a, 0xa8, 0xff}},
		{receipt(), color.NRGBA{0xff, 0xff, 0xff, 0xff}},
		{rect(196, 160, 316, 178), color.NRGBA{0x9a, 0xa5, 0xb4, 0xff}},
		{rect(196, 200, 290, 214), color.NRGBA{0xc3, 0xcb, 0xd6, 0xff}},
		{rect(196, 232, 304, 246), color.NRGBA{0xc3, 0xcb, 0xd6, 0xff}},
		{line(pt{208, 310}, pt{244, 346}, 26), color.NRGBA{0x2e, 0xa0, 0x43, 0xff}},
		{line(pt{236, 350}, pt{312, 262}, 26), color.NRGBA{0x2e, 0xa0, 0x43, 0xff}},
	}
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			var r, g, b, a float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					p := pt{float64(x) + (float64(sx)+0.5)/ss, float64(y) + (float64(sy)+0.5)/ss}
					var c color.NRGBA
					for _, l := range layers {
						if inPoly(p, l.poly) {
							c = l.c
						}
					}
					fa := float64(c.A) / 255
					r += float64(c.R) * fa
					g += float64(c.G) * fa
					b += float64(c.B) * fa
					a += fa
				}
			}
			n := float64(ss * ss)
			if a == 0 {
				continue
			}
			img.SetNRGBA(x, y, color.NRGBA{uint8(r / a), uint8(g / a), uint8(b / a), uint8(a / n * 255)})
		}
	}
	f, err := os.Create("icon.png")
	if err != nil {
		log.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
