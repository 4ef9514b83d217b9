package assets

import _ "embed"

// The bundled sample case's pictures (all fictional), drawn by
// evidence/sample/images_gen.go: a phone photo of the POS slip, a photo of
// the menu with the agreed price, and a chat screenshot with the merchant.
var (
	//go:embed sample/slip.jpg
	SampleSlipJPEG []byte
	//go:embed sample/menu.jpg
	SampleMenuJPEG []byte
	//go:embed sample/chat.png
	SampleChatPNG []byte
)
