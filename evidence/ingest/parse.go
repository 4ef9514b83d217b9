package ingest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/disputekit/disputekit/evidence"
)

// ErrNotStatement means a file is not a statement or call log this package
// can read: no header row of a known layout was found, or it is not text or
// a spreadsheet at all. It wraps evidence.ErrInvalid.
var ErrNotStatement = fmt.Errorf("not a statement: %w", evidence.ErrInvalid)

// ErrNeedMapping means a file looks like a table but its columns could not
// all be told: the caller should ask the user for a mapping (--map).
var ErrNeedMapping = fmt.Errorf("column mapping needed: %w", evidence.ErrInvalid)

// maxPreambleRows is how far down a file the header row is looked for.
const maxPreambleRows = 80

// Options steer Parse. The zero value detects everything.
type Options struct {
	// Format forces a layout (one of Formats); empty detects it from the content.
	Format string
	// Map overrides the suggested mapping of the mapped importer, by header text.
	Map Mapping
	// Recall returns the mapping remembered for a header signature, if any.
	Recall func(signature string) (Mapping, bool)
	// Role is whose statement it is; it decides the direction of rows that do
	// not say it (a merchant's sale is money in, a consumer's money out).
	Role evidence.Role
	// Name is the file name, for messages.
	Name string
	// HeaderLine names the header row's line (or sheet row) when detection
	// cannot find it; 0 finds it.
	HeaderLine int
	// Progress, when set, is called with the number of data rows read so far
	// every few thousand rows; an error from it stops the parse with that error.
	Progress func(rows int) error
	// Context, when set, stops the reading when it is done (Ctrl+C): the
	// parse returns its error and, in an import, nothing is stored.
	Context context.Context
	// DateOrder is how slash dates without a year first are written:
	// DateOrderDMY (default) or DateOrderMDY.
	DateOrder string
	// Positive states what a positive amount means in a file with one
	// signed amount column and no 收/支 or 借/贷 column: PositiveIn or
	// PositiveOut. Empty uses the layout's own convention, and where the
	// layout has none the report says which rows were taken by their type.
	Positive string
}

// progressEvery is how many rows pass between Progress calls.
const progressEvery = 4096

// Problem is one thing the report says about a line (0: the whole file),
// in English (Message) and Chinese (ZH).
type Problem struct {
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
	ZH      string `json:"zh,omitempty"`
}

// In returns the message in lang ("zh" or "en").
func (p Problem) In(lang string) string {
	if lang == "zh" && p.ZH != "" {
		return p.ZH
	}
	return p.Message
}

// Report says what an import read, kept, skipped and doubted.
type Report struct {
	File       string  `json:"file"`
	Kind       string  `json:"kind"` // statement, calls, image, document
	Format     string  `json:"format,omitempty"`
	Encoding   string  `json:"encoding,omitempty"`
	HeaderLine int     `json:"header_line,omitempty"`
	Mapping    Mapping `json:"mapping,omitempty"`
	Rows       int     `json:"rows"` // data rows read (not the preamble, blank lines or footer)
	Imported   int     `json:"imported"`
	Duplicates int     `json:"duplicates"`
	// Updated counts rows already in the case whose status this file changed
	// (等待确认收货 → 交易成功); they are listed in Warnings.
	Updated int `json:"updated,omitempty"`
	Skipped int `json:"skipped"`
	// Flows are what the rows read add up to, per currency.
	Flows []Flow `json:"flows,omitempty"`
	// Guessed counts rows whose direction the file did not state.
	Guessed int `json:"guessed,omitempty"`
	// SkippedRows lists the first skipped rows with the reason.
	SkippedRows []Problem `json:"skipped_rows,omitempty"`
	Warnings    []Problem `json:"warnings,omitempty"`
	// Undecodable counts byte sequences that are not text in the file's
	// encoding; they show as U+FFFD and UndecodableLines lists where.
	Undecodable      int    `json:"undecodable,omitempty"`
	UndecodableLines []int  `json:"undecodable_lines,omitempty"`
	ExhibitID        int64  `json:"exhibit_id,omitempty"`
	ExhibitSeq       int    `json:"exhibit_seq,omitempty"`
	SHA256           string `json:"sha256,omitempty"`
}

// warn adds a warning; zh and en are formats taking the same args.
func (r *Report) warn(line int, zh, en string, args ...any) {
	r.Warnings = append(r.Warnings, Problem{Line: line, Message: fmt.Sprintf(en, args...), ZH: fmt.Sprintf(zh, args...)})
}

func (r *Report) skip(line int, why rowError) {
	r.Skipped++
	if len(r.SkippedRows) < maxListed {
		r.SkippedRows = append(r.SkippedRows, Problem{Line: line, Message: why.en, ZH: why.zh})
	}
}

// Result is a parsed file: its transactions (or calls) and the report.
type Result struct {
	Report       Report
	Transactions []evidence.Transaction
	Calls        []evidence.CallLog
	// Header is the header row and Signature its HeaderSignature; Mapping
	// is the column mapping used. The mapped importer's mapping is worth
	// remembering under Signature.
	Header    []string
	Signature string
	Mapping   Mapping
}

// rowSource yields the records of a text file or a sheet.
type rowSource interface {
	// next returns a record and its line (or row) number; false at the end.
	// The slice may be reused by the next call.
	next() ([]string, int, bool, error)
}

// Parse reads a statement or call log from r: CSV in any of the encodings,
// XLSX, or old Excel .xls. It streams text files row by row. It fails with
// ErrNotStatement for anything that is not a table it recognises and with
// ErrNeedMapping for a table whose columns need the user's mapping.
func Parse(r io.Reader, opts Options) (*Result, error) {
	res, err := parse(r, opts)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", displayName(opts.Name), err)
	}
	return res, nil
}

func displayName(n string) string {
	if n == "" {
		return "input"
	}
	return n
}

func parse(r io.Reader, opts Options) (*Result, error) {
	if opts.Format != "" && formatByName(opts.Format) == nil {
		return nil, fmt.Errorf("format %q is not one of %s: %w", opts.Format, strings.Join(Formats, ", "), evidence.ErrInvalid)
	}
	src, err := openSource(r)
	if err != nil {
		return nil, err
	}
	defer src.close()
	res := &Result{Report: Report{File: opts.Name, Kind: "statement", Encoding: src.encoding}}
	err = readTable(src.rows, opts, res)
	src.note(&res.Report)
	if err != nil {
		return nil, src.explain(err)
	}
	return res, nil
}

// ErrEncoding means a file is not text in any encoding statements use: the
// error says which encoding was tried and where it broke. It wraps
// ErrNotStatement.
var ErrEncoding = fmt.Errorf("not readable text: %w", ErrNotStatement)

// explain turns "no header found" into what went wrong when the text did
// not decode: a mapping cannot help a file read in the wrong encoding.
func (s *source) explain(err error) error {
	if s.text == nil || s.text.bad == 0 || !(errors.Is(err, ErrNeedMapping) || errors.Is(err, ErrNotStatement)) {
		return err
	}
	first := 0
	if len(s.text.badLines) > 0 {
		first = s.text.badLines[0]
	}
	return fmt.Errorf("the file is not valid text: it was read as %s (detected: a byte-order mark, else UTF-8 if the "+
		"start is valid UTF-8, else GB18030/GBK), and %d byte sequence(s) do not decode, the first on line %d. Save it "+
		"again as UTF-8 or GBK CSV, or export it again: %w", s.text.encoding, s.text.bad, first, ErrEncoding)
}

// source is an opened file: its rows and what decoding them found.
type source struct {
	rows     rowSource
	encoding string
	text     *textReader
	csv      *csvReader
	close    func()
}

// note copies the decoding problems into a report.
func (s *source) note(r *Report) {
	if s.text != nil {
		r.Undecodable = s.text.bad
		r.UndecodableLines = s.text.badLines
		if s.text.bad > 0 {
			r.warn(0, "%d 处字节不是有效的 %s 文本，显示为 \uFFFD，所在行：%s", "%d byte sequence(s) are not valid %s text and show as \uFFFD on line(s) %s",
				s.text.bad, s.text.encoding, lineList(s.text.badLines, s.text.bad))
		}
	}
	if s.csv != nil && s.csv.broken > 0 {
		r.warn(0, "%d 行的引号没有闭合，其最后几列可能有误", "%d row(s) have a quote that never closes; their last cells may be wrong", s.csv.broken)
	}
}

// openSource looks at the start of r and opens it as XLSX, XLS or text.
func openSource(r io.Reader) (*source, error) {
	br := bufio.NewReaderSize(r, sniffBytes)
	head, err := br.Peek(512)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read: %w", err)
	}
	if len(head) == 0 {
		return nil, fmt.Errorf("the file is empty: %w", ErrNotStatement)
	}
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		s, err := newXLSXSource(br)
		if err != nil {
			return nil, err
		}
		return &source{rows: s, encoding: "xlsx", close: s.close}, nil
	case bytes.HasPrefix(head, oleMagic):
		s, err := newXLSSource(br)
		if err != nil {
			return nil, err
		}
		return &source{rows: s, encoding: "xls", close: s.close}, nil
	}
	var text io.Reader = br
	encoding := ""
	if bytes.HasPrefix(head, []byte("\xFF\xFE")) || bytes.HasPrefix(head, []byte("\xFE\xFF")) {
		// UTF-16 with a BOM (some bank exports): decode to UTF-8 first.
		text = transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
		encoding = "utf-16"
	} else if why := notText(head); why != "" {
		return nil, fmt.Errorf("%s: %w", why, ErrNotStatement)
	}
	t, err := newTextReader(text)
	if err != nil {
		return nil, err
	}
	if encoding == "" {
		encoding = t.encoding
	}
	c := newCSVReader(t)
	return &source{rows: c, encoding: encoding, text: t, csv: c, close: func() {}}, nil
}

func lineList(lines []int, total int) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%d", l)
	}
	if total > len(lines) && len(lines) == maxListed {
		b.WriteString(" …")
	}
	return b.String()
}

var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// notText says why the start of a file is not a text table, or "".
func notText(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF")):
		return "a PDF document"
	case bytes.HasPrefix(head, []byte("\xFF\xD8\xFF")):
		return "a JPEG image"
	case bytes.HasPrefix(head, []byte("\x89PNG")):
		return "a PNG image"
	case bytes.IndexByte(head, 0) >= 0:
		return "a binary file, not text"
	}
	return ""
}

// Row is one row of a file as read, with its line (or sheet row) number.
type Row struct {
	Line  int      `json:"line"`
	Cells []string `json:"cells"`
}

// headerFound is a recognised header row: its format, cells and line, the
// rows above it and their text.
type headerFound struct {
	f        *format
	header   []string
	line     int
	before   []Row
	preamble string
}

// findHeader reads rows until one is a header it recognises (or the one
// opts.HeaderLine names) and returns its format, cells and line, with the
// rows before it.
func findHeader(src rowSource, opts Options) (headerFound, error) {
	var pre strings.Builder
	var hf headerFound
	forced := formatByName(opts.Format)
	limit := max(maxPreambleRows, opts.HeaderLine)
	found := func(f *format, cells []string, line int) (headerFound, error) {
		hf.f, hf.header, hf.line, hf.preamble = f, append([]string(nil), cells...), line, pre.String()
		return hf, nil
	}
	for n := 0; n < limit; n++ {
		cells, line, ok, err := src.next()
		if err != nil {
			return hf, err
		}
		if !ok {
			break
		}
		if opts.HeaderLine > 0 {
			if line == opts.HeaderLine {
				f := recognise(cells, pre.String(), forced, opts)
				if f == nil {
					f = mapped
					if forced != nil {
						f = forced
					}
				}
				return found(f, cells, line)
			}
		} else if f := recognise(cells, pre.String(), forced, opts); f != nil {
			return found(f, cells, line)
		}
		if len(hf.before) < maxPreambleRows {
			hf.before = append(hf.before, Row{line, append([]string(nil), cells...)})
		}
		for _, c := range cells {
			if pre.Len() < 8<<10 {
				pre.WriteString(c)
				pre.WriteByte(' ')
			}
		}
		pre.WriteByte('\n')
	}
	switch {
	case opts.HeaderLine > 0:
		return hf, fmt.Errorf("the file has no line %d: %w", opts.HeaderLine, ErrNotStatement)
	case forced == mapped || (forced == nil && looksTabular(pre.String())):
		return hf, fmt.Errorf("no header row with a date and an amount column found in the first %d rows; "+
			"name the columns with --map COLUMN=FIELD (fields: %s): %w", maxPreambleRows, fieldList(), ErrNeedMapping)
	case forced != nil:
		return hf, fmt.Errorf("no %s header row found in the first %d rows: %w", forced.name, maxPreambleRows, ErrNotStatement)
	}
	return hf, fmt.Errorf("no header row of a statement we know (Alipay, WeChat Pay, JD, Meituan, ICBC, CCB, ABC, BOC, "+
		"CMB, BOCOM, CGB, CITIC, a call log, or any table with a date and an amount column) in the first %d rows: %w",
		maxPreambleRows, ErrNotStatement)
}

// mappingFor is the mapping a header gets: suggested from its names, the
// layout's own names, then (for the mapped importer) what was remembered for
// it, then the user's overrides — which apply to a recognised layout too.
func mappingFor(f *format, header []string, sig string, opts Options) Mapping {
	m := SuggestMapping(header)
	if f.names != nil {
		over := Mapping{}
		for _, h := range header {
			if field, ok := f.names[normHeader(h)]; ok {
				over[h] = field
			}
		}
		m.overlay(over)
	}
	if f == mapped && opts.Recall != nil {
		if old, ok := opts.Recall(sig); ok {
			old, _ = normalizeMapping(header, old)
			m.overlay(old)
		}
	}
	user, _ := normalizeMapping(header, opts.Map)
	m.overlay(user)
	return m
}

// readTable finds the header row, then converts every data row.
func readTable(src rowSource, opts Options, res *Result) error {
	tb, err := openTable(src, opts, res)
	if err != nil {
		return err
	}
	if tb.f == calls {
		return readCalls(src, tb.header, res)
	}
	// Rows collect in fixed-size chunks and are copied once at the end:
	// growing one slice of big structs would allocate several times the result.
	var chunks [][]evidence.Transaction
	defer func() {
		n := 0
		for _, c := range chunks {
			n += len(c)
		}
		res.Transactions = make([]evidence.Transaction, 0, n)
		for _, c := range chunks {
			res.Transactions = append(res.Transactions, c...)
		}
	}()
	return tb.rows(func(batch []evidence.Transaction) error {
		chunks = append(chunks, batch)
		return nil
	})
}

// table is a file whose header row has been read; its data rows are next.
type table struct {
	src        rowSource
	opts       Options
	res        *Result
	f          *format
	header     []string
	headerLine int
	conv       *converter
	isSheet    bool
	// stated is what the export says about its own rows (共N笔, totals).
	stated stated
	sawEnd bool // the format's endMarker line was read
}

// openTable finds the header row and sets up the conversion of the rows
// after it; for a call log only f and header are set.
func openTable(src rowSource, opts Options, res *Result) (*table, error) {
	hf, err := findHeader(src, opts)
	if err != nil {
		return nil, err
	}
	f, header, headerLine := hf.f, hf.header, hf.line
	tb := &table{src: src, opts: opts, res: res, f: f, header: header, headerLine: headerLine}
	res.Header, res.Signature = header, HeaderSignature(header)
	res.Report.Format, res.Report.HeaderLine = f.name, headerLine
	if f == calls {
		res.Report.Kind = "calls"
		return tb, nil
	}
	m := mappingFor(f, header, res.Signature, opts)
	if _, missing := normalizeMapping(header, opts.Map); len(missing) > 0 {
		return nil, fmt.Errorf("--map names column %q, which the header row (line %d) does not have; it has %s: %w",
			missing[0], headerLine, strings.Join(header, ", "), evidence.ErrInvalid)
	}
	if !mappingComplete(m) {
		return nil, fmt.Errorf("the header row (line %d: %s) has no date or no amount column in the mapping %s; "+
			"name them with --map COLUMN=FIELD: %w", headerLine, strings.Join(header, ","), m, ErrNeedMapping)
	}
	if f == mapped || len(opts.Map) > 0 {
		res.Report.Mapping = m
	}
	res.Mapping = m
	switch opts.Positive {
	case "":
	case PositiveIn, PositiveOut:
	default:
		return nil, fmt.Errorf("positive %q is not %q or %q: %w", opts.Positive, PositiveIn, PositiveOut, evidence.ErrInvalid)
	}
	for _, h := range header {
		if _, known := headerNames[normHeader(h)]; !known && h != "" {
			if _, ok := m[h]; !ok {
				res.Report.warn(headerLine, "未识别的列 %q，未导入", "column %q is not known and not used", h)
			}
		}
	}
	_, tb.isSheet = src.(*sheetSource)
	tb.conv = newConverter(f, header, m, opts.Role, tb.isSheet)
	switch opts.Positive {
	case PositiveIn:
		tb.conv.sign = signPositiveIn
	case PositiveOut:
		tb.conv.sign = signPositiveOut
	}
	tb.conv.periodYear, tb.conv.periodMonth = statementPeriod(hf.preamble)
	switch opts.DateOrder {
	case "", DateOrderDMY:
	case DateOrderMDY:
		tb.conv.monthFirst = true
	default:
		return nil, fmt.Errorf("date order %q is not %q or %q: %w", opts.DateOrder, DateOrderDMY, DateOrderMDY, evidence.ErrInvalid)
	}
	tb.stated = statedTotals(hf.preamble)
	return tb, nil
}

// rowBatch is how many transactions rows hands over at a time at most.
const rowBatch = 1024

// rows converts every data row, handing the transactions to sink in
// batches (the first ones small, so a consumer can start early); sink owns
// each batch it is given. An error from sink stops the reading with it.
func (tb *table) rows(sink func([]evidence.Transaction) error) error {
	src, opts, res, conv, header := tb.src, tb.opts, tb.res, tb.conv, tb.header
	ragged := 0
	summary := false
	var last lastRow
	var footer strings.Builder
	cur := make([]evidence.Transaction, 0, 128)
	for {
		cells, line, ok, err := src.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if summary {
			// A merchant bill's summary: 总交易单数,应结订单总金额,… then its values.
			if n, err := strconv.Atoi(strings.ReplaceAll(firstCell(cells), ",", "")); err == nil && !tb.stated.summarySet {
				tb.stated.summaryRows, tb.stated.summaryLine, tb.stated.summarySet = n, line, true
			}
			continue
		}
		if blankRow(cells) || sameRow(cells, header) {
			continue
		}
		if footerRow(cells) {
			tb.footerTotals(cells, line)
			footer.WriteString(strings.Join(cells, " "))
			footer.WriteByte('\n')
			if strings.HasPrefix(firstCell(cells), "总交易单数") {
				summary = true
			}
			continue
		}
		res.Report.Rows++
		last = lastRow{line: line, cells: len(cells)}
		if opts.Context != nil && res.Report.Rows%256 == 0 {
			if err := opts.Context.Err(); err != nil {
				return err
			}
		}
		if opts.Progress != nil && res.Report.Rows%progressEvery == 0 {
			if err := opts.Progress(res.Report.Rows); err != nil {
				return err
			}
		}
		// A sheet leaves out empty trailing cells; a CSV row that is short
		// lost some.
		if !tb.isSheet && len(cells) < conv.width && !blankTail(header, len(cells)) {
			if ragged++; ragged <= maxListed {
				res.Report.warn(line, "该行只有 %d 列，表头有 %d 列", "row has %d cells, the header %d", len(cells), conv.width)
			}
		}
		t, err := conv.convert(cells, line)
		if err != nil {
			var re rowError
			if errors.As(err, &re) {
				res.Report.skip(line, re)
				continue
			}
			return err
		}
		conv.noteStatus(t.Status, line)
		cur = append(cur, t)
		if len(cur) == cap(cur) {
			if err := sink(cur); err != nil {
				return err
			}
			cur = make([]evidence.Transaction, 0, min(2*cap(cur), rowBatch))
		}
	}
	if len(cur) > 0 {
		if err := sink(cur); err != nil {
			return err
		}
	}
	if ragged > maxListed {
		res.Report.warn(0, "另有 %d 行的列数少于表头", "%d more rows have fewer cells than the header", ragged-maxListed)
	}
	if cr, ok := src.(*csvReader); ok && cr.text.unterminated && last.line == cr.text.line &&
		last.cells < conv.width && !blankTail(header, last.cells) {
		last.cut = true
	}
	if footer.Len() > 0 {
		text := footer.String()
		more := statedTotals(text)
		if !tb.stated.rowsSet && more.rowsSet {
			tb.stated.rows, tb.stated.rowsSet = more.rows, true
		}
		if !tb.stated.inRowsSet && !tb.stated.outRowSet {
			tb.stated.inRows, tb.stated.inRowsSet, tb.stated.in, tb.stated.inSumSet = more.inRows, more.inRowsSet, more.in, more.inSumSet
			tb.stated.outRows, tb.stated.outRowSet, tb.stated.out, tb.stated.outSumSet = more.outRows, more.outRowSet, more.out, more.outSumSet
		}
		tb.sawEnd = tb.f.endMarker != "" && strings.Contains(text, tb.f.endMarker)
	}
	tb.report()
	if err := tb.checkComplete(last); err != nil {
		return err
	}
	for _, s := range conv.statusOrder {
		sc := conv.statusSeen[s]
		res.Report.warn(sc.line, "交易状态 %q 不是 %s 常见的状态（%d 行），请核对这些行", "status %q is not one %s uses (%d row(s)); check those rows", s, tb.f.name, sc.n)
	}
	if res.Report.Rows == 0 {
		res.Report.warn(0, "文件只有表头，没有交易行", "the file has a header but no rows")
	}
	if opts.Progress != nil {
		return opts.Progress(res.Report.Rows)
	}
	return nil
}

// report adds to the report what the converter noticed over the whole
// file: directions the file did not state, mangled numbers, ambiguous
// dates, and the sums per currency.
func (tb *table) report() {
	r, c := &tb.res.Report, tb.conv
	if c.guessed > 0 {
		r.Guessed = c.guessed
		merchant := c.guessedSales
		zh, en := "支出（退款、撤销记为收入）", "money out (refunds and reversals as money in)"
		if merchant {
			zh, en = "收入（退款、撤销记为支出）", "money in (refunds and reversals as money out)"
		}
		r.Warnings = append(r.Warnings, Problem{Line: c.guessedLine,
			ZH:      fmt.Sprintf("有 %d 行文件没有写明资金方向（没有收/支、借/贷列或正负号约定）：按类型记为%s，负数记为相反方向。如不对，请说明正数的含义（dk import --positive in|out），或指定方向列", c.guessed, zh),
			Message: fmt.Sprintf("%d row(s) do not say which way the money moved (no 收/支 or 借/贷 column, no sign convention): taken as %s, negative amounts the other way. If that is wrong, say what a positive amount means (dk import --positive in|out), or map a direction column", c.guessed, en)})
	}
	if c.mangled > 0 {
		r.warn(c.mangledLine, "有 %d 个订单号或参考号被 Excel 改成了科学计数法（如 2.02603E+27），不能用来识别交易：这些行按内容识别。最好使用原始导出文件",
			"%d order or reference number(s) were turned into scientific notation by Excel (like 2.02603E+27) and cannot identify a row: those rows are told apart by their content. Import the original export if you can",
			c.mangled)
	}
	if c.ambiguousDates > 0 && !c.provedDayFirst && !c.provedMonthFirst {
		if c.monthFirst {
			r.warn(0, "有 %d 个日期（如 03/04/2024）既可读作日/月也可读作月/日：已按说明读作月/日/年",
				"%d date(s) like 03/04/2024 can be read day first or month first: read as month/day/year, as asked", c.ambiguousDates)
		} else {
			r.warn(0, "有 %d 个日期（如 03/04/2024）既可读作日/月也可读作月/日：已按日/月/年读取，请核对（如是月/日/年，请用 --date-order mdy）",
				"%d date(s) like 03/04/2024 can be read day first or month first: read as day/month/year — check them (for month/day/year use --date-order mdy)", c.ambiguousDates)
		}
	}
	r.Flows = r.Flows[:0]
	for _, cur := range sortedKeys(c.flows) {
		r.Flows = append(r.Flows, *c.flows[cur])
	}
	for _, fl := range r.Flows {
		if fl.Currency != "CNY" {
			r.warn(0, "有 %d 行是外币（%s），保留原币种，不计入人民币合计", "%d row(s) are in %s: kept in that currency and never added to RMB totals",
				fl.InRows+fl.OutRows+fl.NeutralRows, fl.Currency)
		}
	}
}

func sortedKeys(m map[string]*Flow) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if (keys[i] == "CNY") != (keys[j] == "CNY") {
			return keys[i] == "CNY"
		}
		return keys[i] < keys[j]
	})
	return keys
}

// recognise says which format's header cells is, or nil.
func recognise(cells []string, preamble string, forced *format, opts Options) *format {
	if len(cells) < 2 {
		return nil
	}
	h := newHeaderSet(cells)
	for _, f := range namedFormats {
		if (forced == nil || forced == f) && f.header(h, preamble) {
			return f
		}
	}
	if (forced == nil || forced == calls) && callHeader(h) {
		return calls
	}
	if forced != nil && forced != mapped {
		return nil
	}
	m := SuggestMapping(cells)
	if opts.Recall != nil {
		if old, ok := opts.Recall(HeaderSignature(cells)); ok {
			for k, v := range old {
				m[k] = v
			}
			if mappingComplete(m) {
				return mapped // the user confirmed this very header before
			}
		}
	}
	user, missing := normalizeMapping(cells, opts.Map)
	m.overlay(user)
	if len(opts.Map) > 0 && len(missing) == 0 && len(m) >= 2 {
		return mapped
	}
	if len(m) >= 3 && mappingComplete(m) {
		return mapped
	}
	return nil
}

func mappingComplete(m Mapping) bool {
	when, money := false, false
	for _, f := range m {
		switch f {
		case FieldTime, FieldDate:
			when = true
		case FieldAmount, FieldIncome, FieldExpense:
			money = true
		}
	}
	return when && money
}

// looksTabular reports whether text read so far has rows of several cells,
// so that a missing header means "needs a mapping" rather than "not a table".
func looksTabular(pre string) bool {
	rows := 0
	for _, l := range strings.Split(pre, "\n") {
		if strings.Count(strings.TrimSpace(l), " ") >= 3 {
			rows++
		}
	}
	return rows >= 2
}

func containsCell(cells []string, s string) bool {
	for _, c := range cells {
		if c == s {
			return true
		}
	}
	return false
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}

// blankTail reports whether the header's columns from n on are all unnamed
// (Alipay's header ends with a comma).
func blankTail(header []string, n int) bool {
	for _, h := range header[n:] {
		if h != "" {
			return false
		}
	}
	return true
}

func sameRow(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// footerRow recognises the lines statements put after their rows: separator
// lines, "#共10笔记录", "合计金额", export notes.
func footerRow(cells []string) bool {
	first := ""
	for _, c := range cells {
		if c != "" {
			first = c
			break
		}
	}
	if strings.HasPrefix(first, "--") || strings.HasPrefix(first, "#") || strings.HasPrefix(first, "==") {
		return true
	}
	for _, p := range []string{"合计", "总计", "共计", "小计", "本页", "导出时间", "注:", "注：", "说明", "温馨提示", "总交易单数"} {
		if strings.HasPrefix(first, p) {
			return true
		}
	}
	// "人民币合计", "美元合计": a currency's totals line.
	return len(first) <= 18 && strings.HasSuffix(first, "合计")
}
