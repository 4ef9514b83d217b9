//go:build !unix && !windows

package store

import (
	"fmt"
	"os"
)

// lockFile on platforms without file locks (wasm, plan9) only creates the
// file: DisputeKit does not run there, but the package still builds.
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	return f, nil
}
