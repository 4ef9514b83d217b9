package app

import (
	"context"
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/explain"
)

// sampleSetting records that the sample case was offered once, so deleting
// it is final.
const sampleSetting = "sample.installed"

// settings is the part of the store that remembers one-time things.
type settings interface {
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}

// InstallSampleOnce installs the sample case on the very first start.
func InstallSampleOnce[S settings](ctx context.Context, st S, install func(context.Context, S) error) error {
	if install == nil {
		return nil
	}
	_, err := st.Setting(ctx, sampleSetting)
	if err == nil {
		return nil
	}
	if !errors.Is(err, evidence.ErrNotFound) {
		return fmt.Errorf("install sample case: %w", err)
	}
	if err := install(ctx, st); err != nil {
		return fmt.Errorf("install sample case: %w", err)
	}
	return st.SetSetting(ctx, sampleSetting, "1")
}

// ShowStartError explains in a plain dialog why DisputeKit cannot open
// its cases (already open elsewhere, a newer version's data); closing the
// dialog closes the window.
func ShowStartError(win fyne.Window, err error) {
	fyne.LogError("DisputeKit start", err)
	text := userMessage(err) // locked, newer schema, disk full, permission … in plain words
	if explain.Classify(err).Code == explain.Unexpected {
		text = lang.L("DisputeKit could not open your cases. The technical cause is in the log; try again, or restore a backup.")
	}
	win.SetContent(container.NewStack())
	win.Resize(fyne.NewSize(600, 300))
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(lang.L("DisputeKit cannot start"), lang.L("Close"), msg, win)
	d.SetOnClosed(win.Close)
	d.Resize(fyne.NewSize(520, 200))
	d.Show()
}

// Close saves anything still waiting and waits for background work, so the
// store can be closed afterwards.
func (u *UI) Close() {
	if u.view != nil {
		u.view.leave()
	}
	u.cancel()
	u.bg.Wait()
}
