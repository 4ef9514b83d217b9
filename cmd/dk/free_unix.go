//go:build unix

package main

import "golang.org/x/sys/unix"

// freeSpace is how many bytes an unprivileged user can still write on the
// file system holding dir; false when it cannot be told.
func freeSpace(dir string) (int64, bool) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, false
	}
	return int64(st.Bavail) * int64(st.Bsize), true
}
