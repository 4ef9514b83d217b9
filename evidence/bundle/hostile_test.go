package bundle

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io/fs"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostile is one bundle a reader must refuse, and the words the refusal
// must contain (the problem and the entry).
type hostile struct {
	name string
	data []byte
	want []string
}

// addEntries appends raw entries (header as given, content as given) to a
// copy of a valid bundle.
func addEntries(t testing.TB, data []byte, raw bool, entries ...rawFile) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		require.NoError(t, zw.Copy(f))
	}
	for _, e := range entries {
		var w interface{ Write([]byte) (int, error) }
		if raw {
			w, err = zw.CreateRaw(e.fh)
		} else {
			w, err = zw.CreateHeader(e.fh)
		}
		require.NoError(t, err)
		_, err = w.Write(e.content)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return out.Bytes()
}

type rawFile struct {
	fh      *zip.FileHeader
	content []byte
}

func named(name string) rawFile {
	return rawFile{fh: &zip.FileHeader{Name: name, Method: zip.Deflate}, content: []byte("planted")}
}

func withMode(name string, mode fs.FileMode, content string) rawFile {
	fh := &zip.FileHeader{Name: name, Method: zip.Store}
	fh.SetMode(mode)
	return rawFile{fh: fh, content: []byte(content)}
}

// zerosBomb returns a genuine deflate stream of n×16 MiB zero bytes (about
// 16 KiB per 16 MiB) and its CRC, built without holding the zeros.
func zerosBomb(t testing.TB, chunks int) ([]byte, uint32, uint64) {
	t.Helper()
	const chunk = 16 << 20
	var one bytes.Buffer
	fw, err := flate.NewWriter(&one, flate.BestCompression)
	require.NoError(t, err)
	zeros := make([]byte, chunk)
	_, err = fw.Write(zeros)
	require.NoError(t, err)
	require.NoError(t, fw.Flush()) // ends on a byte boundary: chunks can be repeated
	var tail bytes.Buffer
	fw2, _ := flate.NewWriter(&tail, flate.BestSpeed)
	require.NoError(t, fw2.Close())
	stream := append(bytes.Repeat(one.Bytes(), chunks), tail.Bytes()...)
	crc := uint32(0)
	for range chunks {
		crc = crc32.Update(crc, crc32.IEEETable, zeros)
	}
	return stream, crc, uint64(chunks) * chunk
}

// overlapping builds a ZIP whose second entry's local header and data lie
// inside the first entry's data: archive/zip reads it happily, and it is
// the building block of non-recursive zip bombs.
func overlapping() []byte {
	le := binary.LittleEndian
	local := func(name string, data []byte) []byte {
		h := make([]byte, 30, 30+len(name)+len(data))
		le.PutUint32(h, sigLocal)
		le.PutUint16(h[4:], 20)
		le.PutUint32(h[14:], crc32.ChecksumIEEE(data))
		le.PutUint32(h[18:], uint32(len(data)))
		le.PutUint32(h[22:], uint32(len(data)))
		le.PutUint16(h[26:], uint16(len(name)))
		return append(append(h, name...), data...)
	}
	central := func(name string, data []byte, off int) []byte {
		h := make([]byte, 46, 46+len(name))
		le.PutUint32(h, sigCentral)
		le.PutUint16(h[4:], 20)
		le.PutUint16(h[6:], 20)
		le.PutUint32(h[16:], crc32.ChecksumIEEE(data))
		le.PutUint32(h[20:], uint32(len(data)))
		le.PutUint32(h[24:], uint32(len(data)))
		le.PutUint16(h[28:], uint16(len(name)))
		le.PutUint32(h[42:], uint32(off))
		return append(h, name...)
	}
	inner := local("evidence/b.txt", []byte("shared bytes"))
	outer := local("evidence/a.txt", inner)
	cd := append(central("evidence/a.txt", inner, 0), central("evidence/b.txt", []byte("shared bytes"), 30+len("evidence/a.txt"))...)
	end := make([]byte, 22)
	le.PutUint32(end, sigEnd)
	le.PutUint16(end[8:], 2)
	le.PutUint16(end[10:], 2)
	le.PutUint32(end[12:], uint32(len(cd)))
	le.PutUint32(end[16:], uint32(len(outer)))
	return append(append(outer, cd...), end...)
}

func editEntry(t testing.TB, data []byte, entry string, f func(string) string) []byte {
	return rezip(t, data, func(name string, b []byte) []byte {
		if name == entry {
			return []byte(f(string(b)))
		}
		return b
	}, nil)
}

func hostileCorpus(t testing.TB) []hostile {
	good, _, _ := validBundle(t)
	var hs []hostile
	add := func(name string, data []byte, want ...string) { hs = append(hs, hostile{name, data, want}) }

	// Names.
	add("zip-slip", addEntries(t, good, false, named("../../evil.sh")), "../../evil.sh", "zip-slip")
	add("zip-slip inside", addEntries(t, good, false, named("evidence/../../evil.sh")), "evidence/../../evil.sh", "..")
	add("absolute path", addEntries(t, good, false, named("/etc/cron.d/evil")), "/etc/cron.d/evil", "absolute")
	add("backslash", addEntries(t, good, false, named(`evidence\..\..\evil.bat`)), "backslash")
	add("drive letter", addEntries(t, good, false, named("C:/Windows/evil.dll")), "C:/Windows/evil.dll", "drive letter")
	add("drive relative", addEntries(t, good, false, named("c:evil.dll")), "c:evil.dll", "drive letter")
	add("stream colon", addEntries(t, good, false, named("evidence/x.txt:ads")), "colon")
	add("dot element", addEntries(t, good, false, named("evidence/./x.txt")), "evidence/./x.txt", "\".\"")
	add("empty element", addEntries(t, good, false, named("evidence//x.txt")), "evidence//x.txt")
	add("control character", addEntries(t, good, false, named("evidence/a\x1bb.txt")), "control character")
	add("symlink", addEntries(t, good, false, withMode("evidence/link", fs.ModeSymlink|0o777, "/etc/passwd")), "evidence/link", "symbolic link")
	add("device", addEntries(t, good, false, withMode("evidence/dev", fs.ModeDevice|0o644, "")), "evidence/dev", "not a regular file")
	add("duplicate name", addEntries(t, good, false, named("case.json")), "case.json", "duplicate")
	add("duplicate differing in case", addEntries(t, good, false, named("Case.JSON")), "Case.JSON", "duplicate")
	add("duplicate differing in Unicode form", addEntries(t, good, false, named("evidence/e\u0301.txt"), named("evidence/\u00e9.txt")), "duplicate")

	// Sizes and counts.
	many := make([]rawFile, DefaultLimits.MaxEntries)
	for i := range many {
		many[i] = rawFile{fh: &zip.FileHeader{Name: fmt.Sprintf("evidence/%05d.txt", i), Method: zip.Store}}
	}
	add("too many entries", addEntries(t, good, false, many...), "entries", "limit of 10000")

	bomb, crc, n := zerosBomb(t, 128)
	add("2 GiB of declared zeros", addEntries(t, good, true, rawFile{fh: &zip.FileHeader{Name: "evidence/zeros.bin", Method: zip.Deflate,
		CRC32: crc, CompressedSize64: uint64(len(bomb)), UncompressedSize64: n}, content: bomb}), "evidence/zeros.bin", "zip bomb")
	add("declared beyond the entry cap", addEntries(t, good, true, rawFile{fh: &zip.FileHeader{Name: "evidence/huge.bin", Method: zip.Store,
		CompressedSize64: 8, UncompressedSize64: 5 << 30}, content: []byte("12345678")}), "evidence/huge.bin")
	small, _, _ := zerosBomb(t, 1)
	add("no case.json", rezip(t, good, func(name string, b []byte) []byte {
		if name == CaseName {
			return nil
		}
		return b
	}, nil), "case.json is missing")
	lying := addEntries(t, rezip(t, good, func(name string, b []byte) []byte {
		if name == CaseName {
			return nil
		}
		return b
	}, nil), true, rawFile{fh: &zip.FileHeader{Name: CaseName, Method: zip.Deflate, CompressedSize64: uint64(len(small)), UncompressedSize64: 100}, content: small})
	add("deflate stream longer than declared", lying, "case.json")

	// Layout.
	add("overlapping entries", overlapping(), "overlaps")
	add("truncated central directory", good[:len(good)-10], "truncated")
	add("truncated in the middle", good[:len(good)/2], "truncated")
	add("zero bytes", nil, "not a ZIP")
	add("not a zip", []byte(strings.Repeat("hello world ", 10)), "not a readable ZIP")
	badLocal := bytes.Clone(good)
	copy(badLocal[30:], "CASE.json")
	add("local header name differs", badLocal, "local header names it")
	add("encrypted entry", addEntries(t, good, true, rawFile{fh: &zip.FileHeader{Name: "evidence/enc.bin", Method: zip.Store, Flags: 1,
		CompressedSize64: 3, UncompressedSize64: 3}, content: []byte("abc")}), "evidence/enc.bin", "encrypted")
	add("bzip2 entry", addEntries(t, good, true, rawFile{fh: &zip.FileHeader{Name: "evidence/b.bz2", Method: 12,
		CompressedSize64: 3, UncompressedSize64: 3}, content: []byte("abc")}), "evidence/b.bz2", "compression method 12")
	add("stored entry with two sizes", addEntries(t, good, true, rawFile{fh: &zip.FileHeader{Name: "evidence/s.bin", Method: zip.Store,
		CompressedSize64: 3, UncompressedSize64: 30}, content: []byte("abc")}), "evidence/s.bin", "stored entry")

	// Manifest and case.json.
	add("no manifest", rezip(t, good, func(name string, b []byte) []byte {
		if name == ManifestName {
			return nil
		}
		return b
	}, nil), "manifest.json is missing")
	man := func(f func(string) string) []byte { return editEntry(t, good, ManifestName, f) }
	add("manifest not JSON", man(func(string) string { return "{not json" }), "manifest.json")
	add("manifest with trailing data", man(func(s string) string { return s + "{}" }), "data after the manifest")
	add("manifest unknown field", man(func(s string) string { return strings.Replace(s, `"format"`, `"evil": 1, "format"`, 1) }), "unknown field")
	add("manifest other format", man(func(s string) string { return strings.Replace(s, Format, "zip-of-stuff", 1) }), "format")
	add("manifest newer version", man(func(s string) string { return strings.Replace(s, `"version": 1`, `"version": 2`, 1) }), "version 2")
	add("manifest path outside", man(func(s string) string { return strings.Replace(s, "evidence/001-", "other/001-", 1) }), "other/001-", "outside")
	add("manifest nested path", man(func(s string) string { return strings.Replace(s, "evidence/001-", "evidence/sub/001-", 1) }), "outside")
	add("manifest zip-slip path", man(func(s string) string { return strings.Replace(s, "evidence/001-", "evidence/../../001-", 1) }), "zip-slip")
	add("manifest lists itself", man(func(s string) string { return strings.Replace(s, `"evidence/005-empty.txt"`, `"manifest.json"`, 1) }), "lists itself")
	add("manifest lists twice", man(func(s string) string {
		return strings.Replace(s, `"evidence/005-empty.txt"`, `"evidence/004-invoice.pdf"`, 1)
	}), "listed twice")
	add("manifest bad sha", man(func(s string) string { return strings.Replace(s, `"sha256": "`, `"sha256": "XYZ`, 1) }), "not a lowercase SHA-256")
	add("manifest without case.json", man(func(s string) string {
		return strings.Replace(s, `"path": "case.json"`, `"path": "letters/case.json"`, 1)
	}), "does not list case.json")
	cj := func(f func(string) string) []byte { return editEntry(t, good, CaseName, f) }
	add("case.json not JSON", cj(func(string) string { return "[" }), "case.json")
	add("case.json trailing data", cj(func(s string) string { return s + "[]" }), "data after the case")
	add("case.json bad sha", cj(func(s string) string { return strings.Replace(s, `"sha256": "`, `"sha256": "../`, 1) }), "case.json", "not a lowercase SHA-256")
	return hs
}

func TestHostileBundlesAreRefused(t *testing.T) {
	for _, h := range hostileCorpus(t) {
		t.Run(h.name, func(t *testing.T) {
			_, err := Open(bytes.NewReader(h.data), int64(len(h.data)), Limits{})
			require.Error(t, err)
			require.ErrorIs(t, err, ErrRefused)
			for _, w := range h.want {
				assert.Contains(t, err.Error(), w)
			}
			_, err = Verify(bytes.NewReader(h.data), int64(len(h.data)))
			require.ErrorIs(t, err, ErrRefused)
		})
	}
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
	small, _, _ := zerosBomb(t, 1)
	bad := rezip(t, good, func(name string, b []byte) []byte {
		if name == "evidence/004-invoice.pdf" {
			return nil
		}
		return b
	}, nil)
	bad = addEntries(t, bad, true, rawFile{fh: &zip.FileHeader{Name: "evidence/004-invoice.pdf", Method: zip.Deflate,
		CompressedSize64: uint64(len(small)), UncompressedSize64: 29}, content: small})
	rep, err := Verify(bytes.NewReader(bad), int64(len(bad)))
	require.NoError(t, err)
	require.False(t, rep.OK())
	assert.Contains(t, rep.Err().Error(), "evidence/004-invoice.pdf changed")
}
