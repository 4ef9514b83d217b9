// Package hostile builds a corpus of hostile DisputeKit bundles for tests
// of every reader (bundle, import, GUI): zip-slip and absolute names,
// symlinks, duplicate names, a genuine 2 GiB zeros bomb, overlapping
// entries, truncated directories, lying manifests. It is test support: no
// program imports it.
package hostile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"strings"

	"github.com/disputekit/disputekit/evidence"
)

// MaxEntries is the bundle reader's entry limit (bundle.DefaultLimits:
// a case's most exhibits, letters, case.json and manifest.json), which the
// corpus exceeds; a bundle test checks that the two agree.
const MaxEntries = evidence.MaxExhibits + 64 + 2

const (
	manifestName = "manifest.json"
	caseName     = "case.json"
)

// Bundle is one hostile bundle, and the words a refusal must contain (the
// problem and the entry).
type Bundle struct {
	Name string
	Data []byte
	Want []string
}

// Corpus returns the hostile bundles built from good, a valid bundle of
// the bundle tests' sample case (five exhibits evidence/001-… to
// evidence/005-empty.txt).
func Corpus(good []byte) (hs []Bundle, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("build the hostile corpus: %v", r)
		}
	}()
	return corpus(good), nil
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// Rezip copies a ZIP, letting edit change or drop (nil) each entry's bytes,
// and appending extra entries.
func Rezip(data []byte, edit func(name string, b []byte) []byte, extra map[string][]byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	must(err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		must(err)
		b, err := io.ReadAll(rc)
		must(err)
		if edit != nil {
			b = edit(f.Name, b)
		}
		if b == nil {
			continue
		}
		fh := f.FileHeader
		w, err := zw.CreateHeader(&fh)
		must(err)
		_, err = w.Write(b)
		must(err)
	}
	for name, b := range extra {
		w, err := zw.Create(name)
		must(err)
		_, err = w.Write(b)
		must(err)
	}
	must(zw.Close())
	return out.Bytes()
}

// AddEntries appends entries (header as given, content as given) to a
// copy of a valid bundle.
func AddEntries(data []byte, raw bool, entries ...Entry) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	must(err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		must(zw.Copy(f))
	}
	for _, e := range entries {
		var w interface{ Write([]byte) (int, error) }
		if raw {
			w, err = zw.CreateRaw(e.Header)
		} else {
			w, err = zw.CreateHeader(e.Header)
		}
		must(err)
		_, err = w.Write(e.Content)
		must(err)
	}
	must(zw.Close())
	return out.Bytes()
}

// Entry is an entry to add: its header and its (raw or plain) content.
type Entry struct {
	Header  *zip.FileHeader
	Content []byte
}

// Named is a small deflated entry called name.
func Named(name string) Entry {
	return Entry{Header: &zip.FileHeader{Name: name, Method: zip.Deflate}, Content: []byte("planted")}
}

// WithMode is a stored entry with the given file mode (symlink, device…).
func WithMode(name string, mode fs.FileMode, content string) Entry {
	fh := &zip.FileHeader{Name: name, Method: zip.Store}
	fh.SetMode(mode)
	return Entry{Header: fh, Content: []byte(content)}
}

// zerosBomb returns a genuine deflate stream of n×16 MiB zero bytes (about
// 16 KiB per 16 MiB) and its CRC, built without holding the zeros.
func ZerosBomb(chunks int) ([]byte, uint32, uint64) {
	const chunk = 16 << 20
	var one bytes.Buffer
	fw, err := flate.NewWriter(&one, flate.BestCompression)
	must(err)
	zeros := make([]byte, chunk)
	_, err = fw.Write(zeros)
	must(err)
	must(fw.Flush()) // ends on a byte boundary: chunks can be repeated
	var tail bytes.Buffer
	fw2, _ := flate.NewWriter(&tail, flate.BestSpeed)
	must(fw2.Close())
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
func Overlapping() []byte {
	le := binary.LittleEndian
	local := func(name string, data []byte) []byte {
		h := make([]byte, 30, 30+len(name)+len(data))
		le.PutUint32(h, 0x04034b50)
		le.PutUint16(h[4:], 20)
		le.PutUint32(h[14:], crc32.ChecksumIEEE(data))
		le.PutUint32(h[18:], uint32(len(data)))
		le.PutUint32(h[22:], uint32(len(data)))
		le.PutUint16(h[26:], uint16(len(name)))
		return append(append(h, name...), data...)
	}
	central := func(name string, data []byte, off int) []byte {
		h := make([]byte, 46, 46+len(name))
		le.PutUint32(h, 0x02014b50)
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
	le.PutUint32(end, 0x06054b50)
	le.PutUint16(end[8:], 2)
	le.PutUint16(end[10:], 2)
	le.PutUint32(end[12:], uint32(len(cd)))
	le.PutUint32(end[16:], uint32(len(outer)))
	return append(append(outer, cd...), end...)
}

// EditEntry rewrites one entry of a ZIP through f.
func EditEntry(data []byte, entry string, f func(string) string) []byte {
	return Rezip(data, func(name string, b []byte) []byte {
		if name == entry {
			return []byte(f(string(b)))
		}
		return b
	}, nil)
}

func corpus(good []byte) []Bundle {
	var hs []Bundle
	add := func(name string, data []byte, want ...string) { hs = append(hs, Bundle{name, data, want}) }

	// Names.
	add("zip-slip", AddEntries(good, false, Named("../../evil.sh")), "../../evil.sh", "zip-slip")
	add("zip-slip inside", AddEntries(good, false, Named("evidence/../../evil.sh")), "evidence/../../evil.sh", "..")
	add("absolute path", AddEntries(good, false, Named("/etc/cron.d/evil")), "/etc/cron.d/evil", "absolute")
	add("backslash", AddEntries(good, false, Named(`evidence\..\..\evil.bat`)), "backslash")
	add("drive letter", AddEntries(good, false, Named("C:/Windows/evil.dll")), "C:/Windows/evil.dll", "drive letter")
	add("drive relative", AddEntries(good, false, Named("c:evil.dll")), "c:evil.dll", "drive letter")
	add("stream colon", AddEntries(good, false, Named("evidence/x.txt:ads")), "colon")
	add("dot element", AddEntries(good, false, Named("evidence/./x.txt")), "evidence/./x.txt", "\".\"")
	add("empty element", AddEntries(good, false, Named("evidence//x.txt")), "evidence//x.txt")
	add("control character", AddEntries(good, false, Named("evidence/a\x1bb.txt")), "control character")
	add("symlink", AddEntries(good, false, WithMode("evidence/link", fs.ModeSymlink|0o777, "/etc/passwd")), "evidence/link", "symbolic link")
	add("device", AddEntries(good, false, WithMode("evidence/dev", fs.ModeDevice|0o644, "")), "evidence/dev", "not a regular file")
	add("duplicate name", AddEntries(good, false, Named("case.json")), "case.json", "duplicate")
	add("duplicate differing in case", AddEntries(good, false, Named("Case.JSON")), "Case.JSON", "duplicate")
	add("duplicate differing in Unicode form", AddEntries(good, false, Named("evidence/e\u0301.txt"), Named("evidence/\u00e9.txt")), "duplicate")

	// Sizes and counts.
	many := make([]Entry, MaxEntries)
	for i := range many {
		many[i] = Entry{Header: &zip.FileHeader{Name: fmt.Sprintf("evidence/%05d.txt", i), Method: zip.Store}}
	}
	add("too many entries", AddEntries(good, false, many...), "entries", fmt.Sprintf("limit of %d", MaxEntries))

	bomb, crc, n := ZerosBomb(128)
	add("2 GiB of declared zeros", AddEntries(good, true, Entry{Header: &zip.FileHeader{Name: "evidence/zeros.bin", Method: zip.Deflate,
		CRC32: crc, CompressedSize64: uint64(len(bomb)), UncompressedSize64: n}, Content: bomb}), "evidence/zeros.bin", "zip bomb")
	add("declared beyond the entry cap", AddEntries(good, true, Entry{Header: &zip.FileHeader{Name: "evidence/huge.bin", Method: zip.Store,
		CompressedSize64: 8, UncompressedSize64: 5 << 30}, Content: []byte("12345678")}), "evidence/huge.bin")
	small, _, _ := ZerosBomb(1)
	add("no case.json", Rezip(good, func(name string, b []byte) []byte {
		if name == caseName {
			return nil
		}
		return b
	}, nil), "case.json is missing")
	lying := AddEntries(Rezip(good, func(name string, b []byte) []byte {
		if name == caseName {
			return nil
		}
		return b
	}, nil), true, Entry{Header: &zip.FileHeader{Name: caseName, Method: zip.Deflate, CompressedSize64: uint64(len(small)), UncompressedSize64: 100}, Content: small})
	add("deflate stream longer than declared", lying, "case.json")

	// Layout.
	add("overlapping entries", Overlapping(), "overlaps")
	add("truncated central directory", good[:len(good)-10], "truncated")
	add("truncated in the middle", good[:len(good)/2], "truncated")
	add("zero bytes", nil, "not a ZIP")
	add("not a zip", []byte(strings.Repeat("hello world ", 10)), "not a readable ZIP")
	badLocal := bytes.Clone(good)
	copy(badLocal[30:], "CASE.json")
	add("local header name differs", badLocal, "local header names it")
	add("encrypted entry", AddEntries(good, true, Entry{Header: &zip.FileHeader{Name: "evidence/enc.bin", Method: zip.Store, Flags: 1,
		CompressedSize64: 3, UncompressedSize64: 3}, Content: []byte("abc")}), "evidence/enc.bin", "encrypted")
	add("bzip2 entry", AddEntries(good, true, Entry{Header: &zip.FileHeader{Name: "evidence/b.bz2", Method: 12,
		CompressedSize64: 3, UncompressedSize64: 3}, Content: []byte("abc")}), "evidence/b.bz2", "compression method 12")
	add("stored entry with two sizes", AddEntries(good, true, Entry{Header: &zip.FileHeader{Name: "evidence/s.bin", Method: zip.Store,
		CompressedSize64: 3, UncompressedSize64: 30}, Content: []byte("abc")}), "evidence/s.bin", "stored entry")

	// Manifest and case.json.
	add("no manifest", Rezip(good, func(name string, b []byte) []byte {
		if name == manifestName {
			return nil
		}
		return b
	}, nil), "manifest.json is missing")
	man := func(f func(string) string) []byte { return EditEntry(good, manifestName, f) }
	add("manifest not JSON", man(func(string) string { return "{not json" }), "manifest.json")
	add("manifest with trailing data", man(func(s string) string { return s + "{}" }), "data after the manifest")
	add("manifest unknown field", man(func(s string) string { return strings.Replace(s, `"format"`, `"evil": 1, "format"`, 1) }), "unknown field")
	add("manifest other format", man(func(s string) string { return strings.Replace(s, "disputekit-bundle", "zip-of-stuff", 1) }), "format")
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
	cj := func(f func(string) string) []byte { return EditEntry(good, caseName, f) }
	add("case.json not JSON", cj(func(string) string { return "[" }), "case.json")
	add("case.json trailing data", cj(func(s string) string { return s + "[]" }), "data after the case")
	add("case.json bad sha", cj(func(s string) string { return strings.Replace(s, `"sha256": "`, `"sha256": "../`, 1) }), "case.json", "not a lowercase SHA-256")
	return hs
}
