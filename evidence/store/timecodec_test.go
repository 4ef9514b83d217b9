package store

import (
	"database/sql"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

func TestZoneText(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2024, 5, 1, 12, 0, 0, 0, evidence.Shanghai), "Asia/Shanghai"},
		{time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC), "UTC"},
		{time.Date(2024, 5, 1, 12, 0, 0, 0, time.Local), "Local"},
		{time.Date(2024, 7, 1, 12, 0, 0, 0, ny), "America/New_York"},
		{time.Date(2024, 5, 1, 12, 0, 0, 0, time.FixedZone("CST", 8*3600)), "=CST,28800"},
		{time.Date(2024, 5, 1, 12, 0, 0, 0, time.FixedZone("", -3*3600-1800)), "=,-12600"},
		// A fixed zone that borrowed an IANA name but not its rules stays fixed.
		{time.Date(2024, 7, 1, 12, 0, 0, 0, time.FixedZone("America/New_York", 0)), "=America/New_York,0"},
		{time.Date(2024, 7, 1, 12, 0, 0, 0, time.FixedZone("UTC", 3600)), "=UTC,3600"},
		{time.Date(2024, 7, 1, 12, 0, 0, 0, time.FixedZone("a,b", 60)), "=a,b,60"},
	} {
		assert.Equal(t, tc.want, zoneText(tc.t), tc.t.String())
		ns, tz := encTime(tc.t)
		back := decTime(sql.NullInt64{Int64: ns.(int64), Valid: true}, tz)
		assert.True(t, back.Equal(tc.t))
		_, off1 := tc.t.Zone()
		_, off2 := back.Zone()
		assert.Equal(t, off1, off2)
	}
	ns, tz := encTime(time.Time{})
	assert.Nil(t, ns)
	assert.True(t, decTime(sql.NullInt64{}, tz).IsZero())
	// A zone this machine does not know keeps the instant (in UTC).
	back := decTime(sql.NullInt64{Int64: 1e18, Valid: true}, "Mars/Olympus_Mons")
	assert.Equal(t, int64(1e18), back.UnixNano())
}

// FuzzTimeRoundTrip: any instant in range, in any fixed offset, comes back
// as the same instant and offset; zone texts from a damaged database never panic.
func FuzzTimeRoundTrip(f *testing.F) {
	f.Add(int64(1714536000123456789), 28800, "CST", "=CST,28800")
	f.Add(int64(0), -12600, "", "=x")
	f.Add(int64(-2208988800000000000), 0, "UTC", "=,,")
	f.Add(int64(1), 50400, "+14", "../../etc/localtime")
	f.Fuzz(func(t *testing.T, ns int64, off int, abbr, junk string) {
		off %= 18 * 3600
		tm := time.Unix(0, ns).In(time.FixedZone(abbr, off))
		n, tz := encTime(tm)
		back := decTime(sql.NullInt64{Int64: n.(int64), Valid: true}, tz)
		if !back.Equal(tm) {
			t.Fatalf("%v came back as %v", tm, back)
		}
		if _, o := back.Zone(); o != off {
			t.Fatalf("offset %d came back as %d", off, o)
		}
		decTime(sql.NullInt64{Int64: ns, Valid: true}, junk)
	})
}
