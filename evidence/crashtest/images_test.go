package crashtest

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/bundle"
	"github.com/disputekit/disputekit/evidence/picture"
	"github.com/disputekit/disputekit/evidence/store"
)

// pngDeclaring is a PNG header (signature + IHDR) claiming w×h RGBA pixels.
func pngDeclaring(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

// TestHostileImagesAreStoredWithoutPreview: a giant-declaring PNG, a
// truncated JPEG and a 0-byte file are kept as evidence exactly as given
// (they may matter to the case), previews are refused with a clear error,
// the bundle carries them, and memory stays bounded throughout.
func TestHostileImagesAreStoredWithoutPreview(t *testing.T) {
	ctx := context.Background()
	var jpg bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	img.Set(0, 0, color.White)
	require.NoError(t, jpeg.Encode(&jpg, img, nil))
	images := []struct {
		name string
		data []byte
		want error
	}{
		{"giant.png", pngDeclaring(60000, 60000), picture.ErrTooLarge},
		{"truncated.jpg", jpg.Bytes()[:jpg.Len()/2], nil}, // Inspect may accept the header; Thumbnail must fail
		{"empty.jpg", nil, picture.ErrNotImage},
	}
	st, err := store.Open(t.TempDir())
	require.NoError(t, err)
	defer st.Close()
	c := evidence.Case{Title: "恶意图片"}
	_, err = st.CreateCase(ctx, &c)
	require.NoError(t, err)

	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for _, im := range images {
		_, err := picture.Inspect(bytes.NewReader(im.data))
		if im.want != nil {
			require.ErrorIs(t, err, im.want, im.name)
		}
		_, err = picture.Derive(bytes.NewReader(im.data))
		require.Error(t, err, "%s: no preview", im.name)
		assert.NotEmpty(t, err.Error())
		ex, err := st.Attach(ctx, c.ID, bytes.NewReader(im.data), evidence.Exhibit{Kind: evidence.KindPhoto, OriginalName: im.name})
		require.NoError(t, err, "%s is kept as evidence", im.name)
		require.Equal(t, int64(len(im.data)), ex.Size)
		_, err = st.Derived(ctx, ex.SHA256, picture.Thumb.Name)
		require.ErrorIs(t, err, evidence.ErrNotFound, "no preview stored")
	}
	out := filepath.Join(t.TempDir(), "case.zip")
	_, err = bundle.ExportFile(ctx, st, c.ID, out, bundle.Options{}, "")
	require.NoError(t, err)
	rep, err := bundle.VerifyFile(out, nil)
	require.NoError(t, err)
	require.True(t, rep.OK())
	require.Len(t, rep.Files, 4)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<20), "allocations bounded (a decoded 60000×60000 image would be 14 GB)")
	require.NoError(t, st.IntegrityCheck(ctx))
}
