package evidence

import (
	"fmt"
	"strings"
)

// ChecklistLevel says how much a piece of evidence matters for a scenario.
type ChecklistLevel string

// Checklist levels (design.md §3).
const (
	Required ChecklistLevel = "required" // the case is weak without it
	OneOf    ChecklistLevel = "one-of"   // at least one item of the same Group is needed
	Optional ChecklistLevel = "optional" // helps, but is not needed
)

// ChecklistItem is one line of a scenario's evidence checklist, already
// checked against a dossier: By names what satisfies it in English
// ("#2 签购单", "… RRN 512345678901", "call 2026-11-20 14:05 …"), ByZh the
// same in Chinese ("证据2 签购单", "… 参考号 512345678901", "通话 …").
type ChecklistItem struct {
	Key       string         `json:"key"`
	Level     ChecklistLevel `json:"level"`
	Group     string         `json:"group,omitempty"` // for OneOf: items sharing a group are alternatives
	LabelZh   string         `json:"label_zh"`
	LabelEn   string         `json:"label_en"`
	Satisfied bool           `json:"satisfied"`
	By        []string       `json:"by,omitempty"`
	ByZh      []string       `json:"by_zh,omitempty"`
}

// ref names a part of the dossier in both languages.
type ref struct{ zh, en string }

// requirement is one checklist line before it meets a dossier: match
// returns what in the dossier satisfies it.
type requirement struct {
	key     string
	level   ChecklistLevel
	group   string
	zh, en  string
	matches []matcher
}

// matcher finds the parts of a dossier that satisfy a requirement.
type matcher func(d Dossier) []ref

// exhibitsOf is satisfied by exhibits of the given kinds.
func exhibitsOf(kinds ...ExhibitKind) matcher {
	return func(d Dossier) []ref {
		var by []ref
		for _, e := range d.Exhibits {
			for _, k := range kinds {
				if e.Kind == k {
					by = append(by, exhibitRef(e))
					break
				}
			}
		}
		return by
	}
}

// transactionsWhere is satisfied by transactions for which keep is true.
func transactionsWhere(keep func(Transaction) bool) matcher {
	return func(d Dossier) []ref {
		var by []ref
		for _, t := range d.Transactions {
			if keep(t) {
				by = append(by, txnRef(t))
			}
		}
		return by
	}
}

// contacts is satisfied by any recorded call and by contacted, complaint
// and reply events.
func contacts(withTicket bool) matcher {
	return func(d Dossier) []ref {
		var by []ref
		for _, c := range d.Calls {
			if withTicket && c.Ticket == "" {
				continue
			}
			by = append(by, callRef(c))
		}
		for _, e := range d.Events {
			switch e.Kind {
			case EventComplaint:
			case EventContacted, EventReply:
				if withTicket {
					continue
				}
			default:
				continue
			}
			by = append(by, eventRef(e))
		}
		return by
	}
}

// eventsMentioning is satisfied by events and transactions whose text
// contains one of words (a reversal 冲正 noted on the timeline, say).
func eventsMentioning(words ...string) matcher {
	return func(d Dossier) []ref {
		var by []ref
		has := func(s string) bool {
			s = strings.ToLower(s)
			for _, w := range words {
				if strings.Contains(s, strings.ToLower(w)) {
					return true
				}
			}
			return false
		}
		for _, e := range d.Events {
			if has(e.Note) {
				by = append(by, eventRef(e))
			}
		}
		for _, c := range d.Calls {
			if has(c.Summary) {
				by = append(by, callRef(c))
			}
		}
		return by
	}
}

func isDebit(t Transaction) bool { return t.Direction == Debit }

func isDisputedDebit(t Transaction) bool { return t.Direction == Debit && t.Disputed }

func isReversal(t Transaction) bool {
	for _, w := range []string{"冲正", "撤销", "退货", "退款", "reversal", "refund", "void"} {
		if strings.Contains(strings.ToLower(t.Type+" "+t.Status), w) {
			return true
		}
	}
	return false
}

func hasMerchantIDs(t Transaction) bool { return t.MerchantNo != "" || t.TerminalNo != "" }

// duplicateDebits is satisfied by two or more debits of the same amount at
// the same merchant that carry different identifiers (RRN, voucher or time).
func duplicateDebits(d Dossier) []ref {
	type key struct {
		amount   Money
		merchant string
	}
	groups := map[key][]Transaction{}
	var order []key
	for _, t := range d.Transactions {
		if t.Direction != Debit {
			continue
		}
		k := key{t.Amount, t.Merchant}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], t)
	}
	var by []ref
	for _, k := range order {
		ts := groups[k]
		if len(ts) < 2 {
			continue
		}
		distinct := false
		for i := 1; i < len(ts) && !distinct; i++ {
			a, b := ts[0], ts[i]
			distinct = (a.RRN != b.RRN && a.RRN != "" && b.RRN != "") ||
				(a.Voucher != b.Voucher && a.Voucher != "" && b.Voucher != "") ||
				!a.Time.Equal(b.Time)
		}
		if distinct {
			for _, t := range ts {
				by = append(by, txnRef(t))
			}
		}
	}
	return by
}

func exhibitRef(e Exhibit) ref {
	if e.Seq > 0 {
		return ref{fmt.Sprintf("证据%d %s", e.Seq, e.Title), fmt.Sprintf("#%d %s", e.Seq, e.Title)}
	}
	return ref{e.Title, e.Title}
}

func txnRef(t Transaction) ref {
	s := FormatLocal(t.Time) + " " + t.Amount.String()
	r := ref{s, s}
	switch {
	case t.RRN != "":
		r.zh += " 参考号 " + t.RRN
		r.en += " RRN " + t.RRN
	case t.Voucher != "":
		r.zh += " 凭证号 " + t.Voucher
		r.en += " voucher " + t.Voucher
	}
	return r
}

func callRef(c CallLog) ref {
	r := ref{"通话 " + FormatLocal(c.Start), "call " + FormatLocal(c.Start)}
	if c.Organisation != "" {
		r.zh += " " + c.Organisation
		r.en += " " + c.Organisation
	}
	if c.Ticket != "" {
		r.zh += " 工单 " + c.Ticket
		r.en += " ticket " + c.Ticket
	}
	return r
}

// eventKindZh names the event kinds in Chinese for the checklist.
var eventKindZh = map[EventKind]string{
	EventDiscovered: "发现问题", EventContacted: "联系对方", EventComplaint: "正式投诉", EventReply: "收到答复",
	EventDeadline: "期限", EventEscalated: "升级投诉", EventOther: "事件",
}

func eventRef(e Event) ref {
	r := ref{eventKindZh[e.Kind] + " " + FormatLocal(e.Time), string(e.Kind) + " " + FormatLocal(e.Time)}
	if e.Party != "" {
		r.zh += " " + e.Party
		r.en += " " + e.Party
	}
	return r
}

// checklists holds the requirements of each scenario (design.md §3).
var checklists = map[Scenario][]requirement{
	WrongAmount: {
		{key: "debit-record", level: Required, zh: "显示错误金额的签购单或扣款记录", en: "Slip or debit record showing the wrong amount",
			matches: []matcher{exhibitsOf(KindSlip, KindStatement), transactionsWhere(isDisputedDebit)}},
		{key: "agreed-price", level: Required, zh: "约定价格的凭据（菜单、价签、订单、发票或聊天记录）", en: "Proof of the agreed price (menu, price tag, order, invoice or chat)",
			matches: []matcher{exhibitsOf(KindPhoto, KindDocument, KindChat)}},
		{key: "merchant-contact", level: Required, zh: "与商户沟通的记录（通话、聊天或联系事件）", en: "Record of contact with the merchant (call, chat or contact event)",
			matches: []matcher{contacts(false), exhibitsOf(KindChat)}},
		{key: "slip", level: Optional, zh: "POS签购单照片", en: "Photo of the POS slip", matches: []matcher{exhibitsOf(KindSlip)}},
		{key: "statement", level: Optional, zh: "银行或支付平台账单", en: "Bank or payment-platform statement", matches: []matcher{exhibitsOf(KindStatement)}},
	},
	DuplicateCharge: {
		{key: "both-debits", level: Required, zh: "两笔扣款记录（参考号、凭证号或时间不同）", en: "Both debits (distinct RRN, voucher or time)",
			matches: []matcher{duplicateDebits}},
		{key: "single-purchase-slip", level: OneOf, group: "single-purchase", zh: "只有一次购买的凭据：签购单", en: "Proof of a single purchase: the slip",
			matches: []matcher{exhibitsOf(KindSlip)}},
		{key: "single-purchase-document", level: OneOf, group: "single-purchase", zh: "只有一次购买的凭据：发票、订单或小票", en: "Proof of a single purchase: invoice, order or receipt",
			matches: []matcher{exhibitsOf(KindDocument, KindPhoto)}},
		{key: "merchant-admission", level: Optional, zh: "商户承认重复扣款的记录（聊天、通话）", en: "The merchant's admission, if any (chat, call)",
			matches: []matcher{exhibitsOf(KindChat, KindRecording), contacts(false)}},
		{key: "statement", level: Optional, zh: "银行或支付平台账单", en: "Bank or payment-platform statement", matches: []matcher{exhibitsOf(KindStatement)}},
	},
	AccidentalSettlement: {
		{key: "debit-record", level: Required, zh: "扣款短信截图或账单", en: "Debit SMS screenshot or statement",
			matches: []matcher{exhibitsOf(KindStatement, KindChat), transactionsWhere(isDebit)}},
		{key: "failed-slip", level: OneOf, group: "terminal-result", zh: "交易失败的签购单", en: "Slip showing the failed transaction",
			matches: []matcher{exhibitsOf(KindSlip)}},
		{key: "terminal-photo", level: OneOf, group: "terminal-result", zh: "终端显示失败或未出单的照片", en: "Photo of the terminal showing failure or no slip",
			matches: []matcher{exhibitsOf(KindPhoto)}},
		{key: "reversal", level: Optional, zh: "冲正或撤销的尝试记录", en: "Attempted reversal (冲正) or void",
			matches: []matcher{transactionsWhere(isReversal), eventsMentioning("冲正", "撤销", "reversal", "void")}},
		{key: "acquirer-ticket", level: Required, zh: "向收单机构或银行投诉的工单", en: "Complaint ticket with the acquirer or bank",
			matches: []matcher{contacts(true)}},
	},
	WrongPayeeInfo: {
		{key: "slip", level: Required, zh: "显示商户名称、商户编号、终端号的签购单", en: "Slip showing the merchant name, merchant number and terminal",
			matches: []matcher{exhibitsOf(KindSlip)}},
		{key: "premises-photo", level: Required, zh: "实际消费场所及POS终端的照片", en: "Photo of the actual premises and terminal",
			matches: []matcher{exhibitsOf(KindPhoto)}},
		{key: "merchant-ids", level: Optional, zh: "带商户编号或终端号的交易记录", en: "Transaction record with merchant or terminal number",
			matches: []matcher{transactionsWhere(hasMerchantIDs)}},
		{key: "statement", level: Optional, zh: "账单中显示的收款方名称", en: "Statement showing the payee name", matches: []matcher{exhibitsOf(KindStatement)}},
	},
	MissingReceipt: {
		{key: "debit-record", level: Required, zh: "扣款记录（账单或交易明细）", en: "Debit record (statement or transaction)",
			matches: []matcher{exhibitsOf(KindStatement), transactionsWhere(isDebit)}},
		{key: "voucher-request", level: Required, zh: "向商户索要签购单或发票的记录", en: "The request to the merchant for a slip or invoice",
			matches: []matcher{contacts(false), exhibitsOf(KindChat)}},
		{key: "photos", level: Optional, zh: "现场、商品或终端照片", en: "Photos of the premises, goods or terminal", matches: []matcher{exhibitsOf(KindPhoto)}},
	},
	SettlementShortfall: {
		{key: "acquirer-export", level: Required, zh: "收单机构交易明细导出", en: "Acquirer transaction export",
			matches: []matcher{exhibitsOf(KindStatement), transactionsWhere(func(t Transaction) bool { return t.Acquirer != "" || t.Fee != 0 })}},
		{key: "settlement-statement", level: Required, zh: "结算账户对账单", en: "Settlement-account statement",
			matches: []matcher{exhibitsOf(KindSettlement)}},
		{key: "agreement", level: Required, zh: "收单协议（费率、结算周期）", en: "Acquiring agreement (fee rate, settlement cycle)",
			matches: []matcher{exhibitsOf(KindAgreement)}},
		{key: "fee-notices", level: Optional, zh: "费率调整通知等书面材料", en: "Fee-change notices and other documents",
			matches: []matcher{exhibitsOf(KindDocument)}},
		{key: "acquirer-ticket", level: Optional, zh: "向收单机构投诉的工单", en: "Complaint ticket with the acquirer",
			matches: []matcher{contacts(true)}},
	},
	ScenarioOther: {
		{key: "transaction", level: Required, zh: "争议交易的记录", en: "Record of the disputed transaction",
			matches: []matcher{transactionsWhere(func(Transaction) bool { return true }), exhibitsOf(KindSlip, KindStatement)}},
		{key: "documents", level: Optional, zh: "支持事实的材料（照片、聊天记录、书面材料）", en: "Material supporting the facts (photos, chats, documents)",
			matches: []matcher{exhibitsOf(KindPhoto, KindChat, KindDocument, KindRecording)}},
		{key: "contact", level: Optional, zh: "与对方沟通的记录", en: "Record of contact with the other side", matches: []matcher{contacts(false)}},
	},
}

// Checklist checks d against the evidence its scenario calls for
// (design.md §3), in a fixed order. An unknown scenario is checked as
// ScenarioOther.
func Checklist(d Dossier) []ChecklistItem {
	reqs, ok := checklists[d.Case.Scenario]
	if !ok {
		reqs = checklists[ScenarioOther]
	}
	out := make([]ChecklistItem, 0, len(reqs))
	for _, r := range reqs {
		item := ChecklistItem{Key: r.key, Level: r.level, Group: r.group, LabelZh: r.zh, LabelEn: r.en}
		seen := map[string]bool{}
		for _, m := range r.matches {
			for _, b := range m(d) {
				if !seen[b.en] {
					seen[b.en] = true
					item.By = append(item.By, b.en)
					item.ByZh = append(item.ByZh, b.zh)
				}
			}
		}
		item.Satisfied = len(item.By) > 0
		out = append(out, item)
	}
	return out
}

// ChecklistGap is what a checklist still lacks: one required item, or a
// one-of group none of whose items is satisfied (then Items holds them all).
type ChecklistGap struct {
	Level ChecklistLevel
	Items []ChecklistItem
}

// MissingEvidence lists the gaps of a checked checklist: unsatisfied
// required items, and one-of groups with no satisfied item, in checklist order.
func MissingEvidence(items []ChecklistItem) []ChecklistGap {
	var gaps []ChecklistGap
	groupDone := map[string]bool{}
	for _, it := range items {
		if it.Level == OneOf && it.Satisfied {
			groupDone[it.Group] = true
		}
	}
	groupSeen := map[string]bool{}
	for _, it := range items {
		switch it.Level {
		case Required:
			if !it.Satisfied {
				gaps = append(gaps, ChecklistGap{Level: Required, Items: []ChecklistItem{it}})
			}
		case OneOf:
			if groupDone[it.Group] || groupSeen[it.Group] {
				continue
			}
			groupSeen[it.Group] = true
			g := ChecklistGap{Level: OneOf}
			for _, o := range items {
				if o.Level == OneOf && o.Group == it.Group {
					g.Items = append(g.Items, o)
				}
			}
			gaps = append(gaps, g)
		}
	}
	return gaps
}
