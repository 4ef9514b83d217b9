// Package evidence owns the domain of a DisputeKit case: the case itself, its
// parties and claims, the transactions in dispute, the exhibits (stored files),
// call logs and timeline events, money in integer fen, card-number masking and
// the validation rules every face of the program (GUI, CLI, importers) shares.
//
// Nothing here touches storage, files or the UI; the store, importers, checks,
// bundle and report packages below evidence/ build on these types.
package evidence

import "errors"

// Domain errors, checked with errors.Is by every caller.
var (
	// ErrNotFound means the case or record asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid wraps a validation failure that refuses a value.
	ErrInvalid = errors.New("invalid")
)

// ErrDuplicate means the thing being added is already there (the same file
// attached twice, say); callers usually treat it as a notice, not a failure.
var ErrDuplicate = errors.New("already present")
