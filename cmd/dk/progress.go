package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/disputekit/disputekit/evidence/bundle"
	"github.com/disputekit/disputekit/evidence/store"

	"github.com/rivo/uniseg"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress is the bar dk draws on stderr while long work runs (import,
// attach, bundles, backup, case file). It draws only when stderr is a
// terminal and the command was not asked for --json; otherwise every method
// does nothing, so commands call it unconditionally. A nil *progress is
// silent too.
//
// The bar itself is github.com/schollz/progressbar/v3: it sizes itself to
// the terminal, throttles redraws, shows rate and time left, and works in
// the Windows console; none of that is ours to maintain.
type progress struct {
	mu  sync.Mutex
	bar *progressbar.ProgressBar
	w   io.Writer // stderr
}

// progressUnit says what a bar counts.
type progressUnit int

const (
	countItems progressUnit = iota // files, rows: shown as a count
	countBytes                     // shown as MB, MB/s
)

// isTerminal reports whether w is a terminal (a console on Windows). Tests
// and pipes give plain writers or files that are not, so they stay silent.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressThrottle is the least time between two redraws.
var progressThrottle = 100 * time.Millisecond

// newProgress starts a bar titled what, counting up to total (total < 0:
// unknown, a spinner with the count so far). quiet is the command's --json.
func (c *cli) newProgress(what string, total int64, unit progressUnit, quiet bool) *progress {
	if quiet || !isTerminal(c.stderr) {
		return nil
	}
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(c.stderr),
		progressbar.OptionSetDescription(what),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(progressThrottle),
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionClearOnFinish(), // the command's own output follows on a clean line
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSpinnerType(14),
		// No redraw ticker for spinners: v3.19.1's ticker goroutine reads the
		// bar's state without its lock (go test -race) and outlives Exit; the
		// spinner then turns on each update instead.
		progressbar.OptionSetSpinnerChangeInterval(0),
	}
	if unit == countBytes {
		opts = append(opts, progressbar.OptionShowBytes(true))
	} else {
		opts = append(opts, progressbar.OptionShowCount())
	}
	return &progress{bar: progressbar.NewOptions64(total, opts...), w: c.stderr}
}

// set moves the bar to done.
func (p *progress) set(done int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.bar.Set64(done)
	p.mu.Unlock()
}

// add moves the bar on by n.
func (p *progress) add(n int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.bar.Add64(n)
	p.mu.Unlock()
}

// addMax raises the total by n (work found on the way, like the pictures
// among attached files).
func (p *progress) addMax(n int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.bar.AddMax64(n)
	p.mu.Unlock()
}

// clear wipes the bar from the line so a message can be printed; the next
// set or add draws it again.
func (p *progress) clear() {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.bar.Clear()
	p.mu.Unlock()
}

// done removes the bar for good (on success and on failure alike), so the
// command's own output starts on a clean line. It blanks what was drawn
// itself: the library's Clear skips spinners and, on Windows, only
// returns the cursor.
func (p *progress) done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if drawn := uniseg.StringWidth(strings.TrimLeft(p.bar.String(), "\r")); drawn > 0 {
		fmt.Fprint(p.w, "\r"+strings.Repeat(" ", drawn+1)+"\r")
	}
	p.bar.Exit() // no late update draws it again
}

// countingWriter counts the bytes that pass to the bar.
type countingWriter struct {
	w io.Writer
	p *progress
}

func (c countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.p.add(int64(n))
	return n, err
}

// countingReaderAt reports how many bytes were read so far: bundle verify
// reads a file about once, import about twice (verify first, then store),
// so their bars count against the size or twice the size.
type countingReaderAt struct {
	r    io.ReaderAt
	p    *progress
	mu   *sync.Mutex
	read *int64
}

func newCountingReaderAt(r io.ReaderAt, p *progress) countingReaderAt {
	return countingReaderAt{r: r, p: p, mu: new(sync.Mutex), read: new(int64)}
}

func (c countingReaderAt) ReadAt(b []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(b, off)
	c.mu.Lock()
	*c.read += int64(n)
	total := *c.read
	c.mu.Unlock()
	c.p.set(total)
	return n, err
}

// exportProgress is the store as bundle export sees it: it counts the
// bytes of evidence read from the vault (the bar's total is the size of
// the case's exhibits, see exportTotal).
type exportProgress struct {
	*store.Store
	bar *progress
}

func (e exportProgress) OpenBlob(sha string) (io.ReadCloser, error) {
	rc, err := e.Store.OpenBlob(sha)
	if err != nil || e.bar == nil {
		return rc, err
	}
	return countingReadCloser{rc, e.bar}, nil
}

// exportTotal is the size of the evidence a bundle export of caseID reads
// (-1, a bar of unknown length, when the list cannot be had).
func exportTotal(ctx context.Context, st *store.Store, caseID int64) int64 {
	xs, err := st.ListExhibits(ctx, caseID)
	if err != nil {
		return -1
	}
	var total int64
	for _, x := range xs {
		total += x.Size
	}
	if total == 0 {
		return -1
	}
	return total
}

type countingReadCloser struct {
	io.ReadCloser
	p *progress
}

func (c countingReadCloser) Read(b []byte) (int, error) {
	n, err := c.ReadCloser.Read(b)
	c.p.add(int64(n))
	return n, err
}

// caseFileProgress is the vault the case-file writer reads exhibits from:
// it counts them, and once Ctrl+C is pressed it refuses to open any more so
// the writer finishes quickly (its output is then thrown away, see ctxWriter).
type caseFileProgress struct {
	*store.Store
	ctx context.Context
	bar *progress
}

func (c caseFileProgress) OpenBlob(sha string) (io.ReadCloser, error) {
	if err := c.ctx.Err(); err != nil {
		return nil, err
	}
	c.bar.add(1)
	return c.Store.OpenBlob(sha)
}

// ctxWriter fails every write once ctx is done, so a writer that takes no
// context (the PDF writers) still ends in an error, and the atomic file it
// writes into is removed instead of renamed into place.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(b)
}

// openBundle opens a bundle file for verify or import (decrypting it when
// needed, like bundle.VerifyFile and bundle.ImportFile do), with a bar over
// passes readings of the file.
func openBundle(env *cli, what, path string, pass bundle.Passphrase, passes int64, quiet bool) (r io.ReaderAt, size int64, encrypted bool, closeFn func() error, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, false, nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("%s is not a regular file", path)
	}
	if err != nil {
		f.Close()
		return nil, 0, false, nil, err
	}
	bar := env.newProgress(what, passes*fi.Size(), countBytes, quiet)
	r, size, encrypted, err = bundle.Plain(newCountingReaderAt(ctxReaderAt{env.ctx, f}, bar), fi.Size(), pass)
	if err != nil {
		bar.done()
		f.Close()
		return nil, 0, encrypted, nil, err
	}
	return r, size, encrypted, func() error { bar.done(); return f.Close() }, nil
}

// ctxReaderAt fails reads once ctx is done: bundle verify takes no context,
// and this is how Ctrl+C reaches it.
type ctxReaderAt struct {
	ctx context.Context
	r   io.ReaderAt
}

func (c ctxReaderAt) ReadAt(b []byte, off int64) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.ReadAt(b, off)
}

// verifyBundle is bundle.VerifyFile with a progress bar.
func verifyBundle(env *cli, path string, pass bundle.Passphrase, quiet bool) (bundle.Report, error) {
	r, size, enc, closeFn, err := openBundle(env, "verify", path, pass, 1, quiet)
	if err != nil {
		return bundle.Report{Encrypted: enc}, fmt.Errorf("verify %s: %w", path, err)
	}
	defer closeFn()
	rep, err := bundle.Verify(r, size)
	rep.Encrypted = enc
	if err != nil {
		return rep, fmt.Errorf("verify %s: %w", path, err)
	}
	return rep, nil
}

// homeSize is about how many bytes a backup of home reads (the database and
// the vault): the total of the backup bar.
func homeSize(home string) int64 {
	var n int64
	filepath.WalkDir(home, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}
