package evidence

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // Asia/Shanghai must load on machines without a zone database (Windows, minimal containers)
)

// Shanghai is the zone statements and slips are written in unless they say otherwise.
var Shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}

// timeLayouts are the ways people and statements write a local time.
var timeLayouts = []string{
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006/01/02 15:04:05",
	"2006/1/2 15:04:05",
	"2006/01/02 15:04",
	"2006/1/2 15:04",
	"2006-01-02T15:04:05",
	"2006年01月02日 15:04:05",
	"2006年1月2日 15:04:05",
	"2006年1月2日 15:04",
	"20060102 150405",
	"20060102150405",
	"2006-01-02",
	"2006/01/02",
	"2006/1/2",
	"2006年1月2日",
	"20060102",
}

// ParseLocalTime reads a time as people and statements write it, in loc
// (Shanghai when loc is nil). RFC 3339 strings keep their own offset.
func ParseLocalTime(s string, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = Shanghai
	}
	s = strings.TrimSpace(strings.Trim(s, "\t\"'"))
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range timeLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q: not a date and time like 2006-01-02 15:04:05: %w", s, ErrInvalid)
}

// FormatLocal writes t in Shanghai time as "2006-01-02 15:04:05".
func FormatLocal(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Shanghai).Format("2006-01-02 15:04:05")
}
