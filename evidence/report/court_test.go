package report

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/templates"
)

// The civil complaint's 证据目录 (证据规定 第十九条) gives, for every item,
// the page where it starts in the PDF that goes to court, and carries the
// submitter and date under the table.
func TestCourtComplaintEvidenceListPages(t *testing.T) {
	d, v := fixtureDossier(t)
	d.Case.Court = evidence.Court{Name: "上海市徐汇区人民法院",
		Plaintiff: evidence.Particulars{Gender: "男", Birth: sh(1990, 3, 7, 0, 0), Ethnicity: "汉族", Occupation: "职员", Employer: "某公司"}}
	// Ticked purchases enough for the transaction table to span pages.
	base := d.Transactions[0]
	for i := range 120 {
		tx := base
		tx.ID, tx.Time, tx.Disputed, tx.Included = int64(100+i), base.Time.Add(time.Duration(i)*time.Hour), false, true
		tx.RRN = fmt.Sprintf("63%010d", i)
		d.Transactions = append(d.Transactions, tx)
	}
	l, err := templates.Compose(d, templates.ToCourt, templates.Chinese, sh(2026, 12, 20, 0, 0))
	require.NoError(t, err)
	pdf := renderLetter(t, l, v)
	pages := pdfPages(t, pdf, true)

	assert.Contains(t, squeeze(pages[1]), "民事起诉状")
	listPage := 0
	for p, text := range pages {
		if strings.Contains(text, "证据目录") && strings.Contains(text, "页码") {
			listPage = p
			break
		}
	}
	require.Greater(t, listPage, 1, "the list follows the complaint")
	assert.Contains(t, squeeze(pages[listPage]), "提交人：张三（签名或盖章）")
	assert.Contains(t, squeeze(pages[listPage]), "提交日期：2026年12月20日")
	listed := evidenceListPages(t, pages[listPage])
	require.Len(t, listed, len(l.Evidence), "rows read from the list page:\n%s", pages[listPage])
	spans := 0
	for _, it := range l.Evidence {
		rng := listed[it.Seq]
		from, to := rng, rng
		if a, b, ok := strings.Cut(rng, "-"); ok {
			from, to = a, b
			spans++
		}
		p, err := strconv.Atoi(from)
		require.NoError(t, err, "page of item %d: %q", it.Seq, rng)
		q, _ := strconv.Atoi(to)
		caption := fmt.Sprintf("证据%d", it.Seq)
		assert.True(t, strings.HasPrefix(strings.TrimSpace(pages[p]), caption), "page %d should start with %s:\n%s", p, caption, pages[p])
		if q < len(pages)-1 {
			assert.True(t, strings.HasPrefix(strings.TrimSpace(pages[q+1]), fmt.Sprintf("证据%d", it.Seq+1)), "item %d ends on page %d", it.Seq, q)
		}
	}
	assert.Equal(t, 1, spans, "the transaction table spans pages")
}

// The case file lists the complaints lodged, with where each stood on the
// case file's date and its last reply.
func TestCaseFileListsFilings(t *testing.T) {
	d, v := fixtureDossier(t)
	d.Filings = []evidence.Filing{
		{ID: 1, Recipient: "bank", Party: "某某银行信用卡中心", Channel: evidence.FilingHotline, Sent: sh(2026, 11, 1, 9, 0),
			Ticket: "CS20261101-0042", Due: sh(2026, 11, 16, 23, 59), Status: evidence.FilingSent},
		{ID: 2, Recipient: "market-regulator", Channel: evidence.FilingPlatform, Sent: sh(2026, 11, 5, 9, 0), Status: evidence.FilingRefused,
			Replies: []evidence.FilingReply{{Time: sh(2026, 11, 10, 9, 0), Status: evidence.FilingRefused, Content: "不属于本局管辖"}}},
	}
	var buf bytes.Buffer
	require.NoError(t, WriteCaseFilePDF(&buf, d, templates.Chinese, v))
	text := squeeze(pdfText(t, buf.Bytes(), 0, 0, true))
	assert.Contains(t, text, "投诉记录")
	assert.Contains(t, text, "CS20261101-0042")
	assert.Contains(t, text, "逾期未答复", "lapsed on the case file's date (updated 2026-11-22)")
	assert.Contains(t, text, "市场监督管理部门")
	assert.Contains(t, text, "不属于本局管辖")
}
