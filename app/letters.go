package app

import (
	"context"
	"fmt"
	"image/color"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/casework"
	"github.com/disputekit/disputekit/templates"
)

// letterSection composes a letter for a chosen recipient and language,
// previews its text and exports it as PDF or XLSX.
type letterSection struct {
	v       *caseView
	content fyne.CanvasObject

	recipients choice[templates.Recipient]
	langs      choice[templates.Lang]
	recipient  *widget.Select
	language   *widget.Select
	preview    *widget.RichText
	warnings   *widget.Label
	pdfBtn     *widget.Button
	xlsxBtn    *widget.Button
	sentBtn    *widget.Button

	letter   templates.Letter
	composed bool
	lastDir  string // where the last export went
}

func newLetterSection(v *caseView) *letterSection {
	s := &letterSection{v: v}
	// The civil complaint (民事起诉状) is one more recipient: the last rung.
	s.recipients = newChoice(append(slices.Clone(templates.Recipients), templates.ToCourt), recipientLabel)
	s.langs = newChoice([]templates.Lang{templates.Chinese, templates.English}, letterLangLabel)
	s.recipient = newSelect(s.recipients.labels, func(string) { s.composeAsync() })
	s.language = newSelect(s.langs.labels, func(string) { s.composeAsync() })
	// The recipient and language chosen last for this case, else the
	// merchant in the UI's language.
	prefs := v.u.app.Preferences()
	to := templates.Recipient(prefs.StringWithFallback(fmt.Sprintf("letter/%d/to", v.id), string(templates.ToMerchant)))
	if s.recipients.label(to) == "" {
		to = templates.ToMerchant
	}
	def := templates.Chinese
	if uiLang() == "en" {
		def = templates.English
	}
	l := templates.Lang(prefs.StringWithFallback(fmt.Sprintf("letter/%d/lang", v.id), string(def)))
	if s.langs.label(l) == "" {
		l = def
	}
	s.recipient.SetSelected(s.recipients.label(to))
	s.language.SetSelected(s.langs.label(l))

	s.preview = widget.NewRichText()
	s.preview.Wrapping = fyne.TextWrapWord
	s.warnings = widget.NewLabel("")
	s.warnings.Wrapping = fyne.TextWrapWord
	s.warnings.Importance = widget.WarningImportance
	s.warnings.Hide()
	s.pdfBtn = widget.NewButtonWithIcon(lang.L("Export PDF…"), theme.DocumentSaveIcon(), func() { s.exportDialog(casework.PDF) })
	s.pdfBtn.Importance = widget.HighImportance
	s.xlsxBtn = widget.NewButtonWithIcon(lang.L("Export XLSX…"), theme.DocumentSaveIcon(), func() { s.exportDialog(casework.XLSX) })
	pickers := widget.NewForm(
		widget.NewFormItem(lang.L("To"), s.recipient),
		widget.NewFormItem(lang.L("Language"), s.language),
	)
	// Once the letter is sent, record it as a complaint: its reply due date follows.
	s.sentBtn = widget.NewButtonWithIcon(lang.L("Record as sent…"), theme.MailSendIcon(), s.recordSent)
	top := container.NewBorder(nil, s.warnings, nil, container.NewVBox(s.pdfBtn, s.xlsxBtn, s.sentBtn), pickers)
	s.content = container.NewBorder(top, nil, nil, nil, container.NewVScroll(letterPage(s.preview)))
	return s
}

func (s *letterSection) choice() (templates.Recipient, templates.Lang) {
	r, _ := s.recipients.code(s.recipient.Selected)
	l, _ := s.langs.code(s.language.Selected)
	return r, l
}

// composeAsync composes the letter from the current dossier in the background.
func (s *letterSection) composeAsync() {
	u := s.v.u
	if s.recipient == nil || s.language == nil || s.preview == nil {
		return
	}
	r, l := s.choice()
	d := s.v.d
	now := u.svc.now()
	id := s.v.id
	u.app.Preferences().SetString(fmt.Sprintf("letter/%d/to", id), string(r))
	u.app.Preferences().SetString(fmt.Sprintf("letter/%d/lang", id), string(l))
	u.goAsync(func() {
		letter, err := templates.Compose(d, r, l, now)
		var advice []templates.Advice
		if err == nil {
			advice = templates.Review(letter) // the pre-send check, as dk letter --check
		}
		u.do(func() {
			if err != nil {
				s.composed = false
				s.preview.ParseMarkdown("")
				u.showError(fmt.Errorf("compose letter: %w", err))
				return
			}
			if nr, nl := s.choice(); nr != r || nl != l {
				return // the choice changed meanwhile; a newer compose is on its way
			}
			s.letter, s.composed = letter, true
			s.preview.Segments = letterSegments(letter)
			s.preview.Refresh()
			if len(advice) > 0 {
				points := make([]string, len(advice))
				for i, a := range advice {
					points[i] = a.Text
				}
				s.warnings.SetText(lang.L("Before you send it:") + "\n• " + strings.Join(points, "\n• "))
				s.warnings.Show()
			} else {
				s.warnings.Hide()
			}
		})
	})
}

// letterSegments lays a letter's blocks out as rich text for the preview.
func letterSegments(l templates.Letter) []widget.RichTextSegment {
	var segs []widget.RichTextSegment
	text := func(t string, style widget.RichTextStyle) {
		segs = append(segs, &widget.TextSegment{Text: t, Style: style})
	}
	para := widget.RichTextStyleParagraph
	for _, b := range l.Blocks {
		switch b.Kind {
		case templates.BlockTitle:
			st := widget.RichTextStyleHeading
			st.Alignment = fyne.TextAlignCenter
			text(b.Text, st)
		case templates.BlockHeading:
			text(b.Text, widget.RichTextStyleSubHeading)
		case templates.BlockItem:
			text(numbered(l.Lang, b.Number, b.Text), para)
		case templates.BlockField:
			label := b.Label
			if !strings.HasSuffix(label, "：") && !strings.HasSuffix(label, ":") && label != "" {
				if l.Lang == templates.Chinese {
					label += "："
				} else {
					label += ": "
				}
			}
			text(label+b.Text, para)
		case templates.BlockSignature, templates.BlockClosing:
			st := para
			if b.Kind == templates.BlockSignature {
				st.Alignment = fyne.TextAlignTrailing
			}
			text(b.Text, st)
		default:
			text(b.Text, para)
		}
	}
	if len(l.Evidence) > 0 {
		text(lang.L("Evidence list"), widget.RichTextStyleSubHeading)
		for _, e := range l.Evidence {
			line := numbered(l.Lang, e.Seq, e.Name)
			if e.Purpose != "" {
				line += " — " + evidence.InLanguage(e.Purpose, string(l.Lang))
			}
			text(line, para)
		}
	}
	return segs
}

// fileName suggests a name for the export in the letter's language, e.g.
// "投诉函-某某银行-2026-11-28.pdf".
func (s *letterSection) fileName(ext string) string {
	return casework.LetterFileName(s.letter, ext)
}

// exportDialog asks where to save the letter, then writes it.
func (s *letterSection) exportDialog(format string) {
	u := s.v.u
	if !s.composed {
		dialog.ShowInformation(lang.L("Export letter"), lang.L("The letter is still being composed. Try again in a moment."), u.win)
		return
	}
	d := u.askSavePath(s.fileName(format), func(path string) { s.exportTo(format, path) })
	if s.lastDir != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(s.lastDir)); err == nil {
			d.SetLocation(l)
		}
	}
	d.Show()
}

// exportCaseFileDialog asks where to save the case file PDF (everything in
// the case, for a lawyer or court) in the letter language chosen here.
func (s *letterSection) exportCaseFileDialog() {
	u := s.v.u
	_, l := s.choice()
	name := casework.CaseFileName(s.v.d.Case, l, u.svc.now())
	u.askSavePath(name, func(path string) { s.exportCaseFile(l, path) }).Show()
}

// exportCaseFile writes the case file from what the store holds now.
func (s *letterSection) exportCaseFile(l templates.Lang, path string) {
	u := s.v.u
	s.v.leave() // what is being typed goes in too
	id := s.v.id
	u.runWithProgress(lang.L("Writing the case file…"), func(ctx context.Context) error {
		return u.cases.WriteCaseFile(ctx, id, path, l)
	}, func(err error) {
		if err != nil {
			u.showError(fmt.Errorf("export case file %s: %w", path, err))
			return
		}
		s.exported(path)
	})
}

// exported tells where a file went and offers to open its folder.
func (s *letterSection) exported(path string) {
	u := s.v.u
	s.lastDir = filepath.Dir(path)
	u.setStatus(lang.L("Saved to {{.Path}}", map[string]any{"Path": path}))
	open := widget.NewButtonWithIcon(lang.L("Open containing folder"), theme.FolderOpenIcon(), func() {
		if err := u.app.OpenURL(fileURL(s.lastDir)); err != nil {
			u.showError(err)
		}
	})
	msg := widget.NewLabel(lang.L("Saved to {{.Path}}", map[string]any{"Path": path}))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(lang.L("Exported"), lang.L("Close"), container.NewVBox(msg, open), u.win)
	d.Resize(fyne.NewSize(520, 200))
	d.Show()
}

// exportTo writes the composed letter to path behind a progress dialog.
func (s *letterSection) exportTo(format, path string) {
	u := s.v.u
	l := s.letter
	u.runWithProgress(lang.L("Writing the letter…"), func(ctx context.Context) error {
		return casework.WriteLetter(ctx, path, format, l, u.cases)
	}, func(err error) {
		if err != nil {
			u.showError(fmt.Errorf("export letter %s: %w", path, err))
			return
		}
		s.exported(path)
	})
}

// recordSent opens the Complaints form filled from the letter shown.
func (s *letterSection) recordSent() {
	if !s.composed {
		return
	}
	v := s.v
	v.showTab(tabFilings)
	v.filings.addPrefilled(casework.FilingFromLetter(s.letter, v.id, v.u.svc.now()))
}

// pageWidth is an A4 page's width at the screen's 96 dpi (210 mm).
const pageWidth = 794

// letterPage lays the composed letter out like the printed one: a white A4
// page with margins, centred on the tab (narrower when the window is).
func letterPage(text fyne.CanvasObject) fyne.CanvasObject {
	paper := canvas.NewRectangle(color.White)
	paper.StrokeColor = color.Gray{Y: 0xc0}
	paper.StrokeWidth = 1
	margin := float32(pageWidth) * 25 / 210 // 25 mm, the PDF's margin
	body := container.New(layout.NewCustomPaddedLayout(margin/2, margin/2, margin, margin), text)
	page := container.NewThemeOverride(container.NewStack(paper, body), paperTheme{fyne.CurrentApp().Settings().Theme()})
	return container.New(&pageLayout{}, page)
}

// pageLayout centres one page at most pageWidth wide, with a gap around it.
type pageLayout struct{}

func (pageLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	gap := theme.Padding() * 2
	w := fyne.Min(size.Width-2*gap, pageWidth)
	for _, o := range objs {
		h := o.MinSize().Height
		o.Resize(fyne.NewSize(w, fyne.Max(h, size.Height-2*gap)))
		o.Move(fyne.NewPos((size.Width-w)/2, gap))
	}
}

func (pageLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	gap := theme.Padding() * 2
	var h float32
	for _, o := range objs {
		h = fyne.Max(h, o.MinSize().Height)
	}
	return fyne.NewSize(200, h+2*gap)
}

// numbered puts n before text so that a line never breaks right after the
// number (the preview wraps at spaces): Chinese text follows "1." directly,
// as in the printed letter's CJK lines; English keeps its space.
func numbered(l templates.Lang, n int, text string) string {
	if l == templates.Chinese {
		return fmt.Sprintf("%d.%s", n, text)
	}
	return fmt.Sprintf("%d. %s", n, text)
}
