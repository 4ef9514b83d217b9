// Command benchdata writes the inputs scripts/compare.sh times DisputeKit
// and its peers on: phone photos of a POS slip and a GBK Alipay export.
// Nothing it writes is committed; it is made again for every comparison.
//
//	go run ./scripts/benchdata photos DIR N     N 12-megapixel JPEGs (4032×3024, EXIF orientation 6)
//	go run ./scripts/benchdata alipay FILE N    an Alipay CSV export of N rows, GBK-encoded
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"

	"golang.org/x/image/draw"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/disputekit/disputekit/assets"
)

func main() {
	if len(os.Args) != 4 {
		fail("usage: benchdata photos DIR N | benchdata alipay FILE N")
	}
	n, err := strconv.Atoi(os.Args[3])
	if err != nil || n <= 0 {
		fail("N must be a positive number")
	}
	switch os.Args[1] {
	case "photos":
		err = photos(os.Args[2], n)
	case "alipay":
		err = alipay(os.Args[2], n)
	default:
		fail("unknown kind " + os.Args[1])
	}
	if err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "benchdata:", msg)
	os.Exit(2)
}

// photos writes n phone photos of the sample case's slip, each 4032×3024
// stored turned (EXIF orientation 6, as phones store portrait shots), with
// sensor noise so each compresses like a photo (about 1.4 MB). Four scenes
// are drawn; every photo is one of them with its own noise in one corner,
// so no two photos have the same pixels (a PDF writer embeds an image it
// has seen once) and each is decoded in full.
func photos(dir string, n int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	slip, err := jpeg.Decode(bytes.NewReader(assets.SampleSlipJPEG))
	if err != nil {
		return err
	}
	base := make([]*image.RGBA, min(n, 4))
	var wg sync.WaitGroup
	for i := range base {
		wg.Go(func() { base[i] = slipScene(slip, uint64(i)) })
	}
	wg.Wait()
	errs := make([]error, n)
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			errs[i] = writePhoto(filepath.Join(dir, fmt.Sprintf("IMG_%04d.jpg", i+1)), base[i%len(base)], i)
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// writePhoto encodes scene with photo i's own noise in its top-left corner.
func writePhoto(path string, scene *image.RGBA, i int) error {
	img := &image.RGBA{Pix: bytes.Clone(scene.Pix), Stride: scene.Stride, Rect: scene.Rect}
	rng := rand.New(rand.NewPCG(uint64(i), 99))
	for y := range 64 {
		for x := range 64 {
			o := img.PixOffset(x, y)
			img.Pix[o] = uint8(rng.IntN(256))
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		return err
	}
	return os.WriteFile(path, withSegment(buf.Bytes(), 0xE1, orientationEXIF(6)), 0o644)
}

// slipScene draws the slip upright on a 3024×4032 grey table with noise,
// and returns it turned left, as a phone stores it with EXIF orientation 6.
func slipScene(slip image.Image, seed uint64) *image.RGBA {
	const w, h = 3024, 4032
	up := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(seed, seed+7))
	for i := 0; i < len(up.Pix); i += 4 {
		v := uint8(110 + rng.IntN(12))
		up.Pix[i], up.Pix[i+1], up.Pix[i+2], up.Pix[i+3] = v, v-4, v-10, 255
	}
	sb := slip.Bounds()
	dh := h * 9 / 10
	dw := sb.Dx() * dh / sb.Dy()
	at := image.Rect((w-dw)/2, (h-dh)/2, (w+dw)/2, (h+dh)/2)
	draw.CatmullRom.Scale(up, at, slip, sb, draw.Over, nil)
	for i := 0; i < len(up.Pix); i += 4 { // sensor noise over everything
		d := uint8(rng.IntN(9))
		up.Pix[i] -= min(up.Pix[i], d)
		up.Pix[i+1] -= min(up.Pix[i+1], d)
	}
	stored := image.NewRGBA(image.Rect(0, 0, h, w)) // turned left: orientation 6 turns it back
	for y := range h {
		for x := range w {
			si, di := up.PixOffset(x, y), stored.PixOffset(y, w-1-x)
			copy(stored.Pix[di:di+4], up.Pix[si:si+4])
		}
	}
	return stored
}

// orientationEXIF is an APP1 payload with only the EXIF Orientation tag.
func orientationEXIF(o uint16) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	b.WriteString("Exif\x00\x00II*\x00")
	_ = binary.Write(&b, le, uint32(8))
	_ = binary.Write(&b, le, uint16(1))
	_ = binary.Write(&b, le, []uint16{0x0112, 3})
	_ = binary.Write(&b, le, uint32(1))
	_ = binary.Write(&b, le, []uint16{o, 0})
	_ = binary.Write(&b, le, uint32(0))
	return b.Bytes()
}

// withSegment inserts a JPEG marker segment right after SOI.
func withSegment(jpg []byte, marker byte, payload []byte) []byte {
	seg := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append(append(append([]byte{}, jpg[:2]...), seg...), payload...)
	return append(out, jpg[2:]...)
}

const alipayPreamble = `------------------------------------------------------------------------------------
导出信息：
姓名：张三
支付宝账户：138****5678
起始时间：[2024-01-01 00:00:00]    终止时间：[2024-12-31 23:59:59]
导出交易类型：[全部]
导出时间：[2025-01-01 10:00:00]
共%d笔记录

特别提示：
1.本回单内容可表明支付宝受理了您的交易申请，不作为收付款方交易的最终确认；
2.如需核实交易真实性，请联系交易对方；

------------------------支付宝（中国）网络技术有限公司  电子客户回单------------------------
交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,交易订单号,商家订单号,备注,
`

// alipay writes an Alipay export of n rows the way the app exports it
// (padded cells, a tab after order numbers), one in five a refund, GBK.
func alipay(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := transform.NewWriter(f, simplifiedchinese.GBK.NewEncoder())
	w := bufio.NewWriterSize(enc, 1<<16)
	fmt.Fprintf(w, alipayPreamble, n)
	for i := range n {
		day := fmt.Sprintf("2024-%02d-%02d %02d:%02d:%02d", 1+i%12, 1+i%28, i%24, i%60, (i/60)%60)
		if i%5 == 1 {
			fmt.Fprintf(w, "%s,退款,某某餐厅%d,rest***@163.com,午餐退款,收入,%d.%02d,招商银行信用卡(1234),退款成功,2024010522001412%010d_R\t,T%010d\t,,\n",
				day, i%100, 10+i%90, i%100, i-1, i-1)
			continue
		}
		fmt.Fprintf(w, "%s,餐饮美食,某某餐厅%d ,rest***@163.com,午餐 ,支出,%d.%02d,招商银行信用卡(1234),交易成功,2024010522001412%010d\t,T%010d\t,,\n",
			day, i%100, 10+i%90, i%100, i, i)
	}
	fmt.Fprintln(w, "------------------------------------------------------------------------------------")
	if err := w.Flush(); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	return f.Close()
}
