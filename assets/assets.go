// Package assets holds the files DisputeKit embeds: the CJK font, its licence, the icon, the sample case.
package assets

import _ "embed"

//go:generate go run icon_gen.go

// FontTTF is WenQuanYi Micro Hei, a CJK font used for the GUI and every PDF.
//
//go:embed fonts/wqy-microhei.ttf
var FontTTF []byte

// FontLicense is the licence text that must ship with FontTTF.
//
//go:embed fonts/LICENSE-wqy-microhei.txt
var FontLicense string

// Icon is the application icon (512×512 PNG), drawn by icon_gen.go.
//
//go:embed icon.png
var Icon []byte
