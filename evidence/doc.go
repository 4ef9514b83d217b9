// Package evidence owns the domain of a DisputeKit case: the case itself, its
// parties and claims, the transactions in dispute, the exhibits (stored files),
// call logs and timeline events, money in integer fen, card-number masking and
// the validation rules every face of the program (GUI, CLI, importers) shares.
//
// Nothing here touches storage or the UI (CheckRegularFile only looks at a
// path before a caller opens it); the store, importers, checks,
// bundle and report packages below evidence/ build on these types.
package evidence

import (
	"errors"
	"fmt"
	"os"
)

// Domain errors, checked with errors.Is by every caller.
var (
	// ErrNotFound means the case or record asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid wraps a validation failure that refuses a value.
	ErrInvalid = errors.New("invalid")
)

// ErrNotAFile means a path given as a file to read is a folder, a device or
// a pipe: refused before it is opened, because opening a pipe waits for a
// writer that may never come.
var ErrNotAFile = errors.New("not a regular file")

// CheckRegularFile returns an error wrapping ErrNotAFile when path exists
// and is not a regular file. Call it before os.Open on a path the user gave.
func CheckRegularFile(path string) error {
	fi, err := os.Stat(path)
	if err == nil && !fi.Mode().IsRegular() {
		what := "a special file"
		switch {
		case fi.IsDir():
			what = "a folder"
		case fi.Mode()&os.ModeNamedPipe != 0:
			what = "a pipe"
		case fi.Mode()&os.ModeDevice != 0:
			what = "a device"
		case fi.Mode()&os.ModeSocket != 0:
			what = "a socket"
		}
		return fmt.Errorf("%s is %s, not a file: %w", path, what, ErrNotAFile)
	}
	return nil
}

// ErrDuplicate means the thing being added is already there (the same file
// attached twice, say); callers usually treat it as a notice, not a failure.
var ErrDuplicate = errors.New("already present")
