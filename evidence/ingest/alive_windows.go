//go:build windows

package ingest

import "os"

// processAlive reports whether process pid exists: on Windows, FindProcess
// opens the process and fails for one that is gone.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	_ = p.Release()
	return true
}
