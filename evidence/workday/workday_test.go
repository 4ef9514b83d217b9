package workday

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

func day(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, evidence.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAddWorkingDays(t *testing.T) {
	c := Default()
	cases := []struct {
		name, start string
		n           int
		want        string
	}{
		// Wed 2026-11-25 + 7 working days: Thu 26, Fri 27, Mon 30, Tue 1, Wed 2, Thu 3, Fri 4.
		{"over one weekend", "2026-11-25 10:00", 7, "2026-12-04"},
		// Fri: the weekend is skipped; Friday itself does not count.
		{"from a Friday", "2026-11-27 18:00", 1, "2026-11-30"},
		// 2026-09-30 Wed; 10-01..07 国庆 off; 10-10 Sat worked.
		// Working days after: 10-08 Thu(1), 10-09 Fri(2), 10-10 Sat 调休(3), 10-12 Mon(4), 10-13(5), 10-14(6), 10-15(7).
		{"over National Day and a make-up Saturday", "2026-09-30 09:00", 7, "2026-10-15"},
		// Spring Festival 2026: 02-15..23 off, 02-14 Sat and 02-28 Sat worked.
		// From Fri 02-13: 02-14 Sat 调休(1), 02-24 Tue(2), 25(3), 26(4), 27(5), 28 Sat 调休(6), 03-02 Mon(7).
		{"over Spring Festival", "2026-02-13 12:00", 7, "2026-03-02"},
		// 2025: 元旦 Wed 01-01 only. From Tue 2024-12-31 (an unknown year, but
		// the count runs only through 2025): 01-02(1) 01-03(2) 01-06(3).
		{"New Year's Day 2025", "2024-12-31 12:00", 2, "2025-01-03"},
		// 2025 国庆中秋 10-01..08, 09-28 Sun and 10-11 Sat worked. From Fri
		// 09-26: 09-28 Sun(1), 29(2), 30(3), 10-09 Thu(4), 10(5), 11 Sat(6), 13 Mon(7).
		{"2025 National Day", "2025-09-26 12:00", 7, "2025-10-13"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, complete := c.AddWorkingDays(day(tc.start), tc.n)
			assert.True(t, complete)
			assert.Equal(t, tc.want, got.Format("2006-01-02"))
			assert.Equal(t, "23:59:59", got.Format("15:04:05"))
		})
	}
}

func TestNewYear2026(t *testing.T) {
	c := Default()
	// 2025-12-31 Wed + 2: 01-01..03 off, 01-04 Sun worked(1), 01-05 Mon(2).
	got, _ := c.AddWorkingDays(day("2025-12-31 12:00"), 2)
	assert.Equal(t, "2026-01-05", got.Format("2006-01-02"))
	assert.True(t, c.Working(day("2026-01-04 09:00")), "Sunday 4 January 2026 is a make-up working day")
	assert.False(t, c.Working(day("2026-01-02 09:00")), "Friday 2 January 2026 is a holiday")
	assert.Equal(t, "元旦", c.Holiday(day("2026-01-02 09:00")))
}

func TestUnknownYearIsAnEstimate(t *testing.T) {
	c := Default()
	got, complete := c.AddWorkingDays(day("2027-01-29 12:00"), 7) // Fri
	assert.False(t, complete, "2027's holidays are not in the table")
	assert.Equal(t, "2027-02-09", got.Format("2006-01-02"), "weekends only")
}

func TestEmbeddedMakeUpDaysAreWeekends(t *testing.T) {
	// Parse refuses a make-up day on a weekday; Default parsed cn.json.
	c := Default()
	for _, y := range c.Years() {
		assert.NotEmpty(t, y.Source, "year %d has a source", y.Year)
		for _, w := range y.Workdays {
			d, _ := parseDay(w)
			assert.True(t, c.Working(d), w)
		}
	}
	assert.True(t, c.Known(2025) && c.Known(2026))
}

func TestUserFileReplacesAYear(t *testing.T) {
	path := t.TempDir() + "/" + FileName
	// A user who learns that 2026-12-01 is a (made-up) day off, and adds 2027.
	require.NoError(t, writeFile(path, `{"years":[
		{"year":2026,"source":"mine","holidays":[{"name":"test","from":"2026-12-01","to":"2026-12-01"}],"workdays":[]},
		{"year":2027,"source":"mine","holidays":[{"name":"元旦","from":"2027-01-01","to":"2027-01-01"}],"workdays":[]}]}`))
	c, err := Load(path)
	require.NoError(t, err)
	assert.False(t, c.Working(day("2026-12-01 09:00")))
	assert.True(t, c.Working(day("2026-10-05 09:00")), "the embedded 2026 was replaced, not merged")
	assert.True(t, c.FromUser(2027) && !c.FromUser(2025))
	_, complete := c.AddWorkingDays(day("2026-12-30 12:00"), 3)
	assert.True(t, complete)

	_, err = Load(t.TempDir() + "/none.json")
	assert.NoError(t, err, "no file: the embedded table")
}

func TestParseRefusesBadTables(t *testing.T) {
	for name, s := range map[string]string{
		"not json":        `{`,
		"no years":        `{"years":[]}`,
		"backwards range": `{"years":[{"year":2026,"holidays":[{"name":"x","from":"2026-02-10","to":"2026-02-01"}]}]}`,
		"other year":      `{"years":[{"year":2026,"holidays":[{"name":"x","from":"2025-02-10","to":"2025-02-11"}]}]}`,
		"weekday make-up": `{"years":[{"year":2026,"workdays":["2026-12-02"]}]}`,
		"not a date":      `{"years":[{"year":2026,"workdays":["2026/12/05"]}]}`,
	} {
		_, err := Parse([]byte(s))
		assert.ErrorIs(t, err, evidence.ErrInvalid, name)
	}
}

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o644) }
