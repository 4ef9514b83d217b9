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
	data    []byte           // case.json, letters
	exhibit evidence.Exhibit // evidence files, streamed from the vault
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
	created := Created(d)
	m := Manifest{Format: Format, Version: Version, CaseID: d.Case.ID, Title: d.Case.Title, Created: created}

	caseJSON, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return m, fmt.Errorf("write bundle: encode case: %w", err)
	}
	caseJSON = append(caseJSON, '\n')
	entries := []entry{{file: fileOf(CaseName, caseJSON, "application/json"), data: caseJSON}}

	seen := map[string]bool{strings.ToLower(CaseName): true, strings.ToLower(ManifestName): true}
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
		mt := e.MediaType
		if mt == "" {
			mt = "application/octet-stream"
		}
		entries = append(entries, entry{file: File{Path: p, SHA256: e.SHA256, Size: e.Size, MediaType: mt, Exhibit: e.Seq}, exhibit: e})
	}
	for name, data := range opt.Letters {
		p := LettersDir + SafeName(name)
		if seen[strings.ToLower(p)] {
			return m, fmt.Errorf("write bundle: letter %s: name used twice: %w", p, evidence.ErrInvalid)
		}
		seen[strings.ToLower(p)] = true
		entries = append(entries, entry{file: fileOf(p, data, letterType(p)), data: data})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].file.Path < entries[j].file.Path })

	zw := zip.NewWriter(w)
	h := sha256.New()
	for _, en := range entries {
		if err := ctx.Err(); err != nil {
			return m, fmt.Errorf("write bundle: %w", err)
		}
		ew, err := zw.CreateHeader(header(en.file.Path, en.file.MediaType, created))
		if err != nil {
			return m, fmt.Errorf("write bundle %s: %w", en.file.Path, err)
		}
		if en.data != nil || en.exhibit.SHA256 == "" {
			if _, err := ew.Write(en.data); err != nil {
				return m, fmt.Errorf("write bundle %s: %w", en.file.Path, err)
			}
		} else if err := copyExhibit(ctx, ew, v, en.exhibit, h); err != nil {
			return m, fmt.Errorf("write bundle %s: %w", en.file.Path, err)
		}
		m.Files = append(m.Files, en.file)
	}

	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, fmt.Errorf("write bundle: encode manifest: %w", err)
	}
	mw, err := zw.CreateHeader(header(ManifestName, "application/json", created))
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

// copyExhibit streams e's blob into w, hashing it, and fails if the vault's
// bytes are not the ones recorded.
func copyExhibit(ctx context.Context, w io.Writer, v Vault, e evidence.Exhibit, h hash.Hash) error {
	rc, err := v.OpenBlob(e.SHA256)
	if err != nil {
		return fmt.Errorf("open exhibit %d: %w", e.Seq, err)
	}
	defer rc.Close()
	h.Reset()
	n, err := io.CopyBuffer(io.MultiWriter(w, h), ctxReader{ctx, rc}, make([]byte, 256<<10))
	if err != nil {
		return fmt.Errorf("copy exhibit %d: %w", e.Seq, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != e.SHA256 || n != e.Size {
		return fmt.Errorf("exhibit %d: the vault file has sha256 %s and %d bytes, the case records %s and %d bytes: %w",
			e.Seq, got, n, e.SHA256, e.Size, evidence.ErrInvalid)
	}
	return nil
}

func header(name, mediaType string, modified time.Time) *zip.FileHeader {
	fh := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified}
	if alreadyCompressed(mediaType, name) {
		fh.Method = zip.Store
	}
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
