package picture

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
)

// DerivedStore keeps derived images beside the pictures they were made
// from (*store.Store has it).
type DerivedStore interface {
	PutBlob(r io.Reader) (sha string, size int64, err error)
	SetDerived(ctx context.Context, origSHA, kind, derivedSHA string) error
}

// Picture is one stored picture whose derived images are to be made.
type Picture struct {
	SHA256 string                        // of the original, as stored
	Name   string                        // shown in progress and errors
	Open   func() (io.ReadCloser, error) // the original's bytes
}

// Progress is told, after each picture, how many of the pictures handed
// to an Intake so far are done, and what went wrong with this one (nil
// when its images were stored). It is called from the Intake's workers,
// one call at a time: a GUI hands it on to its event goroutine.
type Progress func(done, total int, name string, err error)

// StoreDerived makes and stores the derived images (every Kind) of one
// picture and links them to it, so lists and PDF exports never decode the
// original again.
func StoreDerived(ctx context.Context, st DerivedStore, p Picture) error {
	rc, err := p.Open()
	if err != nil {
		return err
	}
	d, err := Derive(rc)
	rc.Close()
	if err != nil {
		return err
	}
	for _, k := range Kinds {
		if err := ctx.Err(); err != nil {
			return err
		}
		dsha, _, err := st.PutBlob(bytes.NewReader(d.Bytes(k)))
		if err != nil {
			return err
		}
		if err := st.SetDerived(ctx, p.SHA256, k.Name, dsha); err != nil {
			return err
		}
	}
	return nil
}

// Intake makes the derived images of pictures as they are attached, on a
// pool of workers as large as the CPUs allow, off the caller's goroutine.
// Add queues a picture and returns at once unless every worker is busy and
// the queue is full, so at most Workers pictures are decoded at a time and
// memory stays flat however many photos come in (a decoded 12-megapixel
// photo takes about 30 MB).
type Intake struct {
	ctx      context.Context
	st       DerivedStore
	progress Progress
	queue    chan Picture
	wg       sync.WaitGroup
	closing  sync.Once

	mu          sync.Mutex
	added, done int
	errs        []error
}

// Workers is how many pictures an Intake decodes at once: one per CPU, and
// no more than 4, beyond which memory grows for little gain.
func Workers() int { return max(1, min(runtime.GOMAXPROCS(0), 4)) }

// NewIntake starts the workers; progress may be nil. Call Wait when every
// picture has been added.
func NewIntake(ctx context.Context, st DerivedStore, progress Progress) *Intake {
	in := &Intake{ctx: ctx, st: st, progress: progress, queue: make(chan Picture, Workers())}
	for range Workers() {
		in.wg.Go(in.work)
	}
	return in
}

func (in *Intake) work() {
	for p := range in.queue {
		err := in.ctx.Err()
		if err == nil {
			err = StoreDerived(in.ctx, in.st, p)
		}
		if err != nil {
			err = fmt.Errorf("%s: %w", p.Name, err)
		}
		in.mu.Lock()
		in.done++
		if err != nil {
			in.errs = append(in.errs, err)
		}
		if in.progress != nil {
			in.progress(in.done, in.added, p.Name, err)
		}
		in.mu.Unlock()
	}
}

// Add queues a picture. It blocks while the workers are all busy and the
// queue is full; it must not be called after Wait.
func (in *Intake) Add(p Picture) {
	in.mu.Lock()
	in.added++
	in.mu.Unlock()
	in.queue <- p
}

// Wait waits until every added picture is done and returns their errors,
// joined (a picture whose images could not be made is still attached).
// Calling it again returns the same.
func (in *Intake) Wait() error {
	in.closing.Do(func() { close(in.queue) })
	in.wg.Wait()
	return errors.Join(in.errs...)
}
