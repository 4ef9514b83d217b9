package app

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence/ingest"
)

// The mapping dialog shows the first rows with the amount and direction
// they would be stored with, before anything is stored, and says when the
// file does not state the direction; choosing what a positive amount means
// changes them.
func TestMappingDialogPreviewsAmountsAndDirections(t *testing.T) {
	tu := newTestUI(t)
	tu.createCase(t)
	path := filepath.Join(t.TempDir(), "流水.csv")
	require.NoError(t, os.WriteFile(path, []byte("日子,钱数,店名\n2026-11-20 12:30:01,+500.00,工资\n2026-11-20 12:31:00,-38.00,幸运面馆\n"), 0o644))
	tu.view.importPaths([]string{path})
	tu.wait()
	m := tu.view.lastMapping
	require.NotNil(t, m)
	m.selects["日子"].SetSelected(fieldLabel(ingest.FieldTime))
	m.selects["钱数"].SetSelected(fieldLabel(ingest.FieldAmount))
	m.selects["店名"].SetSelected(fieldLabel(ingest.FieldMerchant))
	tu.wait()
	text := m.preview.Text
	assert.Contains(t, text, "line 2: 2026-11-20 12:30:01  ¥500.00")
	assert.Contains(t, text, "the file does not say")

	m.positive.SetSelectedIndex(2) // a bank account: positive is money in
	tu.wait()
	text = m.preview.Text
	assert.Contains(t, text, "line 2: 2026-11-20 12:30:01  ¥500.00  money in  工资")
	assert.Contains(t, text, "line 3: 2026-11-20 12:31:00  ¥38.00  money out  幸运面馆")
	assert.NotContains(t, text, "does not say")
	ts, err := tu.st.ListTransactions(tu.ctx, tu.view.id)
	require.NoError(t, err)
	assert.Empty(t, ts, "nothing is stored before Import")

	tapImport(t, m)
	tu.wait()
	ts, err = tu.st.ListTransactions(tu.ctx, tu.view.id)
	require.NoError(t, err)
	require.Len(t, ts, 2)
	assert.Equal(t, "credit", string(ts[0].Direction))
	assert.Equal(t, "debit", string(ts[1].Direction))
}

func tapImport(t *testing.T, m *mappingDialog) {
	t.Helper()
	require.False(t, m.importBtn.Disabled())
	m.importBtn.OnTapped()
}
