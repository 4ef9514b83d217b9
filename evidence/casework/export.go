package casework

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/atomicfile"
	"github.com/disputekit/disputekit/evidence/report"
	"github.com/disputekit/disputekit/templates"
)

// Letter formats a composed letter can be written in.
const (
	PDF  = "pdf"
	XLSX = "xlsx"
)

// ErrFormat refuses a letter format that is neither PDF nor XLSX.
var ErrFormat = fmt.Errorf("format: %w", evidence.ErrInvalid)

// WriteLetter writes the composed letter l to path as PDF or XLSX; the file
// appears complete or not at all. v opens the exhibits the PDF embeds.
func WriteLetter(ctx context.Context, path, format string, l templates.Letter, v report.Vault) error {
	if format != PDF && format != XLSX {
		return fmt.Errorf("letter format %q: %w", format, ErrFormat)
	}
	return atomicfile.Write(path, atomicfile.Document, func(w io.Writer) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if format == XLSX {
			return report.WriteLetterXLSX(w, l)
		}
		return report.WriteLetterPDF(w, l, v)
	})
}

// WriteCaseFile writes the whole case as stored now — for a lawyer or a
// court — to path as a PDF in lang, atomically.
func (s *Service) WriteCaseFile(ctx context.Context, caseID int64, path string, lang templates.Lang) error {
	d, err := s.Dossier(ctx, caseID)
	if err != nil {
		return err
	}
	return atomicfile.Write(path, atomicfile.Document, func(w io.Writer) error {
		return report.WriteCaseFilePDF(w, d, lang, s.Store)
	})
}

// LetterFileName proposes a file name for a letter in its own language: the
// kind of document, who it is addressed to, and the letter's date, e.g.
// "投诉函-某某银行-2026-11-28.pdf" or "complaint-Example Bank-2026-11-28.pdf".
func LetterFileName(l templates.Letter, ext string) string {
	base := "complaint"
	if l.Lang == templates.Chinese {
		base = "投诉函"
	}
	date := l.Date
	if date.IsZero() {
		date = time.Now()
	}
	return fileSafe(base+"-"+addresseeName(l.Dossier.Case, l.Recipient, l.Lang)) + "-" + date.Format("2006-01-02") + "." + ext
}

// CaseFileName proposes a file name for the case file PDF, e.g.
// "案件材料-POS机多扣款-2026-11-28.pdf".
func CaseFileName(c evidence.Case, lang templates.Lang, date time.Time) string {
	base := "case-file"
	if lang == templates.Chinese {
		base = "案件材料"
	}
	return fileSafe(base+"-"+c.Title) + "-" + date.Format("2006-01-02") + ".pdf"
}

// addresseeName is the name a letter to r is addressed to: the shop, the
// bank or payment company as the case names them, else what they are.
func addresseeName(c evidence.Case, r templates.Recipient, lang templates.Lang) string {
	zh := lang == templates.Chinese
	pick := func(name, zhWord, enWord string) string {
		if n := strings.TrimSpace(name); n != "" {
			return n
		}
		if zh {
			return zhWord
		}
		return enWord
	}
	switch r {
	case templates.ToMerchant:
		return pick(c.Respondent.Name, "商户", "merchant")
	case templates.ToBank:
		return pick(c.Institution.Name, "发卡银行", "bank")
	case templates.ToPaymentCompany:
		return pick(c.Institution.Name, "收单机构", "payment company")
	case templates.ToConsumerAssociation:
		return pick("", "消费者协会", "consumer association")
	case templates.ToRegulator:
		return pick("", "金融监管部门", "financial regulator")
	}
	return pick("", "收件人", "recipient")
}

// fileSafe replaces what no file system takes in a name and keeps it short.
func fileSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r < ' ', strings.ContainsRune(`<>:"/\|?*`, r):
			return '_'
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60])
	}
	return strings.TrimRight(s, ". ")
}
