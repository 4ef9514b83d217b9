package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/disputekit/disputekit/evidence"
)

func writeTemp(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, b, 0o600))
	return p
}

const cliAlipay = "支付宝交易记录明细\n------------------------支付宝（中国）网络技术有限公司  电子客户回单------------------------\n" +
	"交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,交易订单号,商家订单号,备注,\n" +
	"2024-03-01 10:15:00,餐饮美食,某某餐厅,x@y.com,午餐,支出,128.00,余额,交易成功,2024030122001\t,T1\t,,\n" +
	"2024-03-01 10:16:10,餐饮美食,某某餐厅,x@y.com,午餐,支出,128.00,余额,交易成功,2024030122002\t,T2\t,,\n" +
	"bad date,餐饮美食,某某餐厅,x@y.com,午餐,支出,1.00,余额,交易成功,2024030122003\t,T3\t,,\n"

func TestImportAndCheckCLI(t *testing.T) {
	home := t.TempDir()
	id := newCase(t, home, "--title", "重复扣款", "--scenario", "duplicate-charge")
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(cliAlipay)
	require.NoError(t, err)
	statement := writeTemp(t, "alipay.csv", []byte(gbk))

	out := mustDK(t, home, "import", "--dry-run", "--lang", "en", id, statement)
	assert.Contains(t, out, "rows 3, imported 2, duplicates 0, skipped 1")
	assert.Contains(t, out, "dry run: nothing was stored")
	assert.NotContains(t, out, "证据", "a dry run stores no exhibit")

	out = mustDK(t, home, "import", id, statement)
	assert.Contains(t, out, "alipay.csv: alipay statement (gb18030), header on line 3")
	assert.Contains(t, out, "rows 3, imported 2, duplicates 0, skipped 1")
	assert.Contains(t, out, "skipped line 6: 日期 \"bad date\" 无法识别", "messages are in Chinese by default")
	assert.Contains(t, out, "(证据1)")

	out = mustDK(t, home, "import", "--json", id, statement)
	var reps []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &reps))
	require.Len(t, reps, 1)
	assert.EqualValues(t, 0, reps[0]["imported"], "a second import adds nothing")
	assert.EqualValues(t, 2, reps[0]["duplicates"])

	// A file no importer reads is kept as a document, as the desktop app
	// does (casework.AddFile), and the other files go in too.
	letter := writeTemp(t, "letter.txt", []byte("Dear shop,\nyou charged me twice.\n"))
	calls := writeTemp(t, "calls.csv", []byte("日期,时间,通话时长,号码,类型,姓名\n2024-03-02,09:30:00,3分12秒,95188,呼出,支付宝客服\n"))
	out = mustDK(t, home, "import", id, letter, calls)
	assert.Contains(t, out, "letter.txt: document, stored as document")
	assert.Contains(t, out, "calls.csv: call log, rows 1, imported 1")

	out = mustDK(t, home, "check", id, "--json", "--at", "2024-03-05 12:00")
	var fs []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &fs))
	require.Len(t, fs, 1)
	assert.Equal(t, "duplicate-charge", fs[0]["kind"])
	assert.EqualValues(t, 12800, fs[0]["amount"])

	out = mustDK(t, home, "check", id, "--lang", "en", "--claim", "1")
	assert.Contains(t, out, "1. [alert] duplicate-charge ¥128.00")
	assert.Contains(t, out, "某某餐厅 charged ¥128.00 2 times")
	var c struct {
		Case         evidence.Case          `json:"case"`
		Transactions []evidence.Transaction `json:"transactions"`
	}
	require.NoError(t, json.Unmarshal([]byte(mustDK(t, home, "case", "show", id, "--json")), &c))
	require.Len(t, c.Case.Claims, 1)
	assert.Equal(t, evidence.Money(12800), c.Case.Claims[0].Amount)
	for _, tx := range c.Transactions {
		assert.True(t, tx.Disputed, "the finding's transactions are marked disputed")
	}
}

func TestImportCLIUsage(t *testing.T) {
	home := t.TempDir()
	id := newCase(t, home, "--title", "x")
	for _, args := range [][]string{
		{"import"},
		{"import", id},
		{"import", id, "f.csv", "--format", "paypal"},
		{"import", id, "f.csv", "--map", "金额"},
		{"check"},
		{"check", id, "--rate", "abc"},
		{"check", id, "--cycle", "T+9"},
	} {
		_, errs, code := dk(t, home, args...)
		assert.Equal(t, 2, code, "%v: %s", args, errs)
	}
	_, errs, code := dk(t, home, "import", "999", writeTemp(t, "a.csv", []byte("x")))
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "not found")
}

func TestImportHeaderLineAndMap(t *testing.T) {
	home := t.TempDir()
	id := newCase(t, home, "--title", "x")
	f := writeTemp(t, "odd.csv", []byte("某银行流水\n日子,钱,店\n2024-03-01 10:00:00,12.00,甲店\n"))
	out, _, code := dk(t, home, "import", id, f)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "NOT IMPORTED")
	out = mustDK(t, home, "import", id, f, "--header-line", "2", "--map", "日子=time", "--map", "钱=amount", "--map", "店=merchant")
	assert.Contains(t, out, "imported 1")
	assert.Contains(t, out, "mapping: 店=merchant, 日子=time, 钱=amount")
}

func TestCheckSettlementTermsRemembered(t *testing.T) {
	home := t.TempDir()
	id := newCase(t, home, "--title", "结算少了", "--scenario", "settlement-shortfall", "--role", "merchant")
	pos := writeTemp(t, "pos.csv", []byte("交易日期,交易时间,终端号,交易类型,交易金额,参考号\n"+
		"2024-03-04,10:00:00,12345678,消费,1000.00,000000000001\n2024-03-04,11:00:00,12345678,消费,500.50,000000000002\n"))
	bank := writeTemp(t, "bank.csv", []byte("明细查询文件下载\n交易日期,摘要,交易金额(收入),交易金额(支出),对方户名\n2024-03-05,POS结算,1494.43,,某收单机构\n"))
	mustDK(t, home, "import", id, pos, bank)
	out := mustDK(t, home, "check", id, "--rate", "0.38%", "--cycle", "T+1", "--at", "2024-03-06 09:00")
	assert.Contains(t, out, "合计少结算 ¥0.37")
	out = mustDK(t, home, "check", id, "--json", "--at", "2024-03-06 09:00")
	assert.Contains(t, out, "\"amount\": 37", "the rate is remembered for the case")
}

func TestImportDryRunShowsDirectionsAndStoresNothing(t *testing.T) {
	home := t.TempDir()
	id := newCase(t, home, "--title", "农行明细", "--scenario", "wrong-amount")
	abc := writeTemp(t, "abc.csv", []byte("交易日期,交易时间,交易摘要,交易金额,本次余额,对手信息,日志号,交易渠道,交易附言\n"+
		"20240101,123456,转存,+10000.00,11000.00,张三,369396693,超级网银,转账\n"+
		"20240102,132324,财付通,-10.00,10990.00,微信支付北京一卡通,369333999,电子商务,一卡通\n"))
	out := mustDK(t, home, "import", "--dry-run", "--lang", "en", id, abc)
	assert.Contains(t, out, "abc statement")
	assert.Contains(t, out, "line 2: 2024-01-01 12:34:56  ¥10,000.00  credit")
	assert.Contains(t, out, "line 3: 2024-01-02 13:23:24  ¥10.00  debit")
	assert.Contains(t, out, "CNY: in 1 rows ¥10,000.00, out 1 rows ¥10.00")
	out = mustDK(t, home, "txn", "list", id)
	assert.NotContains(t, out, "10,000", "a dry run stores nothing")

	// A file whose every row is skipped is an error anyone sees, with the reason.
	empty := writeTemp(t, "icbc.csv", []byte("明细查询文件下载\n交易日期,摘要,交易金额(收入),交易金额(支出),对方户名\n2024-01-05,消费,-,-,某店\n"))
	out, _, code := dk(t, home, "import", "--lang", "en", id, empty)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "The only transaction row of the file could not be read; nothing was stored. Line 3: no amount.")
	out, _, code = dk(t, home, "--lang", "zh", "import", id, empty)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "这个文件唯一的一行交易没能读出来，没有存入任何内容。第 3 行的原因：")
	out, _, _ = dk(t, home, "--lang", "en", "--debug", "import", id, empty)
	assert.Contains(t, out, "all 1 rows were skipped (line 3: no amount)", "the technical cause under --debug")
}

func TestCheckOffersMergeOfTypedTwin(t *testing.T) {
	home := t.TempDir()
	id := newCase(t, home, "--title", "刷错金额", "--scenario", "wrong-amount")
	mustDK(t, home, "txn", "add", id, "--time", "2024-01-02 13:25:00", "--amount", "10.00", "--merchant", "公交卡", "--rrn", "123456789012", "--note", "手写")
	abc := writeTemp(t, "abc.csv", []byte("交易日期,交易时间,交易摘要,交易金额,本次余额,对手信息,日志号,交易渠道,交易附言\n"+
		"20240102,132324,财付通,-10.00,10990.00,某某公交卡公司,369333999,电子商务,一卡通\n"))
	mustDK(t, home, "import", id, abc)
	out := mustDK(t, home, "check", "--lang", "en", id)
	assert.Contains(t, out, "typed-twin")
	assert.Contains(t, out, "dk txn merge "+id+" 2 1")
	out = mustDK(t, home, "txn", "merge", id, "2", "1")
	assert.Contains(t, out, "transaction 1 merged into 2")
	out = mustDK(t, home, "txn", "list", "--json", id)
	var ts []evidence.Transaction
	require.NoError(t, json.Unmarshal([]byte(out), &ts))
	require.Len(t, ts, 1)
	assert.Equal(t, "123456789012", ts[0].RRN)
	assert.Equal(t, "abc", ts[0].Source)
	assert.NotContains(t, mustDK(t, home, "check", "--lang", "en", id), "typed-twin")
}
