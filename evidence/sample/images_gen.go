//go:build ignore

// images_gen draws the sample case's pictures into assets/sample/: a phone
// photo of a POS slip (slip.jpg), a photo of the menu (menu.jpg) and a chat
// screenshot (chat.png). Every name, number and shop in them is fictional and
// matches the sample case in sample.go; only the card's last four digits appear.
//
// Run from evidence/sample with: go run images_gen.go
package main

import (
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/f64"
	"golang.org/x/image/math/fixed"

	"github.com/disputekit/disputekit/assets"
)

var otf *opentype.Font

func face(size float64) font.Face {
	f, err := opentype.NewFace(otf, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		log.Fatal(err)
	}
	return f
}

func text(dst draw.Image, f font.Face, c color.Color, x, y int, s string) {
	d := font.Drawer{Dst: dst, Src: image.NewUniform(c), Face: f, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

func width(f font.Face, s string) int { return font.MeasureString(f, s).Round() }

func centred(dst draw.Image, f font.Face, c color.Color, cx, y int, s string) {
	text(dst, f, c, cx-width(f, s)/2, y, s)
}

// wrap breaks s into lines no wider than w: between CJK characters, never
// inside a run of Latin letters and digits, never before closing punctuation.
func wrap(f font.Face, s string, w int) []string {
	var tokens []string
	for _, r := range s {
		n := len(tokens)
		latin := r < 0x80 && r != ' '
		if n > 0 && latin {
			last, _ := utf8.DecodeLastRuneInString(tokens[n-1])
			if last < 0x80 && last != ' ' {
				tokens[n-1] += string(r)
				continue
			}
		}
		if n > 0 && strings.ContainsRune("，。！？、：；）", r) {
			tokens[n-1] += string(r)
			continue
		}
		tokens = append(tokens, string(r))
	}
	var lines []string
	line := ""
	for _, t := range tokens {
		if line != "" && width(f, line+t) > w {
			lines = append(lines, line)
			line = ""
		}
		line += t
	}
	return append(lines, line)
}

func fill(dst draw.Image, r image.Rectangle, c color.Color) {
	draw.Draw(dst, r, image.NewUniform(c), image.Point{}, draw.Over)
}

// table draws a wooden table top with grain and noise.
func table(w, h int, rng *rand.Rand) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			g := math.Sin(float64(y)*0.045+math.Sin(float64(x)*0.004)*3) * 9
			v := rng.Float64()*10 - 5
			dx, dy := float64(x-w/2)/float64(w), float64(y-h/2)/float64(h)
			vig := 1 - 0.55*(dx*dx+dy*dy)
			r := (120 + g + v) * vig
			gg := (86 + g*0.8 + v) * vig
			b := (58 + g*0.5 + v) * vig
			img.SetRGBA(x, y, color.RGBA{uint8(r), uint8(gg), uint8(b), 255})
		}
	}
	return img
}

// place draws paper onto bg rotated by deg around its centre at (cx, cy), with a soft shadow.
func place(bg *image.RGBA, paper *image.RGBA, deg float64, cx, cy float64) {
	a := deg * math.Pi / 180
	sin, cos := math.Sin(a), math.Cos(a)
	pw, ph := float64(paper.Bounds().Dx()), float64(paper.Bounds().Dy())
	aff := func(ox, oy float64) f64.Aff3 {
		return f64.Aff3{cos, -sin, cx + ox - cos*pw/2 + sin*ph/2, sin, cos, cy + oy - sin*pw/2 - cos*ph/2}
	}
	shadow := image.NewRGBA(paper.Bounds())
	fill(shadow, shadow.Bounds(), color.RGBA{0, 0, 0, 70})
	for i, off := range []float64{14, 10, 6} {
		_ = i
		draw.BiLinear.Transform(bg, aff(off, off*1.3), shadow, shadow.Bounds(), draw.Over, nil)
	}
	draw.BiLinear.Transform(bg, aff(0, 0), paper, paper.Bounds(), draw.Over, nil)
}

// paper returns an off-white sheet with a light gradient (a photo's uneven light).
func paper(w, h int, rng *rand.Rand) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			l := 246 - float64(y)/float64(h)*18 - float64(x)/float64(w)*6 + rng.Float64()*4
			img.SetRGBA(x, y, color.RGBA{uint8(l), uint8(l - 2), uint8(l - 8), 255})
		}
	}
	return img
}

func slip(rng *rand.Rand) image.Image {
	const w = 600
	p := paper(w, 1500, rng)
	ink := color.RGBA{52, 52, 60, 255}
	faint := color.RGBA{95, 95, 105, 255}
	big, mid, small := face(34), face(24), face(20)
	y := 70
	centred(p, big, ink, w/2, y, "银联POS签购单")
	y += 40
	centred(p, mid, ink, w/2, y, "POS SALES SLIP")
	y += 36
	centred(p, small, faint, w/2, y, "持卡人存根 CARDHOLDER COPY")
	y += 22
	dashed := strings.Repeat("- ", 26)
	lines := []struct {
		label, value string
	}{
		{"商户名称(MERCHANT NAME):", ""},
		{"", "虚构湘味小馆（示例路店）"},
		{"商户编号(MERCHANT NO.):", ""},
		{"", "898310058120345"},
		{"终端编号(TERMINAL NO.):", "10362211"},
		{"操作员号(OPERATOR NO.):", "01"},
		{"-", ""},
		{"发卡行(ISSUER):", "示例银行"},
		{"收单行(ACQUIRER):", "示例支付"},
		{"卡号(CARD NO.):", ""},
		{"", "************0128  /C"},
		{"交易类型(TRANS TYPE):", ""},
		{"", "消费/SALE"},
		{"批次号(BATCH NO.):", "000412"},
		{"凭证号(VOUCHER NO.):", "003817"},
		{"授权码(AUTH NO.):", "3K7Q2D"},
		{"参考号(REFER NO.):", "532218004517"},
		{"日期/时间(DATE/TIME):", ""},
		{"", "2026/11/08 20:41:07"},
		{"金额(AMOUNT):", ""},
		{"BIG", "RMB 1280.00"},
		{"-", ""},
		{"备注(REFERENCE):", ""},
		{"持卡人签名(CARDHOLDER SIGNATURE):", ""},
	}
	for _, l := range lines {
		switch {
		case l.label == "-":
			y += 30
			text(p, small, faint, 28, y, dashed)
			y += 6
		case l.label == "BIG":
			y += 48
			text(p, big, ink, 90, y, l.value)
			y += 8
		case l.label == "":
			y += 32
			text(p, mid, ink, 70, y, l.value)
		default:
			y += 34
			text(p, small, ink, 32, y, l.label)
			if l.value != "" {
				text(p, mid, ink, w-40-width(mid, l.value), y, l.value)
			}
		}
	}
	// A signature scribble.
	y += 30
	for t := 0.0; t < 1; t += 0.0008 {
		x := 140 + t*300
		yy := float64(y+40) + math.Sin(t*31)*22*math.Sin(t*3.1) + math.Cos(t*9)*8
		for d := -1; d <= 1; d++ {
			p.SetRGBA(int(x), int(yy)+d, color.RGBA{30, 40, 90, 255})
		}
	}
	y += 110
	text(p, small, faint, 28, y, dashed)
	for _, s := range []string{"本人确认以上交易，同意将其记入本卡账户", "I ACKNOWLEDGE SATISFACTORY RECEIPT", "OF RELATIVE GOODS/SERVICES"} {
		y += 30
		text(p, small, ink, 32, y, s)
	}
	bg := table(1100, 1640, rng)
	place(bg, p, -2.2, 560, 830)
	return bg
}

func menu(rng *rand.Rand) image.Image {
	const w = 760
	p := paper(w, 1000, rng)
	red := color.RGBA{150, 30, 30, 255}
	ink := color.RGBA{45, 40, 40, 255}
	big, mid, small := face(46), face(28), face(22)
	centred(p, big, red, w/2, 100, "虚构湘味小馆")
	centred(p, mid, ink, w/2, 150, "菜单 MENU")
	y := 230
	items := [][2]string{
		{"双人套餐 Set Menu for Two", "¥128"},
		{"剁椒鱼头 Fish Head with Chili", "¥88"},
		{"小炒黄牛肉 Stir-fried Beef", "¥68"},
		{"手撕包菜 Hand-torn Cabbage", "¥26"},
		{"米饭 Rice", "¥3"},
		{"酸梅汤 Plum Drink", "¥12"},
	}
	for i, it := range items {
		f := mid
		c := ink
		if i == 0 {
			c = red
		}
		text(p, f, c, 60, y, it[0])
		text(p, f, c, w-60-width(f, it[1]), y, it[1])
		y += 70
	}
	y += 20
	for _, l := range wrap(small, "双人套餐含：小炒黄牛肉（半份）、手撕包菜、米饭2份、酸梅汤2杯。套餐价格已含服务费，不另收费。", w-120) {
		text(p, small, ink, 60, y, l)
		y += 34
	}
	bg := table(1200, 1200, rng)
	place(bg, p, 3.1, 600, 590)
	return bg
}

func chat() image.Image {
	const w, h = 750, 1334
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fill(img, img.Bounds(), color.RGBA{237, 237, 237, 255})
	black := color.RGBA{25, 25, 25, 255}
	grey := color.RGBA{150, 150, 150, 255}
	status, title, msg, stamp := face(26), face(32), face(30), face(22)
	// Status bar and title bar.
	text(img, status, black, 30, 36, "10:26")
	text(img, status, black, w-150, 36, "5G  86%")
	fill(img, image.Rect(0, 60, w, 150), color.RGBA{237, 237, 237, 255})
	text(img, title, black, 30, 118, "‹")
	centred(img, title, black, w/2, 118, "虚构湘味小馆 李经理")
	text(img, title, black, w-60, 118, "···")
	fill(img, image.Rect(0, 150, w, 151), color.RGBA{215, 215, 215, 255})

	type message struct {
		mine bool
		text string
	}
	convo := []any{
		"11月9日 上午10:12",
		message{true, "您好，我是昨晚（11月8日）在你们示例路店吃饭的顾客，点的是菜单上128元的双人套餐。"},
		message{true, "刚看银行短信，POS刷了1280元，多扣了1152元。签购单参考号532218004517。"},
		message{false, "您好，我们核对一下当晚的收银记录，请稍等。"},
		"上午10:31",
		message{false, "核对过了，确实是收银员多输了一个0，非常抱歉。退款需要走银行的流程，我们会尽快处理。"},
		message{true, "好的，请在3个工作日内处理并回复我，谢谢。"},
	}
	y := 190
	const maxText = 430
	for _, item := range convo {
		switch m := item.(type) {
		case string:
			tw := width(stamp, m)
			fill(img, image.Rect(w/2-tw/2-12, y, w/2+tw/2+12, y+36), color.RGBA{218, 218, 218, 255})
			centred(img, stamp, color.RGBA{255, 255, 255, 255}, w/2, y+27, m)
			y += 64
		case message:
			lines := wrap(msg, m.text, maxText)
			bw := 0
			for _, l := range lines {
				bw = max(bw, width(msg, l))
			}
			bh := len(lines)*42 + 28
			avatar := image.Rect(24, y, 104, y+80)
			bubble := image.Rect(124, y, 124+bw+40, y+bh)
			bubbleColour := color.RGBA{255, 255, 255, 255}
			avatarColour, initial := color.RGBA{217, 130, 43, 255}, "李"
			if m.mine {
				avatar = image.Rect(w-104, y, w-24, y+80)
				bubble = image.Rect(w-124-bw-40, y, w-124, y+bh)
				bubbleColour = color.RGBA{149, 236, 105, 255}
				avatarColour, initial = color.RGBA{59, 123, 212, 255}, "张"
			}
			fill(img, avatar, avatarColour)
			centred(img, title, color.RGBA{255, 255, 255, 255}, (avatar.Min.X+avatar.Max.X)/2, y+52, initial)
			fill(img, bubble, bubbleColour)
			for i, l := range lines {
				text(img, msg, black, bubble.Min.X+20, y+46+i*42, l)
			}
			y += max(bh, 80) + 34
		}
	}
	// Input bar.
	fill(img, image.Rect(0, h-110, w, h), color.RGBA{246, 246, 246, 255})
	fill(img, image.Rect(90, h-92, w-160, h-30), color.RGBA{255, 255, 255, 255})
	text(img, title, grey, 30, h-48, "((·")
	text(img, title, grey, w-130, h-48, "+")
	text(img, title, grey, w-70, h-48, "+")
	return img
}

func main() {
	var err error
	if otf, err = opentype.Parse(assets.FontTTF); err != nil {
		log.Fatal(err)
	}
	dir := filepath.Join("..", "..", "assets", "sample")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2026, 1108))
	write := func(name string, enc func(f *os.File) error) {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			log.Fatal(err)
		}
		if err := enc(f); err != nil {
			log.Fatal(err)
		}
		if err := f.Close(); err != nil {
			log.Fatal(err)
		}
	}
	write("slip.jpg", func(f *os.File) error { return jpeg.Encode(f, slip(rng), &jpeg.Options{Quality: 82}) })
	write("menu.jpg", func(f *os.File) error { return jpeg.Encode(f, menu(rng), &jpeg.Options{Quality: 82}) })
	write("chat.png", func(f *os.File) error {
		return (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(f, chat())
	})
}
