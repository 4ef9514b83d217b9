package app

import (
	"net/url"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/disputekit/disputekit/assets"
	"github.com/disputekit/disputekit/templates"
)

// helpMenu is Help: what each recipient of a letter is for, where the data
// lives, and about DisputeKit.
func (u *UI) helpMenu() *fyne.Menu {
	return fyne.NewMenu(lang.L("Help"),
		fyne.NewMenuItem(lang.L("Who to write to…"), func() { u.showRecipientsHelp() }),
		fyne.NewMenuItem(lang.L("Where your cases are kept…"), func() { u.showDataHelp() }),
		fyne.NewMenuItem(lang.L("About DisputeKit"), func() { u.showAbout() }),
	)
}

// recipientPurpose says in a sentence what a letter to r is for.
func recipientPurpose(r templates.Recipient) string {
	switch r {
	case templates.ToMerchant:
		return lang.L("First, and usually enough: ask the shop to refund or correct the charge and to give you the slip.")
	case templates.ToBank:
		return lang.L("The bank that issued your card: ask it to handle the named transaction as an error or dispute and give you a ticket number.")
	case templates.ToPaymentCompany:
		return lang.L("The acquirer or payment company behind the terminal: ask it to correct the merchant's data, settle what is due or explain a hold.")
	case templates.ToConsumerAssociation:
		return lang.L("The consumer association mediates between you and a shop, for personal consumption only.")
	case templates.ToMarketRegulator:
		return lang.L("The market-regulation bureau where the shop operates (12315) accepts and handles complaints about businesses.")
	case templates.ToRegulator:
		return lang.L("The financial regulator supervises how a bank (12378) or a payment company (12363) handles your complaint: write to it after they have not resolved it.")
	}
	return ""
}

func (u *UI) showRecipientsHelp() {
	box := container.NewVBox()
	for _, r := range templates.Recipients {
		title := widget.NewLabel(recipientLabel(r))
		title.TextStyle = fyne.TextStyle{Bold: true}
		text := widget.NewLabel(recipientPurpose(r))
		text.Wrapping = fyne.TextWrapWord
		box.Add(title)
		box.Add(text)
	}
	u.showHelp(lang.L("Who to write to"), box)
}

func (u *UI) showDataHelp() {
	home := u.cases.Home()
	text := widget.NewLabel(lang.L("Your cases, and every file you added, stay on this computer in:") + "\n" + home + "\n\n" +
		lang.L("Files are kept unchanged, named by their SHA-256 hash. Nothing is sent anywhere. To move a case, export a case bundle (File menu); to keep a copy of everything, back up this folder."))
	text.Wrapping = fyne.TextWrapWord
	open := widget.NewButton(lang.L("Open containing folder"), func() {
		if err := u.app.OpenURL(fileURL(home)); err != nil {
			u.showError(err)
		}
	})
	u.showHelp(lang.L("Where your cases are kept"), container.NewVBox(text, open))
}

func (u *UI) showAbout() {
	v := assets.Version()
	if c := assets.Commit(); c != "" {
		v += " (" + c + ")"
	}
	text := widget.NewLabel(strings.Join([]string{
		lang.L("DisputeKit {{.Version}}", map[string]any{"Version": v}),
		lang.L("Gathers the evidence of a card-payment dispute and writes the letters. It does not give legal advice; check every letter before you send it."),
	}, "\n\n"))
	text.Wrapping = fyne.TextWrapWord
	u.showHelp(lang.L("About DisputeKit"), text)
}

// showHelp shows content in a scrolling dialog that fits the window.
func (u *UI) showHelp(title string, content fyne.CanvasObject) *dialog.CustomDialog {
	d := dialog.NewCustom(title, lang.L("Close"), container.NewVScroll(container.NewPadded(content)), u.win)
	d.Resize(dialogSize(u.win, fyne.NewSize(640, 520)))
	d.Show()
	return d
}

// fileURL is the file:// URL of a local folder, for the OS to open.
func fileURL(dir string) *url.URL {
	return &url.URL{Scheme: "file", Path: filepath.ToSlash(dir)}
}
