package app

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence/bundle"
	"github.com/disputekit/disputekit/evidence/explain"
	"github.com/disputekit/disputekit/templates"
)

// visibleTexts is every label text the user can see in o: an object is
// skipped with everything inside it when it is hidden (as a closed
// "Details" expander hides its label).
func visibleTexts(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(fyne.CanvasObject)
	walk = func(x fyne.CanvasObject) {
		if x == nil || !x.Visible() {
			return
		}
		switch w := x.(type) {
		case *widget.Label:
			b.WriteString(w.Text + "\n")
			return
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
			return
		}
		if w, ok := x.(fyne.Widget); ok {
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return b.String()
}

// A wrong passphrase on bundle import, and a damaged encrypted bundle, are
// told in the UI's language by explain's sentences — never the crypto
// library's words; the technical cause waits under Details.
func TestBundleErrorsInTheUILanguage(t *testing.T) {
	for _, tc := range []struct {
		locale      string
		lang        templates.Lang
		wrong, dmg  string // a piece of explain's sentence, written out so the test does not only compare explain with itself
		details, ok string
	}{
		{"zh_CN.UTF-8", templates.Chinese, "密码不对", "证据包已损坏", "详细信息", "确定"},
		{"en_US.UTF-8", templates.English, "The passphrase is wrong", "This bundle is damaged", "Details", "OK"},
	} {
		t.Run(tc.locale, func(t *testing.T) {
			tu := newTestUIIn(t, tc.locale)
			c := tu.createCase(t)
			path := filepath.Join(t.TempDir(), "case.zip.age")
			_, err := bundle.ExportFile(context.Background(), tu.st, c.ID, path, bundle.Options{}, "秘密 passphrase")
			require.NoError(t, err)

			tu.importBundlePath(path, "not the passphrase")
			tu.wait()
			shown := visibleTexts(tu.topOverlay(t))
			assert.Contains(t, shown, explain.Problem{Code: explain.WrongPassphrase}.Message(tc.lang))
			assert.Contains(t, shown, tc.wrong)
			for _, raw := range []string{"chacha20poly1305", "age:", "no identity", "incorrect passphrase", "import bundle"} {
				assert.NotContains(t, strings.ToLower(shown), raw)
			}
			for tu.win.Canvas().Overlays().Top() != nil {
				tu.win.Canvas().Overlays().Top().Hide()
				tu.win.Canvas().Overlays().Remove(tu.win.Canvas().Overlays().Top())
			}

			// The same bundle with bytes changed in the middle: damaged.
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			for i := len(data) / 2; i < len(data)/2+64; i++ {
				data[i] ^= 0x5a
			}
			require.NoError(t, os.WriteFile(path, data, 0o600))
			tu.importBundlePath(path, "秘密 passphrase")
			tu.wait()
			top := tu.topOverlay(t)
			shown = visibleTexts(top)
			assert.Contains(t, shown, explain.Problem{Code: explain.BundleDamaged}.Message(tc.lang))
			assert.Contains(t, shown, tc.dmg)
			for _, raw := range []string{"chacha20poly1305", "authenticat", "decrypt", "import bundle", "--debug"} {
				assert.NotContains(t, strings.ToLower(shown), raw)
			}
			// Details opens to the technical cause.
			var acc *widget.Accordion
			for _, x := range test.LaidOutObjects(top) {
				if a, ok := x.(*widget.Accordion); ok {
					acc = a
				}
			}
			require.NotNil(t, acc, "the cause sits under an expander")
			assert.Equal(t, tc.details, acc.Items[0].Title)
			acc.Open(0)
			assert.Contains(t, visibleTexts(top), "import bundle "+path)
			test.Tap(buttonIn(t, top, tc.ok))
		})
	}
}

// Verifying a bundle with one changed file lists it in the UI's language,
// without bundle's technical English.
func TestBundleVerifyProblemsInTheUILanguage(t *testing.T) {
	tu := newTestUIIn(t, "zh_CN.UTF-8")
	c := tu.createCase(t)
	path := filepath.Join(t.TempDir(), "case.zip")
	_, err := bundle.ExportFile(context.Background(), tu.st, c.ID, path, bundle.Options{}, "")
	require.NoError(t, err)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	changed := ""
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		if changed == "" && strings.HasPrefix(f.Name, bundle.CaseName) {
			b = append(b, ' ') // case.json one byte longer: changed after export
			changed = f.Name
		}
		fh := f.FileHeader
		w, err := zw.CreateHeader(&fh)
		require.NoError(t, err)
		_, err = w.Write(b)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	require.NotEmpty(t, changed)
	require.NoError(t, os.WriteFile(path, out.Bytes(), 0o600))

	tu.verifyBundlePath(path, "")
	tu.wait()
	shown := visibleTexts(tu.topOverlay(t))
	assert.Contains(t, shown, "已改动 "+changed+"（内容与清单记录的不一致：导出后被改动过）")
	assert.NotContains(t, shown, "hash or size differs")
	assert.NotContains(t, shown, " changed")
}
