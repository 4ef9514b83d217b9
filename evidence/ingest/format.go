package ingest

import (
	"strings"
)

// Format names, as --format takes them and reports print them.
const (
	FormatAlipay         = "alipay"
	FormatWeChat         = "wechat"
	FormatICBC           = "icbc"
	FormatCCB            = "ccb"
	FormatABC            = "abc"
	FormatBOC            = "boc"
	FormatBOCCredit      = "boc-credit"
	FormatCMB            = "cmb"
	FormatCMBCredit      = "cmb-credit"
	FormatBOCOM          = "bocom"
	FormatBOCOMCredit    = "bocom-credit"
	FormatCGBCredit      = "cgb-credit"
	FormatCITICCredit    = "citic-credit"
	FormatJD             = "jd"
	FormatMeituan        = "meituan"
	FormatWeChatMerchant = "wechat-merchant"
	FormatAlipayMerchant = "alipay-merchant"
	FormatMapped         = "mapped"
	FormatCalls          = "calls"
)

// Formats lists the formats --format accepts.
var Formats = []string{FormatAlipay, FormatWeChat, FormatICBC, FormatCCB, FormatABC, FormatBOC, FormatBOCCredit,
	FormatCMB, FormatCMBCredit, FormatBOCOM, FormatBOCOMCredit, FormatCGBCredit, FormatCITICCredit, FormatJD,
	FormatMeituan, FormatWeChatMerchant, FormatAlipayMerchant, FormatMapped, FormatCalls}

// signRule says what the sign of a single amount column means, for files
// that have neither a 收/支 or 借/贷 column nor separate in and out columns.
type signRule uint8

const (
	// signUnstated: the file does not say; rows are taken by their type and
	// whose statement it is, and the report says so.
	signUnstated signRule = iota
	// signPositiveIn: an account statement, positive is money in (ABC, BOC,
	// CMB debit: "+10000.00 转存", "-10.00 财付通").
	signPositiveIn
	// signPositiveOut: a card statement, positive is a charge and negative a
	// refund or repayment, money in (CGB, CITIC, CMB credit).
	signPositiveOut
	// signByType: amounts are unsigned and the row's type says which way
	// (BOCOM credit: 消费 / 退货 / 信用卡还款); not a guess.
	signByType
)

// Orders of slash dates with the year last (Options.DateOrder).
const (
	DateOrderDMY = "dmy" // 03/04/2025 is 3 April
	DateOrderMDY = "mdy" // 03/04/2025 is 4 March
)

// Positive conventions the user can state for a file (Options.Positive).
const (
	PositiveIn  = "in"  // a positive amount is money in, negative money out
	PositiveOut = "out" // a positive amount is money out, negative money in
)

// format is what differs between the statement layouts once the columns are
// mapped by name: where rows come from, how they are titled, which status
// values are known and how a header row is recognised.
type format struct {
	name    string
	source  string // evidence.Transaction.Source
	channel string
	title   string // exhibit title
	issuer  string // the bank whose statement it is, for rows with a card
	// header recognises this format's header row; preamble is the text of
	// the lines above it.
	header func(h headerSet, preamble string) bool
	// statuses are the known status values (prefixes); others are warned
	// about. Nil means the format's statuses are not checked.
	statuses []string
	sign     signRule
	// names map columns this layout uses differently from headerNames.
	names map[string]Field
	// placeFirst: the 交易地点/交易场所 column names the real merchant, the
	// counterparty column often only the payment company (CCB, ICBC).
	placeFirst bool
	// splitType: the description starts with the row's type, "消费 美团",
	// "（退款）某商户": split it into type and merchant.
	splitType bool
	// bank is a bank or card statement (a merchant's is its settlement account).
	bank bool
	// sales: a merchant's bill of its sales (money in; refunds out),
	// whoever's case it is.
	sales bool
	// endMarker is the text of the line that closes the export; a file
	// without it was cut off.
	endMarker string
}

// headerSet is a header row's normalised cells.
type headerSet map[string]bool

func newHeaderSet(cells []string) headerSet {
	h := make(headerSet, len(cells))
	for _, c := range cells {
		if c = normHeader(c); c != "" {
			h[c] = true
		}
	}
	return h
}

func (h headerSet) all(names ...string) bool {
	for _, n := range names {
		if !h[n] {
			return false
		}
	}
	return true
}

func (h headerSet) any(names ...string) bool {
	for _, n := range names {
		if h[n] {
			return true
		}
	}
	return false
}

var (
	alipay = &format{
		name: FormatAlipay, source: "alipay", channel: "Alipay", title: "支付宝交易明细",
		header: func(h headerSet, _ string) bool {
			return h.all("交易对方", "收/支", "交易状态") && h.any("交易订单号", "交易号") &&
				h.any("商品说明", "商品名称") && h.any("金额", "金额(元)")
		},
		statuses: []string{"交易成功", "支付成功", "退款成功", "交易关闭", "等待确认收货", "等待付款", "等待发货",
			"还款成功", "充值成功", "提现成功", "转账成功", "已付款", "退款中", "处理中", "已关闭", "失败", "交易失败",
			"冻结成功", "解冻成功", "已收款", "已退款"},
	}
	wechat = &format{
		name: FormatWeChat, source: "wechat", channel: "WeChat", title: "微信支付账单明细",
		header: func(h headerSet, _ string) bool {
			return h.all("交易类型", "交易对方", "收/支", "当前状态", "交易单号") && h.any("金额(元)", "金额")
		},
		statuses: []string{"支付成功", "已存入零钱", "已转账", "已退款", "已全额退款", "已部分退款", "朋友已收钱",
			"对方已收钱", "已收钱", "提现已到账", "充值完成", "充值成功", "已到账", "退款中", "支付失败", "已关闭",
			"对方已退还", "已退还", "已领取", "已过期", "还款成功", "提现处理中", "转账中"},
	}
	icbc = &format{
		name: FormatICBC, source: "icbc", channel: "bank", title: "工商银行账户明细", issuer: "工商银行", bank: true,
		placeFirst: true, sign: signPositiveIn,
		header: func(h headerSet, pre string) bool {
			return h.any("交易日期", "交易时间") && hasIncomeExpense(h) &&
				(strings.Contains(pre, "明细查询文件下载") || h.all("交易金额(收入)", "交易金额(支出)"))
		},
	}
	ccb = &format{
		name: FormatCCB, source: "ccb", channel: "bank", title: "建设银行账户明细", issuer: "建设银行", bank: true,
		placeFirst: true, sign: signPositiveIn,
		header: func(h headerSet, _ string) bool {
			return h.all("记账日", "交易日期", "支出", "收入", "账户余额")
		},
	}
	abc = &format{
		name: FormatABC, source: "abc", channel: "bank", title: "农业银行账户明细", issuer: "农业银行", bank: true,
		sign: signPositiveIn,
		header: func(h headerSet, _ string) bool {
			return h.all("交易日期", "交易金额", "本次余额") && h.any("对手信息", "交易摘要")
		},
	}
	boc = &format{
		name: FormatBOC, source: "boc", channel: "bank", title: "中国银行账户明细", issuer: "中国银行", bank: true,
		sign: signPositiveIn,
		header: func(h headerSet, _ string) bool {
			return h.all("记账日期", "记账时间", "金额", "余额") && h.any("对方账户名", "交易名称")
		},
	}
	bocCredit = &format{
		name: FormatBOCCredit, source: "boc", channel: "card", title: "中国银行信用卡账单", issuer: "中国银行", bank: true,
		header: func(h headerSet, _ string) bool {
			return h.all("交易日", "存入", "支出") && h.any("银行记账日", "记账日") && h.any("交易描述", "卡号后四位")
		},
		names: map[string]Field{"存入": FieldIncome, "支出": FieldExpense},
	}
	cmb = &format{
		name: FormatCMB, source: "cmb", channel: "bank", title: "招商银行账户明细", issuer: "招商银行", bank: true,
		sign: signPositiveIn,
		header: func(h headerSet, _ string) bool {
			return h.all("记账日期", "交易金额", "联机余额") && h.any("对手信息", "交易摘要")
		},
		names: map[string]Field{"交易摘要": FieldType, "客户摘要": FieldDescription},
	}
	cmbCredit = &format{
		name: FormatCMBCredit, source: "cmb", channel: "card", title: "招商银行信用卡账单", issuer: "招商银行", bank: true,
		sign: signPositiveOut,
		header: func(h headerSet, _ string) bool {
			return h.all("交易日", "记账日", "交易摘要") && h.any("人民币金额", "卡号末四位")
		},
		names: map[string]Field{"交易摘要": FieldMerchant},
	}
	bocom = &format{
		name: FormatBOCOM, source: "bocom", channel: "bank", title: "交通银行账户明细", issuer: "交通银行", bank: true,
		placeFirst: false,
		header: func(h headerSet, _ string) bool {
			return h.all("交易日期", "借贷", "交易金额") && h.any("对方户名", "余额")
		},
	}
	bocomCredit = &format{
		name: FormatBOCOMCredit, source: "bocom", channel: "card", title: "交通银行信用卡账单", issuer: "交通银行", bank: true,
		sign: signByType, splitType: true,
		header: func(h headerSet, _ string) bool {
			return h.all("交易日期", "交易说明") && h.any("入账币种/金额", "交易币种/金额")
		},
	}
	cgbCredit = &format{
		name: FormatCGBCredit, source: "cgb", channel: "card", title: "广发银行信用卡账单", issuer: "广发银行", bank: true,
		sign: signPositiveOut, splitType: true,
		header: func(h headerSet, _ string) bool {
			return h.all("交易日期", "入账日期", "交易摘要", "入账金额", "入账货币")
		},
		names: map[string]Field{"入账金额": FieldAmount, "交易金额": FieldIgnore, "交易摘要": FieldDescription},
	}
	citicCredit = &format{
		name: FormatCITICCredit, source: "citic", channel: "card", title: "中信银行信用卡账单", issuer: "中信银行", bank: true,
		sign: signPositiveOut,
		header: func(h headerSet, _ string) bool {
			return h.all("交易日期", "入账日期", "交易描述", "记账金额") && h.any("卡末四位", "记账币种")
		},
		names: map[string]Field{"记账金额": FieldAmount, "交易金额": FieldIgnore, "交易币种": FieldIgnore,
			"记账币种": FieldCurrency},
	}
	jd = &format{
		name: FormatJD, source: "jd", channel: "JD", title: "京东交易明细",
		header: func(h headerSet, _ string) bool {
			return h.all("交易时间", "商户名称", "交易说明", "收/支", "金额", "交易订单号")
		},
	}
	meituan = &format{
		name: FormatMeituan, source: "meituan", channel: "Meituan", title: "美团交易明细",
		header: func(h headerSet, _ string) bool {
			return h.all("交易创建时间", "订单标题", "收/支", "实付金额")
		},
	}
	wechatMerchant = &format{
		name: FormatWeChatMerchant, source: "wechat-merchant", channel: "WeChat", title: "微信支付商户交易账单",
		sales: true, sign: signByType,
		header: func(h headerSet, _ string) bool {
			return h.all("交易时间", "微信订单号", "商户订单号", "交易状态") && h.any("应结订单金额", "订单金额")
		},
		names: map[string]Field{"商品名称": FieldDescription, "交易类型": FieldChannel, "设备号": FieldTerminalNo,
			"商户号": FieldMerchantNo, "费率": FieldIgnore},
	}
	alipayMerchant = &format{
		name: FormatAlipayMerchant, source: "alipay-merchant", channel: "Alipay", title: "支付宝商家账务明细",
		endMarker: "账务明细列表结束",
		header: func(h headerSet, _ string) bool {
			return h.all("账务流水号", "业务流水号", "发生时间") && hasIncomeExpense(h)
		},
		names: map[string]Field{"对方账号": FieldMerchant},
	}
	mapped = &format{name: FormatMapped, source: "mapped", title: "交易明细"}
	calls  = &format{name: FormatCalls, title: "通话记录"}
)

// namedFormats are tried in order on each row until one recognises a header.
var namedFormats = []*format{alipay, wechat, ccb, icbc, abc, boc, bocCredit, cmb, cmbCredit, bocom, bocomCredit,
	cgbCredit, citicCredit, jd, meituan, wechatMerchant, alipayMerchant}

func hasIncomeExpense(h headerSet) bool {
	in, out := false, false
	for c := range h {
		switch headerNames[c] {
		case FieldIncome:
			in = true
		case FieldExpense:
			out = true
		}
	}
	return in && out
}

func formatByName(name string) *format {
	for _, f := range append(namedFormats, mapped, calls) {
		if f.name == name {
			return f
		}
	}
	return nil
}

// knownStatus reports whether s is one of f's status values (or starts with
// one: 已退款(￥12.00) is 已退款).
func (f *format) knownStatus(s string) bool {
	if f.statuses == nil || s == "" {
		return true
	}
	for _, k := range f.statuses {
		if strings.HasPrefix(s, k) {
			return true
		}
	}
	return false
}

// callHeader recognises a call log: a duration and a number column.
func callHeader(h headerSet) bool {
	dur, num := false, false
	for c := range h {
		switch callNames[c] {
		case callDuration:
			dur = true
		case callNumber:
			num = true
		}
	}
	return dur && num
}
