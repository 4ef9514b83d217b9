package casework

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

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
	// The summary and requests as the letters make them (saved terms and edits).
	dg, err := templates.DigestCase(ctx, s.Store, d, lang, time.Now())
	if err != nil {
		return err
	}
	return atomicfile.Write(path, atomicfile.Document, func(w io.Writer) error {
		return report.WriteCaseFilePDFWith(w, d, lang, s.Store, dg)
	})
}

// LetterFileName proposes a file name for a letter in its own language: the
// kind of document, the party the letter is addressed to (as the letter plan
// chose it), and the letter's date, e.g. "投诉函-某某银行-2026-11-28.pdf" or
// "complaint-Some-Bank-2026-11-28.pdf". The name is safe on Windows.
func LetterFileName(l templates.Letter, ext string) string {
	base := "complaint"
	if l.Lang == templates.Chinese {
		base = "投诉函"
	}
	date := l.Date
	if date.IsZero() {
		date = time.Now()
	}
	return fileSafe(base+"-"+addresseeName(l)) + "-" + date.Format("2006-01-02") + "." + ext
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

// addresseeName is the name of the party a letter is addressed to: the
// composer's addressee (the recipient party of the letter plan, by its
// registered name) without the blanks left for the user to fill, else the
// case's party for that recipient, else what the recipient is.
func addresseeName(l templates.Letter) string {
	if n := withoutBlanks(l.Addressee); n != "" {
		return n
	}
	p := l.Dossier.Case.Parties()
	pick := func(party evidence.Party, zhWord, enWord string) string {
		if n := strings.TrimSpace(party.RegisteredName()); n != "" {
			return n
		}
		if l.Lang == templates.Chinese {
			return zhWord
		}
		return enWord
	}
	merchantSide := l.Dossier.Case.MerchantSide()
	switch l.Recipient {
	case templates.ToMerchant:
		return pick(p.Merchant, "商户", "merchant")
	case templates.ToBank:
		if merchantSide {
			return pick(p.SettlementBank, "结算银行", "settlement bank")
		}
		return pick(p.Issuer, "发卡银行", "bank")
	case templates.ToPaymentCompany:
		return pick(p.Acquirer, "收单机构", "acquirer")
	case templates.ToConsumerAssociation:
		return pick(evidence.Party{}, "消费者协会", "consumer association")
	case templates.ToMarketRegulator:
		return pick(evidence.Party{}, "市场监督管理局", "market regulator")
	case templates.ToRegulator:
		return pick(evidence.Party{}, "金融监管部门", "financial regulator")
	}
	return pick(evidence.Party{}, "收件人", "recipient")
}

// withoutBlanks drops the blanks (＿＿ or __) a letter leaves for the user to
// fill in a name, e.g. "＿＿＿＿市场监督管理局" → "市场监督管理局".
func withoutBlanks(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == '＿' || r == '_' {
			return -1
		}
		return r
	}, s))
}

// fileSafe makes s usable as (part of) a file name on Windows, macOS and
// Linux: characters Windows refuses (<>:"/\|?* and controls) become "_",
// invisible format characters (bidi overrides that could disguise the
// extension, zero-width marks) are dropped, runs of white space become one
// "-", and the result is at most 60 characters without a trailing dot or
// hyphen.
func fileSafe(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.Is(unicode.Cf, r):
			continue
		case r < ' ', r == 0x7f, unicode.IsControl(r), strings.ContainsRune(`<>:"/\|?*`, r):
			r = '_'
		}
		if space && b.Len() > 0 {
			b.WriteByte('-')
		}
		space = false
		b.WriteRune(r)
	}
	s = b.String()
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60])
	}
	return strings.TrimRight(s, ". -")
}
