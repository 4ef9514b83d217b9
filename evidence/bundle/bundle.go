// Package bundle owns the portable case bundle: one ZIP holding a case's
// record (case.json), its evidence files and optional letters, described by a
// manifest of SHA-256 hashes (manifest.json). It writes bundles
// reproducibly, verifies them file by file, imports them into a store as a
// new case, and refuses hostile archives (zip-slip names, symlinks, zip
// bombs, overlapping entries, lying manifests) before anything is written.
// Bundles may be encrypted with a passphrase (age, scrypt recipient).
package bundle

import (
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/disputekit/disputekit/evidence"
)

// Format is the manifest's format name; Version the newest version this
// package reads and the one it writes.
const (
	Format  = "disputekit-bundle"
	Version = 1
)

// Fixed entry names and folders inside a bundle.
const (
	ManifestName = "manifest.json"
	CaseName     = "case.json"
	EvidenceDir  = "evidence/"
	LettersDir   = "letters/"
)

// ErrRefused marks a bundle refused as damaged, hostile or inconsistent.
// Errors wrapping it name the problem and, where there is one, the entry.
var ErrRefused = errors.New("bundle refused")

// Vault is where exhibits' bytes come from; *store.Store satisfies it.
type Vault interface {
	OpenBlob(sha string) (io.ReadCloser, error)
}

// Manifest describes a bundle: what case it holds and every file in it
// except the manifest itself.
type Manifest struct {
	Format  string    `json:"format"`
	Version int       `json:"version"`
	CaseID  int64     `json:"case_id"`
	Title   string    `json:"title"`
	Created time.Time `json:"created"` // the case's Updated time, so exports are reproducible
	Files   []File    `json:"files"`   // sorted by Path
}

// File is one manifest entry.
type File struct {
	Path      string `json:"path"`
	SHA256    string `json:"sha256"`
	Size      int64  `json:"size"`
	MediaType string `json:"media_type"`
	Exhibit   int    `json:"exhibit,omitempty"` // the exhibit's Seq for files under evidence/
}

// Limits bound what a reader accepts. The zero value means DefaultLimits.
type Limits struct {
	MaxEntries   int   // entries in the archive
	MaxEntrySize int64 // uncompressed bytes of one entry
	MaxTotalSize int64 // uncompressed bytes of all entries
	// MaxRatio (uncompressed/compressed) is checked for entries over
	// RatioFloor bytes that the manifest does not vouch for (an entry the
	// manifest lists with exactly its declared size is read counting its
	// bytes against that size and hash, however well it compresses: a
	// 4 MiB plain BMP squeezes 1000:1 and is evidence like any other).
	MaxRatio   float64
	RatioFloor int64
	// MaxJSONSize bounds manifest.json, and each record of case.json (the
	// case, one transaction, one exhibit …): case.json itself is read as a
	// stream and bounded only by MaxEntrySize.
	MaxJSONSize int64
}

// MaxLetters is the most letters a bundle carries (letters/…).
const MaxLetters = 64

// DefaultLimits are the case limits of package evidence, where intake
// enforces them (attach refuses a file over evidence.MaxExhibitSize, a case
// over evidence.MaxExhibits files or evidence.MaxCaseFilesSize bytes), so that
// every case exports to a bundle this reader accepts; and Write refuses to
// write anything these limits would refuse. A hostile bundle can make an
// import write no more than a legitimate case of the same limits.
var DefaultLimits = Limits{
	MaxEntries:   evidence.MaxExhibits + MaxLetters + 2, // + case.json and manifest.json
	MaxEntrySize: evidence.MaxExhibitSize,
	MaxTotalSize: evidence.MaxCaseFilesSize + 2*evidence.MaxExhibitSize, // the files, case.json and letters
	MaxRatio:     100,
	RatioFloor:   1 << 20,
	MaxJSONSize:  64 << 20,
}

func (l Limits) orDefault() Limits {
	d := DefaultLimits
	if l.MaxEntries > 0 {
		d.MaxEntries = l.MaxEntries
	}
	if l.MaxEntrySize > 0 {
		d.MaxEntrySize = l.MaxEntrySize
	}
	if l.MaxTotalSize > 0 {
		d.MaxTotalSize = l.MaxTotalSize
	}
	if l.MaxRatio > 0 {
		d.MaxRatio = l.MaxRatio
	}
	if l.RatioFloor > 0 {
		d.RatioFloor = l.RatioFloor
	}
	if l.MaxJSONSize > 0 {
		d.MaxJSONSize = l.MaxJSONSize
	}
	return d
}

// refusef returns an error wrapping ErrRefused.
func refusef(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ErrRefused)
}

// compressedTypes are stored without recompression: deflating them again
// costs time and saves nothing.
var compressedTypes = map[string]bool{
	"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true,
	"image/heic": true, "image/heif": true, "image/avif": true,
	"application/pdf": true, "application/zip": true, "application/gzip": true,
	"application/x-7z-compressed": true, "application/vnd.rar": true,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": true,
	"application/age-encrypted": true,
}

// compressedExts catch files whose media type was left generic.
var compressedExts = map[string]bool{
	".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true, ".heic": true,
	".pdf": true, ".zip": true, ".xlsx": true, ".docx": true, ".gz": true, ".7z": true, ".rar": true,
	".mp3": true, ".m4a": true, ".aac": true, ".amr": true, ".ogg": true, ".opus": true,
	".mp4": true, ".mov": true, ".3gp": true,
}

// alreadyCompressed reports whether a file of this media type or name should
// be stored rather than deflated.
func alreadyCompressed(mediaType, name string) bool {
	mt := strings.ToLower(strings.TrimSpace(strings.SplitN(mediaType, ";", 2)[0]))
	if compressedTypes[mt] || strings.HasPrefix(mt, "video/") || (strings.HasPrefix(mt, "audio/") && mt != "audio/wav" && mt != "audio/x-wav") {
		return true
	}
	return compressedExts[strings.ToLower(path.Ext(name))]
}

// maxNameBytes keeps entry names well inside every file system's limits.
const maxNameBytes = 120

// SafeName turns a user's file name into one path element that every
// unzip tool and file system accepts: no separators, no control or
// reserved characters, no leading dots, bounded length, extension kept.
func SafeName(name string) string {
	name = strings.ToValidUTF8(name, "_")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case r < 0x20 || r == 0x7f || unicode.IsControl(r) || r == utf8.RuneError:
			b.WriteRune('_')
		case unicode.Is(unicode.Bidi_Control, r) || unicode.Is(unicode.Cf, r):
			// U+202E and other invisible format characters would disguise
			// the name's extension in an archive tool: dropped.
		case strings.ContainsRune(`<>:"/\|?*`, r):
			b.WriteRune('_')
		case unicode.IsSpace(r):
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	s := strings.TrimLeft(strings.TrimSpace(b.String()), ".")
	s = strings.TrimRight(s, ". ")
	if s == "" {
		s = "file"
	}
	if len(s) > maxNameBytes {
		ext := path.Ext(s)
		if len(ext) > 16 || !utf8.ValidString(ext) {
			ext = ""
		}
		base := s[:maxNameBytes-len(ext)]
		for !utf8.ValidString(base) {
			base = base[:len(base)-1]
		}
		s = base + ext
	}
	// Windows reserves device names even with an extension.
	stem := strings.ToUpper(strings.SplitN(s, ".", 2)[0])
	switch stem {
	case "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		s = "_" + s
	}
	return s
}

// ExhibitPath is where exhibit e lives inside a bundle: evidence/003-slip.jpg.
func ExhibitPath(e evidence.Exhibit) string {
	name := e.OriginalName
	if name == "" {
		name = e.Title
	}
	return fmt.Sprintf("%s%03d-%s", EvidenceDir, e.Seq, SafeName(name))
}

// checkName refuses entry names that could escape a directory or confuse a
// file system: empty, absolute, drive letters, backslashes, "." or ".."
// elements, control characters, invalid UTF-8, overlong names.
func checkName(name string) error {
	switch {
	case name == "":
		return refusef("entry with an empty name")
	case !utf8.ValidString(name):
		return refusef("entry %q: name is not valid UTF-8", name)
	case strings.ContainsRune(name, '\\'):
		return refusef("entry %q: backslash in name", name)
	case strings.HasPrefix(name, "/"):
		return refusef("entry %q: absolute path", name)
	case len(name) >= 2 && name[1] == ':' && ((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z')):
		return refusef("entry %q: drive letter", name)
	case strings.ContainsRune(name, ':'):
		return refusef("entry %q: colon in name", name)
	case len(name) > 512:
		return refusef("entry %q…: name longer than 512 bytes", name[:64])
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return refusef("entry %q: control character in name", name)
		}
	}
	trimmed := strings.TrimSuffix(name, "/") // directory entries
	for _, el := range strings.Split(trimmed, "/") {
		switch el {
		case "..":
			return refusef("entry %q: \"..\" in path (zip-slip)", name)
		case ".", "":
			return refusef("entry %q: empty or \".\" path element", name)
		}
	}
	return nil
}
