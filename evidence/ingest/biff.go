package ingest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Limits on what an .xls may make the reader hold.
const (
	xlsMaxRows    = 1 << 20
	xlsMaxCols    = 256
	xlsMaxCells   = 4 << 20
	xlsMaxStrings = 4 << 20
)

// BIFF record types the reader uses.
const (
	recBOF        = 0x0809
	recEOF        = 0x000A
	recCodepage   = 0x0042
	recBoundSheet = 0x0085
	recSST        = 0x00FC
	recContinue   = 0x003C
	recLabelSST   = 0x00FD
	recLabel      = 0x0204
	recRString    = 0x00D6
	recNumber     = 0x0203
	recRK         = 0x027E
	recMulRK      = 0x00BD
	recFormula    = 0x0006
	recString     = 0x0207
	recBoolErr    = 0x0205
	recFilePass   = 0x002F
)

// ReadXLS reads the first worksheet of an old Excel workbook (.xls: BIFF8,
// and BIFF5 with 8-bit strings in its codepage, e.g. 936 for GBK) as rows of
// cell text. Numbers are written the shortest way that reads back the same
// ("28.16", "20240105"); dates stay serial numbers. Formulas give their
// cached result. It reads only cell values: no formats, no merged cells.
//
// We wrote this small reader rather than take github.com/extrame/xls: that
// library is unmaintained, panics on malformed files and would be a new
// dependency, while the compound-file container is already read by
// github.com/richardlehane/mscfb, which excelize depends on.
func ReadXLS(ra io.ReaderAt, size int64) (rows [][]string, err error) {
	defer func() {
		if r := recover(); r != nil { // a malformed file must give an error, never a crash
			rows, err = nil, fmt.Errorf("read xls: malformed workbook (%v)", r)
		}
	}()
	doc, err := mscfb.New(ra)
	if err != nil {
		return nil, fmt.Errorf("read xls: not an Excel workbook: %v", err)
	}
	var stream []byte
	for _, f := range doc.File {
		if f.Name == "Workbook" || f.Name == "Book" {
			// A stream cannot be longer than the file that holds it; a
			// damaged size with a looping sector chain would read forever.
			if f.Size > maxSheetBytes || f.Size > size {
				return nil, fmt.Errorf("read xls: the workbook stream claims %d bytes in a %d-byte file", f.Size, size)
			}
			stream = make([]byte, f.Size)
			if _, err := io.ReadFull(f, stream); err != nil {
				return nil, fmt.Errorf("read xls: %v", err)
			}
			break
		}
	}
	if stream == nil {
		return nil, fmt.Errorf("read xls: no Workbook stream (a Word or other Office file?)")
	}
	return parseBIFF(stream)
}

type biffRecord struct {
	typ  uint16
	data []byte
}

func biffRecords(b []byte) []biffRecord {
	var recs []biffRecord
	for len(b) >= 4 {
		typ := binary.LittleEndian.Uint16(b)
		n := int(binary.LittleEndian.Uint16(b[2:]))
		if 4+n > len(b) {
			break
		}
		recs = append(recs, biffRecord{typ, b[4 : 4+n]})
		b = b[4+n:]
	}
	return recs
}

type biffBook struct {
	biff8    bool
	codepage uint16
	sst      []string
	cells    map[int]map[int]string
	nCells   int
}

func parseBIFF(stream []byte) ([][]string, error) {
	recs := biffRecords(stream)
	if len(recs) == 0 || recs[0].typ != recBOF || len(recs[0].data) < 4 {
		return nil, fmt.Errorf("read xls: the workbook stream does not start with a BOF record")
	}
	bk := &biffBook{biff8: binary.LittleEndian.Uint16(recs[0].data) == 0x0600, cells: map[int]map[int]string{}}
	// Workbook globals come first; the first worksheet's substream follows
	// its BOF. Sheets are read in stream order, which is the tab order.
	i := 1
	for ; i < len(recs) && recs[i].typ != recEOF; i++ {
		r := recs[i]
		switch r.typ {
		case recFilePass:
			return nil, fmt.Errorf("read xls: the workbook is password-protected; save it unprotected as .xlsx")
		case recCodepage:
			if len(r.data) >= 2 {
				bk.codepage = binary.LittleEndian.Uint16(r.data)
			}
		case recSST:
			segs := [][]byte{r.data}
			for j := i + 1; j < len(recs) && recs[j].typ == recContinue; j++ {
				segs = append(segs, recs[j].data)
			}
			sst, err := readSST(segs)
			if err != nil {
				return nil, err
			}
			bk.sst = sst
		}
	}
	// Find the first worksheet substream.
	for i++; i < len(recs); i++ {
		if recs[i].typ == recBOF && len(recs[i].data) >= 4 && binary.LittleEndian.Uint16(recs[i].data[2:]) == 0x0010 {
			break
		}
	}
	if i >= len(recs) {
		return nil, fmt.Errorf("read xls: no worksheet in the workbook")
	}
	var pending *[2]int // a formula whose string result follows in a STRING record
	for i++; i < len(recs) && recs[i].typ != recEOF; i++ {
		r := recs[i]
		d := r.data
		switch r.typ {
		case recLabelSST:
			if len(d) >= 10 {
				idx := int(binary.LittleEndian.Uint32(d[6:]))
				if idx < len(bk.sst) {
					bk.set(d, bk.sst[idx])
				}
			}
		case recLabel, recRString:
			if len(d) >= 8 {
				bk.set(d, bk.label(d[6:]))
			}
		case recNumber:
			if len(d) >= 14 {
				bk.set(d, formatNumber(math.Float64frombits(binary.LittleEndian.Uint64(d[6:]))))
			}
		case recRK:
			if len(d) >= 10 {
				bk.set(d, formatNumber(rkValue(binary.LittleEndian.Uint32(d[6:]))))
			}
		case recMulRK:
			if len(d) >= 6 {
				row := int(binary.LittleEndian.Uint16(d))
				col := int(binary.LittleEndian.Uint16(d[2:]))
				for p := 4; p+6 <= len(d)-2; p += 6 {
					bk.put(row, col, formatNumber(rkValue(binary.LittleEndian.Uint32(d[p+2:]))))
					col++
				}
			}
		case recBoolErr:
			if len(d) >= 8 && d[7] == 0 {
				bk.set(d, map[bool]string{true: "TRUE", false: "FALSE"}[d[6] != 0])
			}
		case recFormula:
			if len(d) >= 14 {
				res := d[6:14]
				if res[6] == 0xFF && res[7] == 0xFF {
					switch res[0] {
					case 0: // string: the STRING record follows
						pending = &[2]int{int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:]))}
					case 1:
						bk.set(d, map[bool]string{true: "TRUE", false: "FALSE"}[res[2] != 0])
					}
				} else {
					bk.set(d, formatNumber(math.Float64frombits(binary.LittleEndian.Uint64(res))))
				}
			}
		case recString:
			if pending != nil {
				bk.put(pending[0], pending[1], bk.label(d))
				pending = nil
			}
		}
		if bk.nCells > xlsMaxCells {
			return nil, fmt.Errorf("read xls: more than %d cells", xlsMaxCells)
		}
	}
	return bk.rows(), nil
}

func (bk *biffBook) set(d []byte, v string) {
	bk.put(int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:])), v)
}

func (bk *biffBook) put(row, col int, v string) {
	if row >= xlsMaxRows || col >= xlsMaxCols {
		return
	}
	r := bk.cells[row]
	if r == nil {
		r = map[int]string{}
		bk.cells[row] = r
	}
	r[col] = v
	bk.nCells++
}

// rows lays the cells out as rows, with empty rows kept so row numbers
// match the sheet's.
func (bk *biffBook) rows() [][]string {
	if len(bk.cells) == 0 {
		return nil
	}
	idx := make([]int, 0, len(bk.cells))
	for r := range bk.cells {
		idx = append(idx, r)
	}
	sort.Ints(idx)
	out := make([][]string, idx[len(idx)-1]+1)
	for _, r := range idx {
		width := 0
		for c := range bk.cells[r] {
			width = max(width, c+1)
		}
		row := make([]string, width)
		for c, v := range bk.cells[r] {
			row[c] = v
		}
		out[r] = row
	}
	return out
}

// label reads a cell string: BIFF8's XLUnicodeString (16-bit length, flags,
// characters) or BIFF5's 16-bit length and codepage bytes.
func (bk *biffBook) label(d []byte) string {
	if len(d) < 2 {
		return ""
	}
	n := int(binary.LittleEndian.Uint16(d))
	if !bk.biff8 {
		b := d[2:]
		if n < len(b) {
			b = b[:n]
		}
		return bk.decode8(b)
	}
	if len(d) < 3 {
		return ""
	}
	flags := d[2]
	b := d[3:]
	if flags&0x01 != 0 {
		if 2*n > len(b) {
			n = len(b) / 2
		}
		return utf16String(b[:2*n])
	}
	if n > len(b) {
		n = len(b)
	}
	return latin1(b[:n])
}

// decode8 decodes BIFF5 8-bit text in the workbook's codepage.
func (bk *biffBook) decode8(b []byte) string {
	switch bk.codepage {
	case 936, 0: // GBK, and the default of Chinese Excel
		if s, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b); err == nil {
			return string(s)
		}
	}
	return latin1(b)
}

func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

func utf16String(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

func rkValue(rk uint32) float64 {
	var v float64
	if rk&0x02 != 0 {
		v = float64(int32(rk) >> 2)
	} else {
		v = math.Float64frombits(uint64(rk&0xFFFFFFFC) << 32)
	}
	if rk&0x01 != 0 {
		v /= 100
	}
	return v
}

func formatNumber(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// sstReader walks the shared string table across its CONTINUE records. A
// string's characters may break at a record boundary, where a new flags byte
// says whether the rest is 8- or 16-bit.
type sstReader struct {
	segs [][]byte
	seg  int
	pos  int
}

var errSSTShort = errors.New("read xls: shared string table ends early")

func (r *sstReader) avail() int {
	for r.seg < len(r.segs) && r.pos >= len(r.segs[r.seg]) {
		r.seg++
		r.pos = 0
	}
	if r.seg >= len(r.segs) {
		return 0
	}
	return len(r.segs[r.seg]) - r.pos
}

func (r *sstReader) bytes(n int) ([]byte, error) {
	out := make([]byte, 0, n)
	for len(out) < n {
		a := r.avail()
		if a == 0 {
			return nil, errSSTShort
		}
		k := min(a, n-len(out))
		out = append(out, r.segs[r.seg][r.pos:r.pos+k]...)
		r.pos += k
	}
	return out, nil
}

func (r *sstReader) skip(n int) error {
	for n > 0 {
		a := r.avail()
		if a == 0 {
			return errSSTShort
		}
		k := min(a, n)
		r.pos += k
		n -= k
	}
	return nil
}

func (r *sstReader) u16() (int, error) {
	b, err := r.bytes(2)
	if err != nil {
		return 0, err
	}
	return int(binary.LittleEndian.Uint16(b)), nil
}

func readSST(segs [][]byte) ([]string, error) {
	r := &sstReader{segs: segs}
	head, err := r.bytes(8)
	if err != nil {
		return nil, err
	}
	count := int(binary.LittleEndian.Uint32(head[4:]))
	if count > xlsMaxStrings {
		return nil, fmt.Errorf("read xls: %d shared strings is too many", count)
	}
	out := make([]string, 0, min(count, 1<<16))
	for i := 0; i < count; i++ {
		n, err := r.u16()
		if err != nil {
			return out, nil // a short table keeps what it has
		}
		fb, err := r.bytes(1)
		if err != nil {
			return out, nil
		}
		flags := fb[0]
		runs, ext := 0, 0
		if flags&0x08 != 0 {
			if runs, err = r.u16(); err != nil {
				return out, nil
			}
		}
		if flags&0x04 != 0 {
			b, err := r.bytes(4)
			if err != nil {
				return out, nil
			}
			ext = int(binary.LittleEndian.Uint32(b))
		}
		wide := flags&0x01 != 0
		var u []uint16
		for len(u) < n {
			a := r.avail()
			if a == 0 {
				return append(out, utf16String(nil)), nil
			}
			if r.pos == 0 && len(u) > 0 {
				// A CONTINUE record broke the characters: its first byte
				// says how the rest is stored.
				wide = r.segs[r.seg][0]&0x01 != 0
				r.pos = 1
				continue
			}
			if wide {
				for len(u) < n && r.avail() >= 2 && !(r.pos == 0 && len(u) > 0) {
					b := r.segs[r.seg][r.pos:]
					u = append(u, binary.LittleEndian.Uint16(b))
					r.pos += 2
				}
				if r.avail() == 1 { // an odd byte left: skip it
					r.pos++
				}
			} else {
				for len(u) < n && r.pos < len(r.segs[r.seg]) {
					u = append(u, uint16(r.segs[r.seg][r.pos]))
					r.pos++
				}
			}
			if len(u) < n {
				r.avail() // step to the next segment; its flags byte is read above
			}
		}
		out = append(out, string(utf16.Decode(u)))
		if err := r.skip(4*runs + ext); err != nil {
			return out, nil
		}
	}
	return out, nil
}
