package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/picture"
)

// Store is what importing needs from the case store; *store.Store has it.
type Store interface {
	GetCase(ctx context.Context, id int64) (evidence.Case, error)
	ImportStatement(ctx context.Context, caseID int64, src io.Reader, meta evidence.Exhibit, ts []evidence.Transaction) (evidence.Exhibit, int, int, error)
	Attach(ctx context.Context, caseID int64, r io.Reader, meta evidence.Exhibit) (evidence.Exhibit, error)
	AddCall(ctx context.Context, c *evidence.CallLog) error
	ListCalls(ctx context.Context, caseID int64) ([]evidence.CallLog, error)
	PutBlob(r io.Reader) (sha string, size int64, err error)
	SetDerived(ctx context.Context, origSHA, kind, derivedSHA string) error
	OpenBlob(sha string) (io.ReadCloser, error)
	Settings
}

// ImportOptions steer ImportFile.
type ImportOptions struct {
	// Format and Map are as in Options; Role comes from the case.
	Format string
	Map    Mapping
	// HeaderLine names the header row when detection cannot find it.
	HeaderLine int
	// Previews makes the derived images (picture.Kinds: thumbnail and
	// print-size copy) of each image now, so exports only embed them.
	Previews bool
	// Pictures, when set with Previews, makes them on its workers instead:
	// ImportFile queues the image and returns once it is stored, and the
	// caller waits on the Intake after its last file.
	Pictures *picture.Intake
	// DryRun reads and checks the file and reports what an import would do,
	// storing nothing.
	DryRun bool
	// Progress is called with the rows read so far (see Options.Progress).
	Progress func(rows int) error
	// Positive says what a positive amount means (see Options.Positive).
	Positive string
	// DateOrder is how slash dates are written (see Options.DateOrder).
	DateOrder string
}

const mappingKeyPrefix = "ingest.mapping."

// ImportFile imports one file into a case, deciding by its content what it
// is: a statement (its rows become transactions and the file an exhibit, in
// one store transaction), a call log (calls added, repeats skipped), an image
// (photo or screenshot exhibit, capture time from EXIF) or a PDF or recording
// (exhibit). Anything else is refused with ErrNotStatement.
func ImportFile(ctx context.Context, st Store, caseID int64, path string, opts ImportOptions) (Report, error) {
	name := filepath.Base(path)
	rep, err := importFile(ctx, st, caseID, path, name, opts)
	if err != nil {
		return rep, fmt.Errorf("import %s: %w", name, err)
	}
	return rep, nil
}

func importFile(ctx context.Context, st Store, caseID int64, path, name string, opts ImportOptions) (Report, error) {
	rep := Report{File: name}
	c, err := st.GetCase(ctx, caseID)
	if err != nil {
		return rep, err
	}
	if err := evidence.CheckRegularFile(path); err != nil {
		return rep, err
	}
	f, err := os.Open(path)
	if err != nil {
		return rep, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return rep, err
	} else if !fi.Mode().IsRegular() {
		return rep, fmt.Errorf("not a regular file: %w", evidence.ErrInvalid)
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return rep, err
	}
	head = head[:n]
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return rep, err
	}
	if kind, media := mediaKind(head); kind != "" {
		return importMedia(ctx, st, caseID, f, name, kind, media, opts)
	}
	popts := Options{Format: opts.Format, Map: opts.Map, Role: c.Role, Name: name, HeaderLine: opts.HeaderLine,
		Progress: opts.Progress, Positive: opts.Positive, DateOrder: opts.DateOrder, Context: ctx, Recall: func(sig string) (Mapping, bool) { return recallMapping(ctx, st, sig) }}
	if ss, ok := st.(StreamStore); ok && !opts.DryRun {
		return importStream(ctx, ss, c, f, name, popts)
	}
	res, err := parse(f, popts)
	if err != nil {
		return rep, err
	}
	if opts.DryRun {
		res.Report.File = name
		if res.Report.Kind == "calls" {
			res.Report.Imported = len(res.Calls)
		} else {
			res.Report.Imported = len(res.Transactions)
		}
		res.Report.warn(0, "试运行：未保存任何内容；导入数为将提交的行数（未扣除重复）", "dry run: nothing was stored; imported counts what would be offered to the case, before duplicates")
		return res.Report, nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return rep, err
	}
	if res.Report.Kind == "calls" {
		return importCalls(ctx, st, caseID, res)
	}
	return importStatement(ctx, st, c, f, name, res)
}

// importStatement stores the file and its transactions in one store call.
func importStatement(ctx context.Context, st Store, c evidence.Case, f io.Reader, name string, res *Result) (Report, error) {
	rep := res.Report
	rep.File = name
	if len(res.Transactions) == 0 {
		return rep, noRows(rep)
	}
	ex, added, dups, err := st.ImportStatement(ctx, c.ID, f, statementMeta(c, name, rep.Format), res.Transactions)
	if err != nil {
		return rep, err
	}
	return statementDone(ctx, st, rep, res, ex, evidence.ImportCounts{Added: added, Duplicates: dups}), nil
}

// ErrNoRows means a statement's header was found but not one of its rows
// could be read; the error names the first reason. It wraps evidence.ErrInvalid.
var ErrNoRows = fmt.Errorf("no row could be read: %w", evidence.ErrInvalid)

// NoRowsError is the ErrNoRows a statement import returns: where the
// header was, how many rows were skipped, and the first skipped row with
// its reason in both languages, so each face can word it.
type NoRowsError struct {
	HeaderLine int
	Skipped    int
	First      *Problem // the first skipped row; nil when there were none
}

func (e *NoRowsError) Error() string {
	if e.Skipped == 0 {
		return fmt.Sprintf("the file has a header (line %d) but no rows: %v", e.HeaderLine, ErrNoRows)
	}
	why := ""
	if e.First != nil {
		why = fmt.Sprintf(" (line %d: %s)", e.First.Line, e.First.Message)
	}
	return fmt.Sprintf("all %d rows were skipped%s; nothing was stored: %v", e.Skipped, why, ErrNoRows)
}

// Unwrap makes errors.Is(err, ErrNoRows) (and evidence.ErrInvalid) hold.
func (e *NoRowsError) Unwrap() error { return ErrNoRows }

func noRows(rep Report) error {
	e := &NoRowsError{HeaderLine: rep.HeaderLine, Skipped: rep.Skipped}
	if rep.Skipped > 0 && len(rep.SkippedRows) > 0 {
		first := rep.SkippedRows[0]
		e.First = &first
	}
	return e
}

// statementMeta describes a statement file about to be stored.
func statementMeta(c evidence.Case, name, format string) evidence.Exhibit {
	kind := evidence.KindStatement
	if c.Role == evidence.RoleMerchant && (format == FormatICBC || format == FormatCCB) {
		kind = evidence.KindSettlement // a merchant's bank statement is the settlement account
	}
	title := formatByName(format).title
	return evidence.Exhibit{Kind: kind, Title: title + " " + name, OriginalName: name,
		Source: sourceLabel(format), Purpose: "交易记录 / transaction records"}
}

// statementDone completes the report of a stored statement.
func statementDone(ctx context.Context, st Settings, rep Report, res *Result, ex evidence.Exhibit, n evidence.ImportCounts) Report {
	rep.Imported, rep.Duplicates, rep.Updated = n.Added, n.Duplicates, n.Updated
	for _, ch := range n.Changes {
		rep.warn(0, "交易 %d 的状态已更新：%s → %s", "transaction %d's status updated: %s → %s", ch.ID, ch.From, ch.To)
	}
	if n.Updated > len(n.Changes) {
		rep.warn(0, "另有 %d 笔交易的状态已更新", "%d more transactions had their status updated", n.Updated-len(n.Changes))
	}
	rep.ExhibitID, rep.ExhibitSeq, rep.SHA256 = ex.ID, ex.Seq, ex.SHA256
	if rep.Format == FormatMapped {
		if err := rememberMapping(ctx, st, res.Signature, res.Mapping); err != nil {
			rep.warn(0, "列对应关系未能保存：%v", "the column mapping could not be remembered: %v", err)
		}
	}
	return rep
}

func sourceLabel(format string) string {
	switch format {
	case FormatAlipay:
		return "支付宝账单导出 / Alipay export"
	case FormatWeChat:
		return "微信支付账单导出 / WeChat Pay export"
	case FormatICBC:
		return "工商银行明细导出 / ICBC statement"
	case FormatCCB:
		return "建设银行明细导出 / CCB statement"
	}
	return "导出文件 / exported file"
}

// Settings is the part of the store that remembers column mappings.
type Settings interface {
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}

// PreviewPath previews the file at path for an import screen (see
// PreviewFile), with the mappings remembered in st.
func PreviewPath(ctx context.Context, st Settings, path string, opts Options, n int) (*Preview, error) {
	if err := evidence.CheckRegularFile(path); err != nil {
		return nil, fmt.Errorf("preview: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("preview %s: %w", filepath.Base(path), err)
	}
	defer f.Close()
	if opts.Name == "" {
		opts.Name = filepath.Base(path)
	}
	if opts.Recall == nil {
		opts.Recall = func(sig string) (Mapping, bool) { return recallMapping(ctx, st, sig) }
	}
	if opts.Context == nil {
		opts.Context = ctx
	}
	return PreviewFile(f, opts, n)
}

// RememberMapping stores m as the mapping for files whose header has signature sig.
func RememberMapping(ctx context.Context, st Settings, sig string, m Mapping) error {
	return rememberMapping(ctx, st, sig, m)
}

func recallMapping(ctx context.Context, st Settings, sig string) (Mapping, bool) {
	v, err := st.Setting(ctx, mappingKeyPrefix+sig)
	if err != nil {
		return nil, false
	}
	var m Mapping
	if json.Unmarshal([]byte(v), &m) != nil {
		return nil, false
	}
	for k, f := range m {
		if !f.Valid() {
			delete(m, k)
		}
	}
	return m, len(m) > 0
}

func rememberMapping(ctx context.Context, st Settings, sig string, m Mapping) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return st.SetSetting(ctx, mappingKeyPrefix+sig, string(b))
}

// importCalls adds the calls that are not in the case yet (same start,
// number, direction and duration). The store has no batch call API, so a
// failure part way leaves the calls before it; importing again adds the rest.
func importCalls(ctx context.Context, st Store, caseID int64, res *Result) (Report, error) {
	rep := res.Report
	have, err := st.ListCalls(ctx, caseID)
	if err != nil {
		return rep, err
	}
	key := func(c evidence.CallLog) string {
		return fmt.Sprintf("%d|%s|%s|%d", c.Start.Unix(), strings.TrimSpace(c.Number), c.Direction, c.Duration)
	}
	seen := map[string]bool{}
	for _, c := range have {
		seen[key(c)] = true
	}
	for _, c := range res.Calls {
		c.CaseID = caseID
		k := key(c)
		if seen[k] {
			rep.Duplicates++
			continue
		}
		if err := st.AddCall(ctx, &c); err != nil {
			return rep, fmt.Errorf("after %d calls added: %w", rep.Imported, err)
		}
		seen[k] = true
		rep.Imported++
	}
	return rep, nil
}

// mediaKind says from a file's first bytes whether it is an image, a PDF or
// a recording, and its media type; "" for anything else.
func mediaKind(head []byte) (evidence.ExhibitKind, string) {
	switch {
	case bytes.HasPrefix(head, []byte("#!AMR")):
		return evidence.KindRecording, "audio/amr"
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		switch string(head[8:12]) {
		case "heic", "heix", "mif1", "msf1":
			return evidence.KindPhoto, "image/heic"
		case "M4A ":
			return evidence.KindRecording, "audio/mp4"
		}
	}
	t := http.DetectContentType(head)
	switch {
	case strings.HasPrefix(t, "image/"):
		return evidence.KindPhoto, t
	case t == "application/pdf":
		return evidence.KindDocument, t
	case strings.HasPrefix(t, "audio/"), t == "application/ogg":
		return evidence.KindRecording, t
	}
	return "", ""
}

// importMedia attaches an image, PDF or recording. Images are looked at
// (header and EXIF only) to tell a screenshot from a photo and to read the
// capture time; one that declares absurd dimensions or does not decode is
// kept as a file, with a warning and no preview.
func importMedia(ctx context.Context, st Store, caseID int64, f *os.File, name string, kind evidence.ExhibitKind, media string, opts ImportOptions) (Report, error) {
	rep := Report{File: name, Kind: "document"}
	meta := evidence.Exhibit{Kind: kind, OriginalName: name, Title: name, MediaType: media}
	previewOK := false
	if strings.HasPrefix(media, "image/") {
		rep.Kind = "image"
		info, err := picture.Inspect(f)
		switch {
		case errors.Is(err, picture.ErrTooLarge):
			rep.warn(0, "图片声明 %d×%d 像素，超过 %d：已作为文件保存，不生成预览", "the image declares %d×%d pixels, more than %d: stored as a file, without a preview", info.Width, info.Height, picture.MaxPixels)
		case err != nil:
			rep.warn(0, "图片无法读取（%v）：已作为文件保存，不生成预览", "the image cannot be read (%v): stored as a file, without a preview", err)
		default:
			previewOK = true
			meta.Captured = info.Captured
			if picture.LooksLikeScreenshot(info) {
				meta.Kind = evidence.KindChat
				rep.warn(0, "看起来是手机截图（%d×%d，无相机信息）：已归为聊天截图，如不是请修改类别", "looks like a phone screenshot (%d×%d, no camera): filed as a chat screenshot; change the kind if it is not", info.Width, info.Height)
			} else if info.Camera != "" {
				meta.Note = "拍摄设备 / camera: " + info.Camera
			}
			if info.Captured.IsZero() {
				rep.warn(0, "图片没有拍摄时间（EXIF），如知道请手动填写", "no capture time in the image (EXIF); add it by hand if known")
			}
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return rep, err
		}
	}
	rep.Format = string(meta.Kind)
	if opts.DryRun {
		rep.warn(0, "试运行：未保存任何内容", "dry run: nothing was stored")
		return rep, nil
	}
	ex, err := st.Attach(ctx, caseID, f, meta)
	if errors.Is(err, evidence.ErrDuplicate) {
		rep.Duplicates = 1
		rep.ExhibitID, rep.ExhibitSeq, rep.SHA256 = ex.ID, ex.Seq, ex.SHA256
		return rep, nil
	}
	if err != nil {
		return rep, err
	}
	rep.Imported = 1
	rep.ExhibitID, rep.ExhibitSeq, rep.SHA256 = ex.ID, ex.Seq, ex.SHA256
	if previewOK && opts.Previews && opts.Pictures != nil {
		// The worker reads the stored copy: the user's file may change meanwhile.
		opts.Pictures.Add(picture.Picture{SHA256: ex.SHA256, Name: name, Open: func() (io.ReadCloser, error) { return st.OpenBlob(ex.SHA256) }})
	} else if previewOK && opts.Previews {
		if err := MakePreviews(ctx, st, f, ex.SHA256); err != nil {
			rep.warn(0, "已保存，但无法生成预览：%v", "stored, but no preview could be made: %v", err)
		}
	}
	return rep, nil
}

// MakePreviews stores the derived images (picture.Kinds) of the image f,
// stored under sha, and links them to it (picture.StoreDerived).
func MakePreviews(ctx context.Context, st Store, f io.ReadSeeker, sha string) error {
	return picture.StoreDerived(ctx, st, picture.Picture{SHA256: sha, Open: func() (io.ReadCloser, error) {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		return io.NopCloser(f), nil
	}})
}
