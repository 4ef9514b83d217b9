package bundle

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
)

// archive/zip does not expose where each entry's local header starts, and
// that is what an overlap check (the "non-recursive zip bomb", files sharing
// bytes) needs. This file reads just enough of the central directory to get
// it, independently of archive/zip, so that the two readings can be compared.

const (
	sigLocal      = 0x04034b50
	sigCentral    = 0x02014b50
	sigEnd        = 0x06054b50
	sigEnd64      = 0x06064b50
	sigEnd64Locat = 0x07064b50
)

// cdEntry is one central directory record, as far as the checks need it.
type cdEntry struct {
	name   string
	flags  uint16
	method uint16
	csize  uint64
	usize  uint64
	offset int64 // local header
}

// directory is the central directory and where it lies in the file.
type directory struct {
	entries []cdEntry
	start   int64 // first central directory record
	end     int64 // first byte after the records
}

// readDirectory parses the end-of-central-directory record (zip64 too) and
// every central directory record.
func readDirectory(r io.ReaderAt, size int64, maxEntries int) (directory, error) {
	var d directory
	tail := int64(65535 + 22)
	if tail > size {
		tail = size
	}
	buf := make([]byte, tail)
	if _, err := r.ReadAt(buf, size-tail); err != nil && err != io.EOF {
		return d, err
	}
	eocd := -1
	for i := len(buf) - 22; i >= 0; i-- {
		if binary.LittleEndian.Uint32(buf[i:]) == sigEnd {
			eocd = i
			break
		}
	}
	if eocd < 0 {
		return d, fmt.Errorf("no end-of-directory record")
	}
	e := buf[eocd:]
	count := uint64(binary.LittleEndian.Uint16(e[10:]))
	cdSize := uint64(binary.LittleEndian.Uint32(e[12:]))
	cdOff := uint64(binary.LittleEndian.Uint32(e[16:]))
	endRecord := size - tail + int64(eocd)
	if count == 0xffff || cdSize == 0xffffffff || cdOff == 0xffffffff {
		if endRecord < 20 {
			return d, fmt.Errorf("zip64 locator missing")
		}
		loc := make([]byte, 20)
		if _, err := r.ReadAt(loc, endRecord-20); err != nil {
			return d, err
		}
		if binary.LittleEndian.Uint32(loc) != sigEnd64Locat {
			return d, fmt.Errorf("zip64 locator missing")
		}
		off64 := binary.LittleEndian.Uint64(loc[8:])
		if off64 > uint64(size)-56 {
			return d, fmt.Errorf("zip64 end record out of range")
		}
		rec := make([]byte, 56)
		if _, err := r.ReadAt(rec, int64(off64)); err != nil {
			return d, err
		}
		if binary.LittleEndian.Uint32(rec) != sigEnd64 {
			return d, fmt.Errorf("zip64 end record missing")
		}
		count = binary.LittleEndian.Uint64(rec[32:])
		cdSize = binary.LittleEndian.Uint64(rec[40:])
		cdOff = binary.LittleEndian.Uint64(rec[48:])
		endRecord = int64(off64)
	}
	if count > uint64(maxEntries) {
		return d, refusef("%d entries, more than the limit of %d", count, maxEntries)
	}
	if cdOff > uint64(endRecord) || cdSize > uint64(endRecord)-cdOff {
		return d, fmt.Errorf("central directory out of range (truncated?)")
	}
	d.start, d.end = int64(cdOff), int64(cdOff+cdSize)
	br := bufio.NewReader(io.NewSectionReader(r, d.start, int64(cdSize)))
	fixed := make([]byte, 46)
	for i := uint64(0); i < count; i++ {
		if _, err := io.ReadFull(br, fixed); err != nil {
			return d, fmt.Errorf("central directory record %d: %w", i+1, err)
		}
		if binary.LittleEndian.Uint32(fixed) != sigCentral {
			return d, fmt.Errorf("central directory record %d: bad signature", i+1)
		}
		ce := cdEntry{
			flags:  binary.LittleEndian.Uint16(fixed[8:]),
			method: binary.LittleEndian.Uint16(fixed[10:]),
			csize:  uint64(binary.LittleEndian.Uint32(fixed[20:])),
			usize:  uint64(binary.LittleEndian.Uint32(fixed[24:])),
			offset: int64(binary.LittleEndian.Uint32(fixed[42:])),
		}
		nameLen := int(binary.LittleEndian.Uint16(fixed[28:]))
		extraLen := int(binary.LittleEndian.Uint16(fixed[30:]))
		commentLen := int(binary.LittleEndian.Uint16(fixed[32:]))
		varBuf := make([]byte, nameLen+extraLen+commentLen)
		if _, err := io.ReadFull(br, varBuf); err != nil {
			return d, fmt.Errorf("central directory record %d: %w", i+1, err)
		}
		ce.name = string(varBuf[:nameLen])
		extra := varBuf[nameLen : nameLen+extraLen]
		for len(extra) >= 4 {
			id := binary.LittleEndian.Uint16(extra)
			n := int(binary.LittleEndian.Uint16(extra[2:]))
			if n > len(extra)-4 {
				break
			}
			field := extra[4 : 4+n]
			if id == 0x0001 { // zip64: only the fields that overflowed, in this order
				if ce.usize == 0xffffffff && len(field) >= 8 {
					ce.usize, field = binary.LittleEndian.Uint64(field), field[8:]
				}
				if ce.csize == 0xffffffff && len(field) >= 8 {
					ce.csize, field = binary.LittleEndian.Uint64(field), field[8:]
				}
				if ce.offset == 0xffffffff && len(field) >= 8 {
					ce.offset = int64(binary.LittleEndian.Uint64(field))
				}
			}
			extra = extra[4+n:]
		}
		d.entries = append(d.entries, ce)
	}
	return d, nil
}

// localHeader reads the local file header at off and returns the name it
// carries and where the entry's data starts.
func localHeader(r io.ReaderAt, off int64) (name string, dataStart int64, err error) {
	h := make([]byte, 30)
	if _, err := r.ReadAt(h, off); err != nil {
		return "", 0, fmt.Errorf("local header: %w", err)
	}
	if binary.LittleEndian.Uint32(h) != sigLocal {
		return "", 0, fmt.Errorf("local header: bad signature")
	}
	nameLen := int64(binary.LittleEndian.Uint16(h[26:]))
	extraLen := int64(binary.LittleEndian.Uint16(h[28:]))
	nb := make([]byte, nameLen)
	if _, err := r.ReadAt(nb, off+30); err != nil {
		return "", 0, fmt.Errorf("local header name: %w", err)
	}
	return string(nb), off + 30 + nameLen + extraLen, nil
}
