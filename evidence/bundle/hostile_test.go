package bundle

import (
	"archive/zip"
	"bytes"
	"fmt"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence/crashtest/hostile"
)

// hostileCorpus is the shared corpus of hostile bundles, built from the
// sample bundle.
func hostileCorpus(t testing.TB) []hostile.Bundle {
	t.Helper()
	good, _, _ := validBundle(t)
	hs, err := hostile.Corpus(good)
	require.NoError(t, err)
	return hs
}

func TestHostileBundlesAreRefused(t *testing.T) {
	for _, h := range hostileCorpus(t) {
		t.Run(h.Name, func(t *testing.T) {
			_, err := Open(bytes.NewReader(h.Data), int64(len(h.Data)), Limits{})
			require.Error(t, err)
			require.ErrorIs(t, err, ErrRefused)
			for _, w := range h.Want {
				assert.Contains(t, err.Error(), w)
			}
			_, err = Verify(bytes.NewReader(h.Data), int64(len(h.Data)))
			require.ErrorIs(t, err, ErrRefused)
		})
	}
}

// TestHostileCorpusKnowsTheEntryLimit: the corpus's "too many entries"
// bundle is built from the reader's real limit.
func TestHostileCorpusKnowsTheEntryLimit(t *testing.T) {
	assert.Equal(t, DefaultLimits.MaxEntries, hostile.MaxEntries)
}

func TestLimitsAreConfigurable(t *testing.T) {
	good, _, _ := validBundle(t)
	_, err := Open(bytes.NewReader(good), int64(len(good)), Limits{MaxEntries: 3})
	assert.ErrorContains(t, err, "limit of 3")
	_, err = Open(bytes.NewReader(good), int64(len(good)), Limits{MaxEntrySize: 1000})
	assert.ErrorContains(t, err, "more than the limit of 1000")
	_, err = Open(bytes.NewReader(good), int64(len(good)), Limits{MaxTotalSize: 100_000})
	assert.ErrorContains(t, err, "more than the limit of 100000 bytes")
	_, err = Open(bytes.NewReader(good), int64(len(good)), Limits{MaxJSONSize: 100})
	assert.ErrorContains(t, err, "manifest.json")
	_, err = Open(bytes.NewReader(good), int64(len(good)), Limits{MaxRatio: 1.5, RatioFloor: 1})
	assert.ErrorContains(t, err, "zip bomb")
	_, err = Open(bytes.NewReader(good), int64(len(good)), Limits{})
	assert.NoError(t, err)
}

// TestVerifyReadsLyingEntriesBounded: an evidence file declaring 100 bytes
// whose deflate stream holds 16 MiB is reported changed, not read whole.
func TestVerifyReadsLyingEntriesBounded(t *testing.T) {
	good, _, _ := validBundle(t)
	small, _, _ := hostile.ZerosBomb(1)
	bad := rezip(t, good, func(name string, b []byte) []byte {
		if name == "evidence/004-invoice.pdf" {
			return nil
		}
		return b
	}, nil)
	bad = hostile.AddEntries(bad, true, hostile.Entry{Header: &zip.FileHeader{Name: "evidence/004-invoice.pdf", Method: zip.Deflate,
		CompressedSize64: uint64(len(small)), UncompressedSize64: 29}, Content: small})
	rep, err := Verify(bytes.NewReader(bad), int64(len(bad)))
	require.NoError(t, err)
	require.False(t, rep.OK())
	assert.Contains(t, rep.Err().Error(), "evidence/004-invoice.pdf changed")
}

// TestReadDirectoryZip64 reads an archive with more entries than the
// classic end record can count, so archive/zip writes zip64 end records.
func TestReadDirectoryZip64(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	const n = 66_000
	for i := range n {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("evidence/%05d", i), Method: zip.Store})
		require.NoError(t, err)
		w.Write([]byte{byte(i)})
	}
	require.NoError(t, zw.Close())
	data := buf.Bytes()
	dir, err := readDirectory(bytes.NewReader(data), int64(len(data)), 100_000)
	require.NoError(t, err)
	require.Len(t, dir.entries, n)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	for _, i := range []int{0, 1, n / 2, n - 1} {
		name, start, err := localHeader(bytes.NewReader(data), dir.entries[i].offset)
		require.NoError(t, err)
		require.Equal(t, zr.File[i].Name, name)
		off, err := zr.File[i].DataOffset()
		require.NoError(t, err)
		require.Equal(t, off, start)
	}
	_, err = Open(bytes.NewReader(data), int64(len(data)), Limits{})
	require.ErrorContains(t, err, fmt.Sprintf("66000 entries, more than the limit of %d", DefaultLimits.MaxEntries))
}

// TestHostileBundlesUseLittleMemory: refusing the whole corpus (a 2 GiB
// bomb among it) allocates a few MiB, not what the bundles declare.
func TestHostileBundlesUseLittleMemory(t *testing.T) {
	hs := hostileCorpus(t)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for _, h := range hs {
		_, err := Verify(bytes.NewReader(h.Data), int64(len(h.Data)))
		require.Error(t, err, h.Name)
	}
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("refusing %d hostile bundles allocated %.1f MiB", len(hs), float64(alloc)/(1<<20))
	assert.Less(t, alloc, uint64(64<<20))
}
