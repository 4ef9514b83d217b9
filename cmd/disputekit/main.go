// Command disputekit is the DisputeKit desktop app (维权助手): wiring only.
// It opens the case store ($DISPUTEKIT_HOME or the user's data directory),
// installs the sample case on the very first start, and hands the core to
// package app.
package main

import (
	"context"
	"log"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/disputekit/disputekit/app"
	"github.com/disputekit/disputekit/assets"
	"github.com/disputekit/disputekit/evidence/sample"
	"github.com/disputekit/disputekit/evidence/store"
)

func main() {
	a := fyneapp.NewWithID("org.disputekit.app") // FyneApp.toml is at the repo root, not beside main
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	assets.UsePackagedVersion(a.Metadata().Version) // Help › About shows assets.Version()
	a.Settings().SetTheme(app.NewTheme())
	if err := app.UseLanguageFromSettings(a); err != nil { // Settings, else the system's language
		log.Print(err)
	}
	w := a.NewWindow("DisputeKit")
	w.Resize(fyne.NewSize(1200, 780))

	st, err := openStore()
	if err != nil {
		app.ShowStartError(w, err) // e.g. store.ErrLocked: already open elsewhere
		w.ShowAndRun()
		return
	}
	defer st.Close()
	if err := app.InstallSampleOnce(context.Background(), st, installSample); err != nil {
		log.Print(err)
	}
	ui := app.New(a, w, app.CoreServices(st))
	w.SetCloseIntercept(func() {
		ui.Close() // saves what is still being typed
		w.Close()
	})
	w.ShowAndRun()
	ui.Close() // File > Quit ends the loop without closing the window first
}

func openStore() (*store.Store, error) {
	home, err := store.DefaultHome()
	if err != nil {
		return nil, err
	}
	return store.Open(home)
}

func installSample(ctx context.Context, st *store.Store) error {
	_, err := sample.Install(ctx, st)
	return err
}
