package report

import (
	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/templates"
)

// labels are the fixed words of a rendered document in one language.
// Letters bring their own wording; these cover tables, captions and the
// case file around them.
type labels struct {
	colon                                                                                 string // after a field label
	itemNumber                                                                            string // fmt for a numbered item
	page                                                                                  string // footer, fmt with the page and "{nb}"
	sectionPage, copyPage                                                                 string // footer within a section, fmt: (copy,) page, pages
	markedTitle                                                                           string // bookmark of a marked original or copy, fmt: title, mark
	evidenceList                                                                          string
	colSeq, colName, colSource, colPurpose, colPages                                      string
	exhibit                                                                               string // fmt: "证据%d"
	source, captured, file, mediaType, size, sha                                          string
	platform, counterpart, capturedBy, note                                               string
	seeAttached, notAvailable, notRendered                                                string
	withheld                                                                              string
	attached, pdfPagesFollow, pdfPagesCut, pdfPageOf                                      string // fmt: file name; page count; pages shown; tag, page, pages
	transactions, calls, timeline                                                         string
	colTime, colDirection, colAmount, colMerchant, colCard, colRRN, colVoucher, colStatus string
	disputedNote                                                                          string
	colDuration, colCallDirection, colCounterpart, colTicket, colSummary                  string
	colEvent, colParty, colNote, colDue                                                   string
	// case file
	caseFile, preparedWith, summary, complainant, respondent, institution, claims, amountInDispute, facts string
	disputeSummary, requestsTo, editedByUser                                                              string
	scenario, role, status, date, appendix, colFileName, colHash, colImported                             string
	name, idNumber, phone, address, company, creditCode, merchantNo, terminalNo                           string
	none                                                                                                  string
	direction                                                                                             map[evidence.Direction]string
	callDirection                                                                                         map[evidence.CallDirection]string
	eventKind                                                                                             map[evidence.EventKind]string
	scenarioName                                                                                          map[evidence.Scenario]string
	roleName                                                                                              map[evidence.Role]string
	statusName                                                                                            map[evidence.Status]string
	minutesSeconds                                                                                        string // fmt for a call's duration
	// Words of imported data the program translates (type, status, channel, source).
	txnType, txnStatus, channel, sourceName map[string]string
	issuer, acquirer, settlementBank        string
}

var zhLabels = labels{
	colon: "：", itemNumber: "%d. ", page: "第 %d 页 共 {nb} 页",
	sectionPage: "第 %d 页 共 %d 页", copyPage: "副本%d　第 %d 页 共 %d 页", markedTitle: "%s（%s）",
	evidenceList: "证据清单",
	colSeq:       "序号", colName: "证据名称", colSource: "证据来源", colPurpose: "证明目的", colPages: "页码",
	exhibit:  "证据%d",
	platform: "平台", counterpart: "聊天对象", capturedBy: "截图人", note: "备注",
	source: "证据来源", captured: "形成时间", file: "原始文件", mediaType: "文件类型", size: "文件大小", sha: "SHA-256",
	seeAttached:    "该文件不是图片，无法在此页显示，请见随附的原始文件（可凭上述 SHA-256 值核对其完整性）。",
	attached:       "该文件的原件“%s”已作为附件嵌入本PDF（在阅读器的“附件”面板中打开），可凭上述 SHA-256 值核对其完整性。",
	withheld:       "该文件是导入的账单，其中还有与本争议无关的交易记录。为保护个人信息，该文件未随本函附上；与争议有关的交易见所附交易明细表。原件可凭上列 SHA-256 值核对，需要时可另行提供。",
	pdfPagesFollow: "该文件为PDF文件，共%d页，其原页面依次附于本页之后。",
	pdfPagesCut:    "（仅附前%d页，其余页面见原始文件。）",
	pdfPageOf:      "%s：原文件第%d页，共%d页",
	notAvailable:   "原始文件不在本机证据库中，无法附上。",
	notRendered:    "该图片无法显示（文件损坏或格式不受支持），请见随附的原始文件。",
	transactions:   "交易记录", calls: "通话记录", timeline: "时间线",
	colTime: "时间", colDirection: "收/支", colAmount: "金额", colMerchant: "商户", colCard: "卡号",
	colRRN: "参考号", colVoucher: "凭证号", colStatus: "状态",
	disputedNote: "加粗的行为有争议的交易。",
	colDuration:  "时长", colCallDirection: "方向", colCounterpart: "对方", colTicket: "工号 / 工单号", colSummary: "通话内容摘要",
	colEvent: "事项", colParty: "相关方", colNote: "说明", colDue: "期限",
	caseFile: "案件材料", preparedWith: "本材料由 DisputeKit（维权助手）整理生成", summary: "案件概要",
	complainant: "投诉人", respondent: "被投诉人", institution: "相关金融机构", claims: "各函件的请求事项", amountInDispute: "争议金额",
	disputeSummary: "争议金额计算", requestsTo: "致%s", editedByUser: "（用户已修改）", facts: "事实与理由",
	scenario: "纠纷类型", role: "身份", status: "案件状态", date: "日期", appendix: "附录：文件清单与哈希值",
	colFileName: "原始文件名", colHash: "SHA-256", colImported: "导入时间",
	name: "姓名", idNumber: "身份证号", phone: "电话", address: "地址", company: "单位名称", creditCode: "统一社会信用代码",
	merchantNo: "商户编号", terminalNo: "终端号", none: "无",
	direction:     map[evidence.Direction]string{evidence.Debit: "支出", evidence.Credit: "收入", evidence.Neutral: "不计收支"},
	callDirection: map[evidence.CallDirection]string{evidence.CallOutgoing: "呼出", evidence.CallIncoming: "呼入"},
	eventKind: map[evidence.EventKind]string{
		evidence.EventDiscovered: "发现问题", evidence.EventContacted: "联系", evidence.EventComplaint: "正式投诉",
		evidence.EventReply: "收到答复", evidence.EventDeadline: "期限", evidence.EventEscalated: "升级投诉", evidence.EventOther: "其他",
	},
	scenarioName: map[evidence.Scenario]string{
		evidence.WrongAmount: "刷错金额 / 多扣款", evidence.DuplicateCharge: "重复扣款", evidence.AccidentalSettlement: "误结算 / 单边账",
		evidence.WrongPayeeInfo: "收款信息填错", evidence.MissingReceipt: "未打印签购单", evidence.SettlementShortfall: "结算未到账 / 到账金额不对",
		evidence.ScenarioOther: "其他",
	},
	roleName:       map[evidence.Role]string{evidence.RoleConsumer: "消费者", evidence.RoleMerchant: "商户", evidence.RoleHelper: "代理人"},
	statusName:     map[evidence.Status]string{evidence.StatusDraft: "整理中", evidence.StatusOpen: "已投诉", evidence.StatusEscalated: "已升级", evidence.StatusResolved: "已解决", evidence.StatusClosed: "已结案"},
	minutesSeconds: "%d分%02d秒",
	issuer:         "发卡行", acquirer: "收单机构", settlementBank: "结算银行",
	txnType:   map[string]string{},
	txnStatus: map[string]string{},
	channel:   map[string]string{"pos": "POS", "alipay": "支付宝", "wechat": "微信支付", "bank": "银行", "unionpay": "银联"},
	sourceName: map[string]string{"manual": "手工录入", "alipay": "支付宝账单", "wechat": "微信支付账单", "icbc": "工商银行账单", "ccb": "建设银行账单",
		"mapped": "导入的表格", "slip": "签购单"},
}

var enLabels = labels{
	colon: ": ", itemNumber: "%d. ", page: "Page %d of {nb}",
	sectionPage: "Page %d of %d", copyPage: "Copy %d, page %d of %d", markedTitle: "%s (%s)",
	evidenceList: "Evidence list",
	colSeq:       "No.", colName: "Evidence", colSource: "Source", colPurpose: "What it proves", colPages: "Page",
	exhibit:  "Exhibit %d",
	platform: "Platform", counterpart: "Chat with", capturedBy: "Captured by", note: "Note",
	source: "Source", captured: "Captured", file: "Original file", mediaType: "Type", size: "Size", sha: "SHA-256",
	seeAttached:    "This file is not a picture and cannot be shown on this page; see the attached original file (its integrity can be checked against the SHA-256 above).",
	attached:       "The original file \"%s\" is embedded in this PDF as an attachment (open it from your reader's attachments panel); its integrity can be checked against the SHA-256 above.",
	withheld:       "This file is an imported statement that also holds transactions unrelated to this dispute. To protect personal information it is not attached to this letter; the transactions in dispute are in the attached transaction table. The original can be checked against the SHA-256 above and provided on request.",
	pdfPagesFollow: "This file is a PDF of %d pages; its pages follow, one per page.",
	pdfPagesCut:    "(Only the first %d pages are reproduced; the rest are in the original file.)",
	pdfPageOf:      "%s: page %d of %d of the original file",
	notAvailable:   "The original file is not in this computer's evidence vault and could not be attached.",
	notRendered:    "This picture could not be shown (the file is damaged or in an unsupported format); see the attached original file.",
	transactions:   "Transactions", calls: "Call log", timeline: "Timeline",
	colTime: "Time", colDirection: "In/out", colAmount: "Amount", colMerchant: "Merchant", colCard: "Card",
	colRRN: "RRN", colVoucher: "Voucher", colStatus: "Status",
	disputedNote: "Rows in bold are the disputed transactions.",
	colDuration:  "Length", colCallDirection: "Direction", colCounterpart: "Other party", colTicket: "Agent / ticket", colSummary: "Summary",
	colEvent: "Event", colParty: "Party", colNote: "Note", colDue: "Due",
	caseFile: "Case file", preparedWith: "Prepared with DisputeKit", summary: "Case summary",
	complainant: "Complainant", respondent: "Respondent", institution: "Bank or payment company", claims: "Requests made in each letter", amountInDispute: "Amount in dispute",
	disputeSummary: "Dispute summary", requestsTo: "To %s", editedByUser: " (as edited by the user)", facts: "Facts and reasons",
	scenario: "Dispute type", role: "Role", status: "Status", date: "Date", appendix: "Appendix: files and their SHA-256",
	colFileName: "Original name", colHash: "SHA-256", colImported: "Imported",
	name: "Name", idNumber: "ID number", phone: "Phone", address: "Address", company: "Company", creditCode: "Unified social credit code",
	merchantNo: "Merchant no.", terminalNo: "Terminal no.", none: "none",
	direction:     map[evidence.Direction]string{evidence.Debit: "Debit", evidence.Credit: "Credit", evidence.Neutral: "Neither"},
	callDirection: map[evidence.CallDirection]string{evidence.CallOutgoing: "Outgoing", evidence.CallIncoming: "Incoming"},
	eventKind: map[evidence.EventKind]string{
		evidence.EventDiscovered: "discovered", evidence.EventContacted: "contacted", evidence.EventComplaint: "complaint lodged",
		evidence.EventReply: "reply received", evidence.EventDeadline: "deadline", evidence.EventEscalated: "escalated", evidence.EventOther: "other",
	},
	scenarioName: map[evidence.Scenario]string{
		evidence.WrongAmount: "Wrong amount charged", evidence.DuplicateCharge: "Duplicate charge", evidence.AccidentalSettlement: "Settled or debited by mistake",
		evidence.WrongPayeeInfo: "Wrong payee information", evidence.MissingReceipt: "No receipt printed", evidence.SettlementShortfall: "Settlement missing or short",
		evidence.ScenarioOther: "Other",
	},
	roleName:       map[evidence.Role]string{evidence.RoleConsumer: "consumer", evidence.RoleMerchant: "merchant", evidence.RoleHelper: "helper"},
	statusName:     map[evidence.Status]string{evidence.StatusDraft: "draft", evidence.StatusOpen: "open", evidence.StatusEscalated: "escalated", evidence.StatusResolved: "resolved", evidence.StatusClosed: "closed"},
	minutesSeconds: "%d min %02d s",
	issuer:         "Card-issuing bank", acquirer: "Acquirer", settlementBank: "Settlement bank",
	txnType: map[string]string{"消费": "Purchase", "消费撤销": "Void", "撤销": "Void", "冲正": "Reversal", "退货": "Refund", "退款": "Refund",
		"预授权": "Pre-authorisation", "预授权完成": "Pre-authorisation completion", "结算": "Settlement"},
	txnStatus: map[string]string{"交易成功": "Successful", "支付成功": "Successful", "退款成功": "Refunded", "交易关闭": "Closed",
		"交易失败": "Failed", "已冲正": "Reversed", "已撤销": "Voided", "处理中": "Pending"},
	channel: map[string]string{"pos": "POS", "alipay": "Alipay", "wechat": "WeChat Pay", "bank": "Bank", "unionpay": "UnionPay"},
	sourceName: map[string]string{"manual": "Typed in", "alipay": "Alipay statement", "wechat": "WeChat Pay statement", "icbc": "ICBC statement",
		"ccb": "CCB statement", "mapped": "Imported spreadsheet", "slip": "Sales slip"},
}

func labelsFor(lang templates.Lang) *labels {
	if lang == templates.English {
		return &enLabels
	}
	return &zhLabels
}

// wordFor returns m[k], or k itself when m has no word for it.
func wordFor[K ~string](m map[K]string, k K) string {
	if v, ok := m[k]; ok {
		return v
	}
	return string(k)
}
