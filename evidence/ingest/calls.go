package ingest

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/disputekit/disputekit/evidence"
)

type callField int

const (
	callNone callField = iota
	callDateTime
	callDate
	callClock
	callDuration
	callNumber
	callDirection
	callName
	callOwn
	callOrg
	callNote
)

// callNames maps call-log headers (phone exports and hand-made sheets) to fields.
var callNames = map[string]callField{
	"日期": callDate, "通话日期": callDate, "date": callDate,
	"时间": callClock, "通话时间": callDateTime, "开始时间": callDateTime, "time": callClock,
	"起始时间": callDateTime, "呼叫时间": callDateTime, "datetime": callDateTime,
	"时长": callDuration, "通话时长": callDuration, "duration": callDuration, "持续时间": callDuration,
	"号码": callNumber, "电话": callNumber, "电话号码": callNumber, "对方号码": callNumber, "number": callNumber,
	"phone": callNumber, "联系电话": callNumber,
	"类型": callDirection, "呼叫类型": callDirection, "通话类型": callDirection, "方向": callDirection,
	"direction": callDirection, "type": callDirection,
	"姓名": callName, "联系人": callName, "名称": callName, "name": callName, "contact": callName,
	"本机号码": callOwn, "own": callOwn,
	"机构": callOrg, "单位": callOrg, "organisation": callOrg, "organization": callOrg,
	"备注": callNote, "摘要": callNote, "summary": callNote, "note": callNote,
}

// ParseCalls reads a call log CSV or XLSX: date, time, duration, number,
// direction and name columns, in any order and under the usual Chinese or
// English names.
func ParseCalls(r io.Reader, name string) (*Result, error) {
	res, err := Parse(r, Options{Format: FormatCalls, Name: name})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func readCalls(src rowSource, header []string, res *Result) error {
	col := map[callField]int{}
	for i, h := range header {
		if f := callNames[normHeader(h)]; f != callNone {
			if _, dup := col[f]; !dup {
				col[f] = i
			}
		} else if h != "" {
			res.Report.warn(res.Report.HeaderLine, "未识别的列 %q，未导入", "column %q is not known and not used", h)
		}
	}
	get := func(cells []string, f callField) string {
		if i, ok := col[f]; ok && i < len(cells) {
			return cells[i]
		}
		return ""
	}
	for {
		cells, line, ok, err := src.next()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		if blankRow(cells) || footerRow(cells) {
			continue
		}
		res.Report.Rows++
		c, err := callRow(get, cells)
		if err != nil {
			var re rowError
			if errors.As(err, &re) {
				res.Report.skip(line, re)
				continue
			}
			return err
		}
		res.Calls = append(res.Calls, c)
	}
}

func callRow(get func([]string, callField) string, cells []string) (evidence.CallLog, error) {
	var c evidence.CallLog
	dt := get(cells, callDateTime)
	d, clock := get(cells, callDate), get(cells, callClock)
	switch {
	case dt != "" && looksLikeClock(dt) && d != "":
		clock = dt
	case dt != "":
		d, clock = dt, ""
	}
	if d == "" && clock != "" {
		d, clock = clock, "" // a lone time column holding date and time
	}
	if d == "" {
		return c, skipf("没有日期", "no date")
	}
	start, err := evidence.ParseLocalTime(d, evidence.Shanghai)
	if err != nil {
		return c, skipf("日期 %q 无法识别", "date %q is not a date", d)
	}
	if clock != "" {
		if t, err := evidence.ParseLocalTime(clock, evidence.Shanghai); err == nil && t.Year() > 1 {
			start = t // the time column holds a full date and time
		} else {
			h, m, s, ok := parseClock(clock)
			if !ok {
				return c, skipf("时间 %q 无法识别", "time %q is not a time", clock)
			}
			start = time.Date(start.Year(), start.Month(), start.Day(), h, m, s, 0, start.Location())
		}
	}
	c.Start = start
	if s := get(cells, callDuration); s != "" {
		dur, err := parseCallDuration(s)
		if err != nil {
			return c, skipf("通话时长 %q 无法识别（%v）", "duration %q: %v", s, err)
		}
		c.Duration = dur
	}
	c.Number = get(cells, callNumber)
	c.Contact = get(cells, callName)
	c.OwnNumber = get(cells, callOwn)
	c.Organisation = get(cells, callOrg)
	c.Summary = get(cells, callNote)
	switch dir := strings.ToLower(get(cells, callDirection)); {
	case dir == "" || strings.Contains(dir, "出") || strings.Contains(dir, "拨") || strings.Contains(dir, "out"):
		c.Direction = evidence.CallOutgoing
	case strings.Contains(dir, "入") || strings.Contains(dir, "接") || strings.Contains(dir, "in") || strings.Contains(dir, "来电"):
		c.Direction = evidence.CallIncoming
	default:
		return c, skipf("呼叫类型 %q 既不是呼出也不是呼入", "direction %q is neither outgoing (呼出) nor incoming (呼入)", dir)
	}
	return c, nil
}

// parseCallDuration reads "3分12秒", "1小时2分", "00:03:12", "3:12", "192"
// (seconds), "192秒", "3m12s".
func parseCallDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, nil
	}
	if strings.Contains(s, ":") {
		parts := strings.Split(s, ":")
		if len(parts) > 3 {
			return 0, errors.New("not a duration")
		}
		total := 0
		for _, p := range parts {
			n, err := strconv.Atoi(p)
			if err != nil || n < 0 {
				return 0, errors.New("not a duration")
			}
			total = total*60 + n
		}
		return time.Duration(total) * time.Second, nil
	}
	r := strings.NewReplacer("小时", "h", "时", "h", "分钟", "m", "分", "m", "秒", "s")
	if d, err := time.ParseDuration(r.Replace(strings.ReplaceAll(s, " ", ""))); err == nil && d >= 0 {
		return d, nil
	}
	return 0, fmt.Errorf("not a duration like 3分12秒 or 00:03:12")
}
