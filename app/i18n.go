package app

import (
	"embed"
	"fmt"
	"os"
	"strings"

	"fyne.io/fyne/v2"
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

// prefLanguage is the language chosen in Settings: "zh", "en", or "" to
// follow the operating system.
const prefLanguage = "ui.language"

// savedLocale is the locale environment as it was before UseLanguage
// overrode it, so that "follow the system" can go back to it; nil when
// nothing is overridden.
var savedLocale map[string]*string

var localeVars = []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"}

// UseLanguage makes the UI speak choice ("zh" or "en") or, for "", the
// operating system's language, and loads the translations. Fyne reads the
// language from the locale environment, so that is what this sets, for
// this process only. An unset or "C" locale means English, set explicitly
// so that Fyne does not log "Error parsing user locale C".
func UseLanguage(choice string) error {
	if savedLocale != nil {
		for k, v := range savedLocale {
			if v == nil {
				os.Unsetenv(k)
			} else {
				os.Setenv(k, *v)
			}
		}
		savedLocale = nil
	}
	want := ""
	switch {
	case choice == "zh":
		want = "zh_CN.UTF-8"
	case choice == "en":
		want = "en_US.UTF-8"
	case !osLocaleUsable():
		want = "en_US.UTF-8"
	}
	if want != "" {
		savedLocale = map[string]*string{}
		for _, k := range localeVars {
			if v, ok := os.LookupEnv(k); ok {
				savedLocale[k] = &v
			} else {
				savedLocale[k] = nil
			}
		}
		os.Setenv("LC_ALL", want)
	}
	return LoadTranslations()
}

// osLocaleUsable says whether the locale environment names a language
// (not unset, "C" or "POSIX", which mean no localisation).
func osLocaleUsable() bool {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" {
			return v != "C" && v != "POSIX" && !strings.HasPrefix(v, "C.")
		}
	}
	return os.Getenv("LANGUAGE") != ""
}

// UseLanguageFromSettings applies the language chosen in Settings (or the
// system's) for app a.
func UseLanguageFromSettings(a fyne.App) error {
	return UseLanguage(a.Preferences().String(prefLanguage))
}
