package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/picture"
)

// exhibitSection is the evidence grid: thumbnails made in the background
// and kept in the vault, a detail pane to describe the selected file.
type exhibitSection struct {
	v       *caseView
	content fyne.CanvasObject

	all      []evidence.Exhibit
	grid     *widget.GridWrap
	selected int

	thumbMu sync.Mutex
	thumbs  map[string]fyne.Resource // by exhibit SHA-256
	pending map[string]bool          // thumbnails being made

	kinds   choice[evidence.ExhibitKind]
	detail  *fyne.Container
	empty   *widget.Label
	title   *formEntry
	kind    *widget.Select
	source  *formEntry
	purpose *formEntry
	note    *formEntry
	// captured is when the photo or screenshot was taken; the chat fields
	// show only for chat screenshots.
	captured, platform, counterpart, capturedBy *formEntry
	chatForm                                    *widget.Form
	info                                        *widget.Label
	preview                                     *widget.Button
	saver                                       *saver[evidence.Exhibit]
	filling                                     bool
}

func newExhibitSection(v *caseView) *exhibitSection {
	s := &exhibitSection{v: v, selected: -1, thumbs: map[string]fyne.Resource{}, pending: map[string]bool{}}
	u := v.u
	s.kinds = newChoice(evidence.ExhibitKinds, kindLabel)
	s.saver = &saver[evidence.Exhibit]{
		do:   u.do,
		save: func(e evidence.Exhibit) error { return u.cases.UpdateExhibit(u.ctx, &e) },
		saved: func(err error) {
			if err != nil {
				u.showError(err)
				return
			}
			u.setStatus(lang.L("All changes saved"))
			s.grid.Refresh()
		},
	}
	s.grid = widget.NewGridWrap(
		func() int { return len(s.all) },
		func() fyne.CanvasObject {
			img := canvas.NewImageFromResource(theme.FileIcon())
			img.FillMode = canvas.ImageFillContain
			img.SetMinSize(fyne.NewSize(150, 120))
			lb := widget.NewLabel("")
			lb.Truncation = fyne.TextTruncateEllipsis
			lb.Alignment = fyne.TextAlignCenter
			return container.NewBorder(nil, lb, nil, nil, img)
		},
		func(id widget.GridWrapItemID, o fyne.CanvasObject) {
			if id >= len(s.all) {
				return
			}
			e := s.all[id]
			c := o.(*fyne.Container)
			img := c.Objects[0].(*canvas.Image)
			lb := c.Objects[1].(*widget.Label)
			lb.SetText(fmt.Sprintf("%d. %s", e.Seq, e.Title))
			img.Resource = s.thumbFor(e)
			img.Refresh()
		})
	s.grid.OnSelected = func(id widget.GridWrapItemID) { s.selectExhibit(id) }
	s.grid.OnUnselected = func(widget.GridWrapItemID) { s.selectExhibit(-1) }

	e := func(multi bool) *formEntry {
		x := newFormEntry()
		if multi {
			x = newFormMultiLineEntry()
			x.Wrapping = fyne.TextWrapWord
			x.SetMinRowsVisible(3)
		}
		x.OnChanged = func(string) { s.changed() }
		return x
	}
	s.title, s.source, s.purpose, s.note = e(false), e(false), e(true), e(true)
	s.captured, s.platform, s.counterpart, s.capturedBy = e(false), e(false), e(false), e(false)
	s.captured.SetPlaceHolder("2026-05-01 14:30")
	s.platform.SetPlaceHolder(lang.L("e.g. WeChat"))
	s.source.SetPlaceHolder(lang.L("Who made it, e.g. the bank's app"))
	s.purpose.SetPlaceHolder(lang.L("What this proves, e.g. the terminal charged ¥1,280.00"))
	s.kind = newSelect(s.kinds.labels, func(string) {
		s.showChatFields()
		s.changed()
	})
	s.info = widget.NewLabel("")
	s.info.Wrapping = fyne.TextWrapWord
	s.info.Importance = widget.LowImportance
	s.preview = widget.NewButtonWithIcon(lang.L("Preview"), theme.VisibilityIcon(), s.showPreview)
	del := widget.NewButtonWithIcon(lang.L("Delete"), theme.DeleteIcon(), s.deleteSelected)
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Caption"), s.title),
		widget.NewFormItem(lang.L("Kind"), s.kind),
		widget.NewFormItem(lang.L("Source"), s.source),
		widget.NewFormItem(lang.L("What it proves"), s.purpose),
		widget.NewFormItem(lang.L("Taken at"), s.captured),
		widget.NewFormItem(lang.L("Note"), s.note),
	)
	s.chatForm = widget.NewForm(
		widget.NewFormItem(lang.L("Platform"), s.platform),
		widget.NewFormItem(lang.L("Chat with"), s.counterpart),
		widget.NewFormItem(lang.L("Captured by"), s.capturedBy),
	)
	s.chatForm.Hide()
	s.detail = container.NewVBox(form, s.chatForm, s.info, container.NewHBox(s.preview, del))
	s.empty = widget.NewLabel(lang.L("Select a file to describe it: a caption and what it proves go into the evidence list of every letter."))
	s.empty.Wrapping = fyne.TextWrapWord
	s.detail.Hide()

	attach := widget.NewButtonWithIcon(lang.L("Attach files…"), theme.ContentAddIcon(), v.importDialog)
	attach.Importance = widget.HighImportance
	hint := widget.NewLabel(lang.L("or drop files onto this window"))
	hint.Importance = widget.LowImportance
	right := container.NewVScroll(container.NewVBox(s.empty, s.detail))
	split := container.NewHSplit(s.grid, right)
	split.Offset = 0.6
	s.content = container.NewBorder(container.NewHBox(attach, hint), nil, nil, nil, split)
	s.setData(v.d.Exhibits)
	return s
}

func (s *exhibitSection) setData(es []evidence.Exhibit) {
	var selID int64
	if s.selected >= 0 && s.selected < len(s.all) {
		selID = s.all[s.selected].ID
	}
	s.all = append([]evidence.Exhibit(nil), es...) // edited in place while typing
	s.grid.UnselectAll()
	s.selected = -1
	s.grid.Refresh()
	for i := range es {
		if es[i].ID == selID && selID != 0 {
			s.grid.Select(i)
		}
	}
	if s.selected < 0 {
		s.selectExhibit(-1)
	}
	s.thumbsAsync()
}

func isImage(e evidence.Exhibit) bool {
	return strings.HasPrefix(e.MediaType, "image/")
}

// thumbFor returns the cached thumbnail of e, or an icon for its type.
func (s *exhibitSection) thumbFor(e evidence.Exhibit) fyne.Resource {
	s.thumbMu.Lock()
	r := s.thumbs[e.SHA256]
	s.thumbMu.Unlock()
	if r != nil {
		return r
	}
	switch {
	case isImage(e):
		return theme.FileImageIcon()
	case strings.HasPrefix(e.MediaType, "audio/"):
		return theme.FileAudioIcon()
	case strings.HasPrefix(e.MediaType, "video/"):
		return theme.FileVideoIcon()
	case strings.Contains(e.MediaType, "pdf") || strings.HasPrefix(e.MediaType, "text/"):
		return theme.FileTextIcon()
	}
	return theme.FileIcon()
}

// thumbsAsync makes the missing thumbnails in the background, two at a
// time, reusing the ones already stored in the vault.
func (s *exhibitSection) thumbsAsync() {
	u := s.v.u
	var todo []evidence.Exhibit
	s.thumbMu.Lock()
	for _, e := range s.all {
		if isImage(e) && s.thumbs[e.SHA256] == nil && !s.pending[e.SHA256] {
			s.pending[e.SHA256] = true
			todo = append(todo, e)
		}
	}
	s.thumbMu.Unlock()
	if len(todo) == 0 {
		return
	}
	work := make(chan evidence.Exhibit)
	for range 2 {
		u.goAsync(func() {
			for e := range work {
				b, err := s.makeThumb(u.ctx, e)
				s.thumbMu.Lock()
				delete(s.pending, e.SHA256)
				if err == nil {
					s.thumbs[e.SHA256] = fyne.NewStaticResource("thumb-"+e.SHA256+".jpg", b)
				}
				s.thumbMu.Unlock()
				if err != nil {
					fyne.LogError("thumbnail "+e.OriginalName, err)
					continue
				}
				u.do(s.grid.Refresh)
			}
		})
	}
	u.goAsync(func() {
		for _, e := range todo {
			work <- e
		}
		close(work)
	})
}

// makeThumb returns the stored thumbnail of e, making and storing the
// derived images first (picture.StoreDerived, as an import does) if there
// are none. Runs off the event goroutine.
func (s *exhibitSection) makeThumb(ctx context.Context, e evidence.Exhibit) ([]byte, error) {
	st := s.v.u.cases
	sha, err := st.Derived(ctx, e.SHA256, picture.Thumb.Name)
	if errors.Is(err, evidence.ErrNotFound) {
		open := func() (io.ReadCloser, error) { return st.OpenBlob(e.SHA256) }
		if err := picture.StoreDerived(ctx, st.Store, picture.Picture{SHA256: e.SHA256, Open: open}); err != nil {
			return nil, fmt.Errorf("thumbnail %s: %w", e.OriginalName, err)
		}
		sha, err = st.Derived(ctx, e.SHA256, picture.Thumb.Name)
	}
	if err != nil {
		return nil, err
	}
	r, err := st.OpenBlob(sha)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

func (s *exhibitSection) selectExhibit(i int) {
	s.saver.flush()
	if i < 0 || i >= len(s.all) {
		s.selected = -1
		s.detail.Hide()
		s.empty.Show()
		return
	}
	s.selected = i
	e := s.all[i]
	s.filling = true
	s.title.SetText(e.Title)
	s.kind.SetSelected(s.kinds.label(e.Kind))
	s.source.SetText(e.Source)
	s.purpose.SetText(e.Purpose)
	s.note.SetText(e.Note)
	s.captured.SetText(formatMinute(e.Captured))
	s.platform.SetText(e.Platform)
	s.counterpart.SetText(e.Counterpart)
	s.capturedBy.SetText(e.CapturedBy)
	s.showChatFields()
	s.filling = false
	s.info.SetText(lang.L("{{.Name}}, {{.Size}} KB, added {{.Date}}. SHA-256 {{.Hash}}", map[string]any{
		"Name": e.OriginalName, "Size": (e.Size + 1023) / 1024, "Date": formatMinute(e.Imported), "Hash": e.SHA256}))
	if isImage(e) {
		s.preview.Enable()
	} else {
		s.preview.Disable()
	}
	s.empty.Hide()
	s.detail.Show()
}

// changed saves the description of the selected file after a pause.
func (s *exhibitSection) changed() {
	if s.filling || s.selected < 0 || s.selected >= len(s.all) {
		return
	}
	e := &s.all[s.selected]
	e.Title = s.title.Text
	if k, ok := s.kinds.code(s.kind.Selected); ok {
		e.Kind = k
	}
	e.Source, e.Purpose, e.Note = s.source.Text, s.purpose.Text, s.note.Text
	e.Platform, e.Counterpart, e.CapturedBy = s.platform.Text, s.counterpart.Text, s.capturedBy.Text
	if strings.TrimSpace(s.captured.Text) == "" {
		e.Captured = time.Time{}
	} else if t, err := evidence.ParseLocalTime(s.captured.Text, evidence.Shanghai); err == nil {
		e.Captured = t
	} // a half-typed time keeps the previous one until it parses
	if strings.TrimSpace(e.Title) == "" {
		return // a title is required; wait for one
	}
	s.v.u.setStatus(lang.L("Saving…"))
	s.saver.set(*e)
}

func (s *exhibitSection) flush() { s.saver.flush() }

func (s *exhibitSection) showChatFields() {
	if k, _ := s.kinds.code(s.kind.Selected); k == evidence.KindChat {
		s.chatForm.Show()
	} else {
		s.chatForm.Hide()
	}
}

// guessKind picks a first kind from the file name; the user corrects it.
func guessKind(path string) evidence.ExhibitKind {
	name := strings.ToLower(filepath.Base(path))
	ext := filepath.Ext(name)
	switch {
	case strings.Contains(name, "签购") || strings.Contains(name, "slip") || strings.Contains(name, "receipt"):
		return evidence.KindSlip
	case strings.Contains(name, "screenshot") || strings.Contains(name, "截图") || strings.Contains(name, "微信") || strings.Contains(name, "chat"):
		return evidence.KindChat
	case ext == ".csv" || ext == ".xls" || ext == ".xlsx" || strings.Contains(name, "账单") || strings.Contains(name, "statement"):
		return evidence.KindStatement
	case ext == ".mp3" || ext == ".m4a" || ext == ".amr" || ext == ".wav" || ext == ".aac":
		return evidence.KindRecording
	case ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".heic" || ext == ".webp":
		return evidence.KindPhoto
	}
	return evidence.KindDocument
}

func (s *exhibitSection) deleteSelected() {
	if s.selected < 0 || s.selected >= len(s.all) {
		return
	}
	u := s.v.u
	s.saver.flush()
	e := s.all[s.selected]
	s.v.deleteRecordAsync(lang.L("file {{.Name}}", map[string]any{"Name": e.Title}),
		func(ctx context.Context) error { return u.cases.DeleteExhibit(ctx, e.CaseID, e.ID) },
		func(ctx context.Context) error {
			// The vault keeps the bytes until the store is next opened.
			r, err := u.cases.OpenBlob(e.SHA256)
			if err != nil {
				return err
			}
			defer r.Close()
			meta := e
			meta.ID, meta.Seq = 0, 0
			_, err = u.cases.Attach(ctx, e.CaseID, r, meta)
			return err
		})
}

// showPreview shows the selected image at screen size; the downscaled copy
// is made off the event goroutine (a 12-megapixel photo takes ~0.1 s).
func (s *exhibitSection) showPreview() {
	if s.selected < 0 || s.selected >= len(s.all) {
		return
	}
	u := s.v.u
	e := s.all[s.selected]
	u.goAsync(func() {
		b, err := func() ([]byte, error) {
			r, err := u.cases.OpenBlob(e.SHA256)
			if err != nil {
				return nil, err
			}
			defer r.Close()
			b, _, err := picture.PrintCopy(r, 1600, 1600)
			return b, err
		}()
		u.do(func() {
			if err != nil {
				u.showError(fmt.Errorf("preview %s: %w", e.OriginalName, err))
				return
			}
			img := canvas.NewImageFromResource(fyne.NewStaticResource("preview-"+e.SHA256, b))
			img.FillMode = canvas.ImageFillContain
			img.SetMinSize(fyne.NewSize(720, 520))
			d := dialog.NewCustom(e.Title, lang.L("Close"), img, u.win)
			d.Resize(fyne.NewSize(800, 640))
			d.Show()
		})
	})
}
