package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// maxSheetBytes caps a spreadsheet file read into memory (XLSX and XLS are
// not streamable from an io.Reader); maxUnzipped caps what an XLSX expands to.
const (
	maxSheetBytes = 256 << 20
	maxUnzipped   = 1 << 30
)

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
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{RawCellValue: true, UnzipSizeLimit: maxUnzipped})
	if err != nil {
		return nil, fmt.Errorf("read xlsx: %v: %w", err, ErrNotStatement)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		_ = f.Close()
		return nil, fmt.Errorf("the workbook has no sheet: %w", ErrNotStatement)
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("read xlsx sheet %s: %v: %w", sheets[0], err, ErrNotStatement)
	}
	s := &sheetSource{close: func() { _ = rows.Close(); _ = f.Close() }}
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
		return nil, fmt.Errorf("spreadsheet larger than %d MiB: %w", maxSheetBytes>>20, ErrNotStatement)
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
