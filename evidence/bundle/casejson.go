package bundle

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/disputekit/disputekit/evidence"
)

// case.json is a case's dossier as JSON — the same bytes json.MarshalIndent
// of an evidence.Dossier gives, two-space indented — but written and read
// as a stream: a case may hold hundreds of thousands of transactions, and
// neither export nor import may hold them all. The transactions go through
// in batches; every other part of the dossier (the case, exhibits, calls,
// events, filings, audit) is small enough to hold.

// txnBatch is how many transactions the reader hands over at once.
const txnBatch = 1024

// writeCaseJSON writes d (whose Transactions are ignored) with the
// transactions each walks, in the layout of json.MarshalIndent(d, "", "  ")
// followed by a newline. The transactions keep the order each gives.
func writeCaseJSON(w io.Writer, d evidence.Dossier, each func(func([]evidence.Transaction) error) error) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	var werr error
	put := func(s string) {
		if werr == nil {
			_, werr = bw.WriteString(s)
		}
	}
	field := func(name string, v any, last bool) error {
		b, err := json.MarshalIndent(v, "  ", "  ")
		if err != nil {
			return fmt.Errorf("encode %s: %w", name, err)
		}
		put("  \"" + name + "\": ")
		if werr == nil {
			_, werr = bw.Write(b)
		}
		if last {
			put("\n")
		} else {
			put(",\n")
		}
		return werr
	}
	put("{\n")
	if err := field("case", d.Case, false); err != nil {
		return err
	}
	put("  \"transactions\": [")
	var enc bytes.Buffer
	n := 0
	err := each(func(page []evidence.Transaction) error {
		for i := range page {
			b, err := json.Marshal(&page[i])
			if err != nil {
				return fmt.Errorf("encode transaction %d: %w", page[i].ID, err)
			}
			enc.Reset()
			if err := json.Indent(&enc, b, "    ", "  "); err != nil {
				return err
			}
			if n == 0 {
				put("\n    ")
			} else {
				put(",\n    ")
			}
			n++
			if werr == nil {
				_, werr = bw.Write(enc.Bytes())
			}
		}
		return werr
	})
	if err != nil {
		return err
	}
	if n > 0 {
		put("\n  ")
	}
	put("],\n")
	for _, f := range []struct {
		name string
		v    any
	}{{"exhibits", d.Exhibits}, {"calls", d.Calls}, {"events", d.Events}} {
		if err := field(f.name, f.v, false); err != nil {
			return err
		}
	}
	if len(d.Filings) > 0 { // omitempty, as json.MarshalIndent writes it
		if err := field("filings", d.Filings, false); err != nil {
			return err
		}
	}
	if err := field("audit", d.Audit, true); err != nil {
		return err
	}
	put("}\n")
	if werr != nil {
		return werr
	}
	return bw.Flush()
}

// recordLimit is a reader that fails once more than max bytes have been
// read since the last reset: with a reset after each record a JSON
// decoder finishes, no single record (a case with a gigabyte of "facts",
// say) can make the decoder buffer more than about max bytes.
type recordLimit struct {
	r    io.Reader
	n    int64
	max  int64
	what func() string
}

var errRecordTooLarge = errors.New("record too large")

func (l *recordLimit) Read(p []byte) (int, error) {
	if l.n > l.max {
		return 0, fmt.Errorf("%s is more than %d bytes: %w", l.what(), l.max, errRecordTooLarge)
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	return n, err
}

// caseFields are the keys of case.json's top-level object.
var caseFields = map[string]bool{"case": true, "transactions": true, "exhibits": true, "calls": true, "events": true, "filings": true, "audit": true}

// heldSlack is what the reader allows over the writer's heldSize: the few
// bytes of ": " a key's value starts with.
const heldSlack = 1 << 10

// heldSize is how many bytes of case.json hold what a reader keeps in memory
// (the case, exhibits, calls, events, filings and audit trail: everything
// but the transactions), as writeCaseJSON writes them.
func heldSize(d evidence.Dossier) (int64, error) {
	var n int64
	parts := []any{d.Case, d.Exhibits, d.Calls, d.Events, d.Audit}
	if len(d.Filings) > 0 {
		parts = append(parts, d.Filings)
	}
	for _, v := range parts {
		b, err := json.MarshalIndent(v, "  ", "  ")
		if err != nil {
			return 0, err
		}
		n += int64(len(b))
	}
	return n, nil
}

// decodeCase reads case.json from r: the dossier without its transactions,
// which go to txns in batches of up to txnBatch (the batch is reused once
// txns returns), and how many there were. Each record (the case, one
// transaction, one exhibit …) may take at most maxRecord bytes, and what is
// kept — everything but the transactions — at most maxRecord together (the
// writer refuses more: see heldSize), so a hostile case.json cannot make the
// reader hold more than that whatever its size. Every failure but txns's own
// error wraps ErrRefused. Unknown top-level keys are skipped (a later minor
// version may add some); a key given twice is refused.
func decodeCase(r io.Reader, maxRecord int64, txns func([]evidence.Transaction) error) (evidence.Dossier, int, error) {
	var d evidence.Dossier
	where := "the start"
	lim := &recordLimit{r: r, max: maxRecord, what: func() string { return where }}
	dec := json.NewDecoder(lim)
	refuse := func(err error) (evidence.Dossier, int, error) {
		return d, 0, refusef("%s: at %s: %v", CaseName, where, err)
	}
	if err := expectDelim(dec, '{'); err != nil {
		return refuse(err)
	}
	seen := map[string]bool{}
	count := 0
	var held, start int64 // bytes of kept records so far; where the current value began
	keep := func() error {
		if held+dec.InputOffset()-start > maxRecord+heldSlack {
			return fmt.Errorf("everything but the transactions (the case, exhibits, calls, events, filings, audit) is more than %d bytes together: %w", maxRecord, errRecordTooLarge)
		}
		return nil
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return refuse(err)
		}
		key, _ := tok.(string)
		if seen[key] {
			return refuse(fmt.Errorf("%q given twice", key))
		}
		seen[key] = true
		where = fmt.Sprintf("%q", key)
		lim.n = 0
		start = dec.InputOffset()
		switch key {
		case "case":
			if err = dec.Decode(&d.Case); err == nil {
				err = keep()
			}
		case "transactions":
			batch := make([]evidence.Transaction, 0, txnBatch)
			err = decodeArray(dec, lim, func() error {
				count++
				where = fmt.Sprintf("transaction %d", count)
				batch = append(batch, evidence.Transaction{})
				if err := dec.Decode(&batch[len(batch)-1]); err != nil {
					return err
				}
				if len(batch) == txnBatch {
					if err := txns(batch); err != nil {
						return callerError{err}
					}
					batch = batch[:0]
				}
				return nil
			})
			if err == nil && len(batch) > 0 {
				if err = txns(batch); err != nil {
					return d, count, err
				}
			}
		case "exhibits":
			err = decodeArray(dec, lim, func() error {
				where = fmt.Sprintf("exhibit %d", len(d.Exhibits)+1)
				var e evidence.Exhibit
				if err := dec.Decode(&e); err != nil {
					return err
				}
				if !isHexSHA(e.SHA256) {
					return fmt.Errorf("exhibit %d: sha256 %q is not a lowercase SHA-256", e.Seq, e.SHA256)
				}
				if e.Size < 0 {
					return fmt.Errorf("exhibit %d: negative size", e.Seq)
				}
				if len(d.Exhibits) == evidence.MaxExhibits {
					return fmt.Errorf("more than %d exhibits", evidence.MaxExhibits)
				}
				d.Exhibits = append(d.Exhibits, e)
				return keep()
			})
		case "calls":
			err = decodeArray(dec, lim, func() error {
				d.Calls = append(d.Calls, evidence.CallLog{})
				if err := dec.Decode(&d.Calls[len(d.Calls)-1]); err != nil {
					return err
				}
				return keep()
			})
		case "events":
			err = decodeArray(dec, lim, func() error {
				d.Events = append(d.Events, evidence.Event{})
				if err := dec.Decode(&d.Events[len(d.Events)-1]); err != nil {
					return err
				}
				return keep()
			})
		case "filings":
			err = decodeArray(dec, lim, func() error {
				where = fmt.Sprintf("filing %d", len(d.Filings)+1)
				d.Filings = append(d.Filings, evidence.Filing{})
				if err := dec.Decode(&d.Filings[len(d.Filings)-1]); err != nil {
					return err
				}
				return keep()
			})
		case "audit":
			err = decodeArray(dec, lim, func() error {
				d.Audit = append(d.Audit, evidence.AuditEntry{})
				if err := dec.Decode(&d.Audit[len(d.Audit)-1]); err != nil {
					return err
				}
				return keep()
			})
		default:
			err = skipValue(dec, lim)
		}
		var ce callerError
		if errors.As(err, &ce) {
			return d, count, ce.err
		}
		if err != nil {
			return refuse(err)
		}
		if key != "transactions" && caseFields[key] {
			held += dec.InputOffset() - start
		}
		lim.n = 0
	}
	where = "the end"
	if err := expectDelim(dec, '}'); err != nil {
		return refuse(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return refuse(errors.New("data after the case"))
	}
	if !seen["case"] {
		return refuse(errors.New("no \"case\""))
	}
	return d, count, nil
}

// callerError carries the transactions callback's own error out of the
// decoding, so that it is not reported as a damaged case.json.
type callerError struct{ err error }

func (e callerError) Error() string { return e.err.Error() }

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("want %q, found %v", want, tok)
	}
	return nil
}

// decodeArray walks a JSON array (or null) element by element, calling
// elem to decode each, with the record limit reset between elements.
func decodeArray(dec *json.Decoder, lim *recordLimit, elem func() error) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("want an array, found %v", tok)
	}
	for dec.More() {
		lim.n = 0
		if err := elem(); err != nil {
			return err
		}
	}
	_, err = dec.Token() // ']'
	return err
}

// skipValue reads past one value of any shape, token by token.
func skipValue(dec *json.Decoder, lim *recordLimit) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		lim.n = 0
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}
