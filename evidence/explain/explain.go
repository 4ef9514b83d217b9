// Package explain owns the words a user reads when something fails: it
// classifies an error into a Problem — a reason Code plus the facts needed
// to word it (the file, the field, the amount as typed) — and words the
// Problem as a full sentence in Chinese or English, saying what happened
// and what to do next. The technical chain stays in Problem.Cause for
// --debug and logs.
//
// Classification uses errors.Is and errors.As on the sentinels and types
// the core packages declare (evidence.ErrNotFound, *evidence.FieldError,
// *evidence.AmountError, store.ErrLocked, bundle.ErrPassphrase,
// ingest.ErrNotStatement, fs.ErrNotExist, syscall.ENOSPC, SQLite's
// SQLITE_FULL, zip.ErrChecksum …), never on error text where a sentinel or
// type exists. Validation refusals are evidence.FieldError (a field and a
// reason code, see evidence/validate.go); this package words them too, so
// the CLI and the app can share one wording.
package explain

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"syscall"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/bundle"
	"github.com/disputekit/disputekit/evidence/ingest"
	"github.com/disputekit/disputekit/evidence/store"
	"github.com/disputekit/disputekit/templates"
)

// Code names what went wrong, for a face to word.
type Code string

// The problems a user can meet.
const (
	WrongPassphrase Code = "wrong-passphrase"  // an encrypted bundle and a wrong or missing passphrase
	BundleDamaged   Code = "bundle-damaged"    // a bundle refused: damaged, changed, or not ours
	BadBackup       Code = "bad-backup"        // a backup that cannot be restored
	DiskFull        Code = "disk-full"         // no space left (ENOSPC, SQLITE_FULL)
	NotStatement    Code = "not-statement"     // a file no importer recognises
	NeedMapping     Code = "need-mapping"      // a table whose columns must be mapped by hand
	NoRows          Code = "no-rows"           // a statement with a header but not one readable row (*ingest.NoRowsError)
	StoreLocked     Code = "store-locked"      // the home is open in another window or process
	NewerSchema     Code = "newer-schema"      // the home was written by a newer DisputeKit
	FileNotFound    Code = "file-not-found"    // a path that does not exist
	Permission      Code = "permission"        // a path the user may not read or write
	NotAFile        Code = "not-a-file"        // a folder, device or pipe where a file was wanted
	RecordNotFound  Code = "record-not-found"  // no such case, transaction, exhibit …
	InvalidField    Code = "invalid-field"     // a refused value (*evidence.FieldError)
	InvalidAmount   Code = "invalid-amount"    // an amount that cannot be read (*evidence.AmountError)
	TooLarge        Code = "too-large"         // a file or case over the limits
	Duplicate       Code = "duplicate"         // already there
	HomeNotEmpty    Code = "home-not-empty"    // restore into a home that holds files
	SomeFilesFailed Code = "some-files-failed" // of several files, some were not stored (*FilesFailed)
	Stopped         Code = "stopped"           // cancelled (Ctrl+C)
	Unexpected      Code = "unexpected"        // anything else: see the cause
)

// Codes lists every Code, for tests that check each has its words.
var Codes = []Code{WrongPassphrase, BundleDamaged, BadBackup, DiskFull, NotStatement, NeedMapping, NoRows, StoreLocked,
	NewerSchema, FileNotFound, Permission, NotAFile, RecordNotFound, InvalidField, InvalidAmount, TooLarge, Duplicate,
	HomeNotEmpty, SomeFilesFailed, Stopped, Unexpected}

// Problem is an error classified for wording.
type Problem struct {
	Code   Code
	Path   string          // the file involved, when known
	Field  string          // InvalidField: the field as the JSON names it
	Reason evidence.Reason // InvalidField, InvalidAmount: why
	Text   string          // InvalidAmount: the amount as typed
	Free   int64           // DiskFull: bytes still free, when the caller knows (0: unknown)
	Failed int             // SomeFilesFailed: how many files were not stored …
	Total  int             // … of how many
	// NoRows: where the header was, how many rows were skipped, and the
	// first skipped row with ingest's reason in each language.
	HeaderLine, Skipped, RowLine int
	RowZh, RowEn                 string
	Cause                        error // the technical error, for --debug
}

// FilesFailed is what a command given several files (attach, import)
// returns when it could not store some of them, after saying why for each.
type FilesFailed struct {
	Failed, Total int
}

func (e *FilesFailed) Error() string {
	return fmt.Sprintf("%d of %d file(s) not stored (see above); the others were stored", e.Failed, e.Total)
}

// Classify finds what err means for the user.
func Classify(err error) Problem {
	p := Problem{Code: Unexpected, Cause: err}
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		p.Path = pathErr.Path
	}
	var fe *evidence.FieldError
	var ae *evidence.AmountError
	var ff *FilesFailed
	var nr *ingest.NoRowsError
	switch {
	case err == nil:
		return Problem{}
	case errors.As(err, &ff):
		p.Code, p.Failed, p.Total = SomeFilesFailed, ff.Failed, ff.Total
	case errors.Is(err, context.Canceled):
		p.Code = Stopped
	case errors.Is(err, bundle.ErrPassphrase):
		p.Code = WrongPassphrase
	case isDiskFull(err):
		p.Code = DiskFull
	case errors.Is(err, store.ErrLocked):
		p.Code = StoreLocked
	case errors.Is(err, store.ErrNewerSchema):
		p.Code = NewerSchema
	case errors.Is(err, store.ErrBadBackup):
		p.Code = BadBackup
	case errors.Is(err, store.ErrHomeNotEmpty):
		p.Code = HomeNotEmpty
	case errors.Is(err, bundle.ErrRefused), errors.Is(err, zip.ErrChecksum), errors.Is(err, zip.ErrFormat),
		errors.Is(err, zip.ErrAlgorithm), isAuthenticationFailure(err):
		p.Code = BundleDamaged
	case errors.As(err, &ae):
		p.Code, p.Reason, p.Text = InvalidAmount, ae.Reason, ae.Text
	case errors.As(err, &fe):
		p.Code, p.Field, p.Reason = InvalidField, fe.Field, fe.Reason
	case errors.Is(err, ingest.ErrNeedMapping):
		p.Code = NeedMapping
	case errors.As(err, &nr):
		p.Code, p.HeaderLine, p.Skipped = NoRows, nr.HeaderLine, nr.Skipped
		if nr.First != nil {
			p.RowLine, p.RowEn, p.RowZh = nr.First.Line, nr.First.Message, nr.First.In("zh")
		}
	case errors.Is(err, ingest.ErrNoRows):
		p.Code = NoRows
	case errors.Is(err, ingest.ErrNotStatement):
		p.Code = NotStatement
	case errors.Is(err, evidence.ErrNotAFile):
		p.Code = NotAFile
	case errors.Is(err, evidence.ErrTooLarge), errors.Is(err, ingest.ErrTooLarge):
		p.Code = TooLarge
	case errors.Is(err, evidence.ErrDuplicate):
		p.Code = Duplicate
	case errors.Is(err, evidence.ErrNotFound):
		p.Code = RecordNotFound
	case errors.Is(err, fs.ErrNotExist):
		p.Code = FileNotFound
	case errors.Is(err, fs.ErrPermission):
		p.Code = Permission
	}
	return p
}

// isDiskFull: the operating system's "no space left on device", or SQLite's
// SQLITE_FULL ("database or disk is full").
func isDiskFull(err error) bool {
	if errors.Is(err, syscall.ENOSPC) {
		return true
	}
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_FULL
}

// isAuthenticationFailure: an encrypted bundle whose bytes were changed
// after it was written. golang.org/x/crypto's chacha20poly1305 and age
// return unexported errors for it, so this one test reads the text.
func isAuthenticationFailure(err error) bool {
	s := err.Error()
	return strings.Contains(s, "message authentication failed") || strings.Contains(s, "failed to decrypt and authenticate payload chunk")
}

// Message words p in lang as one or two full sentences.
func (p Problem) Message(lang templates.Lang) string {
	w := words[p.Code]
	if lang != templates.English {
		return w.zh(p)
	}
	return w.en(p)
}

// Lang picks the language for messages: flag when given ("zh" or "en"),
// else the locale (LC_ALL, LC_MESSAGES, LANG as getenv reads them): Chinese
// for zh_*, English otherwise.
func Lang(flag string, getenv func(string) string) templates.Lang {
	switch strings.ToLower(flag) {
	case "zh":
		return templates.Chinese
	case "en":
		return templates.English
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if loc := getenv(v); loc != "" {
			if strings.HasPrefix(strings.ToLower(loc), "zh") {
				return templates.Chinese
			}
			return templates.English
		}
	}
	return templates.English
}

// FileLine words one line of a bundle verification report in lang: the
// file's status, its path and, when it did not match, why. debug adds the
// technical detail (bundle's English) after the words.
func FileLine(f bundle.FileResult, lang templates.Lang, debug bool) string {
	zh := lang != templates.English
	status := string(f.Status)
	if zh {
		status = map[bundle.Status]string{bundle.Matched: "一致", bundle.Changed: "已改动", bundle.Missing: "缺失",
			bundle.Unexpected: "多出"}[f.Status]
		if status == "" {
			status = "有问题"
		}
		status += strings.Repeat("　", max(0, 3-len([]rune(status)))) // full-width spaces keep the paths in a column
	} else {
		status = fmt.Sprintf("%-10s", status)
	}
	line := status + " " + f.Path
	why := fileReasonWords(f.Reason, zh)
	if debug && f.Problem != "" {
		if zh {
			why += "；技术原因：" + f.Problem
		} else {
			why += "; cause: " + f.Problem
		}
	}
	if why == "" {
		return line
	}
	if zh {
		return line + "（" + why + "）"
	}
	return line + " (" + why + ")"
}

// fileReasonWords words why a bundle's file did not match.
func fileReasonWords(r bundle.FileReason, zh bool) string {
	w, ok := fileReasons[r]
	switch {
	case !ok && r == "":
		return ""
	case !ok && zh:
		return "与清单不符"
	case !ok:
		return "does not match the manifest"
	case zh:
		return w[0]
	}
	return w[1]
}

var fileReasons = map[bundle.FileReason][2]string{
	bundle.ReasonUnreadable: {"读不出来：这个文件在证据包里已损坏", "cannot be read: the file is damaged in the bundle"},
	bundle.ReasonDiffers:    {"内容与清单记录的不一致：导出后被改动过", "its content is not what the manifest records: it was changed after export"},
	bundle.ReasonNotListed:  {"清单里没有列出这个文件", "the manifest does not list it"},
	bundle.ReasonAbsent:     {"清单里列了，但证据包里没有", "the manifest lists it, but the bundle does not hold it"},
}

// InconsistencyLine words one disagreement between a bundle's case.json and
// its manifest in lang, as a line of dk bundle verify's report. debug adds
// the technical text (bundle's English) after the words.
func InconsistencyLine(in bundle.Inconsistency, lang templates.Lang, debug bool) string {
	zh := lang != templates.English
	var line string
	switch {
	case in.Kind == bundle.OtherCase && zh:
		line = fmt.Sprintf("清单登记的是案件 %d，案件数据里却是案件 %d：两部分不属于同一个案件，证据包被拼凑或改动过。", in.ManifestID, in.CaseID)
	case in.Kind == bundle.OtherCase:
		line = fmt.Sprintf("The manifest is for case %d but the case data holds case %d: the two parts do not belong together, so the bundle was put together or changed by hand.", in.ManifestID, in.CaseID)
	case in.Kind == bundle.SameHash && zh:
		line = fmt.Sprintf("%s 和 %s 的内容完全相同：同一个文件在清单里出现了两次。", in.OtherPath, in.Path)
	case in.Kind == bundle.SameHash:
		line = fmt.Sprintf("%s and %s have the same content: one file is listed twice in the manifest.", in.OtherPath, in.Path)
	case in.Kind == bundle.NoFile && zh:
		line = fmt.Sprintf("证据%d（%s）的文件不在证据包里。", in.Exhibit, in.Title)
	case in.Kind == bundle.NoFile:
		line = fmt.Sprintf("Exhibit %d (%s) has no file in the bundle.", in.Exhibit, in.Title)
	case in.Kind == bundle.SizeDiffers && zh:
		line = fmt.Sprintf("证据%d 在案件数据里记为 %d 字节，清单里的文件 %s 却是 %d 字节。", in.Exhibit, in.Size, in.Path, in.FileSize)
	case in.Kind == bundle.SizeDiffers:
		line = fmt.Sprintf("Exhibit %d is recorded as %d bytes, but its file %s in the manifest has %d bytes.", in.Exhibit, in.Size, in.Path, in.FileSize)
	case in.Kind == bundle.NoExhibit && zh:
		line = fmt.Sprintf("%s 在证据包里，但没有哪一项证据用到它。", in.Path)
	case in.Kind == bundle.NoExhibit:
		line = fmt.Sprintf("%s is in the bundle, but no exhibit refers to it.", in.Path)
	case zh:
		line = "案件数据与清单不一致。"
	default:
		line = "The case data does not agree with the manifest."
	}
	if zh {
		line = "问题　 " + line
		if debug && in.Problem != "" {
			line += "（技术原因：" + in.Problem + "）"
		}
		return line
	}
	line = "problem    " + line
	if debug && in.Problem != "" {
		line += " (cause: " + in.Problem + ")"
	}
	return line
}
