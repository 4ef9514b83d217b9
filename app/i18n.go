package app

import (
	"embed"
	"fmt"

	"fyne.io/fyne/v2/lang"
)

//go:embed translations/*.json
var translations embed.FS

// LoadTranslations registers the zh and en UI strings with Fyne's lang
// package; the UI then follows the OS locale (LANG=zh_CN.UTF-8 → Chinese).
//
// zh.json is registered a second time as zh-Hans: Fyne ships its own
// zh_Hans strings, and a zh_CN locale matches that tag before plain "zh",
// which would leave every DisputeKit string in English.
func LoadTranslations() error {
	if err := lang.AddTranslationsFS(translations, "translations"); err != nil {
		return fmt.Errorf("load translations: %w", err)
	}
	zh, err := translations.ReadFile("translations/zh.json")
	if err != nil {
		return fmt.Errorf("load translations: %w", err)
	}
	if err := lang.AddTranslationsForLocale(zh, "zh-Hans"); err != nil {
		return fmt.Errorf("load translations zh-Hans: %w", err)
	}
	return nil
}
