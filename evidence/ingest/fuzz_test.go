package ingest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadXLSDirect(t *testing.T) {
	x := buildXLS(t, ccbRows, false)
	rows, err := ReadXLS(bytes.NewReader(x), int64(len(x)))
	require.NoError(t, err)
	require.Len(t, rows, len(ccbRows))
	assert.Equal(t, "中国建设银行个人活期账户全部交易明细", rows[0][0], "a string split by a CONTINUE record")
	assert.Equal(t, []string{"记账日", "交易日期", "交易时间", "支出", "收入", "账户余额", "币种", "摘要", "对方账号", "对方户名", "交易地点"}, rows[2])
	assert.Equal(t, "20240105", rows[3][1])
	assert.Equal(t, "58.5", rows[3][3])
	assert.Equal(t, "-238.5", rows[5][5])
}

// checkResult holds for whatever Parse accepts.
func checkResult(t *testing.T, res *Result) {
	r := res.Report
	require.Equal(t, r.Rows, len(res.Transactions)+len(res.Calls)+r.Skipped, "every row is imported or skipped")
	require.LessOrEqual(t, len(r.SkippedRows), maxListed)
	for _, tx := range res.Transactions {
		require.False(t, tx.Time.IsZero())
		require.GreaterOrEqual(t, int64(tx.Amount), int64(0))
		require.GreaterOrEqual(t, int64(tx.Fee), int64(0))
		require.NotEmpty(t, tx.DedupeKey)
		_, err := tx.Normalize()
		require.NoError(t, err)
	}
	for _, c := range res.Calls {
		require.False(t, c.Start.IsZero())
		require.GreaterOrEqual(t, int64(c.Duration), int64(0))
	}
}

func FuzzParse(f *testing.F) {
	f.Add(alipayCSV(f, 3))
	f.Add(wechatCSV(3))
	f.Add(icbcCSV())
	f.Add(posCSV())
	f.Add(wechatXLSX(f))
	f.Add(buildXLS(f, ccbRows, false))
	f.Add(buildXLS(f, ccbRows, true))
	f.Add([]byte("日期,时间,通话时长,号码,类型,姓名\n2024-01-06,09:30:00,3分12秒,95588,呼出,客服\n"))
	f.Add([]byte("\xFF\xFEa\x00,\x00b\x00"))
	f.Add([]byte(""))
	f.Add([]byte("\"unclosed,\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := Parse(bytes.NewReader(b), Options{})
		if err != nil {
			return
		}
		checkResult(t, res)
	})
}

func FuzzParseMapped(f *testing.F) {
	f.Add("交易日期,交易时间,交易金额(分),卡号,费率(万分之一)\n2024-03-01,10:15:00,100000,6222021234567890128,38\n")
	f.Add("time,amount,merchant\n2024-01-01 00:00:00,-1.5,x\n")
	f.Add("日子,钱\n20240101,１２．５０\n")
	f.Fuzz(func(t *testing.T, s string) {
		m := Mapping{"日子": FieldTime, "钱": FieldAmount}
		res, err := Parse(strings.NewReader(s), Options{Format: FormatMapped, Map: nil})
		if err == nil {
			checkResult(t, res)
		}
		res, err = Parse(strings.NewReader(s), Options{Map: m})
		if err == nil {
			checkResult(t, res)
		}
	})
}

func FuzzCSVReader(f *testing.F) {
	for _, s := range []string{"a,b\n", "\"x\"\t,y\n", "\"a\nb\",c", "=\"1\",\"\"\"\",", " \t,\t \n\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tr, err := newTextReader(bytes.NewReader(b))
		require.NoError(t, err)
		cr := newCSVReader(tr)
		last := 0
		for i := 0; ; i++ {
			rec, line, ok, err := cr.next()
			require.NoError(t, err)
			if !ok {
				break
			}
			require.Greater(t, line, last, "lines go forward")
			last = line
			for _, c := range rec {
				require.Equal(t, c, trimCell(c), "cells are trimmed")
			}
			require.Less(t, i, len(b)+1)
		}
	})
}

func FuzzReadXLS(f *testing.F) {
	f.Add(buildXLS(f, ccbRows, false))
	f.Add(buildXLS(f, ccbRows, true))
	f.Add(compoundFile("Workbook", make([]byte, 4096)))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ReadXLS(bytes.NewReader(b), int64(len(b))) // no panic, no hang
	})
}

func FuzzParseCallDuration(f *testing.F) {
	for _, s := range []string{"3分12秒", "00:03:12", "192", "1小时2分", "3m12s", "-1", "::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := parseCallDuration(s); err == nil {
			require.GreaterOrEqual(t, int64(d), int64(0))
		}
	})
}

func FuzzParseMapOverrides(f *testing.F) {
	f.Add("金额=amount")
	f.Add("=time")
	f.Add("a=b=c")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMapOverrides([]string{s})
		if err != nil {
			return
		}
		for col, field := range m {
			require.NotEmpty(t, col)
			require.True(t, field.Valid())
		}
	})
}

// FuzzFormats feeds every export layout's fixture, cut and changed, to the
// parser: it must never panic, and whatever it returns must be valid rows.
func FuzzFormats(f *testing.F) {
	for _, tc := range formatCases(f) {
		f.Add(tc.file)
	}
	f.Add(excelResaved(f, 5))
	f.Add(alipayMerchantCSV(false))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := Parse(bytes.NewReader(b), Options{})
		if err != nil {
			return
		}
		checkResult(t, res)
	})
}

// FuzzAmountText: a cell's currency and remark never change the number
// (a text that parses has its digits, and its sign, kept).
func FuzzAmountText(f *testing.F) {
	for _, s := range []string{"JPY 1000.00", "CNY 123.18", "3.72 USD", "131.77(已退款89.84)", "-3.90(CN)", "8,000.00(CN)", "（", "A(", "ABC"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		num, cur, _ := splitAmountText(s)
		if len(num) > len(s) {
			t.Fatalf("%q grew to %q", s, num)
		}
		if cur != "" && len(cur) != 3 {
			t.Fatalf("currency %q of %q", cur, s)
		}
	})
}

// FuzzDates: dates without a year and DD/MM/YYYY dates are real dates or refused.
func FuzzDates(f *testing.F) {
	for _, s := range []string{"12/29", "01-03", "25/12/2024", "03/01/2025 10:00:00", "13/13/2024", "31/02/2024", "1/1/1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if m, d, ok := monthDay(s); ok && (m < 1 || m > 12 || d < 1 || d > 31) {
			t.Fatalf("%q read as month %d day %d", s, m, d)
		}
		if tm, _, _, ok := slashDate(s, false); ok && (tm.Year() < 0 || tm.Month() < 1) {
			t.Fatalf("%q read as %v", s, tm)
		}
		c := &converter{f: mapped, periodYear: 2024, periodMonth: 1}
		_, _ = c.parseTime(s)
	})
}
