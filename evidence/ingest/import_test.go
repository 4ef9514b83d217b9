package ingest_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/ingest"
	"github.com/disputekit/disputekit/evidence/store"
)

var _ ingest.Store = (*store.Store)(nil)

func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	return st
}

func newCase(t testing.TB, st *store.Store, role evidence.Role) int64 {
	t.Helper()
	c := evidence.Case{Title: "测试案件", Role: role}
	_, err := st.CreateCase(context.Background(), &c)
	require.NoError(t, err)
	return c.ID
}

func writeFile(t testing.TB, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, b, 0o600))
	return p
}

func gbkText(t testing.TB, s string) []byte {
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	require.NoError(t, err)
	return []byte(b)
}

const alipayHead = "支付宝交易记录\n------------------------支付宝（中国）网络技术有限公司  电子客户回单------------------------\n" +
	"交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,交易订单号,商家订单号,备注,\n"

func alipayRows(from, to int) string {
	s := ""
	for i := from; i < to; i++ {
		s += "2024-01-05 12:00:0" + string(rune('0'+i)) + ",餐饮美食,某某餐厅,x@y.com,午餐,支出,1" + string(rune('0'+i)) + ".00,余额,交易成功,20240105" + string(rune('0'+i)) + "\t,,,\n"
	}
	return s
}

func TestImportStatementIdempotent(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	id := newCase(t, st, evidence.RoleConsumer)
	first := writeFile(t, "alipay_jan.csv", gbkText(t, alipayHead+alipayRows(0, 5)))

	rep, err := ingest.ImportFile(ctx, st, id, first, ingest.ImportOptions{})
	require.NoError(t, err)
	assert.Equal(t, "statement", rep.Kind)
	assert.Equal(t, ingest.FormatAlipay, rep.Format)
	assert.Equal(t, 5, rep.Rows)
	assert.Equal(t, 5, rep.Imported)
	assert.Zero(t, rep.Duplicates)
	assert.NotZero(t, rep.ExhibitID)

	again, err := ingest.ImportFile(ctx, st, id, first, ingest.ImportOptions{})
	require.NoError(t, err)
	assert.Zero(t, again.Imported, "importing the same file twice adds nothing")
	assert.Equal(t, 5, again.Duplicates)
	assert.Equal(t, rep.ExhibitID, again.ExhibitID, "the file is stored once")

	// An overlapping later export merges by order number.
	overlap := writeFile(t, "alipay_jan2.csv", gbkText(t, alipayHead+alipayRows(3, 8)))
	rep3, err := ingest.ImportFile(ctx, st, id, overlap, ingest.ImportOptions{})
	require.NoError(t, err)
	assert.Equal(t, 3, rep3.Imported)
	assert.Equal(t, 2, rep3.Duplicates)

	d, err := st.Dossier(ctx, id)
	require.NoError(t, err)
	require.Len(t, d.Transactions, 8)
	require.Len(t, d.Exhibits, 2)
	assert.Equal(t, evidence.KindStatement, d.Exhibits[0].Kind)
	for _, tx := range d.Transactions {
		assert.NotZero(t, tx.SourceExhibitID, "each transaction remembers its file")
		assert.NotZero(t, tx.SourceRow)
	}
}

func TestImportRefusesAndStoresNothing(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	id := newCase(t, st, evidence.RoleConsumer)
	for name, b := range map[string][]byte{
		"empty.csv":   nil,
		"letter.txt":  []byte("Dear shop, I was charged twice.\n"),
		"skipped.csv": gbkText(t, alipayHead+"not a date,餐饮美食,某某餐厅,x,午餐,支出,10.00,余额,交易成功,1,,,\n"),
	} {
		_, err := ingest.ImportFile(ctx, st, id, writeFile(t, name, b), ingest.ImportOptions{})
		require.ErrorIs(t, err, evidence.ErrInvalid, name)
		assert.Contains(t, err.Error(), "import "+name)
	}
	_, err := ingest.ImportFile(ctx, st, 999, writeFile(t, "a.csv", gbkText(t, alipayHead+alipayRows(0, 1))), ingest.ImportOptions{})
	require.ErrorIs(t, err, evidence.ErrNotFound)
	d, err := st.Dossier(ctx, id)
	require.NoError(t, err)
	assert.Empty(t, d.Transactions)
	assert.Empty(t, d.Exhibits)
}

func TestImportMappedRemembersMapping(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	id := newCase(t, st, evidence.RoleMerchant)
	csv := "日子,钱,店,参考\n2024-03-01 10:00:00,12.00,甲店,123456789012\n"
	m, err := ingest.ParseMapOverrides([]string{"日子=time", "钱=amount", "店=merchant", "参考=rrn"})
	require.NoError(t, err)
	_, err = ingest.ImportFile(ctx, st, id, writeFile(t, "pos1.csv", []byte(csv)), ingest.ImportOptions{})
	require.ErrorIs(t, err, ingest.ErrNeedMapping)
	rep, err := ingest.ImportFile(ctx, st, id, writeFile(t, "pos1.csv", []byte(csv)), ingest.ImportOptions{Map: m})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Imported)
	assert.Equal(t, m, rep.Mapping)
	// A later export with the same header needs no --map.
	rep, err = ingest.ImportFile(ctx, st, id, writeFile(t, "pos2.csv", []byte(csv+"2024-03-02 10:00:00,13.00,甲店,123456789013\n")), ingest.ImportOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Imported)
	assert.Equal(t, 1, rep.Duplicates)
	ts, err := st.ListTransactions(ctx, id)
	require.NoError(t, err)
	require.Len(t, ts, 2)
	assert.Equal(t, evidence.Credit, ts[0].Direction, "a merchant's POS sale is money in")
}

func TestImportCalls(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	id := newCase(t, st, evidence.RoleConsumer)
	p := writeFile(t, "calls.csv", []byte("日期,时间,通话时长,号码,类型,姓名\n2024-01-06,09:30:00,3分12秒,95588,呼出,工商银行客服\n2024-01-07,14:00,65,13800001234,呼入,商户\n"))
	rep, err := ingest.ImportFile(ctx, st, id, p, ingest.ImportOptions{})
	require.NoError(t, err)
	assert.Equal(t, "calls", rep.Kind)
	assert.Equal(t, 2, rep.Imported)
	rep, err = ingest.ImportFile(ctx, st, id, p, ingest.ImportOptions{})
	require.NoError(t, err)
	assert.Zero(t, rep.Imported)
	assert.Equal(t, 2, rep.Duplicates)
	calls, err := st.ListCalls(ctx, id)
	require.NoError(t, err)
	assert.Len(t, calls, 2)
}

func pngBytes(t testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// giantPNG declares 100000×100000 pixels in a valid IHDR and has no data.
func giantPNG() []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, 100000)
	binary.BigEndian.PutUint32(ihdr[4:], 100000)
	ihdr[8], ihdr[9] = 8, 2
	chunk := append([]byte("IHDR"), ihdr...)
	binary.Write(&b, binary.BigEndian, uint32(13))
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestImportImages(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	id := newCase(t, st, evidence.RoleConsumer)

	rep, err := ingest.ImportFile(ctx, st, id, writeFile(t, "shot.png", pngBytes(t, 540, 1170)), ingest.ImportOptions{Previews: true})
	require.NoError(t, err)
	assert.Equal(t, "image", rep.Kind)
	assert.Equal(t, string(evidence.KindChat), rep.Format, "a phone-shaped image without camera EXIF is a screenshot")
	assert.Equal(t, 1, rep.Imported)
	ex, err := st.ListExhibits(ctx, id)
	require.NoError(t, err)
	require.Len(t, ex, 1)
	_, err = st.Derived(ctx, ex[0].SHA256, "thumb")
	assert.NoError(t, err, "a preview is made on import")

	var jp bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 400, 300))
	img.Set(1, 1, color.White)
	require.NoError(t, jpeg.Encode(&jp, img, nil))
	rep, err = ingest.ImportFile(ctx, st, id, writeFile(t, "photo.jpg", jp.Bytes()), ingest.ImportOptions{Previews: true})
	require.NoError(t, err)
	assert.Equal(t, string(evidence.KindPhoto), rep.Format)

	rep, err = ingest.ImportFile(ctx, st, id, writeFile(t, "bomb.png", giantPNG()), ingest.ImportOptions{Previews: true})
	require.NoError(t, err, "a hostile image is stored as a file")
	assert.Equal(t, 1, rep.Imported)
	require.NotEmpty(t, rep.Warnings)
	assert.Contains(t, rep.Warnings[0].Message, "100000×100000")

	truncated := jp.Bytes()[:jp.Len()/2]
	rep, err = ingest.ImportFile(ctx, st, id, writeFile(t, "cut.jpg", truncated), ingest.ImportOptions{Previews: true})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Imported)
	require.NotEmpty(t, rep.Warnings)
	assert.Contains(t, rep.Warnings[len(rep.Warnings)-1].Message, "no preview")

	rep, err = ingest.ImportFile(ctx, st, id, writeFile(t, "photo-again.jpg", jp.Bytes()), ingest.ImportOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Duplicates, "the same photo twice is one exhibit")

	rep, err = ingest.ImportFile(ctx, st, id, writeFile(t, "receipt.pdf", []byte("%PDF-1.4\n%%EOF\n")), ingest.ImportOptions{})
	require.NoError(t, err)
	assert.Equal(t, string(evidence.KindDocument), rep.Format)

	ex, err = st.ListExhibits(ctx, id)
	require.NoError(t, err)
	assert.Len(t, ex, 5)
}

// withEXIF inserts an APP1 EXIF block with DateTimeOriginal after a JPEG's SOI.
func withEXIF(jpg []byte, taken string) []byte {
	le := binary.LittleEndian
	var tiff bytes.Buffer
	tiff.WriteString("II*\x00")
	binary.Write(&tiff, le, uint32(8))
	// IFD0 at 8: one entry, the EXIF IFD pointer.
	binary.Write(&tiff, le, uint16(1))
	binary.Write(&tiff, le, []uint16{0x8769, 4})
	binary.Write(&tiff, le, []uint32{1, 26})
	binary.Write(&tiff, le, uint32(0))
	// EXIF IFD at 26: DateTimeOriginal, 20 ASCII bytes at 44.
	binary.Write(&tiff, le, uint16(1))
	binary.Write(&tiff, le, []uint16{0x9003, 2})
	binary.Write(&tiff, le, []uint32{20, 44})
	binary.Write(&tiff, le, uint32(0))
	tiff.WriteString(taken + "\x00")
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	seg := []byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

func TestImportPhotoCapturedFromEXIF(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	id := newCase(t, st, evidence.RoleConsumer)
	var jp bytes.Buffer
	require.NoError(t, jpeg.Encode(&jp, image.NewGray(image.Rect(0, 0, 64, 48)), nil))
	rep, err := ingest.ImportFile(ctx, st, id, writeFile(t, "slip.jpg", withEXIF(jp.Bytes(), "2024:03:01 10:15:00")), ingest.ImportOptions{})
	require.NoError(t, err)
	assert.Empty(t, rep.Warnings)
	ex, err := st.ListExhibits(ctx, id)
	require.NoError(t, err)
	require.Len(t, ex, 1)
	want, err := evidence.ParseLocalTime("2024-03-01 10:15:00", nil)
	require.NoError(t, err)
	assert.True(t, want.Equal(ex[0].Captured), "captured %v", ex[0].Captured)
	assert.Equal(t, evidence.KindPhoto, ex[0].Kind)
}

func TestPreviewPathRecallsMapping(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	p := writeFile(t, "pos.csv", []byte("日子,钱\n2024-03-01 10:00:00,12.00\n"))
	pv, err := ingest.PreviewPath(ctx, st, p, ingest.Options{}, 3)
	require.NoError(t, err)
	assert.Empty(t, pv.Format, "unknown columns: no header recognised yet")
	pv, err = ingest.PreviewPath(ctx, st, p, ingest.Options{HeaderLine: 1}, 3)
	require.NoError(t, err)
	assert.False(t, pv.Complete)
	m := ingest.Mapping{"日子": ingest.FieldTime, "钱": ingest.FieldAmount}
	require.NoError(t, ingest.RememberMapping(ctx, st, pv.Signature, m))
	pv, err = ingest.PreviewPath(ctx, st, p, ingest.Options{}, 3)
	require.NoError(t, err)
	assert.Equal(t, ingest.FormatMapped, pv.Format, "the remembered mapping makes the header known")
	assert.True(t, pv.Complete)
	assert.Equal(t, m, pv.Mapping)
	require.Len(t, pv.After, 1)
}
