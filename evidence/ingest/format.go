package ingest

import (
	"strings"
)

// Format names, as --format takes them and reports print them.
const (
	FormatAlipay = "alipay"
	FormatWeChat = "wechat"
	FormatICBC   = "icbc"
	FormatCCB    = "ccb"
	FormatMapped = "mapped"
	FormatCalls  = "calls"
)

// Formats lists the formats --format accepts.
var Formats = []string{FormatAlipay, FormatWeChat, FormatICBC, FormatCCB, FormatMapped, FormatCalls}

// format is what differs between the statement layouts once the columns are
// mapped by name: where rows come from, how they are titled, which status
// values are known and how a header row is recognised.
type format struct {
	name    string
	source  string // evidence.Transaction.Source
	channel string
	title   string // exhibit title
	// header recognises this format's header row; preamble is the text of
	// the lines above it.
	header func(h headerSet, preamble string) bool
	// statuses are the known status values (prefixes); others are warned
	// about. Nil means the format's statuses are not checked.
	statuses []string
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
		name: FormatICBC, source: "icbc", channel: "bank", title: "工商银行账户明细",
		header: func(h headerSet, pre string) bool {
			return h.any("交易日期", "交易时间") && hasIncomeExpense(h) &&
				(strings.Contains(pre, "明细查询文件下载") || h.all("交易金额(收入)", "交易金额(支出)"))
		},
	}
	ccb = &format{
		name: FormatCCB, source: "ccb", channel: "bank", title: "建设银行账户明细",
		header: func(h headerSet, _ string) bool {
			return h.all("记账日", "交易日期", "支出", "收入", "账户余额")
		},
	}
	mapped = &format{name: FormatMapped, source: "mapped", title: "交易明细"}
	calls  = &format{name: FormatCalls, title: "通话记录"}
)

// namedFormats are tried in order on each row until one recognises a header.
var namedFormats = []*format{alipay, wechat, ccb, icbc}

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
