package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

func parseBytes(t *testing.T, b []byte, opts Options) *Result {
	t.Helper()
	res, err := Parse(bytes.NewReader(b), opts)
	require.NoError(t, err)
	return res
}

func at(s string) time.Time {
	t, err := evidence.ParseLocalTime(s, nil)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseAlipayGBK(t *testing.T) {
	res := parseBytes(t, alipayCSV(t, 8), Options{Name: "alipay.csv"})
	r := res.Report
	assert.Equal(t, FormatAlipay, r.Format)
	assert.Equal(t, EncodingGB18030, r.Encoding)
	assert.Equal(t, 25, r.HeaderLine, "the header follows the 24-line preamble")
	assert.Equal(t, 8, r.Rows)
	assert.Zero(t, r.Skipped)
	assert.Zero(t, r.Undecodable)
	assert.Empty(t, r.Warnings)
	require.Len(t, res.Transactions, 8)

	tx := res.Transactions[0]
	assert.Equal(t, at("2024-01-01 12:00:00"), tx.Time)
	assert.Equal(t, evidence.Money(1000), tx.Amount)
	assert.Equal(t, evidence.Debit, tx.Direction)
	assert.Equal(t, "某某餐厅", tx.Merchant, "padding is trimmed")
	assert.Equal(t, "午餐", tx.Description)
	assert.Equal(t, "交易成功", tx.Status)
	assert.Equal(t, "餐饮美食", tx.Type)
	assert.Equal(t, "2024010522001412"+"0000000000", tx.OrderNo, "the tab after the order number is dropped")
	assert.Equal(t, "1234", tx.CardLast4)
	assert.Equal(t, "招商银行信用卡", tx.Issuer)
	assert.Contains(t, tx.Note, "商户单号 T0000000000")
	assert.Equal(t, "alipay", tx.Source)
	assert.Equal(t, "Alipay", tx.Channel)
	assert.Equal(t, 26, tx.SourceRow)
	assert.Equal(t, "alipay:order:20240105220014120000000000|1704081600|1000|debit", tx.DedupeKey)

	refund := res.Transactions[1]
	assert.Equal(t, evidence.Credit, refund.Direction)
	assert.Equal(t, "退款成功", refund.Status)
	assert.Equal(t, evidence.Money(1101), refund.Amount)
}

func TestParseAlipayOldColumnOrderAndUnknownStatus(t *testing.T) {
	// Older exports name and order the columns differently; map by name.
	csv := "支付宝交易记录明细查询\n账号:[x]\n" +
		"交易号,商家订单号,交易创建时间,付款时间,最近修改时间,交易来源地,类型,交易对方,商品名称,金额（元）,收/支,交易状态,服务费（元）,成功退款（元）,备注,资金状态,\n" +
		"2019010122001,T1,2019-01-01 10:00:00,2019-01-01 10:00:05,2019-01-01 10:00:05,其他（包括阿里巴巴和外部商家）,即时到账交易,某某店,商品A,12.50,支出,交易成功,0.00,0.00,,已支出,\n" +
		"2019010222001,T2,2019-01-02 10:00:00,2019-01-02 10:00:05,2019-01-02 10:00:05,其他,即时到账交易,某某店,商品B,3.00,支出,神秘状态,0.00,0.00,,已支出,\n"
	res := parseBytes(t, gbk(t, csv), Options{})
	assert.Equal(t, FormatAlipay, res.Report.Format)
	require.Len(t, res.Transactions, 2)
	assert.Equal(t, evidence.Money(1250), res.Transactions[0].Amount)
	assert.Equal(t, at("2019-01-01 10:00:00"), res.Transactions[0].Time)
	assert.Equal(t, "alipay:order:2019010122001|1546308000|1250|debit", res.Transactions[0].DedupeKey)
	var found bool
	for _, w := range res.Report.Warnings {
		if strings.Contains(w.Message, "神秘状态") {
			found = true
			assert.Equal(t, 5, w.Line)
		}
	}
	assert.True(t, found, "an unknown status is warned about: %v", res.Report.Warnings)
}

func TestParseWeChatCSVWithBOMAndTabQuirk(t *testing.T) {
	res := parseBytes(t, wechatCSV(3), Options{})
	r := res.Report
	assert.Equal(t, FormatWeChat, r.Format)
	assert.Equal(t, EncodingUTF8BOM, r.Encoding)
	assert.Equal(t, 17, r.HeaderLine)
	require.Len(t, res.Transactions, 3)
	tx := res.Transactions[1]
	assert.Equal(t, evidence.Money(201), tx.Amount, "￥2.01")
	assert.Equal(t, evidence.Money(100), res.Transactions[0].Amount, "¥1.00")
	assert.Equal(t, "42000012342024000000000001", tx.OrderNo)
	assert.Equal(t, "支付方式 零钱; 商户单号 3985735", tx.Note, "the quoted cell followed by a tab keeps its value and loses the tab")
	assert.Equal(t, "某某便利店", tx.Merchant)
	assert.Equal(t, "饮料", tx.Description)
	assert.Equal(t, "商户消费", tx.Type)
	assert.Equal(t, "支付成功", tx.Status)
	assert.Equal(t, evidence.Debit, tx.Direction)
	assert.Equal(t, "WeChat", tx.Channel)
	assert.Empty(t, r.Warnings)
}

func TestParseWeChatXLSXHeaderOnRow18(t *testing.T) {
	res := parseBytes(t, wechatXLSX(t), Options{})
	r := res.Report
	assert.Equal(t, FormatWeChat, r.Format)
	assert.Equal(t, 18, r.HeaderLine)
	require.Len(t, res.Transactions, 3, "skipped: %v", r.SkippedRows)
	assert.Equal(t, evidence.Money(2816), res.Transactions[0].Amount, "a number cell")
	assert.Equal(t, "1234", res.Transactions[0].CardLast4)
	assert.Equal(t, evidence.Money(1200), res.Transactions[1].Amount, "a ¥ string cell")
	assert.Equal(t, evidence.Credit, res.Transactions[1].Direction)
	assert.Equal(t, evidence.Money(30), res.Transactions[2].Amount, "0.30000000000000004 is 30 fen")
	assert.Equal(t, evidence.Neutral, res.Transactions[2].Direction)
	assert.Equal(t, at("2024-01-07 18:45:00"), res.Transactions[2].Time, "a date serial")
	assert.Equal(t, 21, res.Transactions[2].SourceRow)
}

func TestParseICBCPaddedWithFooter(t *testing.T) {
	res := parseBytes(t, icbcCSV(), Options{})
	r := res.Report
	assert.Equal(t, FormatICBC, r.Format)
	assert.Equal(t, EncodingUTF8, r.Encoding)
	assert.Equal(t, 4, r.Rows, "the 合计金额 footer is not a row")
	require.Len(t, res.Transactions, 4)
	a, b, refund, salary := res.Transactions[0], res.Transactions[1], res.Transactions[2], res.Transactions[3]
	assert.Equal(t, evidence.Money(128000), a.Amount)
	assert.Equal(t, evidence.Debit, a.Direction)
	assert.Equal(t, "某某超市", a.Merchant)
	assert.Equal(t, "消费", a.Description)
	assert.NotEqual(t, a.DedupeKey, b.DedupeKey, "two equal debits on one day stay two (the balance differs)")
	assert.Equal(t, evidence.Credit, refund.Direction)
	assert.Equal(t, evidence.Money(500000), salary.Amount)
	assert.Equal(t, "某某公司", salary.Merchant, "对方户名 when no 交易场所")
	assert.Equal(t, "icbc", a.Source)
}

func TestParseCCBXLS(t *testing.T) {
	for _, biff5 := range []bool{false, true} {
		res := parseBytes(t, buildXLS(t, ccbRows, biff5), Options{Name: "ccb.xls"})
		r := res.Report
		assert.Equal(t, FormatCCB, r.Format)
		assert.Equal(t, "xls", r.Encoding)
		assert.Equal(t, 3, r.HeaderLine)
		require.Len(t, res.Transactions, 3, "biff5=%v skipped %v", biff5, r.SkippedRows)
		a := res.Transactions[0]
		assert.Equal(t, at("2024-01-05 14:03:22"), a.Time)
		assert.Equal(t, evidence.Money(5850), a.Amount)
		assert.Equal(t, evidence.Debit, a.Direction)
		assert.Equal(t, "某某加油站", a.Merchant)
		assert.Equal(t, "消费", a.Description)
		assert.Equal(t, evidence.Credit, res.Transactions[1].Direction)
		assert.Equal(t, "李四", res.Transactions[1].Merchant)
		assert.Equal(t, at("2024-01-06 14:03:22"), res.Transactions[2].Time, "140322 is a time of day")
		assert.Equal(t, evidence.Money(128000), res.Transactions[2].Amount)
	}
}

func TestReadXLSRejectsOtherCompoundFiles(t *testing.T) {
	doc := compoundFile("WordDocument", bytes.Repeat([]byte{0}, 4096))
	_, err := Parse(bytes.NewReader(doc), Options{})
	require.ErrorIs(t, err, ErrNotStatement)
	assert.Contains(t, err.Error(), "no Workbook stream")
}

func TestParseMappedPOSExport(t *testing.T) {
	res := parseBytes(t, posCSV(), Options{Role: evidence.RoleMerchant})
	r := res.Report
	assert.Equal(t, FormatMapped, r.Format)
	assert.Equal(t, 3, r.HeaderLine)
	assert.Equal(t, FieldCard, r.Mapping["卡号"])
	assert.Equal(t, FieldClock, r.Mapping["交易时间"], "beside 交易日期, 交易时间 is the time of day")
	require.Len(t, res.Transactions, 3)
	a := res.Transactions[0]
	assert.Equal(t, at("2024-03-01 10:15:00"), a.Time)
	assert.Equal(t, evidence.Money(100000), a.Amount, "交易金额(分) is in fen")
	assert.Equal(t, evidence.Money(380), a.Fee)
	assert.Equal(t, "7890", res.Transactions[1].CardLast4)
	assert.Equal(t, "0128", a.CardLast4)
	assert.Equal(t, "123456789012", a.RRN)
	assert.Equal(t, "000101", a.Voucher)
	assert.Equal(t, "12345678", a.TerminalNo)
	assert.Equal(t, "898310012345678", a.MerchantNo)
	assert.Equal(t, "POS", a.Channel)
	assert.Equal(t, evidence.Credit, a.Direction, "a merchant's sale is money in")
	assert.Equal(t, evidence.Debit, res.Transactions[2].Direction, "消费撤销 is money out")
	assert.Equal(t, "mapped:rrn:12345678:123456789012|1709259300|100000|credit", a.DedupeKey)
	js, err := json.Marshal(res)
	require.NoError(t, err)
	assert.NotContains(t, string(js), "6222021234567890128", "a full card number never leaves the parser")
}

func TestParseMappedNeedsAndRemembersMapping(t *testing.T) {
	csv := []byte("日子,钱,店\n2024-03-01 10:00:00,12.00,甲店\n2024-03-02 10:00:00,13.00,乙店\n")
	_, err := Parse(bytes.NewReader(csv), Options{Format: FormatMapped})
	require.ErrorIs(t, err, ErrNeedMapping)

	m, err := ParseMapOverrides([]string{"日子=time", "钱=amount", "店=merchant"})
	require.NoError(t, err)
	res := parseBytes(t, csv, Options{Map: m, Role: evidence.RoleConsumer})
	require.Len(t, res.Transactions, 2)
	assert.Equal(t, "乙店", res.Transactions[1].Merchant)
	assert.Equal(t, evidence.Debit, res.Transactions[1].Direction)
	assert.Equal(t, m, res.Mapping)

	// Next time the same header is recognised from the remembered mapping.
	sig := res.Signature
	recall := func(s string) (Mapping, bool) { return m, s == sig }
	res = parseBytes(t, csv, Options{Recall: recall})
	assert.Equal(t, FormatMapped, res.Report.Format)
	require.Len(t, res.Transactions, 2)

	_, err = ParseMapOverrides([]string{"钱=money"})
	require.ErrorIs(t, err, evidence.ErrInvalid)
	_, err = Parse(bytes.NewReader(csv), Options{Map: Mapping{"日子": FieldTime, "钱": FieldAmount, "没有": FieldMerchant}, Format: FormatMapped})
	require.Error(t, err, "a mapping naming a missing column is refused")
}

func TestParseRaggedRow(t *testing.T) {
	csv := bytes.Replace(wechatCSV(2), []byte("共计2笔记录"), []byte("共计4笔记录"), 1)
	csv = append(csv, "2024-01-09 10:00:00,商户消费,\"某店\"\n"...)                         // no amount
	csv = append(csv, "2024-01-10 10:00:00,商户消费,某店,商品,支出,¥5.00,零钱,支付成功,4200999\n"...) // short but enough
	res := parseBytes(t, csv, Options{})
	assert.Equal(t, 4, res.Report.Rows)
	assert.Equal(t, 1, res.Report.Skipped)
	require.Len(t, res.Report.SkippedRows, 1)
	assert.Equal(t, 20, res.Report.SkippedRows[0].Line)
	assert.Contains(t, res.Report.SkippedRows[0].Message, "amount")
	require.Len(t, res.Transactions, 3)
	assert.Equal(t, evidence.Money(500), res.Transactions[2].Amount)
	var warned bool
	for _, w := range res.Report.Warnings {
		warned = warned || (w.Line == 21 && strings.Contains(w.Message, "cells"))
	}
	assert.True(t, warned, "%v", res.Report.Warnings)
}

func TestParseUndecodableBytes(t *testing.T) {
	t.Run("gbk", func(t *testing.T) {
		b := alipayCSV(t, 3)
		i := bytes.Index(b, gbk(t, "午餐 ,支出,10.00"))
		require.Positive(t, i)
		b[i+2] = 0xFF // inside 午餐 on the first data row (line 26)
		res := parseBytes(t, b, Options{})
		assert.Equal(t, EncodingGB18030, res.Report.Encoding)
		assert.Equal(t, 2, res.Report.Undecodable, "0xFF and the orphaned trail byte")
		assert.Equal(t, []int{26}, res.Report.UndecodableLines)
		require.Len(t, res.Transactions, 3, "the row keeps its amount and is imported")
		assert.Contains(t, res.Transactions[0].Description, "\uFFFD")
		assert.Contains(t, res.Report.Warnings[0].Message, "26")
	})
	t.Run("utf-8", func(t *testing.T) {
		b := wechatCSV(2)
		i := bytes.Index(b, []byte("饮料"))
		b[i] = 0xFF
		res := parseBytes(t, b, Options{})
		assert.Equal(t, EncodingUTF8BOM, res.Report.Encoding)
		assert.Equal(t, 3, res.Report.Undecodable, "0xFF and the two continuation bytes it orphaned")
		assert.Equal(t, []int{18}, res.Report.UndecodableLines)
		require.Len(t, res.Transactions, 2)
	})
	t.Run("utf-8 without BOM", func(t *testing.T) {
		b := wechatCSV(2)[3:]
		i := bytes.Index(b, []byte("饮料"))
		b[i] = 0xFF
		res := parseBytes(t, b, Options{})
		assert.Equal(t, EncodingUTF8, res.Report.Encoding, "one bad byte does not make a UTF-8 file GBK")
		assert.Equal(t, 3, res.Report.Undecodable)
	})
}

func TestParseRefusals(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		err  error
		msg  string
	}{
		{"empty", nil, ErrNotStatement, "empty"},
		{"prose", []byte("Dear shop,\nI paid twice.\nRegards\n"), ErrNotStatement, "no header row"},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), ErrNotStatement, "PNG"},
		{"pdf", []byte("%PDF-1.4\n"), ErrNotStatement, "PDF"},
		{"other table", []byte("name,age,city,country\na,1,b,c\nd,2,e,f\n"), ErrNeedMapping, "--map"},
		{"broken xlsx", []byte("PK\x03\x04garbage"), ErrNotStatement, "xlsx"},
		{"broken xls", append(append([]byte{}, oleMagic...), make([]byte, 600)...), ErrNotStatement, "xls"},
		{"header only", []byte(alipayHeader), nil, ""},
		{"bad format", []byte("x"), evidence.ErrInvalid, "not one of"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := Options{Name: "f"}
			if c.name == "bad format" {
				opts.Format = "paypal"
			}
			res, err := Parse(bytes.NewReader(c.in), opts)
			if c.err == nil {
				require.NoError(t, err)
				assert.Zero(t, res.Report.Rows)
				assert.NotEmpty(t, res.Report.Warnings)
				return
			}
			require.ErrorIs(t, err, c.err)
			assert.Contains(t, err.Error(), c.msg)
			assert.True(t, strings.HasPrefix(err.Error(), "parse f: "), err.Error())
		})
	}
}

func TestForcedFormatMustMatch(t *testing.T) {
	_, err := Parse(bytes.NewReader(wechatCSV(1)), Options{Format: FormatAlipay})
	require.ErrorIs(t, err, ErrNotStatement)
	assert.Contains(t, err.Error(), "no alipay header")
}

func TestReimportKeysAreStable(t *testing.T) {
	// Identical rows without a reference stay distinct and keep their keys.
	csv := []byte("交易日期,摘要,交易金额(收入),交易金额(支出),对方户名\n明细查询文件下载\n")
	csv = []byte("明细查询文件下载\n交易日期,摘要,交易金额(收入),交易金额(支出),对方户名\n" +
		"2024-01-05,消费,,10.00,某店\n2024-01-05,消费,,10.00,某店\n")
	a := parseBytes(t, csv, Options{})
	b := parseBytes(t, csv, Options{})
	require.Len(t, a.Transactions, 2)
	assert.NotEqual(t, a.Transactions[0].DedupeKey, a.Transactions[1].DedupeKey)
	for i := range a.Transactions {
		assert.Equal(t, a.Transactions[i].DedupeKey, b.Transactions[i].DedupeKey)
	}
}

func TestTransactionsNormalize(t *testing.T) {
	// Every parsed transaction must be accepted by the domain as it is.
	for name, b := range map[string][]byte{"alipay": alipayCSV(t, 5), "wechat": wechatCSV(5), "icbc": icbcCSV(), "pos": posCSV(), "xlsx": wechatXLSX(t), "xls": buildXLS(t, ccbRows, false)} {
		res := parseBytes(t, b, Options{})
		require.NotEmpty(t, res.Transactions, name)
		for _, tx := range res.Transactions {
			_, err := tx.Normalize()
			require.NoError(t, err, name)
		}
	}
}

func TestParseCalls(t *testing.T) {
	csv := "日期,时间,通话时长,号码,类型,姓名\n" +
		"2024-01-06,09:30:00,3分12秒,95588,呼出,工商银行客服\n" +
		"2024-01-07,14:00,00:01:05,13800001234,呼入,商户\n" +
		"2024-01-08,10:00,一会儿,95555,呼出,招行\n"
	res := parseBytes(t, []byte(csv), Options{})
	assert.Equal(t, FormatCalls, res.Report.Format)
	assert.Equal(t, "calls", res.Report.Kind)
	require.Len(t, res.Calls, 2)
	assert.Equal(t, at("2024-01-06 09:30:00"), res.Calls[0].Start)
	assert.Equal(t, 192*time.Second, res.Calls[0].Duration)
	assert.Equal(t, evidence.CallOutgoing, res.Calls[0].Direction)
	assert.Equal(t, evidence.CallIncoming, res.Calls[1].Direction)
	assert.Equal(t, "商户", res.Calls[1].Contact)
	assert.Equal(t, 1, res.Report.Skipped)
	assert.Equal(t, 4, res.Report.SkippedRows[0].Line)
}

func TestParseCallsOneTimeColumn(t *testing.T) {
	res := parseBytes(t, []byte("时间,时长,号码,类型\n2024-01-06 09:30:00,192,95588,呼入\n"), Options{Format: FormatCalls})
	require.Len(t, res.Calls, 1)
	assert.Equal(t, at("2024-01-06 09:30:00"), res.Calls[0].Start)
	assert.Equal(t, evidence.CallIncoming, res.Calls[0].Direction)
}

func TestCSVReaderQuirks(t *testing.T) {
	cases := []struct {
		in   string
		want [][]string
	}{
		{"a,b,c\n", [][]string{{"a", "b", "c"}}},
		{" a\t, b ,c\t\n", [][]string{{"a", "b", "c"}}},
		{"\"3985734\"\t,x\n", [][]string{{"3985734", "x"}}},
		{"\"a\"\"b\",c\n", [][]string{{"a\"b", "c"}}},
		{"=\"0012\",x\n", [][]string{{"0012", "x"}}},
		{"\"line1\nline2\",x\ny,z\n", [][]string{{"line1\nline2", "x"}, {"y", "z"}}},
		{"a,b\"c,d\r\n", [][]string{{"a", "b\"c", "d"}}},
		{"a,b,\n", [][]string{{"a", "b", ""}}},
		{"\"a\"x,b\n", [][]string{{"ax", "b"}}},
		{"no newline at end", [][]string{{"no newline at end"}}},
	}
	for _, c := range cases {
		tr, err := newTextReader(strings.NewReader(c.in))
		require.NoError(t, err)
		cr := newCSVReader(tr)
		var got [][]string
		for {
			rec, _, ok, err := cr.next()
			require.NoError(t, err)
			if !ok {
				break
			}
			got = append(got, append([]string(nil), rec...))
		}
		assert.Equal(t, c.want, got, "%q", c.in)
	}
}

func TestCSVReaderUnclosedQuote(t *testing.T) {
	in := "\"open" + strings.Repeat("\nmore", 60) + "\n"
	tr, err := newTextReader(strings.NewReader(in))
	require.NoError(t, err)
	cr := newCSVReader(tr)
	n := 0
	for {
		_, _, ok, err := cr.next()
		require.NoError(t, err)
		if !ok {
			break
		}
		n++
	}
	assert.Positive(t, cr.broken)
	assert.Greater(t, n, 1, "a stray quote does not swallow the file")
}

func TestMoneyCellsInSheets(t *testing.T) {
	c := &converter{sheet: true, col: map[Field]int{FieldAmount: 0}, fenCols: map[int]bool{}}
	for in, want := range map[string]evidence.Money{"28.159999999999997": 2816, "0.30000000000000004": 30, "¥12.00": 1200, "-5": -500} {
		got, err := c.amount([]string{in}, FieldAmount)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	c.sheet = false
	_, err := c.amount([]string{"28.159999999999997"}, FieldAmount)
	assert.Error(t, err, "text cells with more than two decimals are refused, not rounded")
}

func TestUnknownColumnWarned(t *testing.T) {
	csv := "交易时间,金额,商户名称,神秘列,记账日\n2024-03-01 10:00:00,12.00,甲店,x,20240301\n"
	res := parseBytes(t, []byte(csv), Options{Positive: PositiveOut})
	require.Len(t, res.Report.Warnings, 1, "known but unused columns (记账日) are not warned about")
	w := res.Report.Warnings[0]
	assert.Equal(t, 1, w.Line)
	assert.Equal(t, `column "神秘列" is not known and not used`, w.In("en"))
	assert.Equal(t, `未识别的列 "神秘列"，未导入`, w.In("zh"))
}

func TestPreviewAndHeaderLine(t *testing.T) {
	p, err := PreviewFile(bytes.NewReader(posCSV()), Options{}, 2)
	require.NoError(t, err)
	assert.Equal(t, FormatMapped, p.Format)
	assert.Equal(t, 3, p.HeaderLine)
	assert.True(t, p.Complete)
	assert.Equal(t, FieldRRN, p.Mapping["参考号"])
	require.Len(t, p.Before, 2)
	require.Len(t, p.After, 2)
	assert.Equal(t, 4, p.After[0].Line)

	// Unknown column names: the preview still shows the rows, so the user
	// can name the header row and map it.
	csv := []byte("导出说明\n日子,钱,店\n2024-03-01 10:00:00,12.00,甲店\n")
	p, err = PreviewFile(bytes.NewReader(csv), Options{}, 5)
	require.NoError(t, err)
	assert.Empty(t, p.Format)
	assert.Contains(t, p.Problem, "not a statement")
	require.Len(t, p.Before, 3)
	p, err = PreviewFile(bytes.NewReader(csv), Options{HeaderLine: 2}, 5)
	require.NoError(t, err)
	assert.Equal(t, FormatMapped, p.Format)
	assert.False(t, p.Complete)
	res := parseBytes(t, csv, Options{HeaderLine: 2, Map: Mapping{"日子": FieldTime, "钱": FieldAmount}})
	require.Len(t, res.Transactions, 1)
	assert.Equal(t, evidence.Money(1200), res.Transactions[0].Amount)

	_, err = Parse(bytes.NewReader(csv), Options{HeaderLine: 9})
	require.ErrorIs(t, err, ErrNotStatement)

	_, err = PreviewFile(bytes.NewReader(nil), Options{}, 5)
	require.ErrorIs(t, err, ErrNotStatement)
}

func TestProgress(t *testing.T) {
	var seen []int
	res := parseBytes(t, wechatCSV(10_000), Options{Progress: func(n int) error { seen = append(seen, n); return nil }})
	require.Len(t, res.Transactions, 10_000)
	assert.Equal(t, []int{4096, 8192, 10_000}, seen)
	stop := errors.New("cancelled")
	_, err := Parse(bytes.NewReader(wechatCSV(10_000)), Options{Progress: func(int) error { return stop }})
	require.ErrorIs(t, err, stop)
}

func TestManyRaggedRowsWarnOnce(t *testing.T) {
	csv := []byte("交易时间,金额,商户名称,备注\n" + strings.Repeat("2024-03-01 10:00:00,1.00\n", 500))
	res := parseBytes(t, csv, Options{Positive: PositiveOut})
	require.Len(t, res.Transactions, 500)
	assert.Len(t, res.Report.Warnings, maxListed+1, "the report does not grow with the file")
	assert.Equal(t, "450 more rows have fewer cells than the header", res.Report.Warnings[maxListed].Message)
}
