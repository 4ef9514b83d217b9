package bundle

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"slices"
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/disputekit/disputekit/evidence"
)

// Reader is an opened bundle whose structure passed every check: names,
// sizes, ratios, layout. Its files' hashes are checked by Verify.
type Reader struct {
	Manifest Manifest
	// Dossier is case.json without its transactions (Transactions is nil):
	// EachTransaction reads them as a stream, and Transactions says how many.
	Dossier      evidence.Dossier
	Transactions int
	files        map[string]*zip.File // regular entries by name
	names        []string             // regular entries, sorted
	suspect      []string             // entries compressed beyond MaxRatio
	caseSHA      string               // of case.json's bytes as Open read them
	limits       Limits
}

// Open checks the archive's structure and reads its manifest and case.json.
// Any hostile or damaged structure is refused with an error wrapping
// ErrRefused that names the entry; nothing is extracted.
func Open(r io.ReaderAt, size int64, lim Limits) (*Reader, error) {
	lim = lim.orDefault()
	if size < 22 {
		return nil, refusef("not a ZIP file: %d bytes", size)
	}
	dir, err := readDirectory(r, size, lim.MaxEntries)
	if err != nil {
		if errors.Is(err, ErrRefused) {
			return nil, err
		}
		return nil, refusef("not a readable ZIP (truncated or damaged central directory): %v", err)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // insecure names are named below
		return nil, refusef("not a readable ZIP (truncated or damaged central directory): %v", err)
	}
	if len(zr.File) != len(dir.entries) {
		return nil, refusef("central directory lists %d entries, archive/zip read %d", len(dir.entries), len(zr.File))
	}
	b := &Reader{files: map[string]*zip.File{}, limits: lim}
	if err := b.checkEntries(r, zr, dir); err != nil {
		return nil, err
	}
	if err := b.readManifest(); err != nil {
		return nil, err
	}
	if err := b.checkRatios(); err != nil {
		return nil, err
	}
	if err := b.readCase(); err != nil {
		return nil, err
	}
	return b, nil
}

type span struct {
	start, end int64
	name       string
}

// checkEntries applies every structural rule to every entry.
func (b *Reader) checkEntries(r io.ReaderAt, zr *zip.Reader, dir directory) error {
	lim := b.limits
	folded := map[string]string{}
	var total uint64
	spans := make([]span, 0, len(zr.File))
	for i, f := range zr.File {
		ce := dir.entries[i]
		name := f.Name
		if ce.name != name {
			return refusef("entry %q: central directory name differs from archive/zip's %q", ce.name, name)
		}
		if err := checkName(name); err != nil {
			return err
		}
		key := strings.ToLower(norm.NFC.String(name))
		if prev, ok := folded[key]; ok {
			return refusef("entry %q: duplicate name (same as %q apart from case or Unicode form)", name, prev)
		}
		folded[key] = name
		mode := f.Mode()
		isDir := strings.HasSuffix(name, "/")
		switch {
		case mode&fs.ModeSymlink != 0:
			return refusef("entry %q: symbolic link", name)
		case isDir != mode.IsDir():
			return refusef("entry %q: directory flag and name disagree", name)
		case !isDir && !mode.IsRegular():
			return refusef("entry %q: not a regular file (mode %v)", name, mode)
		case f.Flags&0x1 != 0:
			return refusef("entry %q: encrypted ZIP entries are not supported", name)
		case f.Method != zip.Store && f.Method != zip.Deflate:
			return refusef("entry %q: unsupported compression method %d", name, f.Method)
		case ce.method != f.Method || ce.csize != f.CompressedSize64 || ce.usize != f.UncompressedSize64 || ce.offset < 0:
			return refusef("entry %q: method, sizes or offset differ between readings", name)
		case isDir && f.UncompressedSize64 != 0:
			return refusef("entry %q: directory with content", name)
		case f.UncompressedSize64 > uint64(lim.MaxEntrySize):
			return refusef("entry %q: %d bytes uncompressed, more than the limit of %d", name, f.UncompressedSize64, lim.MaxEntrySize)
		case f.Method == zip.Store && f.CompressedSize64 != f.UncompressedSize64:
			return refusef("entry %q: stored entry with compressed size %d but size %d", name, f.CompressedSize64, f.UncompressedSize64)
		case f.UncompressedSize64 > uint64(lim.RatioFloor) &&
			float64(f.UncompressedSize64) > lim.MaxRatio*float64(f.CompressedSize64):
			b.suspect = append(b.suspect, name) // judged against the manifest (checkRatios)
		}
		total += f.UncompressedSize64
		if total > uint64(lim.MaxTotalSize) {
			return refusef("entry %q: bundle holds more than the limit of %d bytes uncompressed", name, lim.MaxTotalSize)
		}
		localName, dataStart, err := localHeader(r, ce.offset)
		if err != nil {
			return refusef("entry %q: %v", name, err)
		}
		if localName != name {
			return refusef("entry %q: local header names it %q", name, localName)
		}
		if off, err := f.DataOffset(); err != nil || off != dataStart {
			return refusef("entry %q: data offset disagrees between readings", name)
		}
		end := dataStart + int64(f.CompressedSize64)
		if f.Flags&0x8 != 0 {
			end += 12 // smallest data descriptor: crc and two 32-bit sizes
		}
		if end < dataStart || end > dir.start {
			return refusef("entry %q: data runs past the central directory", name)
		}
		spans = append(spans, span{ce.offset, end, name})
		if !isDir {
			b.files[name] = f
			b.names = append(b.names, name)
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	for i := 1; i < len(spans); i++ {
		if spans[i].start < spans[i-1].end {
			return refusef("entry %q overlaps entry %q", spans[i].name, spans[i-1].name)
		}
	}
	sort.Strings(b.names)
	return nil
}

// readSmall reads a whole entry of at most max bytes.
func (b *Reader) readSmall(name string, max int64) ([]byte, error) {
	f, ok := b.files[name]
	if !ok {
		return nil, refusef("%s is missing", name)
	}
	if f.UncompressedSize64 > uint64(max) {
		return nil, refusef("entry %q: %d bytes, more than the limit of %d", name, f.UncompressedSize64, max)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, refusef("entry %q: %v", name, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, int64(f.UncompressedSize64)+1))
	if err != nil {
		return nil, refusef("entry %q: damaged: %v", name, err)
	}
	if uint64(len(data)) != f.UncompressedSize64 {
		return nil, refusef("entry %q: holds %d bytes, declares %d", name, len(data), f.UncompressedSize64)
	}
	return data, nil
}

// ratioError refuses entry f as a likely zip bomb.
func (b *Reader) ratioError(f *zip.File) error {
	return refusef("entry %q: compression ratio %.0f:1 over the limit of %.0f:1, and the manifest does not list it with this size (zip bomb?)",
		f.Name, float64(f.UncompressedSize64)/float64(max(f.CompressedSize64, 1)), b.limits.MaxRatio)
}

// checkRatios refuses every entry compressed beyond MaxRatio unless the
// manifest lists it with exactly the size its headers declare. What such
// an entry can cost is then what the manifest declares, which the limits
// bound like any legitimate file's: it is read counting bytes against that
// size (archive/zip and open refuse a stream longer than declared) and
// hashing them against the manifest.
func (b *Reader) checkRatios() error {
	listed := make(map[string]int64, len(b.Manifest.Files))
	for _, mf := range b.Manifest.Files {
		listed[mf.Path] = mf.Size
	}
	for _, name := range b.suspect {
		f := b.files[name]
		if size, ok := listed[name]; ok && size >= 0 && uint64(size) == f.UncompressedSize64 {
			continue
		}
		return b.ratioError(f)
	}
	return nil
}

func (b *Reader) readManifest() error {
	if f, ok := b.files[ManifestName]; ok && slices.Contains(b.suspect, ManifestName) {
		return b.ratioError(f) // nothing vouches for the manifest itself
	}
	data, err := b.readSmall(ManifestName, b.limits.MaxJSONSize)
	if err != nil {
		return err
	}
	m, err := DecodeManifest(data)
	if err != nil {
		return err
	}
	b.Manifest = m
	return nil
}

// DecodeManifest parses and checks a manifest: format, version, and every
// file's path, hash and size. Unknown fields are refused: a version-1
// manifest has exactly the fields this package writes.
func DecodeManifest(data []byte) (Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, refusef("%s: %v", ManifestName, err)
	}
	if dec.More() {
		return m, refusef("%s: data after the manifest", ManifestName)
	}
	if m.Format != Format {
		return m, refusef("%s: format %q, want %q", ManifestName, m.Format, Format)
	}
	if m.Version < 1 || m.Version > Version {
		return m, refusef("%s: version %d; this DisputeKit reads version %d (update DisputeKit to open newer bundles)", ManifestName, m.Version, Version)
	}
	seen := map[string]bool{}
	hasCase := false
	for _, f := range m.Files {
		if err := checkName(f.Path); err != nil {
			return m, fmt.Errorf("%s: %w", ManifestName, err)
		}
		key := strings.ToLower(norm.NFC.String(f.Path))
		if seen[key] {
			return m, refusef("%s: %q listed twice", ManifestName, f.Path)
		}
		seen[key] = true
		switch {
		case f.Path == CaseName:
			hasCase = true
		case f.Path == ManifestName:
			return m, refusef("%s: lists itself", ManifestName)
		case !inFolder(f.Path, EvidenceDir) && !inFolder(f.Path, LettersDir):
			return m, refusef("%s: %q is outside case.json, evidence/ and letters/", ManifestName, f.Path)
		}
		if !isHexSHA(f.SHA256) {
			return m, refusef("%s: %q: sha256 %q is not a lowercase SHA-256", ManifestName, f.Path, f.SHA256)
		}
		if f.Size < 0 {
			return m, refusef("%s: %q: negative size", ManifestName, f.Path)
		}
	}
	if !hasCase {
		return m, refusef("%s: does not list %s", ManifestName, CaseName)
	}
	return m, nil
}

// inFolder reports whether p is a file directly inside dir ("evidence/").
func inFolder(p, dir string) bool {
	rest, ok := strings.CutPrefix(p, dir)
	return ok && rest != "" && !strings.Contains(rest, "/")
}

// readCase decodes case.json once, as a stream (its transactions are
// decoded, checked and counted, not kept), bounded by the size its header
// declares; Verify then checks that size and its hash against the manifest.
func (b *Reader) readCase() error {
	f, ok := b.files[CaseName]
	if !ok {
		return refusef("%s is missing", CaseName)
	}
	rc, err := f.Open()
	if err != nil {
		return refusef("entry %q: %v", CaseName, err)
	}
	defer rc.Close()
	h := sha256.New()
	cr := &countReader{r: io.TeeReader(io.LimitReader(rc, int64(f.UncompressedSize64)+1), h)}
	d, n, err := decodeCase(cr, b.limits.MaxJSONSize, func([]evidence.Transaction) error { return nil })
	if err != nil {
		return err
	}
	if _, err := io.Copy(io.Discard, cr); err != nil {
		return refusef("entry %q: damaged: %v", CaseName, err)
	}
	if uint64(cr.n) != f.UncompressedSize64 {
		return refusef("entry %q: holds %d bytes, declares %d", CaseName, cr.n, f.UncompressedSize64)
	}
	b.Dossier, b.Transactions = d, n
	b.caseSHA = hex.EncodeToString(h.Sum(nil)) // Verify need not read it a second time
	return nil
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// EachTransaction reads case.json's transactions again, handing them to fn
// in batches (the batch is reused once fn returns), so that an import holds
// one batch, not the case. The pass fails — at the latest once the last
// byte is read, after fn has seen every batch — unless case.json has the
// hash and size the manifest lists and the same case, exhibits, calls,
// events and audit as Open read: callers storing the batches must undo
// them on error (store.ImportDossierStream does, in one SQL transaction).
// fn's own error is returned as it is.
func (b *Reader) EachTransaction(fn func([]evidence.Transaction) error) error {
	var listed *File
	for i := range b.Manifest.Files {
		if b.Manifest.Files[i].Path == CaseName {
			listed = &b.Manifest.Files[i]
		}
	}
	if listed == nil {
		return refusef("%s: does not list %s", ManifestName, CaseName)
	}
	rc, err := b.open(CaseName, listed.SHA256, listed.Size)
	if err != nil {
		return refusef("entry %q: %v", CaseName, err)
	}
	defer rc.Close()
	d, n, err := decodeCase(rc, b.limits.MaxJSONSize, fn)
	if err != nil {
		return err
	}
	if _, err := io.Copy(io.Discard, rc); err != nil { // the hash is checked at EOF
		if errors.Is(err, ErrRefused) {
			return err
		}
		return refusef("entry %q: damaged: %v", CaseName, err)
	}
	if n != b.Transactions || !sameJSON(d, b.Dossier) {
		return refusef("%s changed while the bundle was being read", CaseName)
	}
	return nil
}

// sameJSON reports whether a and b encode alike (decoded times carry fresh
// zones, so reflect.DeepEqual would not do).
func sameJSON(a, b evidence.Dossier) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// DecodeCase parses a whole case.json held in memory (transactions
// included) and checks what a bundle reader relies on: every exhibit names
// a SHA-256 and a size, no record is over DefaultLimits.MaxJSONSize.
func DecodeCase(data []byte) (evidence.Dossier, error) {
	var ts []evidence.Transaction
	d, _, err := decodeCase(bytes.NewReader(data), DefaultLimits.MaxJSONSize, func(page []evidence.Transaction) error {
		ts = append(ts, page...)
		return nil
	})
	if err != nil {
		return d, err
	}
	d.Transactions = ts
	return d, nil
}

// Names lists the bundle's regular entries, sorted.
func (b *Reader) Names() []string { return append([]string(nil), b.names...) }

// open returns a reader over entry name that fails, at the latest at EOF,
// unless the bytes have the given hash and size.
func (b *Reader) open(name, sha string, size int64) (io.ReadCloser, error) {
	f, ok := b.files[name]
	if !ok {
		return nil, fmt.Errorf("%s: %w", name, evidence.ErrNotFound)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	return &checkedReader{rc: rc, r: io.LimitReader(rc, size+1), h: sha256.New(), name: name, want: sha, size: size}, nil
}

// checkedReader hashes and counts what passes through it.
type checkedReader struct {
	rc   io.ReadCloser
	r    io.Reader
	h    hash.Hash
	n    int64
	name string
	want string
	size int64
}

func (c *checkedReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.h.Write(p[:n])
	if c.n > c.size {
		return n, refusef("entry %q: more than the %d bytes the manifest lists", c.name, c.size)
	}
	if err == io.EOF {
		if got := hex.EncodeToString(c.h.Sum(nil)); got != c.want || c.n != c.size {
			return n, refusef("entry %q: sha256 %s, %d bytes; the manifest lists %s, %d bytes", c.name, got, c.n, c.want, c.size)
		}
	}
	return n, err
}

func (c *checkedReader) Close() error { return c.rc.Close() }

// OpenExhibit opens the evidence file with the given SHA-256. The reader
// fails, at the latest at EOF, unless the bytes are the ones listed.
func (b *Reader) OpenExhibit(sha string) (io.ReadCloser, error) {
	for _, f := range b.Manifest.Files {
		if f.SHA256 == sha && inFolder(f.Path, EvidenceDir) {
			return b.open(f.Path, f.SHA256, f.Size)
		}
	}
	return nil, fmt.Errorf("bundle: evidence file with sha256 %s: %w", sha, evidence.ErrNotFound)
}
