package explain

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/bundle"
	"github.com/disputekit/disputekit/evidence/ingest"
	"github.com/disputekit/disputekit/evidence/store"
	"github.com/disputekit/disputekit/templates"
)

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

var reasons = []evidence.Reason{evidence.ReasonRequired, evidence.ReasonFormat, evidence.ReasonNegative, evidence.ReasonNotAllowed,
	evidence.ReasonBeforeStart, evidence.ReasonTooLarge, evidence.ReasonZero, evidence.ReasonDecimals, evidence.ReasonThousands}

// Every message, in both languages: a full sentence, Chinese in Chinese
// (no program-written English word), English in English.
func TestEveryMessageInBothLanguages(t *testing.T) {
	var problems []Problem
	for _, c := range Codes {
		problems = append(problems, Problem{Code: c}, Problem{Code: c, Path: "/tmp/.账单.csv.part-0123456789ab"})
	}
	for _, r := range reasons {
		problems = append(problems, Problem{Code: InvalidField, Field: "claims[2].amount", Reason: r},
			Problem{Code: InvalidField, Field: "duration", Reason: r}, Problem{Code: InvalidAmount, Text: "12,80", Reason: r})
	}
	problems = append(problems, Problem{Code: DiskFull, Free: 3 << 20},
		Problem{Code: NoRows, HeaderLine: 4}, Problem{Code: NoRows, Path: "/tmp/账单.csv", HeaderLine: 4},
		Problem{Code: NoRows, Skipped: 3, RowLine: 5, RowZh: "没有金额", RowEn: "no amount"},
		Problem{Code: NoRows, Skipped: 3, Path: "/tmp/账单.csv"}, Problem{Code: NoRows, Skipped: 1, RowLine: 3, RowZh: "没有金额", RowEn: "no amount"})
	english := func(s string) []string { // Latin words that are not names, flags or units
		var out []string
		for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r > unicode.MaxASCII || !unicode.IsLetter(r) }) {
			switch w {
			case "DisputeKit", "dk", "case", "list", "wait", "s", "force", "debug", "GiB", "MiB", "csv":
			default:
				out = append(out, w)
			}
		}
		return out
	}
	for _, p := range problems {
		zh, en := p.Message(templates.Chinese), p.Message(templates.English)
		t.Logf("%s\n  zh: %s\n  en: %s", p.Code, zh, en)
		assert.True(t, hasHan(zh), "%s: zh %q", p.Code, zh)
		assert.True(t, strings.HasSuffix(zh, "。"), "%s: zh is a sentence: %q", p.Code, zh)
		assert.Empty(t, english(zh), "%s: English words in %q", p.Code, zh)
		assert.False(t, hasHan(strings.ReplaceAll(en, "账单", "")), "%s: en %q", p.Code, en) // but the file's own name
		assert.True(t, strings.HasSuffix(en, "."), "%s: en is a sentence: %q", p.Code, en)
		assert.NotContains(t, en, "part-", "the temporary name is never shown")
	}
	for _, r := range reasons {
		p := Problem{Code: InvalidField, Field: "amount", Reason: r}
		assert.NotContains(t, p.Message(templates.English), "is not accepted", "reason %s has its own words", r)
		assert.NotContains(t, p.Message(templates.Chinese), "不能接受", "reason %s has its own words", r)
	}
	for _, f := range ingest.Formats {
		assert.Contains(t, formatNamesTable, f, "format %s is named in the not-a-statement message", f)
	}
}

func TestClassify(t *testing.T) {
	pathErr := func(err error) error { return &fs.PathError{Op: "open", Path: "/home/u/账单.csv", Err: err} }
	for _, c := range []struct {
		err  error
		want Code
	}{
		{fmt.Errorf("decrypt bundle: %w", bundle.ErrPassphrase), WrongPassphrase},
		{fmt.Errorf("entry %q: damaged: %w", "case.json", bundle.ErrRefused), BundleDamaged},
		{fmt.Errorf("read: %w", zip.ErrChecksum), BundleDamaged},
		{errors.New("read evidence/1.jpg: chacha20poly1305: message authentication failed"), BundleDamaged},
		{fmt.Errorf("write: %w", pathErr(syscall.ENOSPC)), DiskFull},
		{fmt.Errorf("import: %w", ingest.ErrNotStatement), NotStatement},
		{fmt.Errorf("import: %w", ingest.ErrEncoding), NotStatement},
		{fmt.Errorf("import: %w", ingest.ErrNeedMapping), NeedMapping},
		{fmt.Errorf("import: %w", ingest.ErrNoRows), NoRows},
		{fmt.Errorf("open: %w", store.ErrLocked), StoreLocked},
		{fmt.Errorf("open: %w", store.ErrNewerSchema), NewerSchema},
		{fmt.Errorf("restore: %w", store.ErrBadBackup), BadBackup},
		{fmt.Errorf("restore: %w", store.ErrHomeNotEmpty), HomeNotEmpty},
		{pathErr(fs.ErrNotExist), FileNotFound},
		{pathErr(fs.ErrPermission), Permission},
		{evidence.CheckRegularFile(os.TempDir()), NotAFile},
		{fmt.Errorf("store: case 9: %w", evidence.ErrNotFound), RecordNotFound},
		{&evidence.FieldError{Field: "amount", Reason: evidence.ReasonNegative}, InvalidField},
		{fmt.Errorf("--amount: %w", &evidence.AmountError{Text: "12,80", Reason: evidence.ReasonThousands}), InvalidAmount},
		{fmt.Errorf("attach: %w", evidence.ErrTooLarge), TooLarge},
		{fmt.Errorf("attach: %w", evidence.ErrDuplicate), Duplicate},
		{fmt.Errorf("export: %w", context.Canceled), Stopped},
		{errors.New("something else"), Unexpected},
	} {
		p := Classify(c.err)
		assert.Equal(t, c.want, p.Code, "%v", c.err)
		assert.Equal(t, c.err, p.Cause)
	}
	p := Classify(pathErr(fs.ErrNotExist))
	assert.Contains(t, p.Message(templates.Chinese), "账单.csv")
	_, err := evidence.ParseMoney("12,80")
	p = Classify(err)
	assert.Equal(t, "金额“12,80”里的逗号位置不对：逗号只能每三位分隔千位（如 1,280.00），分请用小数点（如 12.80）。", p.Message(templates.Chinese))
}

func TestLang(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	assert.Equal(t, templates.Chinese, Lang("", env(map[string]string{"LANG": "zh_CN.UTF-8"})))
	assert.Equal(t, templates.English, Lang("", env(map[string]string{"LANG": "zh_CN.UTF-8", "LC_ALL": "C"})))
	assert.Equal(t, templates.Chinese, Lang("", env(map[string]string{"LC_MESSAGES": "zh_TW"})))
	assert.Equal(t, templates.English, Lang("", env(nil)))
	assert.Equal(t, templates.Chinese, Lang("zh", env(map[string]string{"LANG": "en_US"})))
	assert.Equal(t, templates.English, Lang("en", env(map[string]string{"LANG": "zh_CN"})))
}

// A statement whose rows were all skipped says so in the user's language,
// with ingest's own reason for the first row in that language.
func TestNoRowsWorded(t *testing.T) {
	err := fmt.Errorf("import 账单.csv: %w", &ingest.NoRowsError{HeaderLine: 2, Skipped: 2,
		First: &ingest.Problem{Line: 3, Message: "no amount", ZH: "没有金额"}})
	assert.ErrorIs(t, err, ingest.ErrNoRows)
	assert.ErrorIs(t, err, evidence.ErrInvalid)
	assert.Contains(t, err.Error(), "all 2 rows were skipped (line 3: no amount); nothing was stored", "the technical text for --debug")
	p := Classify(err)
	assert.Equal(t, NoRows, p.Code)
	zh, en := p.Message(templates.Chinese), p.Message(templates.English)
	assert.Equal(t, "这个文件的 2 行交易一行也没能读出来，没有存入任何内容。第 3 行的原因：没有金额。请检查它是不是完整的账单导出，或用列映射再导入。", zh)
	assert.Equal(t, "None of the 2 transaction rows of the file could be read; nothing was stored. Line 3: no amount. "+
		"Check that it is a whole statement export, or import it with a column mapping.", en)
	p = Classify(&ingest.NoRowsError{HeaderLine: 4})
	assert.Equal(t, "这个文件找到了表头（第 4 行），但下面没有交易行，没有存入任何内容。", p.Message(templates.Chinese))
	assert.Equal(t, "The file has a header (line 4) but no transaction rows under it; nothing was stored.", p.Message(templates.English))
}

// Every line of a bundle verification report, in both languages: the
// status and why in words, the technical detail only under --debug.
func TestFileLineInBothLanguages(t *testing.T) {
	const path = "evidence/001-a.txt"
	var results []bundle.FileResult
	results = append(results, bundle.FileResult{Path: path, Status: bundle.Matched})
	for _, r := range bundle.FileReasons {
		for _, st := range []bundle.Status{bundle.Changed, bundle.Missing, bundle.Unexpected} {
			results = append(results, bundle.FileResult{Path: path, Status: st, Reason: r, Problem: "unreadable: zip: checksum error"})
		}
	}
	for _, f := range results {
		for _, debug := range []bool{false, true} {
			zh, en := FileLine(f, templates.Chinese, debug), FileLine(f, templates.English, debug)
			t.Logf("%s/%s debug=%v\n  zh: %s\n  en: %s", f.Status, f.Reason, debug, zh, en)
			assert.Contains(t, zh, path)
			assert.Contains(t, en, path)
			zhWords := strings.ReplaceAll(zh, path, "")
			if !debug {
				assert.True(t, hasHan(zhWords), "zh %q", zh)
				for _, r := range zhWords {
					assert.False(t, r < unicode.MaxASCII && unicode.IsLetter(r), "English in zh %q", zh)
				}
				assert.NotContains(t, en, "zip", "the technical cause only under --debug")
			} else if f.Problem != "" && f.Status != bundle.Matched {
				assert.Contains(t, zh, "技术原因：unreadable: zip: checksum error")
				assert.Contains(t, en, "cause: unreadable: zip: checksum error")
			}
			assert.False(t, hasHan(en), "en %q", en)
		}
	}
	assert.Equal(t, "changed    "+path+" (cannot be read: the file is damaged in the bundle)",
		FileLine(bundle.FileResult{Path: path, Status: bundle.Changed, Reason: bundle.ReasonUnreadable, Problem: "unreadable: zip: checksum error"}, templates.English, false))
	assert.Equal(t, "已改动 "+path+"（读不出来：这个文件在证据包里已损坏）",
		FileLine(bundle.FileResult{Path: path, Status: bundle.Changed, Reason: bundle.ReasonUnreadable}, templates.Chinese, false))
	for _, r := range bundle.FileReasons {
		_, ok := fileReasons[r]
		assert.True(t, ok, "reason %s has its words", r)
	}
}

// Every way case.json and the manifest can disagree is worded in both
// languages: zh has no English word but the file names, en no Chinese; the
// technical text only under --debug.
func TestInconsistencyLineInBothLanguages(t *testing.T) {
	const path, other, title = "evidence/002-b.jpg", "evidence/001-a.jpg", "Receipt"
	const cause = "technical text from bundle"
	var ins []bundle.Inconsistency
	for _, k := range bundle.InconsistencyKinds {
		ins = append(ins, bundle.Inconsistency{Kind: k, Path: path, OtherPath: other, Exhibit: 2, Title: title,
			Size: 1, FileSize: 5120, CaseID: 3, ManifestID: 8, Problem: cause})
	}
	ins = append(ins, bundle.Inconsistency{Kind: "some-new-kind", Problem: cause})
	for _, in := range ins {
		for _, debug := range []bool{false, true} {
			zh, en := InconsistencyLine(in, templates.Chinese, debug), InconsistencyLine(in, templates.English, debug)
			t.Logf("%s debug=%v\n  zh: %s\n  en: %s", in.Kind, debug, zh, en)
			assert.False(t, hasHan(en), "en %q", en)
			assert.True(t, strings.HasPrefix(en, "problem    "), en)
			assert.True(t, strings.HasPrefix(zh, "问题　 "), zh)
			if debug {
				assert.Contains(t, zh, "技术原因："+cause)
				assert.Contains(t, en, "cause: "+cause)
				continue
			}
			assert.NotContains(t, en, cause)
			assert.NotContains(t, en, "case.json", "users do not know our file names")
			zhWords := strings.NewReplacer(path, "", other, "", title, "").Replace(zh)
			assert.True(t, hasHan(zhWords), "zh %q", zh)
			for _, r := range zhWords {
				assert.False(t, r < unicode.MaxASCII && unicode.IsLetter(r), "English in zh %q", zh)
			}
		}
	}
	assert.Equal(t, "问题　 证据2 在案件数据里记为 1 字节，清单里的文件 evidence/002-b.jpg 却是 5120 字节。",
		InconsistencyLine(ins[3], templates.Chinese, false))
	assert.Equal(t, "problem    Exhibit 2 (Receipt) has no file in the bundle.", InconsistencyLine(ins[2], templates.English, false))
	// Each kind has its own words, not the fallback.
	fallbackZh := InconsistencyLine(ins[len(ins)-1], templates.Chinese, false)
	fallbackEn := InconsistencyLine(ins[len(ins)-1], templates.English, false)
	for _, in := range ins[:len(ins)-1] {
		assert.NotEqual(t, fallbackZh, InconsistencyLine(in, templates.Chinese, false), in.Kind)
		assert.NotEqual(t, fallbackEn, InconsistencyLine(in, templates.English, false), in.Kind)
	}
}
