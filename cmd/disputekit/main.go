// Command disputekit is the DisputeKit desktop app (维权助手): wiring only.
// It opens the case store, installs the sample case on the very first
// start, and hands the core to package app.
package main

import (
	"context"
	"io"
	"log"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/disputekit/disputekit/app"
	"github.com/disputekit/disputekit/assets"
	"github.com/disputekit/disputekit/evidence/picture"
	"github.com/disputekit/disputekit/evidence/store"
	"github.com/disputekit/disputekit/templates"
)

func main() {
	a := fyneapp.NewWithID("org.disputekit.app")
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	a.Settings().SetTheme(app.NewTheme())
	if err := app.LoadTranslations(); err != nil {
		log.Print(err)
	}
	w := a.NewWindow("DisputeKit")
	w.Resize(fyne.NewSize(1200, 780))

	st, err := openStore()
	if err != nil {
		app.ShowStartError(w, err)
		w.ShowAndRun()
		return
	}
	defer st.Close()
	ctx := context.Background()
	if err := app.InstallSampleOnce(ctx, st, installSample); err != nil {
		log.Print(err)
	}
	ui := app.New(a, w, app.Services{
		Store:           st,
		Compose:         templates.Compose,
		Thumbnail:       picture.Thumbnail,
		PreviewImage:    picture.PrintCopy,
		WriteLetterPDF:  writeLetterPDF,
		WriteLetterXLSX: writeLetterXLSX,
	})
	w.SetCloseIntercept(func() {
		ui.Close()
		w.Close()
	})
	w.ShowAndRun()
}

func openStore() (*store.Store, error) {
	home, err := store.DefaultHome() // $DISPUTEKIT_HOME overrides
	if err != nil {
		return nil, err
	}
	return store.Open(home)
}

// Not yet wired: the sample case and the report writers land in parallel.
var (
	installSample   func(ctx context.Context, st *store.Store) error
	writeLetterPDF  func(w io.Writer, l templates.Letter, v app.Vault) error
	writeLetterXLSX func(w io.Writer, l templates.Letter) error
)
