package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// Field is what a statement column means to DisputeKit.
type Field string

// The fields a column can be mapped to. FieldIgnore drops a column.
const (
	FieldIgnore        Field = "ignore"
	FieldTime          Field = "time"      // date and time, or a date alone
	FieldDate          Field = "date"      // a date, combined with FieldClock when both exist
	FieldClock         Field = "clock"     // a time of day
	FieldPostDate      Field = "post_date" // 记账日/入账日期: the date when the row has no transaction date
	FieldAmount        Field = "amount"
	FieldIncome        Field = "income"  // 收入 column of a bank statement
	FieldExpense       Field = "expense" // 支出 column
	FieldDirection     Field = "direction"
	FieldStatus        Field = "status"
	FieldType          Field = "type"
	FieldCategory      Field = "category" // 交易分类: kept as the type when there is none
	FieldMerchant      Field = "merchant"
	FieldPlace         Field = "place" // 交易地点/交易场所: the merchant when no merchant column
	FieldMerchantNo    Field = "merchant_no"
	FieldTerminalNo    Field = "terminal_no"
	FieldRRN           Field = "rrn"
	FieldVoucher       Field = "voucher"
	FieldBatch         Field = "batch"
	FieldAuthCode      Field = "auth_code"
	FieldCard          Field = "card"   // only the last four digits are kept
	FieldRefund        Field = "refund" // 退款金额: a refund on the row (merchant bills)
	FieldFee           Field = "fee"
	FieldNet           Field = "net"  // 结算金额: amount less fee
	FieldRate          Field = "rate" // fee rate of the row
	FieldOrderNo       Field = "order_no"
	FieldMerchantOrder Field = "merchant_order_no"
	FieldCounterparty  Field = "counterparty_account"
	FieldPayMethod     Field = "pay_method" // 支付方式: bank and card tail, 零钱, 余额 …
	FieldAcquirer      Field = "acquirer"
	FieldIssuer        Field = "issuer"
	FieldChannel       Field = "channel"
	FieldCurrency      Field = "currency"
	FieldBalance       Field = "balance"
	FieldDescription   Field = "description"
	FieldNote          Field = "note"
)

// Fields lists every field a column can be mapped to, for help texts and pickers.
var Fields = []Field{FieldTime, FieldDate, FieldClock, FieldPostDate, FieldAmount, FieldIncome, FieldExpense, FieldDirection,
	FieldStatus, FieldType, FieldCategory, FieldMerchant, FieldPlace, FieldMerchantNo, FieldTerminalNo, FieldRRN,
	FieldVoucher, FieldBatch, FieldAuthCode, FieldCard, FieldRefund, FieldFee, FieldNet, FieldRate, FieldOrderNo,
	FieldMerchantOrder, FieldCounterparty, FieldPayMethod, FieldAcquirer, FieldIssuer, FieldChannel,
	FieldCurrency, FieldBalance, FieldDescription, FieldNote, FieldIgnore}

// Valid reports whether f is one of Fields.
func (f Field) Valid() bool {
	for _, k := range Fields {
		if f == k {
			return true
		}
	}
	return false
}

// headerNames maps a normalised header (see normHeader) to its field. It
// covers the named formats and the column names of bank statements and
// acquirer exports seen in the wild; the mapped importer suggests from it.
var headerNames = map[string]Field{
	// time
	"交易时间": FieldTime, "交易创建时间": FieldTime, "付款时间": FieldTime, "创建时间": FieldTime,
	"时间": FieldTime, "交易日期时间": FieldTime, "日期时间": FieldTime, "transactiontime": FieldTime,
	"time": FieldTime, "datetime": FieldTime,
	"交易日期": FieldDate, "记账日期": FieldDate, "日期": FieldDate, "清算日期": FieldDate, "date": FieldDate,
	"交易时刻": FieldClock, "记账时间": FieldClock,
	"交易日": FieldDate, "记账日": FieldPostDate, "银行记账日": FieldPostDate, "入账日期": FieldPostDate,
	"发生时间": FieldTime,
	// money
	"金额": FieldAmount, "金额(元)": FieldAmount, "交易金额": FieldAmount, "交易金额(元)": FieldAmount,
	"交易金额(分)": FieldAmount, "消费金额": FieldAmount, "订单金额": FieldAmount, "发生额": FieldAmount,
	"amount": FieldAmount, "金额(分)": FieldAmount, "人民币金额": FieldAmount, "实付金额": FieldAmount,
	"入账币种/金额": FieldAmount, "应结订单金额": FieldAmount, "收支金额(元)": FieldAmount,
	"收入": FieldIncome, "交易金额(收入)": FieldIncome, "记账金额(收入)": FieldIncome,
	"收入金额(+元)": FieldIncome, "收入金额": FieldIncome,
	"贷方金额": FieldIncome, "贷方发生额": FieldIncome, "存入金额": FieldIncome, "存入": FieldIncome,
	"支出": FieldExpense, "支出金额": FieldExpense, "交易金额(支出)": FieldExpense, "记账金额(支出)": FieldExpense,
	"支出金额(-元)": FieldExpense,
	"借方金额":     FieldExpense, "借方发生额": FieldExpense, "取出金额": FieldExpense, "支取": FieldExpense,
	"收/支": FieldDirection, "收支": FieldDirection, "收支类型": FieldDirection, "借贷标志": FieldDirection,
	"借贷方向": FieldDirection, "借贷": FieldDirection, "资金流向": FieldDirection, "direction": FieldDirection,
	"退款金额": FieldRefund, "退款金额(元)": FieldRefund,
	"手续费": FieldFee, "手续费(元)": FieldFee, "手续费(分)": FieldFee, "服务费(元)": FieldFee, "服务费": FieldFee,
	"商户手续费": FieldFee, "fee": FieldFee,
	"结算金额": FieldNet, "结算金额(元)": FieldNet, "结算金额(分)": FieldNet, "清算金额": FieldNet,
	"入账金额": FieldNet, "应结算金额": FieldNet,
	"费率": FieldRate, "手续费率": FieldRate, "费率(%)": FieldRate, "费率(万分之一)": FieldRate, "扣率": FieldRate,
	"余额": FieldBalance, "账户余额": FieldBalance, "balance": FieldBalance, "本次余额": FieldBalance,
	"联机余额": FieldBalance, "交易后余额": FieldBalance, "账户余额(元)": FieldBalance,
	"币种": FieldCurrency, "交易币种": FieldCurrency, "记账币种": FieldCurrency, "currency": FieldCurrency,
	"币别": FieldCurrency, "货币": FieldCurrency, "货币种类": FieldCurrency, "入账货币": FieldCurrency,
	// status and kind
	"交易状态": FieldStatus, "当前状态": FieldStatus, "状态": FieldStatus, "应答码": FieldStatus,
	"处理结果": FieldStatus, "status": FieldStatus,
	"交易类型": FieldType, "类型": FieldType, "业务类型": FieldType, "type": FieldType, "交易名称": FieldType,
	"交易分类": FieldCategory,
	// who
	"交易对方": FieldMerchant, "商户名称": FieldMerchant, "商户名": FieldMerchant, "对方户名": FieldMerchant,
	"收款方": FieldMerchant, "merchant": FieldMerchant, "对方名称": FieldMerchant, "对方账户名": FieldMerchant,
	"对手信息": FieldMerchant,
	"交易地点": FieldPlace, "交易场所": FieldPlace, "门店名称": FieldPlace,
	"商户编号": FieldMerchantNo, "商户号": FieldMerchantNo, "商户代码": FieldMerchantNo,
	"终端号": FieldTerminalNo, "终端编号": FieldTerminalNo, "终端代码": FieldTerminalNo,
	"参考号": FieldRRN, "检索参考号": FieldRRN, "系统参考号": FieldRRN, "交易参考号": FieldRRN, "rrn": FieldRRN,
	"凭证号": FieldVoucher, "流水号": FieldVoucher, "终端流水号": FieldVoucher, "系统跟踪号": FieldVoucher,
	"批次号": FieldBatch, "交易批次号": FieldBatch,
	"授权码": FieldAuthCode, "授权号": FieldAuthCode,
	"卡号": FieldCard, "交易卡号": FieldCard, "银行卡号": FieldCard, "卡号后四位": FieldCard,
	"卡号末四位": FieldCard, "卡末四位": FieldCard, "借记卡号": FieldCard,
	"交易订单号": FieldOrderNo, "交易号": FieldOrderNo, "交易单号": FieldOrderNo, "订单号": FieldOrderNo,
	"微信订单号": FieldOrderNo, "业务流水号": FieldOrderNo,
	"商家订单号": FieldMerchantOrder, "商户单号": FieldMerchantOrder, "商户订单号": FieldMerchantOrder,
	"对方账号": FieldCounterparty, "对方账户": FieldCounterparty, "对方卡号/账号": FieldCounterparty,
	"收/付款方式": FieldPayMethod, "支付方式": FieldPayMethod, "付款方式": FieldPayMethod,
	"收单机构": FieldAcquirer, "发卡行名称": FieldIssuer, "发卡行": FieldIssuer, "发卡机构": FieldIssuer, "卡类型": FieldIssuer,
	"渠道": FieldChannel, "交易渠道": FieldChannel,
	"商品说明": FieldDescription, "商品名称": FieldDescription, "商品": FieldDescription, "摘要": FieldDescription,
	"交易摘要": FieldDescription, "用途": FieldDescription, "附言": FieldDescription,
	"交易描述": FieldDescription, "交易说明": FieldDescription, "订单标题": FieldDescription,
	"备注": FieldNote, "note": FieldNote, "交易附言": FieldNote, "客户摘要": FieldNote,
	// known columns DisputeKit does not keep
	"交易国家或地区简称": FieldIgnore, "交易地金额": FieldIgnore, "交易币种/金额": FieldIgnore,
	"交易成功时间": FieldIgnore, "网点名称": FieldIgnore, "对方开户行": FieldIgnore, "交易详情": FieldIgnore,
	"日志号": FieldIgnore, "账务流水号": FieldIgnore, "公众账号id": FieldIgnore, "特约商户号": FieldIgnore,
	"设备号": FieldIgnore, "用户标识": FieldIgnore, "付款银行": FieldIgnore, "代金券金额": FieldIgnore,
	"微信退款单号": FieldIgnore, "商户退款单号": FieldIgnore, "充值券退款金额": FieldIgnore, "退款类型": FieldIgnore,
	"退款状态": FieldIgnore, "商户数据包": FieldIgnore, "申请退款金额": FieldIgnore, "费率备注": FieldIgnore,
	"卡片类型": FieldIgnore, "交易货币": FieldIgnore, "卡类别": FieldIgnore, "发卡行机构代码": FieldIgnore,
	"交易完成时间": FieldIgnore, "交易完成日期": FieldIgnore, "原始金额": FieldIgnore, "优惠金额": FieldIgnore,
	"分期贴息": FieldIgnore, "分期数": FieldIgnore, "对接应用号": FieldIgnore, "产品类型": FieldIgnore, "门店编号": FieldIgnore,
	"原交易单": FieldIgnore, "持卡人姓名": FieldIgnore, "持卡人身份证": FieldIgnore, "商户备注": FieldNote,
	"渠道交易类型": FieldIgnore, "出金方账户名称": FieldIgnore, "钞/汇": FieldIgnore, "交易来源地": FieldIgnore,
	"最近修改时间": FieldIgnore, "成功退款(元)": FieldIgnore, "资金状态": FieldIgnore, "序号": FieldIgnore,
}

// normHeader makes header cells comparable: no padding or inner spaces,
// half-width brackets, lower-case Latin.
func normHeader(s string) string {
	s = strings.TrimSpace(s)
	if isPlainASCII(s) && !strings.ContainsAny(s, " ") {
		return strings.ToLower(s)
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case ' ', '\t', '\u3000', '\u00a0':
			continue
		case '（':
			r = '('
		case '）':
			r = ')'
		case '／':
			r = '/'
		}
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Mapping says which field each column holds, keyed by the column's header
// text as it appears in the file. Columns not in it are ignored.
type Mapping map[string]Field

// SuggestMapping proposes a mapping for a header row from the column names
// statements and acquirer exports use. Unknown columns are left out. When
// two columns name the same field, the first wins, except that the amount
// actually booked wins over the amount as ordered or in the original
// currency (ICBC's 记账金额 over its 交易金额, which holds "-"; Meituan's
// 实付金额 over 订单金额).
func SuggestMapping(header []string) Mapping {
	m := Mapping{}
	taken := map[Field]string{}
	for _, h := range header {
		n := normHeader(h)
		f, ok := headerNames[n]
		if !ok || f == FieldIgnore {
			continue
		}
		if prev, dup := taken[f]; dup {
			if !bookedNames[n] || bookedNames[normHeader(prev)] {
				continue
			}
			delete(m, prev)
		}
		m[h] = f
		taken[f] = h
	}
	_, date := taken[FieldDate]
	_, clock := taken[FieldClock]
	if t, ok := taken[FieldTime]; ok && date && !clock {
		// 交易日期 beside 交易时间: the second is the time of day.
		m[t] = FieldClock
	}
	return m
}

// bookedNames are the columns holding what was actually booked or paid; they
// win over another column of the same field (see SuggestMapping).
var bookedNames = map[string]bool{"记账金额(收入)": true, "记账金额(支出)": true, "记账币种": true, "实付金额": true,
	"入账币种/金额": true, "入账货币": true}

// normalizeMapping keys m by the header's own spelling: a column named
// "金额（元）" in --map finds the header cell "金额(元)" and the reverse, and
// padding or inner spaces do not matter. Columns the header does not have
// are returned as missing.
func normalizeMapping(header []string, m Mapping) (Mapping, []string) {
	out := make(Mapping, len(m))
	var missing []string
	for k, f := range m {
		found := false
		for _, h := range header {
			if h == k || normHeader(h) == normHeader(k) {
				out[h] = f
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	return out, missing
}

// overlay puts over on top of m: a column named in over gets its field, and
// any other column that had that field loses it (one column per field).
func (m Mapping) overlay(over Mapping) {
	for col, f := range over {
		if f != FieldIgnore {
			for k, v := range m {
				if v == f && k != col {
					delete(m, k)
				}
			}
		}
		m[col] = f
	}
}

// ParseMapOverrides reads "--map" style overrides: "商户名称=merchant",
// "第3列=ignore". The column is a header text.
func ParseMapOverrides(specs []string) (Mapping, error) {
	m := Mapping{}
	for _, s := range specs {
		col, f, ok := strings.Cut(s, "=")
		col = strings.TrimSpace(col)
		if !ok || col == "" {
			return nil, fmt.Errorf("mapping %q: want COLUMN=FIELD: %w", s, errInvalid)
		}
		field := Field(strings.TrimSpace(f))
		if !field.Valid() {
			return nil, fmt.Errorf("mapping %q: %q is not one of %s: %w", s, field, fieldList(), errInvalid)
		}
		m[col] = field
	}
	return m, nil
}

func fieldList() string {
	s := make([]string, len(Fields))
	for i, f := range Fields {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

// HeaderSignature identifies a header row regardless of padding, so a
// mapping confirmed once is found again for the next export of the same kind.
func HeaderSignature(header []string) string {
	h := sha256.New()
	for _, c := range header {
		h.Write([]byte(normHeader(c)))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// String lists the mapping as "column=field" pairs in a stable order.
func (m Mapping) String() string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k + "=" + string(m[k]))
	}
	return b.String()
}
