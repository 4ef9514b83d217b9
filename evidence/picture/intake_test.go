package picture

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDeriveMakesBothKindsFromOneDecode(t *testing.T) {
	// A 3000×1000 photo stored turned (orientation 6): upright it is
	// 1000×3000, red on top, blue below.
	jpg := withAPP1(encJPEG(t, halves(3000, 1000)), tiffEXIF(6, "", "", ""))
	d, err := Derive(bytes.NewReader(jpg))
	require.NoError(t, err)
	assert.Equal(t, 6, d.Info.Orientation)
	assert.Equal(t, "jpeg", d.PrintFormat)

	print, err := jpeg.Decode(bytes.NewReader(d.Print))
	require.NoError(t, err)
	assert.Equal(t, image.Rect(0, 0, 667, 2000), print.Bounds(), "fits the print box upright")
	assert.True(t, isRed(print.At(333, 100)))
	assert.True(t, isBlue(print.At(333, 1900)))

	thumb, err := jpeg.Decode(bytes.NewReader(d.Thumb))
	require.NoError(t, err)
	assert.Equal(t, image.Rect(0, 0, 107, 320), thumb.Bounds())
	assert.True(t, isRed(thumb.At(53, 20)))
	assert.True(t, isBlue(thumb.At(53, 300)))
	assert.Equal(t, d.Thumb, d.Bytes(Thumb))
	assert.Equal(t, d.Print, d.Bytes(Print))
}

func TestDeriveKeepsSmallUprightJPEGAsPrintCopy(t *testing.T) {
	jpg := encJPEG(t, halves(800, 600))
	d, err := Derive(bytes.NewReader(jpg))
	require.NoError(t, err)
	assert.Equal(t, jpg, d.Print)
	thumb, err := jpeg.Decode(bytes.NewReader(d.Thumb))
	require.NoError(t, err)
	assert.Equal(t, image.Rect(0, 0, 320, 240), thumb.Bounds())
}

func TestDeriveRefusesGiantImagesBeforeDecoding(t *testing.T) {
	hdr := pngHeader(60000, 60000)
	var err error
	n := allocated(func() { _, err = Derive(bytes.NewReader(hdr)) })
	assert.ErrorIs(t, err, ErrTooLarge)
	assert.Less(t, n, uint64(1<<20), "bytes allocated")
}

func TestIntakeStoresEveryPictureAndReportsProgress(t *testing.T) {
	st := newMemStore()
	var mu sync.Mutex
	var seen []int
	var failed []string
	in := NewIntake(context.Background(), st, func(done, total int, name string, err error) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, done)
		if err != nil {
			failed = append(failed, name)
		}
	})
	good := encJPEG(t, halves(900, 700))
	var shas []string
	for i := range 7 {
		b := withCOM(good, fmt.Sprint(i))
		shas = append(shas, shaOf(b))
		in.Add(Picture{SHA256: shaOf(b), Name: fmt.Sprintf("p%d.jpg", i), Open: func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(b)), nil
		}})
	}
	in.Add(Picture{SHA256: shaOf([]byte("x")), Name: "broken.jpg", Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader([]byte("not a picture"))), nil
	}})
	in.Add(Picture{SHA256: shaOf([]byte("y")), Name: "gone.jpg", Open: func() (io.ReadCloser, error) {
		return nil, errors.New("no such blob")
	}})
	err := in.Wait()
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrNotImage)
	assert.Contains(t, err.Error(), "gone.jpg")
	assert.Equal(t, err, in.Wait(), "Wait again returns the same")

	assert.ElementsMatch(t, []string{"broken.jpg", "gone.jpg"}, failed)
	assert.Equal(t, []int{1, 2, 3, 4, 5, 6, 7, 8, 9}, seen, "one call per picture, counting up")
	for _, sha := range shas {
		for _, k := range Kinds {
			d, ok := st.derived[sha+"/"+k.Name]
			require.True(t, ok, "%s of %s", k.Name, sha)
			require.NotEmpty(t, st.blobs[d])
		}
	}
	assert.Len(t, st.derived, 2*len(shas))
}

func TestIntakeStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	st := newMemStore()
	in := NewIntake(ctx, st, nil)
	in.Add(Picture{SHA256: "a", Name: "a.jpg", Open: func() (io.ReadCloser, error) {
		t.Error("opened a picture after cancelling")
		return nil, errors.New("opened")
	}})
	assert.ErrorIs(t, in.Wait(), context.Canceled)
	assert.Empty(t, st.derived)
}
