package evidence

import (
	"strings"
	"unicode"
)

// InLanguage returns the half in lang ("zh" or "en") of a text the program
// stored in both languages as "中文 / English" (an importer's exhibit
// source and purpose, say); any other text comes back as it is.
func InLanguage(s, lang string) string {
	zh, en, ok := strings.Cut(s, " / ")
	if !ok || !hasHan(zh) || hasHan(en) || strings.Contains(en, " / ") {
		return s
	}
	if lang == "en" {
		return strings.TrimSpace(en)
	}
	return strings.TrimSpace(zh)
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
