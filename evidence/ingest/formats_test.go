package ingest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/store"
)

func tempStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	return st
}

func tempCase(t testing.TB, st *store.Store, role evidence.Role) int64 {
	t.Helper()
	c := evidence.Case{Title: "导入测试", Role: role}
	_, err := st.CreateCase(context.Background(), &c)
	require.NoError(t, err)
	return c.ID
}

func tempFile(t testing.TB, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, b, 0o600))
	return p
}

// Fixtures of the exports people have, written by us from the published
// column layouts of each bank's and platform's export (names, order, how
// amounts, signs and dates are written); the rows are invented.

// icbcDebitCSV is an ICBC debit-card 明细查询文件下载: 交易金额 columns hold
// "-", the money is in 记账金额; cells padded with spaces and tabs; a
// 人民币合计 line with the in and out totals. v2 adds 交易详情 and 对方账户.
func icbcDebitCSV(v2 bool) []byte {
	var b strings.Builder
	b.WriteString("明细查询文件下载\n\n卡号: 6222****1234,\"卡别名: 工资卡\"\n\n子账户序号: 00000,子账户类别: 活期,\"子账户别名: \"\n\n")
	detail, account := "", ""
	if v2 {
		detail, account = "交易详情,", ",对方账户"
	}
	fmt.Fprintf(&b, "交易日期,摘要,%s交易场所,交易国家或地区简称,钞/汇,交易金额(收入),交易金额(支出),交易币种,记账金额(收入),记账金额(支出),记账币种,余额,对方户名%s\n", detail, account)
	rows := []struct{ date, kind, place, in, out, bal, who string }{
		{"2024-03-02", "消费", "某某快餐店", "", "23.50", "4,976.50", "深圳市财付通支付科技有限公司"},
		{"2024-03-05", "他行汇入", "", "1,200.00", "", "6,176.50", "李四"},
		{"2024-03-06", "消费", "某某超市", "", "1,280.00", "4,896.50", "某某超市"},
		{"2024-03-08", "退款", "财付通-微信红包", "15.00", "", "4,911.50", "深圳市财付通支付科技有限公司"},
	}
	for _, r := range rows {
		d := ""
		if v2 {
			d = "\"                    \t\","
		}
		acct := ""
		if v2 {
			acct = ",\"6222****1234     \t\""
		}
		fmt.Fprintf(&b, "%s     \t,\"%s          \t\",%s\"%s             \t\",\"CHN      \t\",钞   \t,\"-         \t\",\"-        \t\",-     \t,\"%s     \t\",\"%s     \t\",人民币   \t,\"%s   \t\",\"%s        \t\"%s\n",
			r.date, r.kind, d, r.place, r.in, r.out, r.bal, r.who, acct)
	}
	b.WriteString(" \n")
	pad := ",,,,,,,,"
	if v2 {
		pad += ","
	}
	fmt.Fprintf(&b, "人民币合计%s\"1,215.00   \t\",\"1,303.50   \t\",\n", pad)
	return []byte(b.String())
}

// abcCSV is an ABC debit export: one signed amount column, "+10000.00 转存".
func abcCSV() []byte {
	return []byte("交易日期,交易时间,交易摘要,交易金额,本次余额,对手信息,日志号,交易渠道,交易附言\n" +
		"20240101,093015,转存,+10000.00,11000.00,张三,369396001,超级网银,转账\n" +
		"20240102,132324,财付通,-10.00,10990.00,某某公交卡公司,369396002,电子商务,微信支付-公交卡\n" +
		"20240103,,正常还款,-2345.89,8644.11,6228****1111,369396003\n" +
		"20240104,,结息,+0.01,8644.12,--,0000000000,,个人活期结息\n")
}

// bocDebitCSV is a BOC debit 交易流水明细: 记账日期 and 记账时间, one signed
// 金额, 对方账户名 naming the other side.
func bocDebitCSV() []byte {
	return []byte("中国银行交易流水明细清单\n" +
		"记账日期,记账时间,币别,金额,余额,交易名称,渠道,网点名称,附言,对方账户名,对方卡号/账号,对方开户行,借记卡号\n" +
		"2024-08-22,17:57:17,人民币,-71.89,\"3,240.28\",无卡支付,卡组织线上/无卡交易,-------------------,----------,某某商贸有限公司,6226******5669,-------------------,6217****3167\n" +
		"2024-08-22,12:23:04,人民币,50.00,\"3,312.17\",网上快捷退款,银企对接,-------------------,支付宝-某某店,支付宝-某某店,8000******1303,-------------------,6217****3167\n" +
		"2024-08-05,16:00:44,人民币,\"5,771.00\",\"3,262.17\",工资,柜台,某支行,----------,某某数据有限公司,4520******1924,某支行,6217****3167\n")
}

// bocCreditCSV is a BOC credit-card bill: 存入 and 支出 columns, 币种 per row
// (a USD charge stays in dollars).
func bocCreditCSV() []byte {
	return []byte("中国银行信用卡账单(2025年01月)\n" +
		"交易日,银行记账日,卡号后四位,交易描述,存入,支出,币种\n" +
		"2024-12-13,2024-12-14,4260,上海公共交通卡股份有限CHN,,50.00,CNY\n" +
		"2024-12-20,2024-12-20,4260,某某商城退款CHN,361.19,,CNY\n" +
		"2024-12-22,2024-12-24,4260,MICROSOFT*XBOXJPN,,3.72,USD\n" +
		"2024-12-28,2024-12-29,4260,网银在线-京东商城业务CHN,,131.77,CNY\n")
}

// cmbDebitCSV is a CMB debit 交易流水: one signed 交易金额, 对手信息.
func cmbDebitCSV() []byte {
	return []byte("记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要\n" +
		"2024-01-01,CNY,\"1,234.00\",\"1,271.66\",代发住房公积金,某某公积金管理中心,约定提取\n" +
		"2024-01-01,CNY,\"-1,000.00\",271.66,转账汇款,张三 6666,转账\n" +
		"2024-01-23,CNY,-10.14,261.52,快捷支付,抖音电商商家,抖音支付-电商商家\n")
}

// cmbCreditCSV is a CMB credit-card statement: dates without a year (the
// statement month is in the title), negative amounts are repayments.
func cmbCreditCSV() []byte {
	return []byte("招商银行信用卡对账单（个人消费卡账户 2024年01月）\n" +
		"交易日,记账日,交易摘要,人民币金额,卡号末四位,交易地金额\n" +
		",12/29,掌上生活还款,-1.23,2542,-1.23\n" +
		"12/30,12/31,某某影城,56.78,2542,56.78\n" +
		"01/03,01/04,手机银行饭票,-3.90,2542,-3.90(CN)\n" +
		"01/05,01/07,中国移动,\"800.00\",2542,\"800.00(CN)\"\n")
}

// bocomDebitCSV is a BOCOM debit export: unsigned 交易金额 with a 借贷 column
// written "借 Dr" / "贷 Cr".
func bocomDebitCSV() []byte {
	return []byte("序号,交易日期,交易时间,交易类型,借贷,交易金额,余额,对方账号,对方户名,交易地点,摘要\n" +
		"1,2025-01-01,00:00:00,存款利息,贷 Cr,1.23,1334.63,1323132313211331313,应付个人活期储蓄存款利息,批处理,\n" +
		"2,2024-02-02,13:15:12,信用卡转账还款,借 Dr,3.21,1331.42,6666666666666666,张三,其他,\n" +
		"3,2024-04-04,11:46:44,其他交易,贷 Cr,10000.00,11331.42,6666666666666666,张三,网络支付,银联入账\n" +
		"4,2024-05-05,12:48:15,异地跨行消费,借 Dr,10.00,11321.42,555551312313213123,网上国网,网上国网,\n")
}

// bocomCreditCSV is a BOCOM credit-card bill: amounts with their currency
// ("CNY 123.18"), the type at the start of 交易说明.
func bocomCreditCSV() []byte {
	return []byte("交易日期,记账日期,交易说明,交易币种/金额,入账币种/金额\n" +
		"2025-01-10,2025-01-10,退货 支付宝-滴滴出行,CNY 123.18,CNY 123.18\n" +
		"2025-01-11,2025-01-12,消费 美团,CNY 2.99,CNY 2.99\n" +
		"2025-01-29,2025-01-29,信用卡还款 转账还款-张三,CNY 666.60,CNY 666.60\n" +
		"2025-01-30,2025-02-01,消费 某某酒店东京,JPY 1000.00,JPY 1000.00\n")
}

// cgbCreditCSV is a CGB credit-card bill: negative 入账金额 is a refund or
// repayment, the type in brackets before the merchant.
func cgbCreditCSV() []byte {
	return []byte("交易日期,入账日期,交易摘要,交易金额,交易货币,入账金额,入账货币\n" +
		"2025/01/05,2025/01/06,（消费）某某便利店,15.90,人民币,15.90,人民币\n" +
		"2025/01/04,2025/01/04,（退款）某某服装店,-97.20,人民币,-97.20,人民币\n" +
		"2024/12/25,2024/12/26,（还款）云闪付 银联入账-张三,-1130.68,人民币,-1130.68,人民币\n")
}

// citicCreditCSV is a CITIC credit-card bill: 记账金额 in 记账币种, negative
// is money back to the card.
func citicCreditCSV() []byte {
	return []byte("交易日期,入账日期,交易描述,卡末四位,交易币种,交易金额,记账币种,记账金额\n" +
		"2025-02-01,2025-02-02,财付通-某某餐厅,8888,人民币,88.00,人民币,88.00\n" +
		"2025-02-03,2025-02-03,支付宝-某某电器退货,8888,人民币,-299.00,人民币,-299.00\n" +
		"2025-02-10,2025-02-10,还款-谢谢,8888,人民币,-500.00,人民币,-500.00\n")
}

// jdCSV is a JD 交易明细: a refunded payment reads "131.77(已退款89.84)".
func jdCSV() []byte {
	return []byte("导出信息：\n京东账号名：jd_某某\n起始时间：2024-12-01\t终止时间：2024-12-31\n导出交易类型：全部\n" +
		"共：3笔记录\n收入：1笔，1.00元\n支出：2笔，223.19元\n不计收支：0笔，0.00元\n\n特别提示：\n" +
		"5.因统计逻辑不同，明细金额直接累加后，可能会和下方统计金额不一致，请以实际交易金额为准；\n\n" +
		"交易时间,交易分类,商户名称,交易说明,收/支,金额,收/付款方式,交易状态,交易订单号,商家订单号,备注\n" +
		"2024-12-28 12:14:38\t,网购,京东平台商户,洁面乳150ml,支出,131.77(已退款89.84),招商银行信用卡(2542)&碰一下立减,交易成功,88438843884\t,100000000000000000000002\t,\n" +
		"2024-12-23 12:04:37\t,食品酒饮,京东平台商户,椰子水 1L*6,支出,91.42,京东白条,交易成功,234906303557\t,110000000000000000000044\t,\n" +
		"2024-12-29 08:22:00\t,网购,京东平台商户,退款-洁面乳150ml,收入,1.00,京东白条,退款成功,88438843884\t,1000000000000000000\t,\n")
}

// meituanCSV is a Meituan 交易账单: 实付金额 is what was paid, not 订单金额.
func meituanCSV() []byte {
	return []byte("美团交易账单明细\n美团用户名：[某某]\n起始时间：[2025-02-01] 终止时间：[2025-02-28]\n\"\"\n共：3笔记录\n" +
		"支出：2笔 70.73元\n收入：1笔 20.00元\n不计收支：0笔 0.00元\n\"\"\n【美团交易账单明细列表】\n" +
		"交易创建时间,交易成功时间,交易类型,订单标题,收/支,支付方式,订单金额,实付金额,交易单号,商家单号,备注\n" +
		"2025-02-28 20:35:13,2025-02-28 20:35:25,支付,某某茶饮（万科广场店） 订单详情,支出,美团月付,¥22.30,¥21.17,\"25022811100401670006000394166443\t\",\"0_2204430449361044\t\",/\n" +
		"2025-02-27 07:04:17,2025-02-27 07:04:18,退款,葡式蛋挞6只,收入,中国银行信用卡(1875),¥20.00,¥20.00,\"2502270181541103443\t\",\"4981008581243837847\t\",/\n" +
		"2025-02-16 12:34:52,2025-02-16 12:35:00,支付,某某盖码饭 订单详情,支出,中国银行信用卡(1875),¥50.00,¥49.56,\"25021611100401670004377675164443\t\",\"0_2196949152977071\t\",/\n")
}

// wechatMerchantCSV is a WeChat Pay merchant 交易账单: every cell starts
// with a backtick, a refund row carries 退款金额, a summary follows.
func wechatMerchantCSV() []byte {
	head := "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\n"
	row := func(t, order, mine, state, amount, refund, fee string) string {
		cells := []string{t, "wx1234567890abcd", "1230000109", "0", "POS01", order, mine, "oUpF8uMuAJO", "MICROPAY", state, "CMB_CREDIT", "CNY",
			amount, "0.00", "0", "0", refund, "0.00", "", "", "午餐", "", fee, "0.60%", amount, "0.00", ""}
		return "`" + strings.Join(cells, ",`") + "\n"
	}
	return []byte(head +
		row("2024-06-01 12:00:01", "4200000001202406010000000001", "M001", "SUCCESS", "100.00", "0.00", "0.60") +
		row("2024-06-01 12:30:00", "4200000001202406010000000002", "M002", "SUCCESS", "58.00", "0.00", "0.35") +
		row("2024-06-02 09:00:00", "4200000001202406010000000001", "M001", "REFUND", "100.00", "100.00", "-0.60") +
		"总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\n" +
		"`3,`158.00,`100.00,`0.00,`0.35,`158.00,`0.00\n")
}

// alipayMerchantCSV is an Alipay merchant 账务明细: '#' lines around it,
// full-width brackets in the headers, 支出 written negative.
func alipayMerchantCSV(withEnd bool) []byte {
	s := "#支付宝账务明细查询\n#账号：[20880123456789010156]\n#起始日期：[2024年06月01日 00:00:00]   终止日期：[2024年06月30日 00:00:00]\n" +
		"#-----------------------------------------账务明细列表----------------------------------------\n" +
		"账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,账户余额（元）,交易渠道,业务类型,备注\n" +
		"20240601001\t,2024060122001400001\t,SO001\t,咖啡\t,2024-06-01 08:01:02\t,买家甲\t,30.00\t,\t,1030.00\t,支付宝\t,在线支付\t,\t\n" +
		"20240601002\t,2024060122001400002\t,SO002\t,蛋糕\t,2024-06-01 09:10:00\t,买家乙\t,88.00\t,\t,1118.00\t,支付宝\t,在线支付\t,\t\n" +
		"20240601003\t,2024060122001400001\t,SO001\t,咖啡\t,2024-06-01 10:00:00\t,买家甲\t,\t,-30.00\t,1088.00\t,支付宝\t,交易退款\t,\t\n" +
		"20240601004\t,2024060122001400003\t,\t,服务费\t,2024-06-01 23:00:00\t,支付宝\t,\t,-0.71\t,1087.29\t,支付宝\t,收费\t,\t\n"
	if withEnd {
		s += "#-----------------------------------------账务明细列表结束------------------------------------\n" +
			"#支出合计：2笔，共-30.71元\n#收入合计：2笔，共118.00元\n#导出时间：[2024年07月01日 10:00:00]\n"
	}
	return []byte(s)
}

// dmyCSV is a statement with DD/MM/YYYY dates (a foreign bank's export),
// mapped by name, with 借贷 written Dr/Cr.
func dmyCSV() []byte {
	return []byte("Date,Description,Amount,Currency,Direction\n" +
		"25/12/2024,HOTEL TOKYO,1000.00,JPY,Dr\n" +
		"03/01/2025,REFUND SHOP,20.00,USD,Cr\n" +
		"13/01/2025,COFFEE,4.50,USD,Dr\n")
}

// posAllinpayCSV is an acquirer's POS 对账单 in the column layout 通联支付
// publishes for its merchants; no named layout: the mapped importer
// suggests every column from its name.
func posAllinpayCSV() []byte {
	head := "商户号,门店名称,终端号,交易时间,交易类型,交易批次号,凭证号,参考号,卡号,卡类别,发卡行机构代码,发卡行名称,交易金额,手续费,交易日期,交易单号,订单号,商户备注,对接应用号,原始金额,结算金额\n"
	return []byte(head +
		"898310012345678,幸运面馆,12345678,10:15:00,消费,000001,000101,123456789012,622202******0128,借记卡,01020000,工商银行,1000.00,3.80,2024-03-01,240301000001,,,,1000.00,996.20\n" +
		"898310012345678,幸运面馆,12345678,11:20:00,消费,000001,000102,123456789013,622588******7890,贷记卡,03080000,招商银行,500.50,1.90,2024-03-01,240301000002,,,,500.50,498.60\n" +
		"898310012345678,幸运面馆,12345678,12:00:00,消费撤销,000001,000103,123456789014,622588******7890,贷记卡,03080000,招商银行,500.50,0.00,2024-03-01,240301000003,,,,500.50,0.00\n")
}

type rowWant struct {
	i         int
	time      string
	merchant  string
	direction evidence.Direction
	amount    evidence.Money
	currency  string
}

type formatCase struct {
	name   string
	file   []byte
	opts   Options
	format string
	rows   int
	in     evidence.Money // CNY money in
	out    evidence.Money // CNY money out
	want   []rowWant
	check  func(t *testing.T, res *Result)
}

func formatCases(t testing.TB) []formatCase {
	cny := "CNY"
	return []formatCase{
		{name: "alipay", file: alipayCSV(t, 8), format: FormatAlipay, rows: 8, in: 1101 + 1505, out: 1000 + 1202 + 1303 + 1404 + 1606 + 1707,
			want: []rowWant{{0, "2024-01-01 12:00:00", "某某餐厅", evidence.Debit, 1000, cny}, {1, "2024-01-02 13:01:00", "某某餐厅", evidence.Credit, 1101, cny}, {7, "2024-01-08 12:07:00", "某某餐厅", evidence.Debit, 1707, cny}}},
		{name: "wechat", file: wechatCSV(3), format: FormatWeChat, rows: 3, in: 0, out: 100 + 201 + 302,
			want: []rowWant{{0, "2024-01-01 12:00:00", "某某便利店", evidence.Debit, 100, cny}, {1, "2024-01-02 12:01:00", "某某便利店", evidence.Debit, 201, cny}, {2, "2024-01-03 12:02:00", "某某便利店", evidence.Debit, 302, cny}}},
		{name: "icbc debit", file: icbcDebitCSV(false), format: FormatICBC, rows: 4, in: 121500, out: 130350,
			want: []rowWant{{0, "2024-03-02 00:00:00", "某某快餐店", evidence.Debit, 2350, cny}, {1, "2024-03-05 00:00:00", "李四", evidence.Credit, 120000, cny}, {3, "2024-03-08 00:00:00", "财付通-微信红包", evidence.Credit, 1500, cny}}},
		{name: "icbc debit v2", file: icbcDebitCSV(true), format: FormatICBC, rows: 4, in: 121500, out: 130350,
			want: []rowWant{{0, "2024-03-02 00:00:00", "某某快餐店", evidence.Debit, 2350, cny}, {2, "2024-03-06 00:00:00", "某某超市", evidence.Debit, 128000, cny}, {3, "2024-03-08 00:00:00", "财付通-微信红包", evidence.Credit, 1500, cny}}},
		{name: "ccb xls", file: buildXLS(t, ccbRows, false), format: FormatCCB, rows: 3, in: 10000, out: 5850 + 128000,
			want: []rowWant{{0, "2024-01-05 14:03:22", "某某加油站", evidence.Debit, 5850, cny}, {1, "2024-01-06 09:10:00", "李四", evidence.Credit, 10000, cny}, {2, "2024-01-06 14:03:22", "某某商场", evidence.Debit, 128000, cny}}},
		{name: "abc", file: abcCSV(), format: FormatABC, rows: 4, in: 1000000 + 1, out: 1000 + 234589,
			want: []rowWant{{0, "2024-01-01 09:30:15", "张三", evidence.Credit, 1000000, cny}, {1, "2024-01-02 13:23:24", "某某公交卡公司", evidence.Debit, 1000, cny}, {2, "2024-01-03 00:00:00", "6228****1111", evidence.Debit, 234589, cny}}},
		{name: "boc debit", file: bocDebitCSV(), format: FormatBOC, rows: 3, in: 5000 + 577100, out: 7189,
			want: []rowWant{{0, "2024-08-22 17:57:17", "某某商贸有限公司", evidence.Debit, 7189, cny}, {1, "2024-08-22 12:23:04", "支付宝-某某店", evidence.Credit, 5000, cny}, {2, "2024-08-05 16:00:44", "某某数据有限公司", evidence.Credit, 577100, cny}}},
		{name: "boc credit", file: bocCreditCSV(), format: FormatBOCCredit, rows: 4, in: 36119, out: 5000 + 13177,
			want: []rowWant{{0, "2024-12-13 00:00:00", "", evidence.Debit, 5000, cny}, {1, "2024-12-20 00:00:00", "", evidence.Credit, 36119, cny}, {2, "2024-12-22 00:00:00", "", evidence.Debit, 372, "USD"}}},
		{name: "cmb debit", file: cmbDebitCSV(), format: FormatCMB, rows: 3, in: 123400, out: 100000 + 1014,
			want: []rowWant{{0, "2024-01-01 00:00:00", "某某公积金管理中心", evidence.Credit, 123400, cny}, {1, "2024-01-01 00:00:00", "张三 6666", evidence.Debit, 100000, cny}, {2, "2024-01-23 00:00:00", "抖音电商商家", evidence.Debit, 1014, cny}}},
		{name: "cmb credit", file: cmbCreditCSV(), format: FormatCMBCredit, rows: 4, in: 123 + 390, out: 5678 + 80000,
			want: []rowWant{{0, "2023-12-29 00:00:00", "掌上生活还款", evidence.Credit, 123, cny}, {1, "2023-12-30 00:00:00", "某某影城", evidence.Debit, 5678, cny}, {3, "2024-01-05 00:00:00", "中国移动", evidence.Debit, 80000, cny}}},
		{name: "bocom debit", file: bocomDebitCSV(), format: FormatBOCOM, rows: 4, in: 123 + 1000000, out: 321 + 1000,
			want: []rowWant{{0, "2025-01-01 00:00:00", "应付个人活期储蓄存款利息", evidence.Credit, 123, cny}, {1, "2024-02-02 13:15:12", "张三", evidence.Debit, 321, cny}, {2, "2024-04-04 11:46:44", "张三", evidence.Credit, 1000000, cny}}},
		{name: "bocom credit", file: bocomCreditCSV(), format: FormatBOCOMCredit, rows: 4, in: 12318 + 66660, out: 299,
			want: []rowWant{{0, "2025-01-10 00:00:00", "支付宝-滴滴出行", evidence.Credit, 12318, cny}, {1, "2025-01-11 00:00:00", "美团", evidence.Debit, 299, cny}, {3, "2025-01-30 00:00:00", "某某酒店东京", evidence.Debit, 100000, "JPY"}}},
		{name: "cgb credit", file: cgbCreditCSV(), format: FormatCGBCredit, rows: 3, in: 9720 + 113068, out: 1590,
			want: []rowWant{{0, "2025-01-05 00:00:00", "某某便利店", evidence.Debit, 1590, cny}, {1, "2025-01-04 00:00:00", "某某服装店", evidence.Credit, 9720, cny}, {2, "2024-12-25 00:00:00", "云闪付 银联入账-张三", evidence.Credit, 113068, cny}}},
		{name: "citic credit", file: citicCreditCSV(), format: FormatCITICCredit, rows: 3, in: 29900 + 50000, out: 8800,
			want: []rowWant{{0, "2025-02-01 00:00:00", "", evidence.Debit, 8800, cny}, {1, "2025-02-03 00:00:00", "", evidence.Credit, 29900, cny}, {2, "2025-02-10 00:00:00", "", evidence.Credit, 50000, cny}}},
		{name: "jd", file: jdCSV(), format: FormatJD, rows: 3, in: 100, out: 13177 + 9142,
			want: []rowWant{{0, "2024-12-28 12:14:38", "京东平台商户", evidence.Debit, 13177, cny}, {1, "2024-12-23 12:04:37", "京东平台商户", evidence.Debit, 9142, cny}, {2, "2024-12-29 08:22:00", "京东平台商户", evidence.Credit, 100, cny}},
			check: func(t *testing.T, res *Result) {
				tx := res.Transactions[0]
				assert.Contains(t, tx.Note, "已退款89.84")
				assert.Equal(t, "2542", tx.CardLast4, "招商银行信用卡(2542)&碰一下立减 keeps its last 4")
				assert.Equal(t, "招商银行信用卡", tx.Issuer)
				assert.NotEqual(t, tx.DedupeKey, res.Transactions[2].DedupeKey, "a payment and its refund share the order number and stay two rows")
			}},
		{name: "meituan", file: meituanCSV(), format: FormatMeituan, rows: 3, in: 2000, out: 2117 + 4956,
			want: []rowWant{{0, "2025-02-28 20:35:13", "", evidence.Debit, 2117, cny}, {1, "2025-02-27 07:04:17", "", evidence.Credit, 2000, cny}, {2, "2025-02-16 12:34:52", "", evidence.Debit, 4956, cny}}},
		{name: "wechat merchant", file: wechatMerchantCSV(), format: FormatWeChatMerchant, rows: 3, in: 15800, out: 10000,
			want: []rowWant{{0, "2024-06-01 12:00:01", "", evidence.Credit, 10000, cny}, {1, "2024-06-01 12:30:00", "", evidence.Credit, 5800, cny}, {2, "2024-06-02 09:00:00", "", evidence.Debit, 10000, cny}},
			check: func(t *testing.T, res *Result) {
				tx := res.Transactions[0]
				assert.Equal(t, "4200000001202406010000000001", tx.OrderNo, "the backtick is not part of the number")
				assert.Equal(t, evidence.Money(60), tx.Fee)
				assert.Equal(t, "1230000109", tx.MerchantNo)
				assert.Equal(t, "SUCCESS", tx.Status)
			}},
		{name: "alipay merchant", file: alipayMerchantCSV(true), format: FormatAlipayMerchant, rows: 4, in: 11800, out: 3071,
			want: []rowWant{{0, "2024-06-01 08:01:02", "买家甲", evidence.Credit, 3000, cny}, {2, "2024-06-01 10:00:00", "买家甲", evidence.Debit, 3000, cny}, {3, "2024-06-01 23:00:00", "支付宝", evidence.Debit, 71, cny}}},
		{name: "dd/mm/yyyy", file: dmyCSV(), format: FormatMapped, rows: 3, in: 0, out: 0,
			want: []rowWant{{0, "2024-12-25 00:00:00", "", evidence.Debit, 100000, "JPY"}, {1, "2025-01-03 00:00:00", "", evidence.Credit, 2000, "USD"}, {2, "2025-01-13 00:00:00", "", evidence.Debit, 450, "USD"}},
			check: func(t *testing.T, res *Result) {
				assert.NotContains(t, fmt.Sprint(res.Report.Warnings), "day first or month first", "25/12/2024 proved the order for 03/01/2025")
				assert.Contains(t, fmt.Sprint(res.Report.Warnings), "never added to RMB totals")
			}},
		{name: "pos allinpay", file: posAllinpayCSV(), opts: Options{Role: evidence.RoleMerchant}, format: FormatMapped, rows: 3, in: 150050, out: 50050,
			want: []rowWant{{0, "2024-03-01 10:15:00", "幸运面馆", evidence.Credit, 100000, cny}, {1, "2024-03-01 11:20:00", "幸运面馆", evidence.Credit, 50050, cny}, {2, "2024-03-01 12:00:00", "幸运面馆", evidence.Debit, 50050, cny}},
			check: func(t *testing.T, res *Result) {
				tx := res.Transactions[0]
				assert.Equal(t, evidence.Money(380), tx.Fee)
				assert.Equal(t, "123456789012", tx.RRN)
				assert.Equal(t, "000101", tx.Voucher)
				assert.Equal(t, "0128", tx.CardLast4)
				assert.Equal(t, "工商银行", tx.Issuer)
				assert.Zero(t, res.Report.Guessed, "消费 and 消费撤销 state the direction of a merchant's rows")
			}},
		{name: "pos mapped", file: posCSV(), opts: Options{Role: evidence.RoleMerchant}, format: FormatMapped, rows: 3, in: 150050, out: 50050,
			want: []rowWant{{0, "2024-03-01 10:15:00", "", evidence.Credit, 100000, cny}, {2, "2024-03-01 12:00:00", "", evidence.Debit, 50050, cny}}},
	}
}

// TestFormats reads every export layout and checks what a user relies on:
// the layout is recognised, no row is lost, money in and out add up, and
// rows carry the right time, merchant, direction and currency.
func TestFormats(t *testing.T) {
	for _, tc := range formatCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Name = tc.name
			res := parseBytes(t, tc.file, tc.opts)
			r := res.Report
			assert.Equal(t, tc.format, r.Format)
			assert.Equal(t, tc.rows, r.Rows)
			assert.Zero(t, r.Skipped, "%v", r.SkippedRows)
			require.Len(t, res.Transactions, tc.rows)
			var in, out evidence.Money
			for _, tx := range res.Transactions {
				_, err := tx.Normalize()
				require.NoError(t, err)
				if tx.Currency != "CNY" {
					continue
				}
				switch tx.Direction {
				case evidence.Credit:
					in += tx.Amount
				case evidence.Debit:
					out += tx.Amount
				}
			}
			assert.Equal(t, tc.in, in, "money in")
			assert.Equal(t, tc.out, out, "money out")
			for _, w := range tc.want {
				tx := res.Transactions[w.i]
				assert.Equal(t, at(w.time), tx.Time, "row %d time", w.i)
				if w.merchant != "" {
					assert.Equal(t, w.merchant, tx.Merchant, "row %d merchant", w.i)
				}
				assert.Equal(t, w.direction, tx.Direction, "row %d direction", w.i)
				assert.Equal(t, w.amount, tx.Amount, "row %d amount", w.i)
				assert.Equal(t, w.currency, tx.Currency, "row %d currency", w.i)
			}
			if tc.format != FormatMapped {
				assert.Zero(t, r.Guessed, "a layout we know states every direction: %v", r.Warnings)
			}
			if tc.check != nil {
				tc.check(t, res)
			}
			// Keys are stable and distinct: a re-import matches every row.
			again := parseBytes(t, tc.file, tc.opts)
			keys := map[string]bool{}
			for i, tx := range res.Transactions {
				assert.Equal(t, tx.DedupeKey, again.Transactions[i].DedupeKey)
				assert.False(t, keys[tx.DedupeKey], "row %d's key %q repeats", i, tx.DedupeKey)
				keys[tx.DedupeKey] = true
			}
		})
	}
}

// TestFormatsImportIdempotent imports every layout into a case twice: the
// second import adds nothing and finds every row.
func TestFormatsImportIdempotent(t *testing.T) {
	st := tempStore(t)
	for _, tc := range formatCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			role := evidence.RoleConsumer
			if tc.opts.Role != "" {
				role = tc.opts.Role
			}
			id := tempCase(t, st, role)
			path := tempFile(t, "export.csv", tc.file)
			rep, err := ImportFile(context.Background(), st, id, path, ImportOptions{})
			require.NoError(t, err)
			assert.Equal(t, tc.rows, rep.Imported)
			rep, err = ImportFile(context.Background(), st, id, path, ImportOptions{})
			require.NoError(t, err)
			assert.Zero(t, rep.Imported)
			assert.Equal(t, tc.rows, rep.Duplicates)
		})
	}
}

// TestShortFilesRefused: an export cut off, or with rows missing against
// its own count, is an error that names the difference; nothing is stored.
func TestShortFilesRefused(t *testing.T) {
	full := wechatCSV(138)
	cut := full[:len(full)-len(full)/3]
	cut = cut[:bytes.LastIndexByte(cut, '\n')+12] // mid-row, no line end
	_, err := Parse(bytes.NewReader(cut), Options{})
	require.ErrorIs(t, err, ErrIncomplete)
	assert.Contains(t, err.Error(), "cut off")

	// Cut at a line end: the rows no longer match 共138笔.
	cut = cut[:bytes.LastIndexByte(cut[:len(cut)-1], '\n')+1]
	_, err = Parse(bytes.NewReader(cut), Options{})
	require.ErrorIs(t, err, ErrIncomplete)
	assert.Contains(t, err.Error(), "holds 138 rows")

	_, err = Parse(bytes.NewReader(alipayMerchantCSV(false)), Options{})
	require.ErrorIs(t, err, ErrIncomplete)
	assert.Contains(t, err.Error(), "账务明细列表结束")

	// An ICBC file whose 合计 line does not match its rows.
	icbc := bytes.Replace(icbcDebitCSV(false), []byte("1,303.50"), []byte("1,403.50"), 1)
	_, err = Parse(bytes.NewReader(icbc), Options{})
	require.ErrorIs(t, err, ErrIncomplete)

	st := tempStore(t)
	id := tempCase(t, st, evidence.RoleConsumer)
	_, err = ImportFile(context.Background(), st, id, tempFile(t, "cut.csv", cut), ImportOptions{})
	require.ErrorIs(t, err, ErrIncomplete)
	ts, err := st.ListTransactions(context.Background(), id)
	require.NoError(t, err)
	assert.Empty(t, ts, "nothing of a short file is stored")
	ex, err := st.ListExhibits(context.Background(), id)
	require.NoError(t, err)
	assert.Empty(t, ex)
}

// excelResaved is what Excel writes when an Alipay CSV is opened and saved:
// order numbers in E-notation, times without seconds, the padding gone.
func excelResaved(t testing.TB, n int) []byte {
	var b strings.Builder
	var in, out evidence.Money
	nIn := 0
	var rows []string
	for i := 0; i < n; i++ {
		amount := evidence.Money(1000 + i%7*100)
		dir, st := "支出", "交易成功"
		if i%5 == 4 {
			dir, st = "收入", "退款成功"
			in += amount
			nIn++
		} else {
			out += amount
		}
		rows = append(rows, fmt.Sprintf("2024/1/%d 12:%02d,餐饮美食,某某餐厅,rest***@163.com,午餐,%s,%s,招商银行信用卡(1234),%s,2.02401E+27,T%d,,\n",
			1+i%28, i%60, dir, amount.Yuan(), st, i/3))
	}
	fmt.Fprintf(&b, alipayPreamble, n, nIn, in.Yuan(), n-nIn, out.Yuan())
	b.WriteString(alipayHeader)
	for _, r := range rows {
		b.WriteString(r)
	}
	return gbk(t, b.String())
}

// TestExcelResavedKeepsEveryRow: 138 rows whose order numbers Excel turned
// into 2.02401E+27 are 138 transactions, not 52 and 86 "duplicates".
func TestExcelResavedKeepsEveryRow(t *testing.T) {
	b := excelResaved(t, 138)
	res := parseBytes(t, b, Options{})
	require.Len(t, res.Transactions, 138)
	assert.Contains(t, fmt.Sprint(res.Report.Warnings), "scientific notation")
	assert.Empty(t, res.Transactions[0].OrderNo, "a rounded number ties no rows together (refund links)")
	assert.Contains(t, res.Transactions[0].Note, "2.02401E+27", "it stays readable in the note")
	st := tempStore(t)
	id := tempCase(t, st, evidence.RoleConsumer)
	path := tempFile(t, "resaved.csv", b)
	rep, err := ImportFile(context.Background(), st, id, path, ImportOptions{})
	require.NoError(t, err)
	assert.Equal(t, 138, rep.Imported)
	assert.Zero(t, rep.Duplicates)
	rep, err = ImportFile(context.Background(), st, id, path, ImportOptions{})
	require.NoError(t, err)
	assert.Equal(t, 138, rep.Duplicates, "and importing it again adds nothing")
}

// TestReimportLaterExportUpdatesStatus: the same Alipay rows exported
// later, one now 交易成功 instead of 等待确认收货.
func TestReimportLaterExportUpdatesStatus(t *testing.T) {
	early := bytes.Replace(alipayCSV(t, 4), gbk(t, "交易成功,20240105220014120000000002"), gbk(t, "等待确认收货,20240105220014120000000002"), 1)
	require.NotEqual(t, early, alipayCSV(t, 4))
	st := tempStore(t)
	id := tempCase(t, st, evidence.RoleConsumer)
	rep, err := ImportFile(context.Background(), st, id, tempFile(t, "early.csv", early), ImportOptions{})
	require.NoError(t, err)
	require.Equal(t, 4, rep.Imported)
	rep, err = ImportFile(context.Background(), st, id, tempFile(t, "late.csv", alipayCSV(t, 4)), ImportOptions{})
	require.NoError(t, err)
	assert.Zero(t, rep.Imported)
	assert.Equal(t, 1, rep.Updated)
	assert.Equal(t, 3, rep.Duplicates)
	assert.Contains(t, fmt.Sprint(rep.Warnings), "等待确认收货 → 交易成功")
}

// TestSignedAmountNeedsAConvention: a mapped file with one signed amount
// column and no direction says so; --positive states it.
func TestSignedAmountNeedsAConvention(t *testing.T) {
	csv := []byte("日期,金额,商户名称\n2024-03-01,+50.00,甲店\n2024-03-02,-20.00,乙店\n")
	res := parseBytes(t, csv, Options{Role: evidence.RoleConsumer})
	assert.Equal(t, 2, res.Report.Guessed)
	assert.Contains(t, res.Report.Warnings[len(res.Report.Warnings)-1].Message, "do not say which way")
	res = parseBytes(t, csv, Options{Positive: PositiveIn})
	assert.Zero(t, res.Report.Guessed)
	assert.Equal(t, evidence.Credit, res.Transactions[0].Direction)
	assert.Equal(t, evidence.Debit, res.Transactions[1].Direction)
	res = parseBytes(t, csv, Options{Positive: PositiveOut})
	assert.Equal(t, evidence.Debit, res.Transactions[0].Direction)
	assert.Equal(t, evidence.Credit, res.Transactions[1].Direction)
}

// TestMapOverridesDetectedFormat: --map applies to a recognised layout, and
// matches the header whatever the bracket width and spacing.
func TestMapOverridesDetectedFormat(t *testing.T) {
	res := parseBytes(t, bocomDebitCSV(), Options{Map: Mapping{"交易 地点": FieldMerchant}})
	assert.Equal(t, FormatBOCOM, res.Report.Format)
	assert.Equal(t, "批处理", res.Transactions[0].Merchant, "交易地点 mapped as the merchant")
	assert.Equal(t, FieldMerchant, res.Report.Mapping["交易地点"])

	res = parseBytes(t, alipayMerchantCSV(true), Options{Map: Mapping{"收入金额(+元)": FieldIncome}})
	assert.Equal(t, FieldIncome, res.Report.Mapping["收入金额（+元）"])
}

// TestPreviewShowsAmountsAndDirections: what the mapping dialog and
// --dry-run show before anything is stored.
func TestPreviewShowsAmountsAndDirections(t *testing.T) {
	p, err := PreviewFile(bytes.NewReader(abcCSV()), Options{}, 3)
	require.NoError(t, err)
	assert.Equal(t, FormatABC, p.Format)
	require.Len(t, p.Rows, 3)
	assert.Equal(t, evidence.Money(1000000), p.Rows[0].Amount)
	assert.Equal(t, evidence.Credit, p.Rows[0].Direction)
	assert.Equal(t, evidence.Debit, p.Rows[1].Direction)
	assert.Equal(t, "2024-01-01 09:30:15", p.Rows[0].Time)
	assert.False(t, p.Rows[0].Guessed)

	p, err = PreviewFile(bytes.NewReader([]byte("日期,金额,商户名称\n2024-03-01,+50.00,甲店\n2024-03-01,abc,乙店\n")), Options{}, 5)
	require.NoError(t, err)
	require.Len(t, p.Rows, 2)
	assert.True(t, p.Rows[0].Guessed)
	assert.Equal(t, 1, p.Guessed)
	assert.Contains(t, p.Rows[1].Skipped, "not an amount")
}

// Slash dates: a file that proves its order with a date like 01/13/2025
// reads its other dates that way; ambiguous dates read before the proof the
// other way are an error naming --date-order; the option sets the order.
func TestSlashDateOrder(t *testing.T) {
	head := "Date,Description,Amount,Direction\n"
	res := parseBytes(t, []byte(head+"01/13/2025,A,1.00,Dr\n03/04/2025,B,2.00,Dr\n"), Options{})
	assert.Equal(t, at("2025-03-04 00:00:00"), res.Transactions[1].Time, "month first, as 01/13 proved")
	assert.NotContains(t, fmt.Sprint(res.Report.Warnings), "day first or month first")

	_, err := Parse(bytes.NewReader([]byte(head+"03/04/2025,B,2.00,Dr\n01/13/2025,A,1.00,Dr\n")), Options{})
	require.ErrorIs(t, err, ErrIncomplete)
	assert.Contains(t, err.Error(), "--date-order mdy")

	res = parseBytes(t, []byte(head+"03/04/2025,B,2.00,Dr\n01/13/2025,A,1.00,Dr\n"), Options{DateOrder: DateOrderMDY})
	assert.Equal(t, at("2025-03-04 00:00:00"), res.Transactions[0].Time)

	_, err = Parse(bytes.NewReader([]byte(head+"13/01/2025,B,2.00,Dr\n01/13/2025,A,1.00,Dr\n")), Options{})
	require.ErrorIs(t, err, ErrIncomplete, "both orders in one file")
}
