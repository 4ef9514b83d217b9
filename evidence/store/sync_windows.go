//go:build windows

package store

// syncDir is a no-op on Windows: directories cannot be opened for syncing
// there, and NTFS journals the rename itself.
func syncDir(dir string) error { return nil }
