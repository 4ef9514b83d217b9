// Package atomicfile owns writing a file so that it appears complete or not
// at all: letters, case files, bundles and backups the user saves, from the
// desktop app and the dk command line alike.
//
// The file is written to a temporary file in the target's directory (so the
// rename never crosses file systems), flushed to disk, renamed over the
// target, and the directory is synced so the rename survives a power cut.
// On any failure the temporary file is removed and the target is left as it
// was. A process killed while writing cannot remove its temporary file
// (".NAME.part-XXXXXXXXXXXX"); the writer holds a lock on it, so the next
// Write into the same directory removes every such file whose writer is
// gone.
package atomicfile

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Document is the mode of a file the user reads and sends on (a letter, a
// case file): readable by others like any document they save.
const Document os.FileMode = 0o644

// Private is the mode of a file that holds a whole case or store (a bundle,
// a backup): readable by its owner only.
const Private os.FileMode = 0o600

// Write creates or replaces path with what write writes, with mode perm.
func Write(path string, perm os.FileMode, write func(w io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	var rnd [6]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	removeAbandoned(dir)
	tmp := filepath.Join(dir, "."+filepath.Base(path)+partInfix+hex.EncodeToString(rnd[:]))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	lockPart(f) // released by the kernel when this process ends, however it ends
	defer func() {
		if err != nil {
			f.Close()
			err = errors.Join(fmt.Errorf("write %s: %w", path, err), removeIfExists(tmp))
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20) // few, large writes
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

const partInfix = ".part-"

// isPartName reports whether name is a temporary file of Write:
// "." + target + ".part-" + 12 hex digits.
func isPartName(name string) bool {
	i := strings.LastIndex(name, partInfix)
	if len(name) < 2 || name[0] != '.' || i < 1 || len(name)-i-len(partInfix) != 12 {
		return false
	}
	_, err := hex.DecodeString(name[i+len(partInfix):])
	return err == nil
}

// removeAbandoned removes the temporary files in dir left by writers that
// were killed: those no live process holds locked. Errors are ignored;
// the files are harmless, only untidy.
func removeAbandoned(dir string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if e.Type().IsRegular() && isPartName(e.Name()) {
			p := filepath.Join(dir, e.Name())
			if abandoned(p) {
				os.Remove(p)
			}
		}
	}
}

func removeIfExists(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// syncDir makes the rename durable where directories can be synced; Windows
// cannot open a directory for syncing and makes renames durable itself.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
