package store

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/disputekit/disputekit/evidence"
)

// Times are stored as unix nanoseconds plus a zone text, so that a time read
// back is the same instant in the same zone:
//
//	"UTC", "Local"          the Go zones of those names
//	"Asia/Shanghai"         an IANA zone, loaded by name
//	"=CST,28800"            a fixed zone: abbreviation and offset in seconds
//
// A zero time is a NULL *_ns column (and an empty zone).

var zoneCache sync.Map // zone text → *time.Location

func zoneText(t time.Time) string {
	loc := t.Location()
	switch name := loc.String(); {
	case loc == time.UTC:
		return "UTC"
	case loc == time.Local:
		return "Local"
	case name == "", name == "UTC", name == "Local", strings.HasPrefix(name, "="):
		// a fixed zone named like one of ours: stored as fixed below
	default:
		if name == evidence.Shanghai.String() && loc == evidence.Shanghai {
			return name
		}
		if l, err := loadZone(name); err == nil && sameOffset(t, l) {
			return name
		}
	}
	abbr, off := t.Zone()
	return "=" + abbr + "," + strconv.Itoa(off)
}

// sameOffset guards against a fixed zone that happens to carry an IANA-like
// name but not its rules.
func sameOffset(t time.Time, l *time.Location) bool {
	_, a := t.Zone()
	_, b := t.In(l).Zone()
	return a == b
}

func loadZone(text string) (*time.Location, error) {
	if l, ok := zoneCache.Load(text); ok {
		return l.(*time.Location), nil
	}
	var l *time.Location
	switch {
	case text == "UTC":
		l = time.UTC
	case text == "Local":
		l = time.Local
	case text == evidence.Shanghai.String():
		l = evidence.Shanghai
	case strings.HasPrefix(text, "="):
		i := strings.LastIndexByte(text, ',')
		if i < 0 {
			return nil, fmt.Errorf("zone %q: no offset", text)
		}
		abbr, off := text[1:i], text[i+1:]
		n, err := strconv.Atoi(off)
		if err != nil {
			return nil, err
		}
		l = time.FixedZone(abbr, n)
	default:
		var err error
		if l, err = time.LoadLocation(text); err != nil {
			return nil, err
		}
	}
	zoneCache.Store(text, l)
	return l, nil
}

// encTime returns the two column values for t: nanoseconds (nil when zero) and zone.
func encTime(t time.Time) (any, string) {
	if t.IsZero() {
		return nil, ""
	}
	return t.UnixNano(), zoneText(t)
}

// decTime rebuilds a time from its columns. An unknown zone (a zone database
// without it) falls back to UTC; the instant is never lost.
func decTime(ns sql.NullInt64, tz string) time.Time {
	if !ns.Valid {
		return time.Time{}
	}
	t := time.Unix(0, ns.Int64)
	l, err := loadZone(tz)
	if err != nil {
		l = time.UTC
	}
	return t.In(l)
}

// now is the store's clock, stamped on created/updated/imported/audit times.
// Tests may replace it.
var now = func() time.Time { return time.Now().Round(0) }

// Times the store can hold: unix nanoseconds reach from 1678 to 2262; a
// date outside 1900–2200 is a typo (a year 20024, say), refused before it
// would wrap around silently.
var (
	minTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// checkTimes refuses out-of-range times; zero times (none given) pass.
func checkTimes(fields ...any) error {
	for i := 0; i+1 < len(fields); i += 2 {
		name, t := fields[i].(string), fields[i+1].(time.Time)
		if !t.IsZero() && (t.Before(minTime) || !t.Before(maxTime)) {
			return fmt.Errorf("%s: %s is not a date between 1900 and 2200: %w", name, t.Format("2006-01-02"), evidence.ErrInvalid)
		}
	}
	return nil
}
