package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/templates"
)

// memVault is a Vault over files held in memory.
type memVault map[string][]byte

func (v memVault) OpenBlob(sha string) (io.ReadCloser, error) {
	b, ok := v[sha]
	if !ok {
		return nil, fmt.Errorf("blob %s: %w", sha, evidence.ErrNotFound)
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (v memVault) add(data []byte) (string, int64) {
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	v[sha] = data
	return sha, int64(len(data))
}

// slipPhoto is a landscape-stored photo with EXIF orientation 6 (turn 90°
// clockwise): the top band (red when upright) is stored on the left.
func slipPhoto(t testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{240, 240, 230, 255}
			switch {
			case x < w/5:
				c = color.RGBA{200, 30, 30, 255}
			case (y/12)%3 == 0 && x%40 < 30:
				c = color.RGBA{40, 40, 40, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}))
	return withOrientation(buf.Bytes(), 6)
}

// withOrientation inserts an EXIF APP1 segment carrying only an orientation.
func withOrientation(jpg []byte, o uint16) []byte {
	var tiff bytes.Buffer
	tiff.WriteString("Exif\x00\x00II*\x00")
	le := binary.LittleEndian
	_ = binary.Write(&tiff, le, uint32(8))
	_ = binary.Write(&tiff, le, uint16(1))
	_ = binary.Write(&tiff, le, []uint16{0x0112, 3})
	_ = binary.Write(&tiff, le, uint32(1))
	_ = binary.Write(&tiff, le, []uint16{o, 0})
	_ = binary.Write(&tiff, le, uint32(0))
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(tiff.Len()+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	out = append(out, tiff.Bytes()...)
	return append(out, jpg[2:]...)
}

// chatScreenshot is a phone-sized PNG with a few coloured bubbles.
func chatScreenshot(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 540, 1170))
	for y := 0; y < 1170; y++ {
		for x := 0; x < 540; x++ {
			c := color.RGBA{237, 237, 237, 255}
			if band := y / 120; y%120 > 30 && y%120 < 90 {
				if band%2 == 0 && x > 30 && x < 380 {
					c = color.RGBA{255, 255, 255, 255}
				} else if band%2 == 1 && x > 160 && x < 510 {
					c = color.RGBA{149, 236, 105, 255}
				}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// A Luhn-valid test card number; it must never reach any output in full.
const fullCard = "6222021234567890128"

func sh(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, evidence.Shanghai)
}

// fixtureDossier is a wrong-amount case with two pictures, a statement
// file, transactions (one disputed) and calls, written in Chinese with
// English mixed in.
func fixtureDossier(t testing.TB) (evidence.Dossier, memVault) {
	v := memVault{}
	slipSHA, slipSize := v.add(slipPhoto(t, 800, 500))
	chatSHA, chatSize := v.add(chatScreenshot(t))
	csvSHA, csvSize := v.add([]byte("交易时间,金额\n2026-11-20 14:03:05,1280.00\n"))
	d := evidence.Dossier{
		Case: evidence.Case{
			ID: 7, Title: "某某餐厅刷错金额", Scenario: evidence.WrongAmount, Status: evidence.StatusOpen, Role: evidence.RoleConsumer,
			Complainant: evidence.Party{Name: "张三", IDNumber: "110101199003071234", Phone: "13812345678", Address: "上海市徐汇区漕溪北路1号"},
			Respondent:  evidence.Party{Name: "上海某某餐饮有限公司", Address: "上海市徐汇区天钥桥路100号", MerchantNo: "123456789012345", TerminalNo: "12345678"},
			Claims: []evidence.Claim{
				{Text: "退还多扣的款项人民币1,152.00元至原卡", Amount: 115200},
				{Text: "七日内书面答复"},
			},
			Facts:   "2026年11月20日本人在贵店消费128.00元，POS机实际扣款1,280.00元。",
			Created: sh(2026, 11, 20, 20, 0), Updated: sh(2026, 11, 22, 9, 0),
		},
		Transactions: []evidence.Transaction{
			{ID: 1, Time: sh(2026, 11, 20, 14, 3), Amount: 128000, Currency: "CNY", Direction: evidence.Debit, Status: "交易成功", Type: "消费",
				Merchant: "上海某某餐饮有限公司（徐汇店）", CardLast4: "0128", RRN: "631234567890", Voucher: "000123", Batch: "000001", Disputed: true, Source: "slip"},
			{ID: 2, Time: sh(2026, 11, 21, 10, 15), Amount: 2990, Currency: "CNY", Direction: evidence.Debit, Status: "交易成功", Type: "消费",
				Merchant: "=HYPERLINK(\"http://evil.example\",\"click\")", CardLast4: "0128", RRN: "631234567891", Voucher: "000124", Source: "manual"},
		},
		Exhibits: []evidence.Exhibit{
			{ID: 11, Seq: 1, Kind: evidence.KindSlip, Title: "签购单照片（金额1,280.00元）", Source: "本人拍摄", Purpose: "证明实际扣款金额为1,280.00元",
				Captured: sh(2026, 11, 20, 14, 10), SHA256: slipSHA, Size: slipSize, OriginalName: "IMG_20261120_141000.jpg", MediaType: "image/jpeg"},
			{ID: 12, Seq: 2, Kind: evidence.KindChat, Title: "与商家的微信聊天记录 WeChat chat", Source: "微信截图", Purpose: "证明商家承认多扣款但拒绝退款",
				SHA256: chatSHA, Size: chatSize, OriginalName: "Screenshot_20261121.png", MediaType: "image/png", Platform: "微信", Counterpart: "店长"},
			{ID: 13, Seq: 3, Kind: evidence.KindStatement, Title: "银行账单", Source: "手机银行导出", Purpose: "证明扣款已入账",
				SHA256: csvSHA, Size: csvSize, OriginalName: "statement.csv", MediaType: "text/csv"},
		},
		Calls: []evidence.CallLog{
			{ID: 21, Start: sh(2026, 11, 21, 9, 30), Duration: 7*time.Minute + 12*time.Second, Direction: evidence.CallOutgoing,
				Organisation: "某某银行信用卡中心", Number: "95555", Agent: "A1024", Ticket: "CS20261121-0042",
				Summary: "客服称需商户发起退货；已登记差错处理申请，预计15个工作日内答复。The agent asked for the slip photo."},
		},
		Events: []evidence.Event{
			{ID: 31, Kind: evidence.EventDiscovered, Time: sh(2026, 11, 20, 14, 5), Party: "本人", Note: "收到扣款短信 1,280.00元"},
			{ID: 32, Kind: evidence.EventContacted, Time: sh(2026, 11, 20, 14, 20), Party: "商家", Note: "当面要求退款，店长拒绝"},
			{ID: 33, Kind: evidence.EventDeadline, Time: sh(2026, 11, 21, 9, 30), Party: "发卡行", Note: "差错处理答复期限", Due: sh(2026, 12, 12, 18, 0)},
		},
	}
	return d, v
}

// longMixed is a long paragraph of Chinese with English, numbers, a URL
// and a hash: the text that gofpdf's own MultiCell garbles.
const longMixed = "2026年11月20日14时03分，本人在上海市徐汇区某某餐厅（商户编号123456789012345，终端号12345678）用尾号0128的银行卡刷卡消费，" +
	"约定金额为人民币128.00元，但POS机实际扣款1,280.00元（参考号RRN 631234567890，凭证号000123）。" +
	"The merchant admitted the extra zero on the phone but refused to refund; the ticket is at https://example.com/dispute/ticket?id=ABCDEF0123456789ABCDEF0123456789&lang=zh-CN. " +
	"本人随即致电发卡行客服（工单号CS20261120-0042），客服表示需商户配合退款！商家称“系统故障”，拒不退还多扣的1,152.00元；" +
	"签购单照片的SHA-256为e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855。《消费者权益保护法》第十条规定，消费者享有公平交易的权利。" +
	"为此特致函贵店，请于收到本函之日起七日内退还多扣款项，逾期本人将向消费者协会投诉。"

// fixtureLetter is a Chinese letter to the merchant in the shape the
// composer produces.
func fixtureLetter(t testing.TB, lang templates.Lang) (templates.Letter, memVault) {
	d, v := fixtureDossier(t)
	l := templates.Letter{
		Recipient: templates.ToMerchant, Lang: lang, Author: "张三", Date: sh(2026, 11, 22, 0, 0), Dossier: d,
	}
	if lang == templates.English {
		l.Title = "Complaint about a wrong POS charge"
		l.Blocks = []templates.Block{
			{Kind: templates.BlockTitle, Text: l.Title},
			{Kind: templates.BlockSalutation, Text: "Dear Sir or Madam,"},
			{Kind: templates.BlockHeading, Text: "1. Complainant"},
			{Kind: templates.BlockField, Label: "Name", Text: "Zhang San"},
			{Kind: templates.BlockField, Label: "Phone", Text: "138****5678"},
			{Kind: templates.BlockHeading, Text: "2. Requests"},
			{Kind: templates.BlockItem, Number: 1, Text: "Refund the RMB 1,152.00 charged in excess to the original card ending 0128."},
			{Kind: templates.BlockItem, Number: 2, Text: "Reply in writing within 7 days."},
			{Kind: templates.BlockHeading, Text: "3. Facts and reasons"},
			{Kind: templates.BlockParagraph, Text: "On 20 November 2026 at 14:03 I paid at your restaurant with my card " + fullCard + ". The agreed price was RMB 128.00, but the terminal charged RMB 1,280.00 (RRN 631234567890, voucher 000123)."},
			{Kind: templates.BlockParagraph, Text: longMixed},
			{Kind: templates.BlockClosing, Text: "Yours faithfully,"},
			{Kind: templates.BlockSignature, Text: "Zhang San"},
			{Kind: templates.BlockSignature, Text: "22 November 2026"},
		}
	} else {
		l.Title = "关于POS机交易金额错误的投诉函"
		l.Blocks = []templates.Block{
			{Kind: templates.BlockTitle, Text: l.Title},
			{Kind: templates.BlockSalutation, Text: "上海某某餐饮有限公司："},
			{Kind: templates.BlockHeading, Text: "一、投诉人"},
			{Kind: templates.BlockField, Label: "姓名", Text: "张三"},
			{Kind: templates.BlockField, Label: "联系电话", Text: "138****5678"},
			{Kind: templates.BlockField, Label: "地址", Text: "上海市徐汇区漕溪北路1号，一个很长的地址用来测试字段换行时续行是否与标签后的文字对齐而不是回到页边"},
			{Kind: templates.BlockHeading, Text: "二、投诉请求"},
			{Kind: templates.BlockItem, Number: 1, Text: "退还多扣的款项人民币1,152.00元至尾号0128的原卡；"},
			{Kind: templates.BlockItem, Number: 2, Text: "自收到本函之日起七日内给予书面答复，并说明多扣款的原因以及今后避免同类差错的措施，以免本人进一步向有关部门投诉。"},
			{Kind: templates.BlockHeading, Text: "三、事实与理由"},
			{Kind: templates.BlockParagraph, Text: "本人所用银行卡卡号为" + fullCard + "。" + longMixed},
			{Kind: templates.BlockParagraph, Text: "以上事实有签购单、聊天记录与银行账单为证。\n另：本人保留通过法律途径解决的权利。"},
			{Kind: templates.BlockClosing, Text: "此致\n敬礼"},
			{Kind: templates.BlockSignature, Text: "投诉人：张三"},
			{Kind: templates.BlockSignature, Text: "2026年11月22日"},
		}
	}
	for _, e := range d.Exhibits {
		l.Evidence = append(l.Evidence, templates.EvidenceItem{Seq: e.Seq, Name: e.Title, Source: e.Source, Purpose: e.Purpose, ExhibitID: e.ID, SHA256: e.SHA256})
	}
	l.Evidence = append(l.Evidence,
		templates.EvidenceItem{Seq: 4, Name: "交易明细表", Source: "根据银行账单整理", Purpose: "证明扣款时间、金额与参考号", Generated: "transactions"},
		templates.EvidenceItem{Seq: 5, Name: "通话记录", Source: "本人记录", Purpose: "证明已与发卡行沟通", Generated: "calls"},
		templates.EvidenceItem{Seq: 6, Name: "商家价目表（尚未取得）", Source: "商家", Purpose: "证明约定价格"},
	)
	return l, v
}
