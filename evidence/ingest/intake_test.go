package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

// An XLSX whose parts declare more than maxUnzipped is refused before
// anything is decompressed, whatever its size on disk.
func TestXLSXBombRefusedBeforeUnzipping(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CompressedSize64: 2, UncompressedSize64: 1 << 30})
	require.NoError(t, err)
	_, err = w.Write([]byte{3, 0})
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	_, err = Parse(bytes.NewReader(buf.Bytes()), Options{})
	require.ErrorIs(t, err, ErrTooLarge)
	assert.Contains(t, err.Error(), "expands to more than 256 MiB")
}

// Reading an XLSX leaves no excelize temporary files, and the directory of
// an import that was killed is removed by the next one.
func TestXLSXTempFilesCleaned(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dead := filepath.Join(tmp, "disputekit-xlsx-999999999")
	require.NoError(t, os.MkdirAll(dead, 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(dead, "excelize-123"), []byte("left by a killed import"), 0o600))
	res := parseBytes(t, wechatXLSX(t), Options{})
	require.Len(t, res.Transactions, 3)
	left, err := filepath.Glob(filepath.Join(tmp, "*"))
	require.NoError(t, err)
	assert.Empty(t, left, "neither this import's nor the dead one's temporary files remain")
}

// Ctrl+C cancels the import's context: the reading stops with its error and
// nothing of the file is stored.
func TestImportCancelledStoresNothing(t *testing.T) {
	st := tempStore(t)
	id := tempCase(t, st, evidence.RoleConsumer)
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	_, err := ImportFile(ctx, st, id, tempFile(t, "big.csv", wechatCSV(20_000)), ImportOptions{Progress: func(n int) error {
		calls++
		cancel()
		return nil
	}})
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
	ts, err := st.ListTransactions(context.Background(), id)
	require.NoError(t, err)
	assert.Empty(t, ts)
	assert.Positive(t, calls)
}

// A file that is not text in the encoding it was read in says so, with
// where it broke, instead of asking for a column mapping.
func TestMisencodedFileSaysWhere(t *testing.T) {
	b := []byte("\xb9\xa4\xc9\xcc\xd2\xf8\xd0\xd0\n\xff\xfe\xfd\xfc,\xff\xfe,\xfa\xfb\n")
	b = append([]byte("交易时间,金额,商户\n"), b...)
	b = bytes.Repeat(b, 3)
	_, err := Parse(bytes.NewReader(b), Options{})
	require.ErrorIs(t, err, ErrEncoding)
	assert.Contains(t, err.Error(), "read as gb18030")
	assert.Contains(t, err.Error(), "the first on line 1")
	assert.NotContains(t, err.Error(), "--map")
}
