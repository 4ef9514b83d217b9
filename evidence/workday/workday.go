// Package workday owns the working-day calendar that reply deadlines are
// counted in: Saturdays and Sundays off, the public holidays and make-up
// working days (调休) of the State Council's yearly notices as data — an
// embedded table for the years known when this was built (cn.json, each
// year with its source), which the user can extend or correct with a file
// of their own in the same format.
package workday

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/disputekit/disputekit/evidence"
)

//go:embed cn.json
var defaultJSON []byte

// FileName is the name of the user's holiday file in a DisputeKit home.
const FileName = "holidays.json"

// Range is a run of days off, both ends included.
type Range struct {
	Name string `json:"name"`
	From string `json:"from"` // 2006-01-02
	To   string `json:"to"`
}

// Year is one year's holidays and make-up working days, with its source.
type Year struct {
	Year     int      `json:"year"`
	Source   string   `json:"source"`
	Holidays []Range  `json:"holidays"`
	Workdays []string `json:"workdays"` // weekend days that are worked (调休上班)
}

// Table is the file format: the years it covers.
type Table struct {
	Comment string `json:"_comment,omitempty"`
	Years   []Year `json:"years"`
}

// Calendar says which days are working days. The zero value knows no
// holidays (weekends only); Default knows the embedded years.
type Calendar struct {
	years    map[int]Year
	off      map[date]string // holiday name
	worked   map[date]bool
	fromUser map[int]bool
}

type date struct {
	y int
	m time.Month
	d int
}

func dayOf(t time.Time) date {
	y, m, d := t.In(evidence.Shanghai).Date()
	return date{y, m, d}
}

// Default is the calendar of the embedded table.
func Default() *Calendar {
	c := &Calendar{}
	t, err := Parse(defaultJSON)
	if err != nil {
		panic(fmt.Sprintf("workday: cn.json: %v", err)) // embedded data: a broken build, caught by every test
	}
	c.add(t, false)
	return c
}

// Load is Default extended by the user's file at path, whose years replace
// the embedded ones; a missing file is no error.
func Load(path string) (*Calendar, error) {
	c := Default()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read holidays %s: %w", path, err)
	}
	t, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("read holidays %s: %w", path, err)
	}
	c.add(t, true)
	return c, nil
}

// Parse reads and checks a holiday table: dates are 2006-01-02, a range
// runs forwards within its year, a make-up working day falls on a weekend.
func Parse(b []byte) (Table, error) {
	var t Table
	if err := json.Unmarshal(b, &t); err != nil {
		return Table{}, fmt.Errorf("holiday table: %v: %w", err, evidence.ErrInvalid)
	}
	if len(t.Years) == 0 {
		return Table{}, fmt.Errorf("holiday table: no years: %w", evidence.ErrInvalid)
	}
	for _, y := range t.Years {
		if y.Year < 1900 || y.Year > 2200 {
			return Table{}, fmt.Errorf("holiday table: year %d: %w", y.Year, evidence.ErrInvalid)
		}
		for _, r := range y.Holidays {
			from, err1 := parseDay(r.From)
			to, err2 := parseDay(r.To)
			if err1 != nil || err2 != nil || to.Before(from) || from.Year() != y.Year || to.Sub(from) > 31*24*time.Hour {
				return Table{}, fmt.Errorf("holiday table: %d %s: %q to %q is not a range of days in that year: %w", y.Year, r.Name, r.From, r.To, evidence.ErrInvalid)
			}
		}
		for _, w := range y.Workdays {
			d, err := parseDay(w)
			if err != nil || d.Year() != y.Year {
				return Table{}, fmt.Errorf("holiday table: %d: working day %q is not a date in that year: %w", y.Year, w, evidence.ErrInvalid)
			}
			if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
				return Table{}, fmt.Errorf("holiday table: %d: make-up working day %s is a %s, not a weekend day: %w", y.Year, w, wd, evidence.ErrInvalid)
			}
		}
	}
	return t, nil
}

func parseDay(s string) (time.Time, error) {
	return time.ParseInLocation("2006-01-02", s, evidence.Shanghai)
}

func (c *Calendar) add(t Table, fromUser bool) {
	if c.years == nil {
		c.years, c.off, c.worked, c.fromUser = map[int]Year{}, map[date]string{}, map[date]bool{}, map[int]bool{}
	}
	for _, y := range t.Years {
		if _, ok := c.years[y.Year]; ok { // replace that year: forget its days
			for d := range c.off {
				if d.y == y.Year {
					delete(c.off, d)
				}
			}
			for d := range c.worked {
				if d.y == y.Year {
					delete(c.worked, d)
				}
			}
		}
		c.years[y.Year] = y
		c.fromUser[y.Year] = fromUser
		for _, r := range y.Holidays {
			from, _ := parseDay(r.From)
			to, _ := parseDay(r.To)
			for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
				c.off[dayOf(d)] = r.Name
			}
		}
		for _, w := range y.Workdays {
			d, _ := parseDay(w)
			c.worked[dayOf(d)] = true
		}
	}
}

// Known reports whether the calendar has the holidays of year.
func (c *Calendar) Known(year int) bool {
	_, ok := c.years[year]
	return ok
}

// Years lists the years the calendar knows, in order, and whether each
// came from the user's file.
func (c *Calendar) Years() []Year {
	var ys []Year
	for _, y := range c.years {
		ys = append(ys, y)
	}
	sort.Slice(ys, func(i, j int) bool { return ys[i].Year < ys[j].Year })
	return ys
}

// FromUser reports whether year's holidays came from the user's file.
func (c *Calendar) FromUser(year int) bool { return c.fromUser[year] }

// Working reports whether t's day (in Shanghai) is a working day.
func (c *Calendar) Working(t time.Time) bool {
	d := dayOf(t)
	if c.worked[d] {
		return true
	}
	if _, off := c.off[d]; off {
		return false
	}
	wd := t.In(evidence.Shanghai).Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Holiday is the name of the public holiday on t's day, or "".
func (c *Calendar) Holiday(t time.Time) string { return c.off[dayOf(t)] }

// AddWorkingDays is the n-th working day after start's day (the start
// day itself is not counted: "自收到投诉之日起七个工作日内" runs from the
// next day), at the end of that day in Shanghai. complete is false when
// the count passed through a year the calendar does not know, whose
// holidays it could not skip: the date is then only an estimate.
func (c *Calendar) AddWorkingDays(start time.Time, n int) (due time.Time, complete bool) {
	complete = true
	d := start.In(evidence.Shanghai)
	for left := n; left > 0; {
		d = d.AddDate(0, 0, 1)
		if !c.Known(d.Year()) {
			complete = false
		}
		if c.Working(d) {
			left--
		}
	}
	return EndOfDay(d), complete
}

// AddDays is the date n calendar days after start's day (自然日), at the
// end of that day in Shanghai.
func AddDays(start time.Time, n int) time.Time {
	return EndOfDay(start.In(evidence.Shanghai).AddDate(0, 0, n))
}

// EndOfDay is the last second of t's day in Shanghai.
func EndOfDay(t time.Time) time.Time {
	y, m, d := t.In(evidence.Shanghai).Date()
	return time.Date(y, m, d, 23, 59, 59, 0, evidence.Shanghai)
}
