package report

import (
	"bytes"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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
		if q+1 < len(pages) && !strings.HasPrefix(squeeze(pages[q+1]), "副本1/1") {
			assert.True(t, strings.HasPrefix(strings.TrimSpace(pages[q+1]), fmt.Sprintf("证据%d", it.Seq+1)), "item %d ends on page %d", it.Seq, q)
		}
	}
	assert.Equal(t, 1, spans, "the transaction table spans pages")
	// The original (complaint, list and evidence) is numbered on its own, so
	// the list's numbers are its footer's; the copy follows it.
	copyAt := 0
	for p, text := range pages {
		if strings.HasPrefix(squeeze(text), "副本1/1—送达被告：上海某某餐饮有限公司") {
			copyAt = p
		}
	}
	require.Greater(t, copyAt, listPage, "the defendant's copy follows the evidence")
	assert.Contains(t, squeeze(pages[1]), "第1页共"+strconv.Itoa(copyAt-1)+"页")
	assert.Contains(t, squeeze(pages[copyAt-1]), "第"+strconv.Itoa(copyAt-1)+"页共"+strconv.Itoa(copyAt-1)+"页")
	assert.Contains(t, squeeze(pages[copyAt]), "副本1第1页共")
}

// twoDefendantComplaint is the fixture's complaint against the merchant and
// the acquirer, in lang.
func twoDefendantComplaint(t *testing.T, lang templates.Lang) (templates.Letter, []byte) {
	t.Helper()
	d, v := fixtureDossier(t)
	d.Case.Court = evidence.Court{Name: "上海市徐汇区人民法院", Defendants: []string{evidence.DefendantMerchant, evidence.DefendantAcquirer},
		Plaintiff: evidence.Particulars{Gender: "男", Birth: sh(1990, 3, 7, 0, 0), Ethnicity: "汉族", Occupation: "职员", Employer: "某公司"}}
	d.Case.Acquirer = evidence.Party{Name: "示例支付有限公司", Kind: evidence.PartyPaymentInstitution, Address: "北京市虚构区支付大厦"}
	l, err := templates.Compose(d, templates.ToCourt, lang, sh(2026, 12, 20, 0, 0))
	require.NoError(t, err)
	require.Len(t, l.CopyMarks, 2)
	return l, renderLetter(t, l, v)
}

// A civil complaint goes to court with a copy for each defendant (附：本起诉
// 状副本N份): the PDF holds the original with its evidence, then the
// complaint once more per defendant, each copy marked with whom it is for on
// its first page, numbered on its own and bookmarked.
func TestCourtComplaintHoldsACopyPerDefendant(t *testing.T) {
	for _, tc := range []struct {
		lang                          templates.Lang
		appendix, original            string
		marks                         []string
		firstFooter, secondCopyFooter string
		bookmarks                     []string
	}{
		{templates.Chinese, "本起诉状副本2份", "正本",
			[]string{"副本1/2—送达被告：上海某某餐饮有限公司", "副本2/2—送达被告：示例支付有限公司"}, "第1页共", "副本2第1页共",
			[]string{"（正本）", "（副本 1/2 — 送达被告：上海某某餐饮有限公司）", "（副本 2/2 — 送达被告：示例支付有限公司）"}},
		{templates.English, "2copiesofthiscomplaint", "Original",
			[]string{"Copy1of2—fordefendant上海某某餐饮有限公司", "Copy2of2—fordefendant示例支付有限公司"}, "Page1of", "Copy2,page1of",
			[]string{" (Original)", " (Copy 1 of 2 — for defendant 上海某某餐饮有限公司)", " (Copy 2 of 2 — for defendant 示例支付有限公司)"}},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			l, pdf := twoDefendantComplaint(t, tc.lang)
			pages := pdfPages(t, pdf, true)
			all := squeeze(strings.Join(pages, ""))
			assert.Equal(t, 3, strings.Count(all, tc.appendix), "the original and two copies")
			// Every paragraph of the complaint is in each copy.
			for _, b := range l.Blocks {
				if b.Kind == templates.BlockParagraph {
					assert.GreaterOrEqual(t, strings.Count(all, squeeze(b.Text)), 3, "%q", b.Text)
				}
			}
			assert.True(t, strings.HasPrefix(squeeze(pages[1]), tc.original), "the original is marked:\n%s", pages[1])
			starts := []int{}
			for i, mark := range tc.marks {
				assert.Equal(t, 1, strings.Count(all, mark), "copy %d is marked once", i+1)
				for p, text := range pages {
					if strings.HasPrefix(squeeze(text), mark) {
						starts = append(starts, p)
					}
				}
			}
			require.Len(t, starts, 2, "each copy starts on its own page")
			require.Greater(t, starts[1], starts[0])
			copyLen := starts[1] - starts[0]
			assert.Equal(t, len(pages)-1, starts[1]+copyLen-1, "the copies are as long as each other and end the PDF")
			assert.Contains(t, squeeze(pages[1]), tc.firstFooter+strconv.Itoa(starts[0]-1))
			assert.Contains(t, squeeze(pages[starts[1]]), tc.secondCopyFooter+strconv.Itoa(copyLen))
			// The copy repeats the complaint, not the evidence.
			complaintLen := 0
			for p := 1; p < starts[0] && complaintLen == 0; p++ {
				if strings.Contains(squeeze(pages[p]), tc.appendix) {
					complaintLen = p
				}
			}
			assert.Equal(t, complaintLen, copyLen)
			// Bookmarks: the original and each copy, at their first pages.
			outline := pdfOutline(t, pdf)
			require.Len(t, outline, 9, "%v", outline) // original, list, 5 exhibits, 2 copies
			listPage := 0
			for p, text := range pages {
				if listPage == 0 && strings.HasPrefix(squeeze(text), squeeze(l.EvidenceTitle)) {
					listPage = p
				}
			}
			require.Contains(t, outline, l.EvidenceTitle)
			offset := listPage - outline[l.EvidenceTitle]
			assert.Equal(t, 1, outline[l.Title+tc.bookmarks[0]]+offset)
			assert.Equal(t, starts[0], outline[l.Title+tc.bookmarks[1]]+offset)
			assert.Equal(t, starts[1], outline[l.Title+tc.bookmarks[2]]+offset)
		})
	}
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

// pdfOutline maps each bookmark's title to its page as poppler's pdftohtml
// writes it: the poppler here counts from 0 and leaves the attribute out
// for page 0 (read as 0), so callers align it with a page they know.
func pdfOutline(t *testing.T, pdf []byte) map[string]int {
	t.Helper()
	bin, err := exec.LookPath("pdftohtml")
	if err != nil {
		t.Skip("pdftohtml not on PATH")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	require.NoError(t, os.WriteFile(path, pdf, 0o644))
	out, err := exec.Command(bin, "-xml", "-i", "-q", "-stdout", path).Output()
	require.NoError(t, err)
	got := map[string]int{}
	for _, m := range regexp.MustCompile(`<item(?: page="(\d+)")?>([^<]*)</item>`).FindAllStringSubmatch(string(out), -1) {
		p, _ := strconv.Atoi(m[1])
		got[html.UnescapeString(m[2])] = p
	}
	return got
}
