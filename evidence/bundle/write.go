package bundle

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/disputekit/disputekit/evidence"
)

// Options are the optional parts of an export.
type Options struct {
	// Letters are generated letters to include, by file name
	// ("merchant-zh.pdf"); they are stored under letters/.
	Letters map[string][]byte
}

// entry is one file planned for the archive.
type entry struct {
	file    File
	data    []byte           // letters
	exhibit evidence.Exhibit // evidence files, streamed from the vault
	isCase  bool             // case.json, streamed from the dossier
}

// Created is the time a bundle of d is stamped with: the case's last change,
// so that two exports of an unchanged case are byte-identical.
func Created(d evidence.Dossier) time.Time {
	t := d.Case.Updated
	if t.IsZero() {
		t = d.Case.Created
	}
	if t.IsZero() || t.Year() < 1980 {
		t = time.Date(2000, 1, 1, 0, 0, 0, 0, evidence.Shanghai)
	}
	return t.In(evidence.Shanghai).Truncate(time.Second)
}

// Write writes d as a bundle to w, streaming every exhibit from v and
// checking it against its recorded hash and size on the way. Entries are
// sorted and stamped with Created(d). It returns the manifest written. On
// error w holds a partial archive: callers writing files write to a
// temporary name and rename on success.
func Write(ctx context.Context, w io.Writer, d evidence.Dossier, v Vault, opt Options) (Manifest, error) {
	ts := d.Transactions
	return writeStream(ctx, w, d, func(fn func([]evidence.Transaction) error) error {
		if len(ts) == 0 {
			return nil
		}
		return fn(ts)
	}, v, opt)
}

// writeStream is Write for a dossier whose transactions each walks (d's
// own are ignored), so that case.json is written without holding them.
// Nothing is written that DefaultLimits would refuse on import.
func writeStream(ctx context.Context, w io.Writer, d evidence.Dossier, each func(func([]evidence.Transaction) error) error, v Vault, opt Options) (Manifest, error) {
	created := Created(d)
	m := Manifest{Format: Format, Version: Version, CaseID: d.Case.ID, Title: d.Case.Title, Created: created}
	lim := DefaultLimits
	if len(d.Exhibits) > evidence.MaxExhibits {
		return m, fmt.Errorf("write bundle: the case holds %d files; a bundle carries at most %d: %w", len(d.Exhibits), evidence.MaxExhibits, evidence.ErrTooLarge)
	}
	if len(opt.Letters) > MaxLetters {
		return m, fmt.Errorf("write bundle: %d letters; a bundle carries at most %d: %w", len(opt.Letters), MaxLetters, evidence.ErrTooLarge)
	}

	entries := []entry{{file: File{Path: CaseName, MediaType: "application/json"}, isCase: true}}
	seen := map[string]bool{strings.ToLower(CaseName): true, strings.ToLower(ManifestName): true}
	var filesTotal int64
	for _, e := range d.Exhibits {
		p := ExhibitPath(e)
		if seen[strings.ToLower(p)] {
			p = fmt.Sprintf("%s%03d-%d-%s", EvidenceDir, e.Seq, e.ID, SafeName(e.OriginalName))
		}
		if seen[strings.ToLower(p)] {
			return m, fmt.Errorf("write bundle: exhibit %d: path %s used twice: %w", e.Seq, p, evidence.ErrInvalid)
		}
		seen[strings.ToLower(p)] = true
		if !isHexSHA(e.SHA256) {
			return m, fmt.Errorf("write bundle: exhibit %d: sha256 %q is not a SHA-256: %w", e.Seq, e.SHA256, evidence.ErrInvalid)
		}
		if e.Size > evidence.MaxExhibitSize {
			return m, fmt.Errorf("write bundle: exhibit %d is %s; a bundle carries files of at most %s: %w",
				e.Seq, evidence.SizeText(e.Size), evidence.SizeText(evidence.MaxExhibitSize), evidence.ErrTooLarge)
		}
		filesTotal += e.Size
		mt := e.MediaType
		if mt == "" {
			mt = "application/octet-stream"
		}
		entries = append(entries, entry{file: File{Path: p, SHA256: e.SHA256, Size: e.Size, MediaType: mt, Exhibit: e.Seq}, exhibit: e})
	}
	if filesTotal > evidence.MaxCaseFilesSize {
		return m, fmt.Errorf("write bundle: the case's files add up to %s; a bundle carries at most %s: %w",
			evidence.SizeText(filesTotal), evidence.SizeText(evidence.MaxCaseFilesSize), evidence.ErrTooLarge)
	}
	for name, data := range opt.Letters {
		p := LettersDir + SafeName(name)
		if seen[strings.ToLower(p)] {
			return m, fmt.Errorf("write bundle: letter %s: name used twice: %w", p, evidence.ErrInvalid)
		}
		seen[strings.ToLower(p)] = true
		if int64(len(data)) > lim.MaxEntrySize {
			return m, fmt.Errorf("write bundle: letter %s is %s: %w", p, evidence.SizeText(int64(len(data))), evidence.ErrTooLarge)
		}
		entries = append(entries, entry{file: fileOf(p, data, letterType(p)), data: data})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].file.Path < entries[j].file.Path })

	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, fastDeflate)
	h := sha256.New()
	head := make([]byte, sampleSize)
	for _, en := range entries {
		if err := ctx.Err(); err != nil {
			return m, fmt.Errorf("write bundle: %w", err)
		}
		var err error
		switch {
		case en.isCase:
			en.file, err = writeCaseEntry(ctx, zw, en.file, created, d, each, h, lim.MaxEntrySize)
		case en.data != nil || en.exhibit.SHA256 == "":
			var ew io.Writer
			if ew, err = zw.CreateHeader(header(en.file.Path, chooseMethod(en.file.MediaType, en.file.Path, en.data), created)); err == nil {
				_, err = ew.Write(en.data)
			}
		default:
			err = copyExhibit(ctx, zw, en.file, created, v, en.exhibit, h, head)
		}
		if err != nil {
			return m, fmt.Errorf("write bundle %s: %w", en.file.Path, err)
		}
		m.Files = append(m.Files, en.file)
	}

	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, fmt.Errorf("write bundle: encode manifest: %w", err)
	}
	mw, err := zw.CreateHeader(header(ManifestName, zip.Deflate, created))
	if err == nil {
		_, err = mw.Write(append(mj, '\n'))
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		return m, fmt.Errorf("write bundle %s: %w", ManifestName, err)
	}
	return m, nil
}

// writeCaseEntry streams case.json into the archive, hashing and counting
// it, and returns its manifest entry.
func writeCaseEntry(ctx context.Context, zw *zip.Writer, f File, created time.Time, d evidence.Dossier,
	each func(func([]evidence.Transaction) error) error, h hash.Hash, max int64) (File, error) {
	if held, err := heldSize(d); err != nil {
		return f, err
	} else if held > DefaultLimits.MaxJSONSize {
		return f, fmt.Errorf("the case's description, files list, calls, events, filings and history take %s, more than the %s a bundle carries: %w",
			evidence.SizeText(held), evidence.SizeText(DefaultLimits.MaxJSONSize), evidence.ErrTooLarge)
	}
	ew, err := zw.CreateHeader(header(CaseName, zip.Deflate, created))
	if err != nil {
		return f, err
	}
	h.Reset()
	cw := &capWriter{w: io.MultiWriter(ew, h), max: max}
	err = writeCaseJSON(cw, d, func(fn func([]evidence.Transaction) error) error {
		return each(func(page []evidence.Transaction) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return fn(page)
		})
	})
	if err != nil {
		return f, err
	}
	f.SHA256, f.Size = hex.EncodeToString(h.Sum(nil)), cw.n
	return f, nil
}

// capWriter counts what it writes and fails past max bytes.
type capWriter struct {
	w   io.Writer
	n   int64
	max int64
}

func (c *capWriter) Write(p []byte) (int, error) {
	if c.n+int64(len(p)) > c.max {
		return 0, fmt.Errorf("the case record (%s) would be more than %s, the most a bundle carries in one file: %w",
			CaseName, evidence.SizeText(c.max), evidence.ErrTooLarge)
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// copyExhibit streams e's blob into a new entry of zw, hashing it, and
// fails if the vault's bytes are not the ones recorded. The entry's
// compression is chosen from its type and its first block (chooseMethod),
// which head (sampleSize bytes) receives.
func copyExhibit(ctx context.Context, zw *zip.Writer, f File, created time.Time, v Vault, e evidence.Exhibit, h hash.Hash, head []byte) error {
	rc, err := v.OpenBlob(e.SHA256)
	if err != nil {
		return fmt.Errorf("open exhibit %d: %w", e.Seq, err)
	}
	defer rc.Close()
	r := ctxReader{ctx, rc}
	k, err := io.ReadFull(r, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return fmt.Errorf("copy exhibit %d: %w", e.Seq, err)
	}
	ew, err := zw.CreateHeader(header(f.Path, chooseMethod(f.MediaType, f.Path, head[:k]), created))
	if err != nil {
		return err
	}
	h.Reset()
	w := io.MultiWriter(ew, h)
	if _, err := w.Write(head[:k]); err != nil {
		return fmt.Errorf("copy exhibit %d: %w", e.Seq, err)
	}
	n := int64(k)
	if k == len(head) {
		m, err := io.CopyBuffer(w, r, make([]byte, 256<<10))
		n += m
		if err != nil {
			return fmt.Errorf("copy exhibit %d: %w", e.Seq, err)
		}
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != e.SHA256 || n != e.Size {
		return fmt.Errorf("exhibit %d: the vault file has sha256 %s and %d bytes, the case records %s and %d bytes: %w",
			e.Seq, got, n, e.SHA256, e.Size, evidence.ErrInvalid)
	}
	return nil
}

func header(name string, method uint16, modified time.Time) *zip.FileHeader {
	fh := &zip.FileHeader{Name: name, Method: method, Modified: modified}
	fh.SetMode(0o644)
	return fh
}

func fileOf(p string, data []byte, mediaType string) File {
	sum := sha256.Sum256(data)
	return File{Path: p, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data)), MediaType: mediaType}
}

func letterType(p string) string {
	switch {
	case strings.HasSuffix(p, ".pdf"):
		return "application/pdf"
	case strings.HasSuffix(p, ".xlsx"):
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case strings.HasSuffix(p, ".txt"):
		return "text/plain; charset=utf-8"
	case strings.HasSuffix(p, ".json"):
		return "application/json"
	}
	return "application/octet-stream"
}

func isHexSHA(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

// ctxReader stops a long copy when the context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// MemVault is an in-memory Vault, for tests and previews.
type MemVault map[string][]byte

// OpenBlob returns the bytes stored under sha.
func (v MemVault) OpenBlob(sha string) (io.ReadCloser, error) {
	b, ok := v[sha]
	if !ok {
		return nil, fmt.Errorf("blob %s: %w", sha, evidence.ErrNotFound)
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

// Put stores b and returns its SHA-256.
func (v MemVault) Put(b []byte) string {
	sum := sha256.Sum256(b)
	s := hex.EncodeToString(sum[:])
	v[s] = b
	return s
}
