//go:build unix

package atomicfile

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// A writer killed mid-write leaves ".NAME.part-…" behind; the next Write
// into the directory removes it, but never a part another writer is still
// writing, nor a file that only looks alike.
func TestWriteRemovesPartsOfKilledWriters(t *testing.T) {
	dir := t.TempDir()
	dead := filepath.Join(dir, ".case-1.zip.part-0123456789ab")
	other := filepath.Join(dir, ".backup-20261128.zip.part-abcdef012345")
	live := filepath.Join(dir, ".case-2.zip.part-ffffffffffff")
	alike := []string{filepath.Join(dir, ".notes.part-1"), filepath.Join(dir, "case.zip.part-0123456789ab"), filepath.Join(dir, ".x.part-0123456789zz")}
	for _, p := range append([]string{dead, other, live}, alike...) {
		if err := os.WriteFile(p, []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.OpenFile(live, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lockPart(f) // a writer still at work

	if err := Write(filepath.Join(dir, "case-3.zip"), Private, func(w io.Writer) error { _, err := io.WriteString(w, "zip"); return err }); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{dead, other} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s left behind (%v)", filepath.Base(p), err)
		}
	}
	for _, p := range append([]string{live, filepath.Join(dir, "case-3.zip")}, alike...) {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s removed: %v", filepath.Base(p), err)
		}
	}
}
