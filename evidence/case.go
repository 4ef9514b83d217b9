package evidence

import (
	"strings"
	"time"
)

// Scenario names the kind of problem a case is about (design.md §1).
type Scenario string

// The scenarios DisputeKit knows. ScenarioOther covers anything else.
const (
	WrongAmount          Scenario = "wrong-amount"
	DuplicateCharge      Scenario = "duplicate-charge"
	AccidentalSettlement Scenario = "accidental-settlement"
	WrongPayeeInfo       Scenario = "wrong-payee-info"
	MissingReceipt       Scenario = "missing-receipt"
	SettlementShortfall  Scenario = "settlement-shortfall"
	ScenarioOther        Scenario = "other"
)

// Scenarios lists every scenario in the order the UI offers them.
var Scenarios = []Scenario{WrongAmount, DuplicateCharge, AccidentalSettlement, WrongPayeeInfo, MissingReceipt, SettlementShortfall, ScenarioOther}

// Valid reports whether s is one of Scenarios.
func (s Scenario) Valid() bool {
	for _, k := range Scenarios {
		if s == k {
			return true
		}
	}
	return false
}

// Status is where a case stands.
type Status string

// Case statuses, in the order a case usually moves through them.
const (
	StatusDraft     Status = "draft"     // evidence still being gathered
	StatusOpen      Status = "open"      // first letter sent
	StatusEscalated Status = "escalated" // taken to a consumer association or regulator
	StatusResolved  Status = "resolved"  // the complainant got what they asked for
	StatusClosed    Status = "closed"    // given up or settled otherwise
)

// Statuses lists every status in order.
var Statuses = []Status{StatusDraft, StatusOpen, StatusEscalated, StatusResolved, StatusClosed}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	for _, k := range Statuses {
		if s == k {
			return true
		}
	}
	return false
}

// Role says who the user is in the case: it changes which evidence and
// letters matter (a merchant chases settlement, a consumer a refund).
type Role string

// Roles of the person building the case.
const (
	RoleConsumer Role = "consumer"
	RoleMerchant Role = "merchant"
	RoleHelper   Role = "helper"
)

// PartyKind is what a party is in law: it decides how a letter addresses it
// (贵行 / 贵公司 / 贵店) and how a business signs (盖章 plus a signature).
type PartyKind string

// Party kinds. The empty kind is "not said": PartyKindOf guesses it from the name.
const (
	PartyBank               PartyKind = "bank"                // 银行 (issuer, acquiring bank, settlement bank)
	PartyPaymentInstitution PartyKind = "payment-institution" // 非银行支付机构 (拉卡拉, 银联商务 …)
	PartyMerchant           PartyKind = "merchant"            // a shop whose legal form is not known
	PartySoleTrader         PartyKind = "individual-business" // 个体工商户
	PartyCompany            PartyKind = "company"             // 公司 / other organisation
	PartyIndividual         PartyKind = "individual"          // a natural person
)

// PartyKinds lists every kind in the order the UI offers them.
var PartyKinds = []PartyKind{PartyBank, PartyPaymentInstitution, PartyMerchant, PartySoleTrader, PartyCompany, PartyIndividual}

// Valid reports whether k is empty or one of PartyKinds.
func (k PartyKind) Valid() bool {
	if k == "" {
		return true
	}
	for _, v := range PartyKinds {
		if k == v {
			return true
		}
	}
	return false
}

// Business reports whether a party of kind k signs as a business (盖章).
func (k PartyKind) Business() bool {
	return k == PartySoleTrader || k == PartyCompany || k == PartyMerchant
}

// Financial reports whether k is a bank or a payment institution.
func (k PartyKind) Financial() bool { return k == PartyBank || k == PartyPaymentInstitution }

// Party is a complainant, a respondent or an institution of the payment. A
// business complainant fills Company (its registered name) and CreditCode
// (统一社会信用代码) and Name is the operator or contact who signs; for
// every other party Name is the registered name. A respondent merchant may
// carry its merchant number (商户编号, 15 digits) and terminal number (终端号, 8).
type Party struct {
	Name       string    `json:"name"`
	Kind       PartyKind `json:"kind,omitempty"`
	IDNumber   string    `json:"id_number,omitempty"` // 身份证号; shown in full only where a recipient needs it
	Phone      string    `json:"phone,omitempty"`
	Address    string    `json:"address,omitempty"`
	Company    string    `json:"company,omitempty"`
	CreditCode string    `json:"credit_code,omitempty"`
	MerchantNo string    `json:"merchant_no,omitempty"`
	TerminalNo string    `json:"terminal_no,omitempty"`
}

// RegisteredName is the name a letter addresses the party by: the
// business's registered name where it has one, else its name.
func (p Party) RegisteredName() string {
	if p.Company != "" {
		return p.Company
	}
	return p.Name
}

// Empty reports whether nothing is known about p.
func (p Party) Empty() bool { return p == Party{} }

// PartyKindOf is p's kind, or where none was chosen a guess from its
// registered name (…银行 a bank; 支付/拉卡拉/银联商务… a payment institution;
// 个体工商户, …公司), else fallback.
func PartyKindOf(p Party, fallback PartyKind) PartyKind {
	if p.Kind != "" {
		return p.Kind
	}
	n := p.RegisteredName()
	switch {
	case n == "":
		return fallback
	case strings.Contains(n, "个体工商户") || strings.Contains(n, "个体户"):
		return PartySoleTrader
	case strings.Contains(n, "银行") || strings.Contains(n, "信用社") || strings.Contains(strings.ToLower(n), "bank"):
		return PartyBank
	case strings.Contains(n, "支付") || strings.Contains(n, "拉卡拉") || strings.Contains(n, "银联商务") || strings.Contains(n, "汇付") ||
		strings.Contains(n, "收钱吧") || strings.Contains(n, "财付通") || strings.Contains(strings.ToLower(n), "pay"):
		return PartyPaymentInstitution
	case strings.Contains(n, "公司") || strings.Contains(strings.ToLower(n), "co., ltd") || strings.Contains(strings.ToLower(n), "limited"):
		return PartyCompany
	}
	return fallback
}

// MerchantSide reports whether the complainant writes as the merchant
// (a shop owner chasing its settlement) rather than as a cardholder.
func (c Case) MerchantSide() bool {
	switch c.Role {
	case RoleMerchant:
		return true
	case RoleHelper:
		return c.Scenario == SettlementShortfall
	}
	return false
}

// Parties are the parties of a card payment as a letter needs them.
type Parties struct {
	Complainant, Merchant, Issuer, Acquirer, SettlementBank Party
}

// Parties resolves the case's parties: the old single Institution fills the
// issuer (a cardholder's case) or the acquirer (a merchant's) when that one
// is empty, and each party's kind is filled in (chosen, else guessed).
func (c Case) Parties() Parties {
	p := Parties{Complainant: c.Complainant, Merchant: c.Respondent, Issuer: c.Issuer, Acquirer: c.Acquirer, SettlementBank: c.SettlementBank}
	if !c.Institution.Empty() {
		switch {
		case c.MerchantSide() && p.Acquirer.Name == "":
			p.Acquirer = c.Institution
		case !c.MerchantSide() && p.Issuer.Name == "":
			p.Issuer = c.Institution
		}
	}
	if c.MerchantSide() {
		// The complainant is the merchant; the respondent is whoever the
		// user named (usually the acquirer).
		p.Merchant = c.Complainant
		if p.Acquirer.Name == "" && PartyKindOf(c.Respondent, "").Financial() {
			p.Acquirer = c.Respondent
		}
	}
	compFallback := PartyIndividual
	if c.Complainant.Company != "" {
		compFallback = PartyCompany
	}
	p.Complainant.Kind = PartyKindOf(p.Complainant, compFallback)
	if c.MerchantSide() {
		p.Merchant.Kind = p.Complainant.Kind
	} else {
		p.Merchant.Kind = PartyKindOf(p.Merchant, PartyMerchant)
	}
	p.Issuer.Kind = PartyKindOf(p.Issuer, PartyBank)
	p.Acquirer.Kind = PartyKindOf(p.Acquirer, PartyPaymentInstitution)
	p.SettlementBank.Kind = PartyKindOf(p.SettlementBank, PartyBank)
	return p
}

// Claim is one numbered request of the complaint (投诉请求).
type Claim struct {
	Text   string `json:"text"`
	Amount Money  `json:"amount,omitempty"` // 0 when the request names no amount
}

// Case is one dispute: who complains about whom, what they ask and why.
type Case struct {
	ID          int64    `json:"id"`
	Title       string   `json:"title"`
	Scenario    Scenario `json:"scenario"`
	Status      Status   `json:"status"`
	Role        Role     `json:"role"`
	Complainant Party    `json:"complainant"`
	Respondent  Party    `json:"respondent"`
	// Issuer is the cardholder's bank (发卡行).
	Issuer Party `json:"issuer,omitzero"`
	// Acquirer is the acquiring bank or licensed payment institution (收单机构).
	Acquirer Party `json:"acquirer,omitzero"`
	// SettlementBank holds a merchant's settlement account (结算银行).
	SettlementBank Party `json:"settlement_bank,omitzero"`
	// Institution is the single "bank or payment company involved" of
	// earlier versions. New cases leave it empty; where it is set and the
	// party it meant is empty, Parties reads it as the issuer (a
	// consumer's case) or the acquirer (a merchant's).
	Institution Party   `json:"institution"`
	Claims      []Claim `json:"claims"`
	Facts       string  `json:"facts"` // the narrative 事实与理由, in the user's words
	// Court is what a civil complaint needs beyond the parties (the court,
	// whom to sue, the parties' particulars); empty until the user says.
	Court   Court     `json:"court,omitzero"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

// Direction is which way money moved, seen from the complainant.
type Direction string

// Money directions.
const (
	Debit   Direction = "debit"   // 支出: money left the complainant
	Credit  Direction = "credit"  // 收入: money came in (refund, settlement)
	Neutral Direction = "neutral" // 不计收支: transfers between own accounts, frozen funds
)

// Transaction is one money movement, typed in or imported from a statement.
// Only the last four digits of a card are ever kept.
type Transaction struct {
	ID     int64     `json:"id"`
	CaseID int64     `json:"case_id"`
	Time   time.Time `json:"time"`
	Amount Money     `json:"amount"` // never negative; Direction carries the sign
	// Agreed is what should have been charged (the menu price of a wrong
	// amount); zero when the user has not said.
	Agreed      Money     `json:"agreed,omitempty"`
	Currency    string    `json:"currency"`
	Direction   Direction `json:"direction"`
	Status      string    `json:"status,omitempty"` // as the source says it: 交易成功, 退款成功 …
	Type        string    `json:"type,omitempty"`   // 交易类型: 消费, 消费撤销, 冲正, 退货 …
	Merchant    string    `json:"merchant,omitempty"`
	MerchantNo  string    `json:"merchant_no,omitempty"` // 商户编号, 15 digits
	TerminalNo  string    `json:"terminal_no,omitempty"` // 终端号, 8
	Acquirer    string    `json:"acquirer,omitempty"`
	Issuer      string    `json:"issuer,omitempty"`
	CardLast4   string    `json:"card_last4,omitempty"`
	CardType    string    `json:"card_type,omitempty"` // "debit", "credit", or as the source says`
	Batch       string    `json:"batch,omitempty"`     // 批次号, 6
	Voucher     string    `json:"voucher,omitempty"`   // 凭证号 / trace, 6
	RRN         string    `json:"rrn,omitempty"`       // 参考号, 12
	AuthCode    string    `json:"auth_code,omitempty"` // 授权码, 6
	Channel     string    `json:"channel,omitempty"`   // POS, Alipay, WeChat, bank …
	OrderNo     string    `json:"order_no,omitempty"`  // platform order number (交易订单号)
	Fee         Money     `json:"fee,omitempty"`       // 手续费 in merchant exports
	Description string    `json:"description,omitempty"`
	Note        string    `json:"note,omitempty"`
	Disputed    bool      `json:"disputed,omitempty"`
	// Included is ticked by the user to show the transaction in letters
	// although it is not disputed (the original purchase of a duplicate, a
	// refund that never came). Letters show only Disputed or Included
	// transactions, never a statement's unrelated spending.
	Included bool `json:"included,omitempty"`
	// Source says where the row came from: "manual", "alipay", "wechat", "icbc", "ccb", "mapped", "slip".
	Source          string `json:"source"`
	SourceExhibitID int64  `json:"source_exhibit_id,omitempty"` // the imported statement file, stored as an exhibit
	SourceRow       int    `json:"source_row,omitempty"`        // line or row number in that file
	// DedupeKey makes re-import idempotent: two transactions of one case with
	// the same non-empty key are the same transaction.
	DedupeKey string `json:"dedupe_key,omitempty"`
}

// ExhibitKind classifies a stored file.
type ExhibitKind string

// Exhibit kinds.
const (
	KindSlip       ExhibitKind = "slip"       // 签购单
	KindChat       ExhibitKind = "chat"       // chat screenshot
	KindStatement  ExhibitKind = "statement"  // bank/Alipay/WeChat statement, acquirer export
	KindSettlement ExhibitKind = "settlement" // settlement-account statement
	KindAgreement  ExhibitKind = "agreement"  // acquiring agreement, fee notices
	KindRecording  ExhibitKind = "recording"  // call recording
	KindPhoto      ExhibitKind = "photo"      // premises, terminal, price tag
	KindDocument   ExhibitKind = "document"   // invoices, orders, anything else
)

// ExhibitKinds lists every kind in order.
var ExhibitKinds = []ExhibitKind{KindSlip, KindChat, KindStatement, KindSettlement, KindAgreement, KindRecording, KindPhoto, KindDocument}

// Valid reports whether k is one of ExhibitKinds.
func (k ExhibitKind) Valid() bool {
	for _, v := range ExhibitKinds {
		if k == v {
			return true
		}
	}
	return false
}

// Exhibit is a file attached to a case. The bytes live in the vault under
// SHA256 and never change; everything else here is editable description.
type Exhibit struct {
	ID           int64       `json:"id"`
	CaseID       int64       `json:"case_id"`
	Seq          int         `json:"seq"` // position in the evidence list (证据1, 证据2 …)
	Kind         ExhibitKind `json:"kind"`
	Title        string      `json:"title"`
	Source       string      `json:"source,omitempty"`  // 证据来源: who made it / where it came from
	Purpose      string      `json:"purpose,omitempty"` // 证明目的
	Captured     time.Time   `json:"captured,omitempty"`
	SHA256       string      `json:"sha256"`
	Size         int64       `json:"size"`
	OriginalName string      `json:"original_name"`
	MediaType    string      `json:"media_type"`
	Imported     time.Time   `json:"imported"`
	// Chat screenshots: platform, counterpart and who captured it.
	Platform    string `json:"platform,omitempty"`
	Counterpart string `json:"counterpart,omitempty"`
	CapturedBy  string `json:"captured_by,omitempty"`
	Note        string `json:"note,omitempty"`
}

// CallDirection says who called whom.
type CallDirection string

// Call directions.
const (
	CallOutgoing CallDirection = "outgoing"
	CallIncoming CallDirection = "incoming"
)

// CallLog is a phone call about the case (date, time, who, what was said).
type CallLog struct {
	ID           int64         `json:"id"`
	CaseID       int64         `json:"case_id"`
	Start        time.Time     `json:"start"`
	Duration     time.Duration `json:"duration"`
	OwnNumber    string        `json:"own_number,omitempty"`
	Number       string        `json:"number,omitempty"` // counterpart number
	Direction    CallDirection `json:"direction"`
	Organisation string        `json:"organisation,omitempty"`
	Contact      string        `json:"contact,omitempty"` // counterpart person's name
	Agent        string        `json:"agent,omitempty"`   // agent / staff ID (工号)
	Ticket       string        `json:"ticket,omitempty"`  // 工单号
	Summary      string        `json:"summary,omitempty"`
}

// EventKind classifies a timeline event.
type EventKind string

// Timeline event kinds.
const (
	EventDiscovered EventKind = "discovered" // the problem was noticed
	EventContacted  EventKind = "contacted"  // complainant contacted someone
	EventComplaint  EventKind = "complaint"  // a formal complaint was lodged (starts a reply deadline)
	EventReply      EventKind = "reply"      // an answer arrived
	EventDeadline   EventKind = "deadline"   // a date by which something must happen
	EventEscalated  EventKind = "escalated"  // taken to the next rung of the ladder
	EventOther      EventKind = "other"
)

// EventKinds lists every kind in order.
var EventKinds = []EventKind{EventDiscovered, EventContacted, EventComplaint, EventReply, EventDeadline, EventEscalated, EventOther}

// Valid reports whether k is one of EventKinds.
func (k EventKind) Valid() bool {
	for _, v := range EventKinds {
		if k == v {
			return true
		}
	}
	return false
}

// Event is one dated step on the case's timeline.
type Event struct {
	ID     int64     `json:"id"`
	CaseID int64     `json:"case_id"`
	Kind   EventKind `json:"kind"`
	Time   time.Time `json:"time"`
	Party  string    `json:"party,omitempty"` // who was involved: merchant, bank, 12363 …
	Note   string    `json:"note,omitempty"`
	Due    time.Time `json:"due,omitempty"` // zero when there is no deadline
}

// AuditEntry records one change to a case, so a helper can show how the case was built.
type AuditEntry struct {
	ID     int64     `json:"id"`
	CaseID int64     `json:"case_id"`
	Time   time.Time `json:"time"`
	Action string    `json:"action"` // e.g. "case.create", "txn.add", "exhibit.attach"
	Detail string    `json:"detail"`
}

// Dossier is everything known about one case, loaded at once: what letters,
// checks, bundles and the case view work from.
type Dossier struct {
	Case         Case          `json:"case"`
	Transactions []Transaction `json:"transactions"`
	Exhibits     []Exhibit     `json:"exhibits"`
	Calls        []CallLog     `json:"calls"`
	Events       []Event       `json:"events"`
	// Filings are the complaints lodged, with their replies.
	Filings []Filing     `json:"filings,omitempty"`
	Audit   []AuditEntry `json:"audit"`
}

// InLetter reports whether t belongs in letters: disputed or ticked by the user.
func (t Transaction) InLetter() bool { return t.Disputed || t.Included }

// DisputedAmount is the sum of the claims' amounts, or, where no claim names
// an amount, of the transactions marked disputed.
func (d Dossier) DisputedAmount() Money {
	var sum Money
	for _, c := range d.Case.Claims {
		sum += c.Amount
	}
	if sum != 0 {
		return sum
	}
	for _, t := range d.Transactions {
		if t.Disputed {
			sum += t.Amount
		}
	}
	return sum
}
