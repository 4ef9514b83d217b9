//go:build !unix

package atomicfile

import "os"

// lockPart does nothing: where there is no flock (Windows), a file being
// written is open without delete sharing, so removing it fails while its
// writer lives.
func lockPart(*os.File) {}

// abandoned lets removeAbandoned try: the removal itself fails for a file
// still open in its writer.
func abandoned(string) bool { return true }
