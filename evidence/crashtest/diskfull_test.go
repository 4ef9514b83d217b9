package crashtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/atomicfile"
	"github.com/disputekit/disputekit/evidence/bundle"
	"github.com/disputekit/disputekit/evidence/store"
)

// fullAfter is a writer that fails with ENOSPC after n bytes, as a full
// disk does.
type fullAfter struct {
	w io.Writer
	n int64
}

func (f *fullAfter) Write(p []byte) (int, error) {
	if int64(len(p)) <= f.n {
		f.n -= int64(len(p))
		return f.w.Write(p)
	}
	k, _ := f.w.Write(p[:f.n])
	f.n = 0
	return k, &os.PathError{Op: "write", Path: "bundle", Err: syscall.ENOSPC}
}

// failingReader fails after n bytes, as a vanished USB stick does.
type failingReader struct {
	r io.Reader
	n int
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, syscall.EIO
	}
	if len(p) > f.n {
		p = p[:f.n]
	}
	k, err := f.r.Read(p)
	f.n -= k
	return k, err
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// smallCase makes a case with two exhibits and some transactions.
func smallCase(t *testing.T, st *store.Store) int64 {
	t.Helper()
	ctx := context.Background()
	c := evidence.Case{Title: "磁盘已满测试"}
	_, err := st.CreateCase(ctx, &c)
	require.NoError(t, err)
	for i := range 2 {
		_, err := st.Attach(ctx, c.ID, bytes.NewReader(randomBytes(20_000)), evidence.Exhibit{Kind: evidence.KindPhoto, OriginalName: fmt.Sprintf("p%d.jpg", i)})
		require.NoError(t, err)
	}
	_, _, err = st.AddTransactions(ctx, c.ID, []evidence.Transaction{{Time: time.Now(), Amount: 100, Source: "manual"}})
	require.NoError(t, err)
	return c.ID
}

func TestExportOntoAFullDiskLeavesNoFile(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(t.TempDir())
	require.NoError(t, err)
	defer st.Close()
	id := smallCase(t, st)
	var full bytes.Buffer
	_, err = bundle.Export(ctx, st, id, &full, bundle.Options{})
	require.NoError(t, err)

	dir := t.TempDir()
	path := filepath.Join(dir, "case.zip")
	for _, n := range []int64{0, 1, 100, 4096, int64(full.Len()) / 2, int64(full.Len()) - 1} {
		err := atomicfile.Write(path, atomicfile.Private, func(w io.Writer) error {
			_, err := bundle.Export(ctx, st, id, &fullAfter{w: w, n: n}, bundle.Options{})
			return err
		})
		require.Error(t, err, "failing after %d bytes", n)
		assert.True(t, errors.Is(err, syscall.ENOSPC), "%v", err)
		assert.Empty(t, dirNames(t, dir), "failing after %d bytes left a file", n)
	}
	err = atomicfile.Write(path, atomicfile.Private, func(w io.Writer) error {
		_, err := bundle.Export(ctx, st, id, &fullAfter{w: w, n: int64(full.Len())}, bundle.Options{})
		return err
	})
	require.NoError(t, err, "exactly enough room")
	assert.Equal(t, []string{"case.zip"}, dirNames(t, dir))
}

func TestAttachFromAFailingSourceChangesNothing(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	st, err := store.Open(home)
	require.NoError(t, err)
	defer st.Close()
	id := smallCase(t, st)
	before, err := st.Dossier(ctx, id)
	require.NoError(t, err)
	for _, n := range []int{0, 1, 70_000} {
		_, err := st.Attach(ctx, id, &failingReader{r: bytes.NewReader(randomBytes(100_000)), n: n}, evidence.Exhibit{Kind: evidence.KindPhoto, OriginalName: "x.jpg"})
		require.ErrorIs(t, err, syscall.EIO)
		after, err := st.Dossier(ctx, id)
		require.NoError(t, err)
		require.Equal(t, before, after)
		assert.Empty(t, dirNames(t, filepath.Join(home, "vault", "tmp")), "temp file left")
	}
	require.NoError(t, st.IntegrityCheck(ctx))
}

// mountTiny mounts a tmpfs of size bytes, or skips when this machine does
// not allow it (not root, no mount namespace).
func mountTiny(t *testing.T, size int) string {
	t.Helper()
	if os.Getuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := t.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", dir).CombinedOutput()
	if err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	return dir
}

// fill writes a file until the disk is full and returns its path.
func fill(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "filler")
	f, err := os.Create(p)
	require.NoError(t, err)
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			require.ErrorIs(t, err, syscall.ENOSPC)
			return p
		}
	}
}

func TestTinyDisk(t *testing.T) {
	ctx := context.Background()
	disk := mountTiny(t, 2<<20)
	home := filepath.Join(disk, "home")
	st, err := store.Open(home)
	require.NoError(t, err)
	defer func() { st.Close() }() // st is reopened below
	id := smallCase(t, st)
	before, err := st.Dossier(ctx, id)
	require.NoError(t, err)
	unchanged := func(what string) {
		t.Helper()
		after, err := st.Dossier(ctx, id)
		require.NoError(t, err, what)
		require.Equal(t, before, after, what)
		require.Empty(t, dirNames(t, filepath.Join(home, "vault", "tmp")), "%s: temp file left", what)
	}

	// A file larger than the disk.
	_, err = st.Attach(ctx, id, bytes.NewReader(randomBytes(3<<20)), evidence.Exhibit{Kind: evidence.KindRecording, OriginalName: "call.m4a"})
	require.ErrorIs(t, err, syscall.ENOSPC)
	unchanged("attach larger than the disk")

	// Now a disk with no room at all.
	filler := fill(t, disk)
	_, err = st.Attach(ctx, id, bytes.NewReader(randomBytes(10_000)), evidence.Exhibit{Kind: evidence.KindPhoto, OriginalName: "p.jpg"})
	require.Error(t, err)
	unchanged("attach onto a full disk")

	ts := make([]evidence.Transaction, 2000)
	for i := range ts {
		ts[i] = evidence.Transaction{Time: time.Now(), Amount: evidence.Money(i + 1), Source: "alipay", DedupeKey: fmt.Sprint("full-", i),
			Description: "很长的描述，让这一批交易写满数据库页面。很长的描述，让这一批交易写满数据库页面。"}
	}
	_, _, err = st.AddTransactions(ctx, id, ts)
	if err != nil {
		unchanged("transactions onto a full disk")
	} else {
		// SQLite found room in pages it already had: then all of it is there.
		got, err := st.ListTransactions(ctx, id)
		require.NoError(t, err)
		require.Len(t, got, len(before.Transactions)+len(ts))
		t.Log("the transaction batch fitted into free database pages")
	}

	// Importing a bundle (from a roomy disk) onto the full one.
	other, err := store.Open(t.TempDir())
	require.NoError(t, err)
	defer other.Close()
	var bb bytes.Buffer
	_, err = bundle.Export(ctx, other, smallCase(t, other), &bb, bundle.Options{})
	require.NoError(t, err)
	casesBefore, err := st.ListCases(ctx)
	require.NoError(t, err)
	_, err = bundle.Import(ctx, st, bytes.NewReader(bb.Bytes()), int64(bb.Len()))
	require.ErrorIs(t, err, syscall.ENOSPC)
	casesAfter, err := st.ListCases(ctx)
	require.NoError(t, err)
	require.Equal(t, casesBefore, casesAfter)
	unchanged("bundle import onto a full disk")

	out := filepath.Join(disk, "case.zip")
	_, err = bundle.ExportFile(ctx, st, id, out, bundle.Options{}, "")
	require.ErrorIs(t, err, syscall.ENOSPC)
	_, err = os.Stat(out)
	require.True(t, os.IsNotExist(err), "no partial export")
	err = atomicfile.Write(filepath.Join(disk, "backup.zip"), atomicfile.Private, func(w io.Writer) error { return st.Backup(ctx, w) })
	require.Error(t, err)
	assert.Equal(t, []string{"filler", "home"}, dirNames(t, disk), "no partial files")

	// Room again: everything works and nothing was damaged.
	require.NoError(t, os.Remove(filler))
	require.NoError(t, st.IntegrityCheck(ctx))
	_, err = st.Attach(ctx, id, bytes.NewReader(randomBytes(10_000)), evidence.Exhibit{Kind: evidence.KindPhoto, OriginalName: "p2.jpg"})
	require.NoError(t, err)
	_, err = bundle.ExportFile(ctx, st, id, out, bundle.Options{}, "")
	require.NoError(t, err)
	require.NoError(t, st.Close())
	st, err = store.Open(home)
	require.NoError(t, err)
	require.NoError(t, st.IntegrityCheck(ctx))
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	names := []string{}
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}
