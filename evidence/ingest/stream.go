package ingest

import (
	"context"
	"errors"
	"io"
	"math"
	"os"
	"sync"

	"github.com/disputekit/disputekit/evidence"
)

// StreamStore is a Store that can take a statement's rows while they are
// read (*store.Store has it): ImportFile then parses a text statement on one
// goroutine while the rows read so far are stored on the caller's, in the
// same single SQL transaction, and never holds all the rows at once.
type StreamStore interface {
	Store
	ImportStatementRows(ctx context.Context, caseID int64, src io.Reader, meta evidence.Exhibit,
		next func() ([]evidence.Transaction, error)) (evidence.Exhibit, evidence.ImportCounts, error)
}

// streamDepth is how many batches the parser may be ahead of the store.
const streamDepth = 4

type streamBatch struct {
	ts   []evidence.Transaction
	rows int   // data rows read when the batch was handed over
	err  error // io.EOF after the last batch
}

// importStream imports the file f: the header is found here (so a file that
// is not a statement, or a call log, is told before anything is stored),
// then the rows are parsed on another goroutine and stored as they come.
func importStream(ctx context.Context, st StreamStore, c evidence.Case, f *os.File, name string, popts Options) (Report, error) {
	rep := Report{File: name}
	src, err := openSource(f)
	if err != nil {
		return rep, err
	}
	defer src.close()
	res := &Result{Report: Report{File: name, Kind: "statement", Encoding: src.encoding}}
	tb, err := openTable(src.rows, popts, res)
	if err != nil {
		return rep, src.explain(err)
	}
	if tb.f == calls {
		err := readCalls(src.rows, tb.header, res)
		src.note(&res.Report)
		if err != nil {
			return rep, err
		}
		return importCalls(ctx, st, c.ID, res)
	}

	// The parser calls no Progress itself: the consumer does, on the
	// caller's goroutine, as batches arrive.
	progress := popts.Progress
	tb.opts.Progress = nil
	batches := make(chan streamBatch, streamDepth)
	stop := make(chan struct{})
	parsed := make(chan struct{})
	go func() {
		defer close(parsed)
		err := tb.rows(func(ts []evidence.Transaction) error {
			select {
			case batches <- streamBatch{ts: ts, rows: res.Report.Rows}:
				return nil
			case <-stop:
				return context.Canceled
			}
		})
		src.note(&res.Report)
		if err == nil {
			err = io.EOF
		}
		select {
		case batches <- streamBatch{rows: res.Report.Rows, err: err}:
		case <-stop:
		}
	}()
	// finish stops the parser if it is still going and waits for it.
	var once sync.Once
	finish := func() {
		once.Do(func() { close(stop) })
		<-parsed
	}
	defer finish()

	// Wait for the first rows: a file none of whose rows can be read stores nothing.
	first := <-batches
	if len(first.ts) == 0 && first.err != nil {
		finish()
		rep = res.Report
		rep.File = name
		if !errors.Is(first.err, io.EOF) {
			return rep, first.err
		}
		if progress != nil {
			if err := progress(first.rows); err != nil {
				return rep, err
			}
		}
		return rep, noRows(rep)
	}

	var parseErr error // the parser's (or Progress's) own error, returned as is
	reported := 0
	pending := &first
	next := func() ([]evidence.Transaction, error) {
		var b streamBatch
		if pending != nil {
			b, pending = *pending, nil
		} else {
			b = <-batches
		}
		if progress != nil && (b.rows/progressEvery > reported/progressEvery || b.err != nil) {
			reported = b.rows
			if err := progress(b.rows); err != nil {
				parseErr = err
				return nil, err
			}
		}
		if b.err != nil && !errors.Is(b.err, io.EOF) {
			parseErr = b.err
		}
		return b.ts, b.err
	}
	// The file is read a second time for the vault, with ReadAt, which
	// leaves the parser's offset alone.
	ex, counts, err := st.ImportStatementRows(ctx, c.ID, io.NewSectionReader(f, 0, math.MaxInt64), statementMeta(c, name, res.Report.Format), next)
	finish()
	rep = res.Report
	rep.File = name
	if err != nil {
		if parseErr != nil {
			return rep, parseErr
		}
		return rep, err
	}
	return statementDone(ctx, st, rep, res, ex, counts), nil
}
