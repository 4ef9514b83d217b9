package ingest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata from the fixture builders")

// goldenFixtures are written to testdata by `go test -run Golden -update`,
// so each real format can be looked at (and fed to dk import) as a file.
func goldenFixtures(t *testing.T) map[string][]byte {
	return map[string][]byte{
		"alipay_gbk.csv":           alipayCSV(t, 6),
		"wechat_bom_tab.csv":       wechatCSV(4),
		"wechat_row18.xlsx":        wechatXLSX(t),
		"icbc_padded.csv":          icbcCSV(),
		"ccb_biff8.xls":            buildXLS(t, ccbRows, false),
		"ccb_biff5_gbk.xls":        buildXLS(t, ccbRows, true),
		"pos_fen_mapped.csv":       posCSV(),
		"calls.csv":                []byte("日期,时间,通话时长,号码,类型,姓名\n2024-01-06,09:30:00,3分12秒,95588,呼出,工商银行客服\n2024-01-07,14:00,00:01:05,13800001234,呼入,商户\n"),
		"not_a_statement.txt":      []byte("尊敬的商户：\n我于3月1日在贵店消费，被重复扣款。\n"),
		"empty.csv":                {},
		"icbc_debit.csv":           icbcDebitCSV(false),
		"icbc_debit_v2.csv":        icbcDebitCSV(true),
		"abc_debit.csv":            abcCSV(),
		"boc_debit.csv":            bocDebitCSV(),
		"boc_credit.csv":           bocCreditCSV(),
		"cmb_debit.csv":            cmbDebitCSV(),
		"cmb_credit.csv":           cmbCreditCSV(),
		"bocom_debit.csv":          bocomDebitCSV(),
		"bocom_credit.csv":         bocomCreditCSV(),
		"cgb_credit.csv":           cgbCreditCSV(),
		"citic_credit.csv":         citicCreditCSV(),
		"jd.csv":                   jdCSV(),
		"meituan.csv":              meituanCSV(),
		"wechat_merchant.csv":      wechatMerchantCSV(),
		"alipay_merchant.csv":      alipayMerchantCSV(true),
		"alipay_merchant_cut.csv":  alipayMerchantCSV(false),
		"alipay_excel_resaved.csv": excelResaved(t, 12),
		"dd_mm_yyyy.csv":           dmyCSV(),
		"pos_allinpay_mapped.csv":  posAllinpayCSV(),
	}
}

// TestGoldenFixtures parses every testdata file and compares the result with
// its .golden.json: a change in what any format yields shows up in review.
func TestGoldenFixtures(t *testing.T) {
	if *update {
		for name, b := range goldenFixtures(t) {
			require.NoError(t, os.WriteFile(filepath.Join("testdata", name), b, 0o644))
		}
	}
	files, err := filepath.Glob("testdata/*.*")
	require.NoError(t, err)
	n := 0
	for _, path := range files {
		if filepath.Ext(path) == ".json" {
			continue
		}
		n++
		t.Run(filepath.Base(path), func(t *testing.T) {
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			res, err := Parse(bytes.NewReader(b), Options{Name: filepath.Base(path)})
			var got []byte
			if err != nil {
				got = []byte("error: " + err.Error() + "\n")
			} else {
				got, err = json.MarshalIndent(struct {
					Report       Report
					Transactions any `json:",omitempty"`
					Calls        any `json:",omitempty"`
				}{res.Report, res.Transactions, res.Calls}, "", "  ")
				require.NoError(t, err)
				got = append(got, '\n')
			}
			golden := path + ".golden.json"
			if *update {
				require.NoError(t, os.WriteFile(golden, got, 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -run Golden -update")
			assert.Equal(t, string(want), string(got))
		})
	}
	assert.GreaterOrEqual(t, n, 10)
}
