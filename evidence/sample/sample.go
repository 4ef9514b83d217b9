// Package sample owns the bundled demonstration case: a fictional
// wrong-amount dispute (a restaurant's POS charged ¥1,280.00 for a ¥128.00
// set menu) with transactions, a slip photo, a menu photo, a chat
// screenshot, calls and timeline events. The GUI installs it on first start
// and `dk demo` writes every letter from it. Every person, shop, number and
// institution in it is made up; only card last-four digits appear.
package sample

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/disputekit/disputekit/assets"
	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/store"
)

//go:generate go run images_gen.go

// SettingKey is the store setting that remembers the installed sample case's ID.
const SettingKey = "sample.case_id"

// Title is the sample case's title.
const Title = "示例：湘味小馆刷错金额 ¥1,280.00（应为¥128.00）"

// Facts is the sample case's narrative: mixed Chinese, English and numbers,
// long enough to wrap over several lines in a letter.
const Facts = "2026年11月8日晚，本人与朋友在被投诉人经营的“虚构湘味小馆”（示例路店）用餐，点了菜单标价¥128.00的双人套餐（Set Menu for Two，含小炒黄牛肉半份、手撕包菜、米饭2份及酸梅汤2杯）。20:41结账时，收银员在POS终端（终端号10362211）上输入金额后把机器递给本人输入密码，并未告知所输入的金额。回家后查看银行短信通知，发现尾号0128的银行卡被扣款¥1,280.00，比实际消费多出¥1,152.00，显然是收银时多输了一个“0”。\n" +
	"次日上午本人通过微信联系店长李经理，对方核对收银记录后承认收银员输错金额（\"多输了一个0\"），但表示退款需要“走银行流程”，此后一直未退还多扣的款项。本人于11月11日致电发卡行示例银行客服申请差错处理（工单号GD20261111000374），银行答复需要商户配合提供交易凭证；11月18日银行回电告知商户未配合调单。至今多扣的¥1,152.00仍未退回。"

func at(s string) time.Time {
	t, err := evidence.ParseLocalTime(s, evidence.Shanghai)
	if err != nil {
		panic(err) // the literals below are fixed; a bad one is a programming error
	}
	return t
}

// file is one embedded exhibit file.
type file struct {
	name, media string
	data        []byte
}

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Dossier returns the sample case and the exhibit files by SHA-256. The
// story's dates are fixed (they are printed on the slip and the chat); now
// only stamps when the files were imported.
func Dossier(now time.Time) (evidence.Dossier, map[string][]byte) {
	const (
		merchantNo = "898310058120345"
		terminalNo = "10362211"
		issuer     = "示例银行"
		acquirer   = "示例支付有限公司"
		ticket     = "GD20261111000374"
	)
	c := evidence.Case{
		Title:    Title,
		Scenario: evidence.WrongAmount,
		Status:   evidence.StatusOpen,
		Role:     evidence.RoleConsumer,
		Complainant: evidence.Party{
			Name:     "张三",
			IDNumber: "110105199003071235",
			Phone:    "13912345678",
			Address:  "上海市浦东新区示例路100弄8号1201室",
		},
		Respondent: evidence.Party{
			Name:       "上海虚构湘味餐饮管理有限公司（虚构湘味小馆示例路店）",
			Kind:       evidence.PartyCompany,
			Address:    "上海市徐汇区样本路88号1层",
			Phone:      "021-55550188",
			MerchantNo: merchantNo,
			TerminalNo: terminalNo,
		},
		Issuer: evidence.Party{
			Name:    issuer + "上海分行",
			Kind:    evidence.PartyBank,
			Address: "上海市黄浦区样本大道200号",
			Phone:   "95500",
		},
		Acquirer: evidence.Party{
			Name:    acquirer,
			Kind:    evidence.PartyPaymentInstitution,
			Address: "上海市浦东新区样本路500号",
			Phone:   "400-000-1111",
		},
		Claims: []evidence.Claim{
			{Text: "退还多扣的款项至尾号0128的原银行卡", Amount: 115200},
			{Text: "提供2026年11月8日该笔交易的签购单（商户存根）复印件及当晚的收银记录"},
			{Text: "自收到本函之日起7日内书面答复处理结果"},
		},
		Facts: Facts,
	}
	txns := []evidence.Transaction{
		{Time: at("2026-11-08 12:15:33"), Amount: 3650, Currency: "CNY", Direction: evidence.Debit, Status: "交易成功", Type: "消费",
			Merchant: "虚构便利店", Issuer: issuer, CardLast4: "0128", RRN: "531212008833", Channel: "POS", Source: "manual",
			DedupeKey: "sample-1"},
		{Time: at("2026-11-08 20:41:07"), Amount: 128000, Currency: "CNY", Direction: evidence.Debit, Status: "交易成功", Type: "消费",
			Merchant: "虚构湘味小馆", MerchantNo: merchantNo, TerminalNo: terminalNo, Acquirer: acquirer, Issuer: issuer,
			CardLast4: "0128", CardType: "debit", Batch: "000412", Voucher: "003817", RRN: "532218004517", AuthCode: "3K7Q2D", Channel: "POS",
			Agreed: 12800, Note: "菜单价¥128.00，实扣¥1,280.00", Disputed: true, Source: "slip", DedupeKey: "sample-2"},
		{Time: at("2026-11-10 09:02:11"), Amount: 5800, Currency: "CNY", Direction: evidence.Debit, Status: "交易成功", Type: "消费",
			Merchant: "虚构咖啡", Issuer: issuer, CardLast4: "0128", RRN: "531409002210", Channel: "POS", Source: "manual",
			DedupeKey: "sample-3"},
	}
	files := []file{
		{"slip.jpg", "image/jpeg", assets.SampleSlipJPEG},
		{"menu.jpg", "image/jpeg", assets.SampleMenuJPEG},
		{"chat.png", "image/png", assets.SampleChatPNG},
	}
	exhibits := []evidence.Exhibit{
		{Seq: 1, Kind: evidence.KindSlip, Title: "POS签购单照片（持卡人存根）", Source: "本人用手机拍摄的签购单原件",
			Purpose: "证明2026年11月8日该笔交易金额为¥1,280.00，及商户编号、终端号、参考号", Captured: at("2026-11-08 21:35:12"), CapturedBy: "张三"},
		{Seq: 2, Kind: evidence.KindPhoto, Title: "菜单照片（双人套餐¥128）", Source: "本人在店内拍摄",
			Purpose: "证明约定的消费价格为¥128.00", Captured: at("2026-11-08 19:02:40"), CapturedBy: "张三"},
		{Seq: 3, Kind: evidence.KindChat, Title: "与店长李经理的微信聊天记录截图", Source: "本人手机微信截图",
			Purpose: "证明商户承认收银员多输金额", Captured: at("2026-11-09 10:35:00"),
			Platform: "微信", Counterpart: "虚构湘味小馆 李经理（微信号 fict_xiangwei_li）", CapturedBy: "张三"},
	}
	blobs := map[string][]byte{}
	for i := range exhibits {
		f := files[i]
		e := &exhibits[i]
		e.ID = int64(i + 1)
		e.SHA256 = sha(f.data)
		e.Size = int64(len(f.data))
		e.OriginalName = f.name
		e.MediaType = f.media
		e.Imported = now
		blobs[e.SHA256] = f.data
	}
	txns[1].SourceExhibitID = exhibits[0].ID
	calls := []evidence.CallLog{
		{Start: at("2026-11-09 10:40:00"), Duration: 4*time.Minute + 12*time.Second, OwnNumber: "13912345678", Number: "021-55550188",
			Direction: evidence.CallOutgoing, Organisation: "虚构湘味小馆", Contact: "李经理",
			Summary: "店长再次确认收银员多输了一个0，称退款要走银行流程，会尽快处理，未给出具体时间。"},
		{Start: at("2026-11-11 14:05:00"), Duration: 12*time.Minute + 30*time.Second, OwnNumber: "13912345678", Number: "400-000-0000",
			Direction: evidence.CallOutgoing, Organisation: issuer, Agent: "8012", Ticket: ticket,
			Summary: "申请差错处理（调单），客服受理，答复需商户配合提供交易凭证，7个工作日内回复。"},
		{Start: at("2026-11-18 16:20:00"), Duration: 3*time.Minute + 5*time.Second, OwnNumber: "13912345678", Number: "400-000-0000",
			Direction: evidence.CallIncoming, Organisation: issuer, Agent: "8057", Ticket: ticket,
			Summary: "银行告知商户未回复调单请求，建议继续与商户协商，或向监管部门反映。"},
	}
	events := []evidence.Event{
		{Kind: evidence.EventDiscovered, Time: at("2026-11-08 21:30:00"), Note: "查看银行短信，发现扣款¥1,280.00"},
		{Kind: evidence.EventContacted, Time: at("2026-11-09 10:12:00"), Party: "虚构湘味小馆 李经理（微信）", Note: "店长核对后承认收银员多输了一个0"},
		{Kind: evidence.EventComplaint, Time: at("2026-11-11 14:05:00"), Party: issuer, Note: "申请差错处理，工单号" + ticket, Due: at("2026-11-20 18:00:00")},
		{Kind: evidence.EventReply, Time: at("2026-11-18 16:20:00"), Party: issuer, Note: "商户未配合调单，建议继续协商"},
		{Kind: evidence.EventDeadline, Time: at("2026-11-24 09:00:00"), Party: "虚构湘味小馆", Note: "给商户的书面答复期限", Due: at("2026-12-01 18:00:00")},
	}
	for i := range calls {
		calls[i].ID = int64(i + 1)
	}
	for i := range events {
		events[i].ID = int64(i + 1)
	}
	for i := range txns {
		txns[i].ID = int64(i + 1)
	}
	return evidence.Dossier{Case: c, Transactions: txns, Exhibits: exhibits, Calls: calls, Events: events}, blobs
}

// Install puts the sample case into st and returns its ID. It is idempotent:
// when the sample was installed before and its case still exists, it returns
// that case's ID and changes nothing. The case is created in one step
// (store.ImportDossier), so a failure leaves no half-made case.
func Install(ctx context.Context, st *store.Store) (int64, error) {
	if v, err := st.Setting(ctx, SettingKey); err == nil {
		if id, perr := strconv.ParseInt(v, 10, 64); perr == nil {
			if _, gerr := st.GetCase(ctx, id); gerr == nil {
				return id, nil
			} else if !errors.Is(gerr, evidence.ErrNotFound) {
				return 0, fmt.Errorf("install sample case: %w", gerr)
			}
		}
	} else if !errors.Is(err, evidence.ErrNotFound) {
		return 0, fmt.Errorf("install sample case: %w", err)
	}
	d, blobs := Dossier(time.Now())
	id, err := st.ImportDossier(ctx, d, func(sha string) (io.ReadCloser, error) {
		b, ok := blobs[sha]
		if !ok {
			return nil, fmt.Errorf("sample file %s: %w", sha, evidence.ErrNotFound)
		}
		return io.NopCloser(bytes.NewReader(b)), nil
	})
	if err != nil {
		return 0, fmt.Errorf("install sample case: %w", err)
	}
	if err := st.SetSetting(ctx, SettingKey, strconv.FormatInt(id, 10)); err != nil {
		return 0, fmt.Errorf("install sample case: remember its ID: %w", err)
	}
	return id, nil
}
