package ingest

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/disputekit/disputekit/evidence"
)

// maxSheetBytes caps a spreadsheet file read into memory (XLSX and XLS are
// not streamable from an io.Reader); maxUnzipped caps what an XLSX expands
// to, by the sizes its zip directory declares (archive/zip refuses an entry
// that holds more than it declares, so the declared sizes bound the real
// ones); maxZipEntries caps its entries. A 100,000-row statement expands
// to well under 100 MiB.
const (
	maxSheetBytes = 256 << 20
	maxUnzipped   = 256 << 20
	maxZipEntries = 10_000
)

// ErrTooLarge means a spreadsheet is, or expands to, more than this package
// reads; it wraps evidence.ErrInvalid.
var ErrTooLarge = fmt.Errorf("spreadsheet too large: %w", evidence.ErrInvalid)

// checkZip refuses an XLSX whose entries would expand past maxUnzipped or
// are too many, before anything is decompressed.
func checkZip(b []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return fmt.Errorf("read xlsx: %v: %w", err, ErrNotStatement)
	}
	if len(zr.File) > maxZipEntries {
		return fmt.Errorf("the workbook has %d parts, more than %d: %w", len(zr.File), maxZipEntries, ErrTooLarge)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > maxUnzipped {
			return fmt.Errorf("the workbook expands to more than %d MiB (%s alone declares %d MiB); a statement is far smaller — export it again or save it as CSV: %w",
				maxUnzipped>>20, f.Name, f.UncompressedSize64>>20, ErrTooLarge)
		}
	}
	return nil
}

// sheetTempDir is where excelize puts the worksheets it does not keep in
// memory: a directory of this process, so that one left by a killed import
// is found and removed by the next (cleanStaleSheetDirs).
func sheetTempDir() (string, error) {
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("disputekit-xlsx-%d", os.Getpid()))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	return dir, nil
}

// cleanStaleSheetDirs removes the sheet directories of processes that are
// gone (killed during an import); their temporary files can be gigabytes.
func cleanStaleSheetDirs() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "disputekit-xlsx-*"))
	for _, d := range dirs {
		pid, err := strconv.Atoi(strings.TrimPrefix(filepath.Base(d), "disputekit-xlsx-"))
		if err != nil || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		_ = os.RemoveAll(d)
	}
}

// sheetSource yields the rows of a spreadsheet's first sheet, trimmed like
// CSV cells. Its row numbers are the sheet's (1-based).
type sheetSource struct {
	nextRow func() ([]string, bool, error)
	row     int
	cells   []string
	close   func()
}

func (s *sheetSource) next() ([]string, int, bool, error) {
	cells, ok, err := s.nextRow()
	if !ok || err != nil {
		return nil, 0, false, err
	}
	s.row++
	s.cells = s.cells[:0]
	for _, c := range cells {
		s.cells = append(s.cells, trimCell(c))
	}
	return s.cells, s.row, true, nil
}

// newXLSXSource opens an XLSX and streams its first sheet with raw cell
// values (numbers as stored, not as formatted).
func newXLSXSource(r io.Reader) (*sheetSource, error) {
	b, err := readCapped(r)
	if err != nil {
		return nil, err
	}
	if err := checkZip(b); err != nil {
		return nil, err
	}
	cleanStaleSheetDirs()
	tmp, err := sheetTempDir()
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{RawCellValue: true, UnzipSizeLimit: maxUnzipped, TmpDir: tmp})
	if err != nil {
		_ = os.Remove(tmp)
		return nil, fmt.Errorf("read xlsx: %v: %w", err, ErrNotStatement)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		_ = f.Close()
		_ = os.Remove(tmp)
		return nil, fmt.Errorf("the workbook has no sheet: %w", ErrNotStatement)
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		_ = f.Close()
		_ = os.Remove(tmp)
		return nil, fmt.Errorf("read xlsx sheet %s: %v: %w", sheets[0], err, ErrNotStatement)
	}
	s := &sheetSource{close: func() { _ = rows.Close(); _ = f.Close(); _ = os.Remove(tmp) }}
	s.nextRow = func() ([]string, bool, error) {
		if !rows.Next() {
			if err := rows.Error(); err != nil {
				return nil, false, fmt.Errorf("read xlsx: %w", err)
			}
			return nil, false, nil
		}
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, false, fmt.Errorf("read xlsx row %d: %w", s.row+1, err)
		}
		return cells, true, nil
	}
	return s, nil
}

func readCapped(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxSheetBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if len(b) > maxSheetBytes {
		return nil, fmt.Errorf("the spreadsheet is larger than %d MiB: %w", maxSheetBytes>>20, ErrTooLarge)
	}
	return b, nil
}

// newXLSSource reads an old Excel .xls (BIFF8, or BIFF5 in its codepage)
// into memory and yields its first worksheet's rows.
func newXLSSource(r io.Reader) (*sheetSource, error) {
	b, err := readCapped(r)
	if err != nil {
		return nil, err
	}
	rows, err := ReadXLS(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		if errors.Is(err, ErrNotStatement) {
			return nil, err
		}
		return nil, fmt.Errorf("%v: %w", err, ErrNotStatement)
	}
	i := 0
	return &sheetSource{nextRow: func() ([]string, bool, error) {
		if i >= len(rows) {
			return nil, false, nil
		}
		i++
		return rows[i-1], true, nil
	}, close: func() {}}, nil
}
