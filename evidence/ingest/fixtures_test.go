package ingest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/disputekit/disputekit/evidence"
)

// Fixture builders: each writes a file the way the real export does
// (design.md §4), so tests, fuzz seeds, benchmarks and testdata share them.

const alipayPreamble = `------------------------------------------------------------------------------------
导出信息：
姓名：张三
支付宝账户：138****5678
起始时间：[2024-01-01 00:00:00]    终止时间：[2024-01-31 23:59:59]
导出交易类型：[全部]
导出时间：[2024-02-01 10:00:00]
共%d笔记录
收入：%d笔 %s元
支出：%d笔 %s元
不计收支：0笔 0.00元

特别提示：
1.本回单内容可表明支付宝受理了您的交易申请，不作为收付款方交易的最终确认；
2.如需核实交易真实性，请联系交易对方；
3.您可通过支付宝APP扫描回单上的二维码核实；
4.本回单中的交易金额以人民币元为单位；
5.支付宝不对交易对方的真实性负责；
6.本回单内容仅供参考；
7.如有疑问请联系客服95188；
8.请妥善保管本回单；
9.本回单一式一份；

------------------------支付宝（中国）网络技术有限公司  电子客户回单------------------------
`

const alipayHeader = "交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,交易订单号,商家订单号,备注,\n"

// alipayRow writes one Alipay row the way the export pads it: the order
// numbers followed by a tab, an empty last cell from the trailing comma.
func alipayRow(i int) string {
	switch i % 4 {
	case 1:
		return fmt.Sprintf("2024-01-%02d 13:%02d:%02d,退款,某某餐厅,rest***@163.com,午餐退款,收入,%d.%02d,招商银行信用卡(1234),退款成功,2024010522001412%010d_R\t,T%010d\t,,\n",
			1+i%28, i%60, (i/60)%60, 10+i%90, i%100, i, i)
	}
	return fmt.Sprintf("2024-01-%02d 12:%02d:%02d,餐饮美食,某某餐厅 ,rest***@163.com,午餐 ,支出,%d.%02d,招商银行信用卡(1234),交易成功,2024010522001412%010d\t,T%010d\t,,\n",
		1+i%28, i%60, (i/60)%60, 10+i%90, i%100, i, i)
}

// alipayCSV is an Alipay export with n rows, GBK-encoded like the real one.
func alipayCSV(t testing.TB, n int) []byte {
	var b strings.Builder
	var in, out evidence.Money
	nIn := 0
	for i := 0; i < n; i++ {
		amount := evidence.Money((10+i%90)*100 + i%100)
		if i%4 == 1 {
			in += amount
			nIn++
		} else {
			out += amount
		}
	}
	fmt.Fprintf(&b, alipayPreamble, n, nIn, in.Yuan(), n-nIn, out.Yuan())
	b.WriteString(alipayHeader)
	for i := 0; i < n; i++ {
		b.WriteString(alipayRow(i))
	}
	b.WriteString("------------------------------------------------------------------------------------\n")
	return gbk(t, b.String())
}

func gbk(t testing.TB, s string) []byte {
	out, err := simplifiedchinese.GBK.NewEncoder().String(s)
	require.NoError(t, err)
	return []byte(out)
}

const wechatPreamble = `微信支付账单明细,,,,,,,,,,
微信昵称：[某某],,,,,,,,,,
起始时间：[2024-01-01 00:00:00] 终止时间：[2024-01-31 23:59:59],,,,,,,,,,
导出类型：[全部],,,,,,,,,,
导出时间：[2024-02-01 10:00:00],,,,,,,,,,
,,,,,,,,,,
共计%d笔记录,,,,,,,,,,
收入：0笔 ¥0.00,,,,,,,,,,
支出：%d笔 ¥%s,,,,,,,,,,
中性交易：0笔 ¥0.00,,,,,,,,,,
注：,,,,,,,,,,
1. 充值/提现/理财通购买/零钱通存取/信用卡还款等交易，将计入中性交易,,,,,,,,,,
2. 本明细仅展示当前账单中的交易，不包括已删除的记录,,,,,,,,,,
3. 本明细仅供个人对账使用,,,,,,,,,,
,,,,,,,,,,
----------------------微信支付账单明细列表--------------------,,,,,,,,,,
交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注
`

// wechatRow writes a WeChat row with the tab-after-quote quirk: "…"\t,
func wechatRow(i int) string {
	sign := "¥"
	if i%2 == 1 {
		sign = "￥"
	}
	return fmt.Sprintf("2024-01-%02d 12:%02d:%02d,商户消费,\"某某便利店\",\"饮料\",支出,%s%d.%02d,零钱,支付成功,\"42000012342024%012d\"\t,\"%d\"\t,\"/\"\n",
		1+i%28, i%60, (i/60)%60, sign, 1+i%50, i%100, i, 3985734+i)
}

// wechatCSV is a WeChat Pay export with n rows: UTF-8 with a BOM.
func wechatCSV(n int) []byte {
	var b strings.Builder
	b.WriteString("\uFEFF")
	var out evidence.Money
	for i := 0; i < n; i++ {
		out += evidence.Money((1+i%50)*100 + i%100)
	}
	fmt.Fprintf(&b, wechatPreamble, n, n, out.Yuan())
	for i := 0; i < n; i++ {
		b.WriteString(wechatRow(i))
	}
	return []byte(b.String())
}

// wechatXLSX is the newer WeChat export: a workbook whose header is on row
// 18, amounts as numbers or "¥" strings, one time as a date serial.
func wechatXLSX(t testing.TB) []byte {
	f := excelize.NewFile()
	defer f.Close()
	sh := f.GetSheetName(0)
	set := func(cell string, v any) { require.NoError(t, f.SetCellValue(sh, cell, v)) }
	set("A1", "微信支付账单明细")
	set("A2", "微信昵称：[某某]")
	set("A3", "起始时间：[2024-01-01 00:00:00] 终止时间：[2024-01-31 23:59:59]")
	for r := 4; r <= 16; r++ {
		set(fmt.Sprintf("A%d", r), fmt.Sprintf("说明第%d行", r))
	}
	set("A17", "----------------------微信支付账单明细列表--------------------")
	header := []any{"交易时间", "交易类型", "交易对方", "商品", "收/支", "金额(元)", "支付方式", "当前状态", "交易单号", "商户单号", "备注"}
	require.NoError(t, f.SetSheetRow(sh, "A18", &header))
	rows := [][]any{
		{"2024-01-05 12:30:11", "商户消费", "某某餐厅", "午餐", "支出", 28.16, "招商银行(1234)", "支付成功", "4200001", "10001", "/"},
		{"2024-01-06 09:00:00", "退款", "某某餐厅", "午餐退款", "收入", "¥12.00", "招商银行(1234)", "已退款", "4200002", "10002", "/"},
		{nil, "转账", "李四", "/", "/", 0.1 + 0.2, "零钱", "朋友已收钱", "4200003", "/", "/"},
	}
	for i, r := range rows {
		require.NoError(t, f.SetSheetRow(sh, fmt.Sprintf("A%d", 19+i), &r))
	}
	// 2024-01-07 18:45:00 as a date serial, as Excel stores a typed date.
	require.NoError(t, f.SetCellFloat(sh, "A21", 45298.78125, -1, 64))
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))
	return buf.Bytes()
}

// icbcCSV is an ICBC card statement: UTF-8, preamble, separate 收入/支出
// columns, cells padded with spaces and tabs, a 合计金额 footer.
func icbcCSV() []byte {
	return []byte(`明细查询文件下载
卡号: ****7890
起止日期: 2024-01-01 — 2024-01-31

交易日期,摘要,交易场所,交易国家或地区简称,钞/汇,交易金额(收入),交易金额(支出),交易币种,记账金额(收入),记账金额(支出),记账币种,余额,对方户名
2024-01-05	,消费	,某某超市	,CHN	,钞	,	,"1,280.00"	,人民币	,	,"1,280.00"	,人民币	,"8,720.00"	,某某超市	
2024-01-05 ,消费 ,某某超市 ,CHN ,钞 , ,"1,280.00" ,人民币 , ,"1,280.00" ,人民币 ,"7,440.00" ,某某超市 
2024-01-06 ,退货 ,某某超市 ,CHN ,钞 ,"1,280.00" , ,人民币 ,"1,280.00" , ,人民币 ,"8,720.00" ,某某超市 
2024-01-07 ,工资 , ,CHN ,钞 ,"5,000.00" , ,人民币 ,"5,000.00" , ,人民币 ,"13,720.00" ,某某公司 
合计金额,,,,,"6,280.00","2,560.00",,,,,,
`)
}

// ccbRows is a CCB account statement as its .xls holds it.
var ccbRows = [][]any{
	{"中国建设银行个人活期账户全部交易明细"},
	{"账号:****4321", nil, "户名:张三"},
	{"记账日", "交易日期", "交易时间", "支出", "收入", "账户余额", "币种", "摘要", "对方账号", "对方户名", "交易地点"},
	{"20240105", 20240105.0, "14:03:22", 58.5, nil, 941.5, "人民币", "消费", "", "", "某某加油站"},
	{"20240106", 20240106.0, "09:10:00", nil, 100.0, 1041.5, "人民币", "转账", "6217****0001", "李四", "手机银行"},
	{"20240106", 20240106.0, "140322", 1280.0, nil, -238.5, "人民币", "消费", "", "某某商场", "某某商场"},
}

// buildXLS writes rows as a BIFF8 workbook (strings in the shared string
// table, which is split by a CONTINUE record mid-string) or, with biff5, as
// a BIFF5 workbook whose labels are GBK bytes (codepage 936).
func buildXLS(t testing.TB, rows [][]any, biff5 bool) []byte {
	var glob, sheet bytes.Buffer
	rec := func(w *bytes.Buffer, typ uint16, data []byte) {
		var h [4]byte
		binary.LittleEndian.PutUint16(h[:], typ)
		binary.LittleEndian.PutUint16(h[2:], uint16(len(data)))
		w.Write(h[:])
		w.Write(data)
	}
	u16 := func(v int) []byte { return binary.LittleEndian.AppendUint16(nil, uint16(v)) }
	version := 0x0600
	if biff5 {
		version = 0x0500
	}
	bof := func(w *bytes.Buffer, kind int) {
		rec(w, recBOF, append(append(u16(version), u16(kind)...), make([]byte, 12)...))
	}
	bof(&glob, 0x0005)
	rec(&glob, recCodepage, u16(936))
	var sst []string
	index := map[string]int{}
	for r, row := range rows {
		for c, v := range row {
			head := append(append(u16(r), u16(c)...), u16(15)...)
			switch v := v.(type) {
			case nil:
			case string:
				if biff5 {
					b := gbk(t, v)
					rec(&sheet, recLabel, append(append(head, u16(len(b))...), b...))
					continue
				}
				i, ok := index[v]
				if !ok {
					i = len(sst)
					index[v] = i
					sst = append(sst, v)
				}
				rec(&sheet, recLabelSST, binary.LittleEndian.AppendUint32(head, uint32(i)))
			case float64:
				if v == math.Trunc(v) && math.Abs(v) < 1<<29 {
					rk := uint32(int32(v))<<2 | 0x02
					rec(&sheet, recRK, binary.LittleEndian.AppendUint32(head, rk))
				} else {
					rec(&sheet, recNumber, binary.LittleEndian.AppendUint64(head, math.Float64bits(v)))
				}
			}
		}
	}
	if !biff5 {
		// SST: every string 16-bit, and a CONTINUE after the first 7
		// characters of the first string.
		var body []byte
		body = binary.LittleEndian.AppendUint32(body, uint32(len(sst)))
		body = binary.LittleEndian.AppendUint32(body, uint32(len(sst)))
		var cont []byte
		for i, s := range sst {
			u := utf16.Encode([]rune(s))
			if i == 0 && len(u) > 7 {
				body = append(append(body, u16(len(u))...), 0x01)
				for _, c := range u[:7] {
					body = binary.LittleEndian.AppendUint16(body, c)
				}
				cont = append(cont, 0x01)
				for _, c := range u[7:] {
					cont = binary.LittleEndian.AppendUint16(cont, c)
				}
				continue
			}
			dst := &body
			if cont != nil {
				dst = &cont
			}
			*dst = append(append(*dst, u16(len(u))...), 0x01)
			for _, c := range u {
				*dst = binary.LittleEndian.AppendUint16(*dst, c)
			}
		}
		rec(&glob, recSST, body)
		if cont != nil {
			rec(&glob, recContinue, cont)
		}
	}
	rec(&glob, recEOF, nil)
	var stream bytes.Buffer
	stream.Write(glob.Bytes())
	bof(&stream, 0x0010)
	stream.Write(sheet.Bytes())
	rec(&stream, recEOF, nil)
	for stream.Len() < 4096 { // stay out of the compound file's mini stream
		rec(&stream, 0x00E1, make([]byte, 64))
	}
	name := "Workbook"
	if biff5 {
		name = "Book"
	}
	return compoundFile(name, stream.Bytes())
}

// compoundFile wraps one stream (at least 4096 bytes) in a version 3
// compound file: header, one FAT sector, one directory sector, the data.
func compoundFile(name string, data []byte) []byte {
	const sec = 512
	const endChain, freeSect, fatSect, noStream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
	nData := (len(data) + sec - 1) / sec
	le := binary.LittleEndian
	hdr := make([]byte, sec)
	copy(hdr, oleMagic)
	le.PutUint16(hdr[24:], 0x003E)
	le.PutUint16(hdr[26:], 0x0003)
	le.PutUint16(hdr[28:], 0xFFFE)
	le.PutUint16(hdr[30:], 9)
	le.PutUint16(hdr[32:], 6)
	le.PutUint32(hdr[44:], 1) // FAT sectors
	le.PutUint32(hdr[48:], 1) // first directory sector
	le.PutUint32(hdr[56:], 4096)
	le.PutUint32(hdr[60:], endChain)
	le.PutUint32(hdr[68:], endChain)
	le.PutUint32(hdr[76:], 0) // DIFAT[0]: the FAT is sector 0
	for i := 1; i < 109; i++ {
		le.PutUint32(hdr[76+4*i:], freeSect)
	}
	fat := make([]byte, sec)
	for i := 0; i < sec/4; i++ {
		le.PutUint32(fat[4*i:], freeSect)
	}
	le.PutUint32(fat[0:], fatSect)
	le.PutUint32(fat[4:], endChain)
	for i := 0; i < nData; i++ {
		next := uint32(2 + i + 1)
		if i == nData-1 {
			next = endChain
		}
		le.PutUint32(fat[4*(2+i):], next)
	}
	dir := make([]byte, sec)
	entry := func(i int, name string, typ byte, child, start uint32, size int) {
		e := dir[128*i : 128*(i+1)]
		u := utf16.Encode([]rune(name))
		for j, c := range u {
			le.PutUint16(e[2*j:], c)
		}
		le.PutUint16(e[64:], uint16(2*len(u)+2))
		e[66], e[67] = typ, 1
		le.PutUint32(e[68:], noStream)
		le.PutUint32(e[72:], noStream)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], start)
		le.PutUint32(e[120:], uint32(size))
	}
	entry(0, "Root Entry", 5, 1, endChain, 0)
	entry(1, name, 2, noStream, 2, len(data))
	for i := 2; i < 4; i++ {
		e := dir[128*i:]
		le.PutUint32(e[68:], noStream)
		le.PutUint32(e[72:], noStream)
		le.PutUint32(e[76:], noStream)
	}
	out := append(append(append([]byte{}, hdr...), fat...), dir...)
	out = append(out, data...)
	for len(out)%sec != 0 {
		out = append(out, 0)
	}
	return out
}

// posCSV is an acquirer (merchant POS) export: no known layout, amounts in
// fen, full card numbers, rates in 万分之一.
func posCSV() []byte {
	return []byte(`商户交易明细
商户名称:某某小店,商户编号:898310012345678
交易日期,交易时间,商户编号,终端号,卡号,交易类型,交易金额(分),手续费(分),结算金额(分),参考号,凭证号,批次号,授权码,费率(万分之一)
2024-03-01,10:15:00,898310012345678,12345678,6222021234567890128,消费,100000,380,99620,123456789012,000101,000001,A1B2C3,38
2024-03-01,11:20:00,898310012345678,12345678,6222****7890,消费,50050,190,49860,123456789013,000102,000001,,38
2024-03-01,12:00:00,898310012345678,12345678,6222****7890,消费撤销,50050,0,0,123456789014,000103,000001,,38
`)
}
