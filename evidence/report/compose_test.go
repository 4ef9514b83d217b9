package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/templates"
)

// TestComposedLetters renders what the letter composer really produces,
// for every recipient and language, as PDF and XLSX.
func TestComposedLetters(t *testing.T) {
	d, v := fixtureDossier(t)
	d.Case.Facts += "卡号" + fullCard
	for _, lang := range []templates.Lang{templates.Chinese, templates.English} {
		for _, to := range templates.Recipients {
			t.Run(string(lang)+"/"+string(to), func(t *testing.T) {
				l, err := templates.Compose(d, to, lang, sh(2026, 11, 23, 0, 0))
				require.NoError(t, err)
				pdf := renderLetter(t, l, v)
				text := bodyText(t, pdf)
				for _, b := range l.Blocks {
					if strings.TrimSpace(b.Text) == "" {
						continue
					}
					assert.True(t, strings.Contains(text, squeeze(b.Text)), "%s block %q missing from the PDF", b.Kind, b.Text)
				}
				assert.NotContains(t, text, fullCard)
				assert.True(t, strings.Contains(text, squeeze(labelsFor(lang).evidenceList)), "evidence list")

				var buf bytes.Buffer
				require.NoError(t, WriteLetterXLSX(&buf, l))
				assert.NotContains(t, buf.String(), fullCard) // XLSX parts are deflated, so also check cells
				f := writeXLSX(t, l)
				rows, err := f.GetRows(SheetName(SheetLetter, lang))
				require.NoError(t, err)
				assert.Len(t, rows, len(l.Blocks))
			})
		}
	}
}
