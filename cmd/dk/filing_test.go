package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

func TestFilingCommands(t *testing.T) {
	home := t.TempDir()
	id := newCase(t, home, "--title", "刷错金额", "--scenario", "wrong-amount", "--complainant", "张三", "--respondent", "某某餐厅", "--issuer", "招商银行")

	// A bank complaint lodged by phone 40 days ago: its 15 days have passed.
	sent := time.Now().In(evidence.Shanghai).AddDate(0, 0, -40).Format("2006-01-02 15:04")
	out, errs, code := dk(t, home, "filing", "add", id, "--to", "bank", "--party", "招商银行", "--channel", "hotline", "--sent", sent,
		"--ticket", "GD2026111000123", "--asked", "差错处理，退还多扣款")
	require.Equal(t, 0, code, errs)
	fid := strings.TrimSpace(out)
	assert.Equal(t, "1", fid)
	assert.Contains(t, errs, "Art. 18", "the due date's basis is named")

	var rows []struct {
		evidence.Filing
		StatusNow evidence.FilingStatus `json:"status_now"`
	}
	require.NoError(t, json.Unmarshal([]byte(mustDK(t, home, "filing", "list", id, "--json")), &rows))
	require.Len(t, rows, 1)
	assert.Equal(t, evidence.FilingLapsed, rows[0].StatusNow)
	assert.Equal(t, evidence.FilingSent, rows[0].Status, "lapsed is computed, the stored status stays")
	assert.Equal(t, "nfra-18", rows[0].DueBasis)

	next := mustDK(t, home, "next", id, "--lang", "zh")
	assert.Contains(t, next, "招商银行（GD2026111000123） 应于")
	assert.Contains(t, next, "前答复：已逾期 25 天 → 可向 12378（国家金融监督管理总局）投诉")
	assert.Contains(t, mustDK(t, home, "next", id, "--lang", "en"), "25 days overdue → you may complain to 12378 (the NFRA)")

	list := mustDK(t, home, "case", "list", "--lang", "en")
	assert.Contains(t, list, "招商银行: reply (overdue)")
	assert.Contains(t, mustDK(t, home, "case", "list", "--lang", "zh"), "招商银行 答复（已逾期）")

	// The bank's refusal, with the letter attached.
	reply := filepath.Join(t.TempDir(), "reply.txt")
	require.NoError(t, os.WriteFile(reply, []byte("经核实，交易正常。"), 0o600))
	ex := strings.TrimSpace(mustDK(t, home, "attach", id, reply))
	mustDK(t, home, "filing", "reply", id, fid, "--time", time.Now().Format("2006-01-02"), "--status", "refused", "--text", "经核实，交易正常。", "--exhibit", ex)
	zh := mustDK(t, home, "filing", "list", id, "--lang", "zh")
	assert.Contains(t, zh, "已拒绝/不予受理")
	assert.Contains(t, zh, "经核实，交易正常。 证据 ["+ex+"]")
	assert.Contains(t, mustDK(t, home, "next", id, "--lang", "zh"), "已拒绝或不予受理 → 可向 12378（国家金融监督管理总局）投诉；可向人民法院起诉")

	mustDK(t, home, "filing", "status", id, fid, "resolved")
	assert.NotContains(t, mustDK(t, home, "next", id, "--lang", "zh"), "招商银行（")
	assert.Contains(t, mustDK(t, home, "--lang", "zh", "next", id), "投诉跟踪", "dk --lang sets the default")

	// Wrong input is a usage error.
	_, errs, code = dk(t, home, "filing", "add", id, "--to", "nobody", "--sent", sent)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "--to \"nobody\"")
	_, _, code = dk(t, home, "filing", "status", id, fid, "lapsed")
	assert.Equal(t, 1, code, "lapsed cannot be set")
}

func TestHolidaysImport(t *testing.T) {
	home := t.TempDir()
	assert.Contains(t, mustDK(t, home, "holidays"), "国办发明电〔2024〕12号")
	path := filepath.Join(t.TempDir(), "h.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"years":[{"year":2027,"source":"国务院办公厅关于2027年部分节假日安排的通知","holidays":[{"name":"元旦","from":"2027-01-01","to":"2027-01-03"}],"workdays":[]}]}`), 0o600))
	mustDK(t, home, "holidays", "import", path)
	out := mustDK(t, home, "holidays")
	assert.Contains(t, out, "2027  1 holiday periods")
	assert.Contains(t, out, "your holidays.json")

	id := newCase(t, home, "--title", "x", "--scenario", "wrong-amount")
	_, errs, code := dk(t, home, "filing", "add", id, "--to", "market-regulator", "--channel", "platform", "--sent", "2026-12-31 10:00")
	require.Equal(t, 0, code, errs)
	// Thu 31 Dec 2026; 1–3 Jan 2027 off (the user's table): 4, 5, 6, 7, 8, 11, 12 Jan.
	assert.Contains(t, errs, "reply due 2027-01-12")
	assert.NotContains(t, errs, "warning")
}

func TestCourtComplaintCommand(t *testing.T) {
	home := t.TempDir()
	id := newCase(t, home, "--title", "刷错金额", "--scenario", "wrong-amount", "--complainant", "张三", "--phone", "13800000000",
		"--address", "上海市某路1号", "--respondent", "某某餐饮有限公司", "--respondent-address", "上海市某路2号", "--facts", "多扣了1152元", "--claim", "退还多扣款项=1152.00")
	txn := strings.TrimSpace(mustDK(t, home, "txn", "add", id, "--time", "2026-11-08 20:41", "--amount", "1280.00", "--merchant", "某某餐厅"))
	mustDK(t, home, "txn", "dispute", id, txn)
	mustDK(t, home, "case", "court", id, "--court", "上海市某区人民法院", "--gender", "男", "--birth", "1990-01-02",
		"--ethnicity", "汉族", "--occupation", "职员", "--employer", "某公司", "--party", "merchant:legal-rep=赵六,rep-title=经理", "--witness", "钱七=上海市某路3号")
	var ct evidence.Court
	require.NoError(t, json.Unmarshal([]byte(mustDK(t, home, "case", "court", id, "--show")), &ct))
	assert.Equal(t, "上海市某区人民法院", ct.Name)
	assert.Equal(t, "赵六", ct.Others["merchant"].LegalRep)

	out, errs, code := dk(t, home, "letter", id, "--to", "court", "--format", "json", "--date", "2026-12-20")
	require.Equal(t, 0, code, errs)
	var l struct {
		Title     string           `json:"title"`
		Requests  []evidence.Claim `json:"requests"`
		CopyMarks []string         `json:"copy_marks"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &l))
	assert.Equal(t, "民事起诉状", l.Title)
	assert.Equal(t, evidence.Money(115200), l.Requests[0].Amount)
	assert.Contains(t, errs, "小额诉讼")
	require.Len(t, l.CopyMarks, 1, "one copy for the one defendant")
	assert.True(t, strings.HasPrefix(l.CopyMarks[0], "副本 1/1 — 送达被告："), l.CopyMarks[0])

	pdf := filepath.Join(t.TempDir(), "court.pdf")
	mustDK(t, home, "letter", id, "--to", "court", "-o", pdf)
	b, err := os.ReadFile(pdf)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(b), "%PDF"))
	if _, err := exec.LookPath("pdftotext"); err == nil {
		text, err := exec.Command("pdftotext", "-enc", "UTF-8", pdf, "-").Output()
		require.NoError(t, err)
		assert.Equal(t, 2, strings.Count(string(text), "民事起诉状"), "the original and the defendant's copy")
		assert.Contains(t, string(text), l.CopyMarks[0])
	}

	_, _, code = dk(t, home, "letter", id, "--to", "court", "--request", "x", "--format", "json")
	assert.Equal(t, 2, code, "the claims come from the summary")
	_, _, code = dk(t, home, "case", "court", id, "--defendant", "shop")
	assert.Equal(t, 2, code)
}

func TestFilingFromLetter(t *testing.T) {
	home := t.TempDir()
	id := newCase(t, home, "--title", "刷错金额", "--scenario", "wrong-amount", "--complainant", "张三", "--respondent", "某某餐饮有限公司",
		"--claim", "退还多扣款项=1152.00")
	out, errs, code := dk(t, home, "--lang", "zh", "filing", "add", id, "--from-letter", "merchant", "--sent", "2026-11-25 10:00")
	require.Equal(t, 0, code, errs)
	fid := strings.TrimSpace(out)
	var rows []evidence.Filing
	require.NoError(t, json.Unmarshal([]byte(mustDK(t, home, "filing", "list", id, "--json")), &rows))
	require.Len(t, rows, 1)
	assert.Equal(t, fid, fmt.Sprint(rows[0].ID))
	assert.Equal(t, "merchant", rows[0].Recipient)
	assert.Equal(t, "某某餐饮有限公司", rows[0].Party)
	assert.NotEmpty(t, rows[0].Asked, "the letter's requests")
	assert.Equal(t, "2026-12-02", rows[0].Due.In(evidence.Shanghai).Format("2006-01-02"))
}
