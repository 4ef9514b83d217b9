package templates

import (
	"time"

	"github.com/disputekit/disputekit/evidence"
)

// Recipient is who a letter is addressed to (design.md §2).
type Recipient string

// The recipients, in escalation order. ToBank is the cardholder's bank
// (发卡行) in a consumer's case and the settlement bank in a merchant's;
// ToPaymentCompany the acquirer (收单机构, a bank or a payment
// institution); ToMarketRegulator the county-level 市场监督管理局 where the
// merchant operates (12315); ToRegulator the financial regulator of the
// institution complained about (国家金融监督管理总局 for a bank, the PBOC
// for a payment institution).
const (
	ToMerchant            Recipient = "merchant"
	ToBank                Recipient = "bank"
	ToPaymentCompany      Recipient = "payment-company"
	ToConsumerAssociation Recipient = "consumer-association"
	ToMarketRegulator     Recipient = "market-regulator"
	ToRegulator           Recipient = "regulator"
)

// Recipients lists every recipient in escalation order.
var Recipients = []Recipient{ToMerchant, ToBank, ToPaymentCompany, ToConsumerAssociation, ToMarketRegulator, ToRegulator}

// Lang is the language a letter is written in.
type Lang string

// Letter languages.
const (
	Chinese Lang = "zh"
	English Lang = "en"
)

// BlockKind says how a block of a letter is laid out.
type BlockKind string

// Block kinds, enough for a formal letter.
const (
	BlockTitle      BlockKind = "title"      // centred, large: 关于POS机交易金额错误的投诉函
	BlockSalutation BlockKind = "salutation" // 尊敬的…： / Dear …,
	BlockHeading    BlockKind = "heading"    // section heading: 一、投诉请求
	BlockParagraph  BlockKind = "paragraph"  // running text, wrapped
	BlockItem       BlockKind = "item"       // one numbered item; Number holds its number
	BlockField      BlockKind = "field"      // a labelled line: Label + Text (姓名：张三)
	BlockClosing    BlockKind = "closing"    // 此致 / 敬礼, Yours faithfully
	BlockSignature  BlockKind = "signature"  // right-aligned signature line and date
)

// Block is one piece of a composed letter. Renderers (PDF, XLSX, the GUI
// preview) lay blocks out by kind; they never re-word them.
type Block struct {
	Kind   BlockKind `json:"kind"`
	Label  string    `json:"label,omitempty"`  // for BlockField
	Number int       `json:"number,omitempty"` // for BlockItem
	Text   string    `json:"text"`
}

// EvidenceItem is one row of the evidence list (证据清单). Renderers that
// append exhibits fill in the pages where each one starts.
type EvidenceItem struct {
	Seq       int    `json:"seq"`
	Name      string `json:"name"`    // 证据名称
	Source    string `json:"source"`  // 证据来源
	Purpose   string `json:"purpose"` // 证明目的
	ExhibitID int64  `json:"exhibit_id,omitempty"`
	SHA256    string `json:"sha256,omitempty"`
	// Generated is set for rows the program produces itself (the
	// transaction table, the call log table) rather than a stored file.
	Generated string `json:"generated,omitempty"` // "transactions", "calls" or ""
	// Withheld is set for an imported statement that also holds transactions
	// unrelated to the dispute: a letter lists it but neither embeds nor
	// attaches it (the transaction table shows the rows in dispute).
	Withheld bool `json:"withheld,omitempty"`
}

// Approach is an earlier complaint: to whom, when, under which ticket.
type Approach struct {
	Party  string    `json:"party"`
	Date   time.Time `json:"date"`
	Ticket string    `json:"ticket,omitempty"`
}

// Letter is a composed complaint letter: a document model that the PDF and
// XLSX writers render and the GUI previews.
type Letter struct {
	Recipient Recipient      `json:"recipient"`
	Lang      Lang           `json:"lang"`
	Title     string         `json:"title"`
	Subject   string         `json:"subject"` // in words, for document metadata
	Author    string         `json:"author"`  // the complainant, for document metadata
	Date      time.Time      `json:"date"`
	Blocks    []Block        `json:"blocks"`
	Evidence  []EvidenceItem `json:"evidence"`
	// EvidenceTitle heads the evidence list where a document names it
	// otherwise (证据目录 for a court); EvidenceFooter lines are printed
	// under it (the submitter's signature and date 证据规定 第十九条 asks for).
	EvidenceTitle  string   `json:"evidence_title,omitempty"`
	EvidenceFooter []string `json:"evidence_footer,omitempty"`
	// OriginalMark and CopyMarks make the document one to print whole: the
	// original (marked OriginalMark) with its evidence, then the document
	// again once per CopyMarks entry, each copy marked on its first page
	// with who it is for (a court complaint: one copy per defendant).
	OriginalMark string   `json:"original_mark,omitempty"`
	CopyMarks    []string `json:"copy_marks,omitempty"`
	// Warnings tell the user what is missing (required evidence, a respondent
	// address); they are shown, never printed in the letter.
	Warnings []string `json:"warnings,omitempty"`
	// What the letter plan decided, for the pre-send check and tests.
	Role      evidence.Role     `json:"role"`
	Scenario  evidence.Scenario `json:"scenario"`
	Verdict   Verdict           `json:"verdict"`
	Requests  []evidence.Claim  `json:"requests"`
	Citations []string          `json:"citations"` // ids cited
	Allowed   []string          `json:"allowed"`   // ids the plan allows
	Mandatory []string          `json:"mandatory"`
	Deadline  Deadline          `json:"deadline"`
	Summary   Summary           `json:"summary"`
	// SummaryLines state Summary in words as the letter does (the paragraph,
	// then one line per settlement day).
	SummaryLines []string `json:"summary_lines,omitempty"`
	Addressee    string   `json:"addressee"`
	// Institution is the bank or payment institution the letter is about
	// (its registered name and address), FirstApproach the complaint made
	// to it first, when recorded.
	Institution        string    `json:"institution,omitempty"`
	InstitutionAddress string    `json:"institution_address,omitempty"`
	FirstApproach      *Approach `json:"first_approach,omitempty"`
	// Regulator is "nfra" or "pboc" for a financial-regulator letter.
	Regulator string `json:"regulator,omitempty"`
	// Dossier is the case the letter was composed from; renderers take the
	// exhibits, transactions and calls they append from it.
	Dossier evidence.Dossier `json:"-"`
}
