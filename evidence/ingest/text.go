package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Encodings a text file can be read in.
const (
	EncodingUTF8    = "utf-8"
	EncodingUTF8BOM = "utf-8-bom"
	EncodingGB18030 = "gb18030" // also reads GBK and GB2312, its subsets
)

// sniffBytes is how much of a file encoding detection looks at. Statements
// are either wholly UTF-8 or wholly GBK; a later line that does not decode is
// reported, not guessed at again.
const sniffBytes = 64 << 10

// maxLineBytes bounds one physical line so a file without newlines cannot
// make the reader hold it all.
const maxLineBytes = 1 << 20

// maxListed caps how many line numbers a report lists for one kind of
// problem; the counts stay exact.
const maxListed = 50

// gb18030FFFD is U+FFFD encoded in GB18030: a decoded U+FFFD that came from
// these bytes is a real character, not an undecodable byte.
var gb18030FFFD = []byte{0x84, 0x31, 0xA4, 0x37}

// textReader reads a text file line by line, decoding it to UTF-8. Bytes that
// do not decode become U+FFFD and are counted with their line numbers, so the
// report can say where they are: nothing is replaced silently.
type textReader struct {
	br       *bufio.Reader
	encoding string
	dec      transform.Transformer
	dst      []byte
	line     int // number of the line last returned, 1-based
	bad      int // undecodable byte sequences so far
	badLines []int
	// unterminated: the last line read had no line end (the file's end,
	// which a cut-off file shares).
	unterminated bool
}

// newTextReader detects the encoding from the start of r: a UTF-8 BOM, else
// valid UTF-8, else GB18030.
func newTextReader(r io.Reader) (*textReader, error) {
	br := bufio.NewReaderSize(r, sniffBytes)
	head, err := br.Peek(sniffBytes)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("read: %w", err)
	}
	t := &textReader{br: br}
	switch {
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		t.encoding = EncodingUTF8BOM
		_, _ = br.Discard(3)
	case mostlyUTF8(head, len(head) == sniffBytes):
		// A stray bad byte in a UTF-8 file is reported on its line; reading
		// the whole file as GB18030 for it would garble every line.
		t.encoding = EncodingUTF8
	default:
		t.encoding = EncodingGB18030
		t.dec = simplifiedchinese.GB18030.NewDecoder()
	}
	return t, nil
}

// mostlyUTF8 reports whether b is UTF-8: valid, or with its multi-byte
// characters outnumbering bad bytes twenty to one (GBK text decoded as UTF-8
// is nearly all bad bytes).
func mostlyUTF8(b []byte, cut bool) bool {
	if validUTF8Prefix(b, cut) {
		return true
	}
	multi, bad := 0, 0
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && n <= 1:
			bad++
		case n > 1:
			multi++
		}
		b = b[n:]
	}
	return multi > 0 && bad*20 < multi
}

// validUTF8Prefix reports whether b is valid UTF-8, allowing a rune cut off at
// the end when b is only the first part of the file.
func validUTF8Prefix(b []byte, cut bool) bool {
	if cut {
		for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
			if utf8.Valid(b) {
				return true
			}
			b = b[:len(b)-1]
		}
	}
	return utf8.Valid(b)
}

// next returns the next line decoded, without its line ending, and false at
// the end of the file.
func (t *textReader) next() (string, bool, error) {
	raw, err := t.readRaw()
	if len(raw) == 0 && err != nil {
		if errors.Is(err, io.EOF) {
			return "", false, nil
		}
		return "", false, err
	}
	t.line++
	t.unterminated = !bytes.HasSuffix(raw, []byte("\n"))
	raw = bytes.TrimSuffix(raw, []byte("\n"))
	raw = bytes.TrimSuffix(raw, []byte("\r"))
	return t.decode(raw), true, nil
}

// readRaw reads one physical line, cutting overlong ones at maxLineBytes.
func (t *textReader) readRaw() ([]byte, error) {
	line, err := t.br.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) {
		return line, err
	}
	long := append([]byte(nil), line...)
	for errors.Is(err, bufio.ErrBufferFull) {
		line, err = t.br.ReadSlice('\n')
		if len(long) < maxLineBytes {
			long = append(long, line...)
		}
	}
	return long, err
}

func (t *textReader) decode(raw []byte) string {
	ascii := true
	for _, c := range raw {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return string(raw)
	}
	if t.dec == nil {
		if utf8.Valid(raw) {
			return string(raw)
		}
		var b []byte
		n := 0
		for len(raw) > 0 {
			r, size := utf8.DecodeRune(raw)
			if r == utf8.RuneError && size <= 1 {
				n++
			}
			b = utf8.AppendRune(b, r)
			raw = raw[size:]
		}
		t.noteBad(n)
		return string(b)
	}
	if cap(t.dst) < 3*len(raw)+8 {
		t.dst = make([]byte, 3*len(raw)+64)
	}
	t.dec.Reset()
	nDst, _, err := t.dec.Transform(t.dst[:cap(t.dst)], raw, true)
	if err != nil { // cannot happen with dst large enough; keep the bytes visible
		t.noteBad(1)
		return string(bytes.ToValidUTF8(raw, []byte("\uFFFD")))
	}
	out := t.dst[:nDst]
	if n := bytes.Count(out, []byte("\uFFFD")) - bytes.Count(raw, gb18030FFFD); n > 0 {
		t.noteBad(n)
	}
	return string(out)
}

func (t *textReader) noteBad(n int) {
	if n <= 0 {
		return
	}
	t.bad += n
	if len(t.badLines) < maxListed {
		t.badLines = append(t.badLines, t.line)
	}
}
