package report

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/templates"
)

// SheetSummary is the sheet that shows how the amount in dispute was
// computed, with formulas the user can follow and change.
const SheetSummary = "Summary"

// sheetNames are the sheets' names in Chinese; English workbooks use the
// exported constants.
var sheetNamesZh = map[string]string{
	SheetLetter: "函件", SheetSummary: "争议金额计算", SheetTransactions: "交易明细", SheetEvidence: "证据清单",
	SheetCalls: "通话记录", SheetTimeline: "时间线",
}

// SheetName is the name of sheet key (SheetLetter …) in a workbook in lang.
func SheetName(key string, lang templates.Lang) string {
	if lang == templates.English {
		return key
	}
	if n, ok := sheetNamesZh[key]; ok {
		return n
	}
	return key
}

func (x *workbook) sheetName(key string) string { return SheetName(key, x.lang) }

// summarySheet writes the dispute summary (templates.Summary) as a small
// calculation: the inputs as numbers, the results as formulas over them
// (with the computed value cached, so any reader shows the same figure the
// letter prints).
func (x *workbook) summarySheet(s templates.Summary) error {
	name := x.sheetName(SheetSummary)
	if _, err := x.f.NewSheet(name); err != nil {
		return err
	}
	f := x.f
	set := func(cell string, v any, style int) error {
		if err := f.SetCellValue(name, cell, v); err != nil {
			return err
		}
		return f.SetCellStyle(name, cell, cell, style)
	}
	formula := func(cell, expr string, cached evidence.Money) error {
		if err := f.SetCellValue(name, cell, yuan(cached)); err != nil {
			return err
		}
		if err := f.SetCellFormula(name, cell, expr); err != nil {
			return err
		}
		return f.SetCellStyle(name, cell, cell, x.money)
	}
	row := func(r int, label string, v any, style int) error {
		if err := set(fmt.Sprintf("A%d", r), safeText(label), x.text); err != nil {
			return err
		}
		return set(fmt.Sprintf("B%d", r), v, style)
	}
	if err := f.SetColWidth(name, "A", "A", 34); err != nil {
		return err
	}
	if err := f.SetColWidth(name, "B", "G", 16); err != nil {
		return err
	}
	w := x.word
	switch s.Scenario {
	case evidence.WrongAmount:
		if err := row(1, w("实际扣款（元）", "Amount charged (CNY)"), yuan(s.Charged), x.money); err != nil {
			return err
		}
		var agreed any
		if s.AgreedKnown {
			agreed = yuan(s.Agreed)
		}
		if err := row(2, w("约定应付（元）", "Agreed price (CNY)"), agreed, x.money); err != nil {
			return err
		}
		if err := row(3, w("多扣金额（元）= 实际扣款 − 约定应付", "Overcharge (CNY) = charged − agreed"), nil, x.money); err != nil {
			return err
		}
		return formula("B3", "B1-B2", s.Overcharge)
	case evidence.DuplicateCharge:
		if err := row(1, w("每笔扣款（元）", "Each debit (CNY)"), yuan(s.Each), x.money); err != nil {
			return err
		}
		if err := row(2, w("扣款次数", "Number of debits"), int64(s.DebitCount), x.text); err != nil {
			return err
		}
		if err := row(3, w("重复扣款（元）= 每笔 ×（次数 − 1）", "Duplicate debit (CNY) = each × (debits − 1)"), nil, x.money); err != nil {
			return err
		}
		return formula("B3", "B1*(B2-1)", s.Duplicate)
	case evidence.SettlementShortfall:
		return x.settlementTable(name, s)
	}
	if err := row(1, w("争议金额（元）", "Amount in dispute (CNY)"), yuan(s.Charged), x.money); err != nil {
		return err
	}
	return nil
}

// settlementTable is the merchant's reconciliation day by day: sales − fee
// = due; due − credited = difference; totals as SUMs.
func (x *workbook) settlementTable(name string, s templates.Summary) error {
	f := x.f
	w := x.word
	head := []string{w("结算日", "Settlement day"), w("交易金额（元）", "Sales (CNY)"), w("手续费（元）", "Fees (CNY)"),
		w("应结算（元）= 交易 − 手续费", "Due (CNY) = sales − fees"), w("实际到账（元）", "Credited (CNY)"), w("差额（元）= 应结算 − 到账", "Difference (CNY) = due − credited")}
	for i, h := range head {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellValue(name, cell, h); err != nil {
			return err
		}
		if err := f.SetCellStyle(name, cell, cell, x.header); err != nil {
			return err
		}
	}
	put := func(cell string, v any, style int) error {
		if err := f.SetCellValue(name, cell, v); err != nil {
			return err
		}
		return f.SetCellStyle(name, cell, cell, style)
	}
	calc := func(cell, expr string, cached evidence.Money) error {
		if err := f.SetCellValue(name, cell, yuan(cached)); err != nil {
			return err
		}
		if err := f.SetCellFormula(name, cell, expr); err != nil {
			return err
		}
		return f.SetCellStyle(name, cell, cell, x.money)
	}
	r := 2
	for _, d := range s.Days {
		for _, c := range []struct {
			cell  string
			v     any
			style int
		}{
			{fmt.Sprintf("A%d", r), d.Day.In(evidence.Shanghai).Format("2006-01-02"), x.text},
			{fmt.Sprintf("B%d", r), yuan(d.Sales), x.money},
			{fmt.Sprintf("C%d", r), yuan(d.Fees), x.money},
			{fmt.Sprintf("E%d", r), yuan(d.Credited), x.money},
		} {
			if err := put(c.cell, c.v, c.style); err != nil {
				return err
			}
		}
		if err := calc(fmt.Sprintf("D%d", r), fmt.Sprintf("B%d-C%d", r, r), d.Due); err != nil {
			return err
		}
		if err := calc(fmt.Sprintf("F%d", r), fmt.Sprintf("D%d-E%d", r, r), d.Shortfall); err != nil {
			return err
		}
		r++
	}
	last := r - 1
	if err := put(fmt.Sprintf("A%d", r), w("合计", "Total"), x.bold); err != nil {
		return err
	}
	for _, c := range []struct {
		col    string
		cached evidence.Money
	}{{"B", s.Sales}, {"C", s.Fees}, {"D", s.Due}, {"E", s.Credited}, {"F", s.Due - s.Credited}} {
		expr := fmt.Sprintf("SUM(%s2:%s%d)", c.col, c.col, last)
		if last < 2 {
			expr = "0"
		}
		if err := calc(fmt.Sprintf("%s%d", c.col, r), expr, c.cached); err != nil {
			return err
		}
	}
	return nil
}
