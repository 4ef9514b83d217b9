package evidence

import "fmt"

// The limits of one case. They are enforced where data comes in (attaching a
// file, importing a statement or a bundle) and are the very numbers the
// bundle reader accepts, so that whatever a case can hold exports to a bundle
// that imports again. Nothing else in the program may state its own copy.
const (
	// MaxExhibitSize is the largest file a case keeps: 4 GiB.
	MaxExhibitSize int64 = 4 << 30
	// MaxCaseFilesSize is the most all of a case's files may add up to: 16 GiB.
	MaxCaseFilesSize int64 = 16 << 30
	// MaxExhibits is the most files one case holds.
	MaxExhibits = 10_000
)

// ErrTooLarge wraps a refusal because a limit above would be passed. It
// wraps ErrInvalid too.
var ErrTooLarge = fmt.Errorf("too large: %w", ErrInvalid)

// SizeText writes a byte count the way a user reads it: "4 GiB", "5.1 GiB",
// "730 MiB", "12 KiB", "100 bytes".
func SizeText(n int64) string {
	const (
		kib = 1 << 10
		mib = 1 << 20
		gib = 1 << 30
	)
	unit := func(u int64, name string) string {
		if n%u == 0 {
			return fmt.Sprintf("%d %s", n/u, name)
		}
		return fmt.Sprintf("%.1f %s", float64(n)/float64(u), name)
	}
	switch {
	case n >= gib:
		return unit(gib, "GiB")
	case n >= mib:
		return unit(mib, "MiB")
	case n >= kib:
		return unit(kib, "KiB")
	}
	return fmt.Sprintf("%d bytes", n)
}
