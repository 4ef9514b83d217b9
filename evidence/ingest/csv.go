package ingest

import (
	"strings"
)

// maxRecordLines bounds how many physical lines one quoted cell may span, so
// a stray quote cannot swallow the rest of a file into one cell.
const maxRecordLines = 50

// csvReader reads comma-separated records the way statement exports write
// them, which encoding/csv refuses: cells padded with spaces and tabs, a tab
// between a closing quote and the comma (WeChat: "3985734"\t,), Excel's
// ="123" text cells, stray quotes inside unquoted cells, quoted cells over
// several lines, and rows of any length. Cells are trimmed of spaces and tabs.
type csvReader struct {
	text   *textReader
	fields []string
	sb     strings.Builder
	// broken counts records whose quote never closed within maxRecordLines.
	broken int
}

func newCSVReader(t *textReader) *csvReader { return &csvReader{text: t} }

// next returns the next record and the line it starts on; false at the end.
// The returned slice is reused by the next call; its strings are not.
func (c *csvReader) next() ([]string, int, bool, error) {
	line, ok, err := c.text.next()
	if !ok || err != nil {
		return nil, 0, false, err
	}
	start := c.text.line
	c.fields = c.fields[:0]
	c.sb.Reset()
	open := c.parse(line, false)
	for lines := 1; open; lines++ {
		more, ok, err := c.text.next()
		if err != nil {
			return nil, 0, false, err
		}
		if !ok || lines >= maxRecordLines {
			// The quote never closed: keep what was read as the last cell,
			// and the line that did not fit is lost to this record — say so.
			c.broken++
			c.fields = append(c.fields, trimCell(c.sb.String()))
			c.sb.Reset()
			if ok {
				c.parse(more, false)
			}
			break
		}
		c.sb.WriteByte('\n')
		open = c.parse(more, true)
	}
	return c.fields, start, true, nil
}

// parse appends the cells of line to c.fields. When quoted is true the line
// continues a quoted cell whose start is in c.sb. It reports whether the line
// ends inside a quoted cell.
func (c *csvReader) parse(line string, quoted bool) bool {
	i := 0
	for {
		if !quoted {
			j := i
			for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
				j++
			}
			switch {
			case j < len(line) && line[j] == '"':
				i, quoted = j+1, true
			case j+1 < len(line) && line[j] == '=' && line[j+1] == '"':
				i, quoted = j+2, true
			default:
				k := strings.IndexByte(line[i:], ',')
				if k < 0 {
					c.fields = append(c.fields, trimCell(line[i:]))
					return false
				}
				c.fields = append(c.fields, trimCell(line[i:i+k]))
				i += k + 1
				continue
			}
			// Fast path: a quoted cell closed on this line with no "" inside.
			if k := strings.IndexByte(line[i:], '"'); k >= 0 && (i+k+1 >= len(line) || line[i+k+1] != '"') {
				cell := line[i : i+k]
				i += k + 1
				end := strings.IndexByte(line[i:], ',')
				tail := line[i:]
				if end >= 0 {
					tail = line[i : i+end]
				}
				if t := trimCell(tail); t != "" {
					cell += t // text after the closing quote is kept, not dropped
				}
				c.fields = append(c.fields, trimCell(cell))
				if end < 0 {
					return false
				}
				i += end + 1
				quoted = false
				continue
			}
		}
		for {
			k := strings.IndexByte(line[i:], '"')
			if k < 0 {
				c.sb.WriteString(line[i:])
				return true
			}
			c.sb.WriteString(line[i : i+k])
			i += k + 1
			if i < len(line) && line[i] == '"' {
				c.sb.WriteByte('"')
				i++
				continue
			}
			break
		}
		quoted = false
		end := strings.IndexByte(line[i:], ',')
		tail := line[i:]
		if end >= 0 {
			tail = line[i : i+end]
		}
		c.sb.WriteString(trimCell(tail))
		c.fields = append(c.fields, trimCell(c.sb.String()))
		c.sb.Reset()
		if end < 0 {
			return false
		}
		i += end + 1
	}
}

// trimCell drops the padding exports put around cells: spaces, tabs,
// ideographic spaces (U+3000) and no-break spaces (U+00A0).
func trimCell(s string) string {
	for len(s) > 0 {
		switch {
		case s[0] == ' ' || s[0] == '\t':
			s = s[1:]
		case strings.HasPrefix(s, "\u3000"):
			s = s[len("\u3000"):]
		case strings.HasPrefix(s, "\u00a0"):
			s = s[len("\u00a0"):]
		default:
			goto right
		}
	}
right:
	if len(s) > 0 && s[0] == '`' {
		// WeChat Pay merchant bills start every cell with a backtick, so
		// that Excel keeps long numbers as text.
		s = s[1:]
	}
	for len(s) > 0 {
		switch {
		case s[len(s)-1] == ' ' || s[len(s)-1] == '\t':
			s = s[:len(s)-1]
		case strings.HasSuffix(s, "\u3000"):
			s = s[:len(s)-len("\u3000")]
		case strings.HasSuffix(s, "\u00a0"):
			s = s[:len(s)-len("\u00a0")]
		default:
			return s
		}
	}
	return s
}
