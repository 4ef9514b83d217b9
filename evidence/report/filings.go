package report

import (
	"time"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/escalation"
	"github.com/disputekit/disputekit/templates"
)

// filingWords are the case file's words for the complaints lodged.
type filingWords struct {
	title, colSent, colTo, colChannel, colTicket, colDue, colStatus string
	channel                                                         map[evidence.FilingChannel]string
	status                                                          map[evidence.FilingStatus]string
}

var filingWordsByLang = map[templates.Lang]filingWords{
	templates.Chinese: {
		title: "投诉记录", colSent: "提交时间", colTo: "投诉对象", colChannel: "方式", colTicket: "工单号", colDue: "答复期限", colStatus: "状态及答复",
		channel: map[evidence.FilingChannel]string{evidence.FilingLetter: "信函", evidence.FilingPlatform: "投诉平台",
			evidence.FilingHotline: "热线电话", evidence.FilingInPerson: "现场", evidence.FilingOnline: "网上"},
		status: map[evidence.FilingStatus]string{evidence.FilingSent: "等待答复", evidence.FilingAccepted: "已受理",
			evidence.FilingReplied: "已答复", evidence.FilingRefused: "已拒绝/不予受理", evidence.FilingResolved: "已解决",
			evidence.FilingLapsed: "逾期未答复"},
	},
	templates.English: {
		title: "Complaints lodged", colSent: "Sent", colTo: "To", colChannel: "How", colTicket: "Ticket", colDue: "Reply due", colStatus: "Status and reply",
		channel: map[evidence.FilingChannel]string{evidence.FilingLetter: "letter", evidence.FilingPlatform: "platform",
			evidence.FilingHotline: "hotline", evidence.FilingInPerson: "in person", evidence.FilingOnline: "online"},
		status: map[evidence.FilingStatus]string{evidence.FilingSent: "waiting for a reply", evidence.FilingAccepted: "accepted",
			evidence.FilingReplied: "replied", evidence.FilingRefused: "refused", evidence.FilingResolved: "resolved",
			evidence.FilingLapsed: "no reply in time"},
	},
}

// filingTable lists the complaints lodged, each with where it stood on
// the case file's date (a lapse computed then) and its last reply.
func (d *pdfDoc) filingTable(fs []evidence.Filing, asOf time.Time) {
	w := filingWordsByLang[d.lang]
	rows := make([]tableRow, len(fs))
	for i, f := range fs {
		to := f.Party
		if rec, ok := escalation.RecipientFor(f.Recipient); ok && to == "" {
			to = rec.ZH
			if d.lang == templates.English {
				to = rec.EN
			}
		}
		status := w.status[escalation.StatusAt(f, asOf)]
		if n := len(f.Replies); n > 0 && f.Replies[n-1].Content != "" {
			r := f.Replies[n-1]
			status += " — " + r.Time.In(evidence.Shanghai).Format("2006-01-02") + " " + r.Content
		}
		due := ""
		if !f.Due.IsZero() {
			due = f.Due.In(evidence.Shanghai).Format("2006-01-02")
		}
		rows[i] = tableRow{cells: []string{f.Sent.In(evidence.Shanghai).Format("2006-01-02"), to, w.channel[f.Channel], f.Ticket, due, status}}
	}
	d.table([]column{
		{title: w.colSent, width: 22},
		{title: w.colTo, width: 34},
		{title: w.colChannel, width: 18},
		{title: w.colTicket, width: 36},
		{title: w.colDue, width: 22},
		{title: w.colStatus},
	}, rows, tableSize)
}
