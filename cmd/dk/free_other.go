//go:build !unix

package main

// freeSpace cannot tell here; the disk-full message then names no figure.
func freeSpace(string) (int64, bool) { return 0, false }
