package bundle

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Status is what Verify found for one file.
type Status string

// File statuses.
const (
	Matched    Status = "matched"    // in the manifest and in the archive, same hash and size
	Changed    Status = "changed"    // in both, but the bytes differ or cannot be read
	Missing    Status = "missing"    // in the manifest, not in the archive
	Unexpected Status = "unexpected" // in the archive, not in the manifest
)

// FileResult is one line of a verification report.
type FileResult struct {
	Path    string `json:"path"`
	Status  Status `json:"status"`
	SHA256  string `json:"sha256,omitempty"` // as the manifest lists it
	Size    int64  `json:"size"`
	GotSHA  string `json:"got_sha256,omitempty"` // as read, when it differs
	GotSize int64  `json:"got_size,omitempty"`
	// Reason says why a file did not match, as a code each face words in
	// its user's language; Problem is the technical detail (English).
	Reason  FileReason `json:"reason,omitempty"`
	Problem string     `json:"problem,omitempty"`
}

// FileReason is why a file of a bundle did not match its manifest.
type FileReason string

const (
	ReasonUnreadable FileReason = "unreadable" // the file cannot be read out of the archive: damaged
	ReasonDiffers    FileReason = "differs"    // read, but its hash or size is not the manifest's
	ReasonNotListed  FileReason = "not-listed" // in the archive, not in the manifest
	ReasonAbsent     FileReason = "absent"     // in the manifest, not in the archive
)

// FileReasons lists every FileReason, for tests that check each has its words.
var FileReasons = []FileReason{ReasonUnreadable, ReasonDiffers, ReasonNotListed, ReasonAbsent}

// Report is the result of verifying a bundle.
type Report struct {
	Manifest  Manifest     `json:"manifest"`
	Encrypted bool         `json:"encrypted,omitempty"`
	Files     []FileResult `json:"files"`    // sorted by path
	Problems  []string     `json:"problems"` // inconsistencies between case.json and the manifest (technical English)
	// Inconsistencies are the same as Problems, one for one and in the same
	// order, with the facts a face needs to word them in the user's language.
	Inconsistencies []Inconsistency `json:"inconsistencies"`
}

// InconsistencyKind names how case.json and the manifest disagree.
type InconsistencyKind string

// The ways case.json and the manifest can disagree.
const (
	OtherCase   InconsistencyKind = "other-case"   // the manifest is for another case than case.json
	SameHash    InconsistencyKind = "same-hash"    // two evidence files with one hash
	NoFile      InconsistencyKind = "no-file"      // an exhibit whose file the manifest does not list
	SizeDiffers InconsistencyKind = "size-differs" // an exhibit's size is not its file's
	NoExhibit   InconsistencyKind = "no-exhibit"   // an evidence file no exhibit refers to
)

// InconsistencyKinds lists every kind, for tests that check each has its words.
var InconsistencyKinds = []InconsistencyKind{OtherCase, SameHash, NoFile, SizeDiffers, NoExhibit}

// Inconsistency is one disagreement between case.json and the manifest.
// Problem is its technical English text (Report.Problems holds the same).
type Inconsistency struct {
	Kind       InconsistencyKind `json:"kind"`
	Path       string            `json:"path,omitempty"`       // the evidence file concerned
	OtherPath  string            `json:"other_path,omitempty"` // SameHash: the first file of that hash
	Exhibit    int               `json:"exhibit,omitempty"`    // NoFile, SizeDiffers: the exhibit's number
	Title      string            `json:"title,omitempty"`      // NoFile: the exhibit's title
	Size       int64             `json:"size,omitempty"`       // SizeDiffers: the size case.json records
	FileSize   int64             `json:"file_size,omitempty"`  // SizeDiffers: the size the manifest lists
	CaseID     int64             `json:"case_id,omitempty"`    // OtherCase: the case in case.json
	ManifestID int64             `json:"manifest_case_id,omitempty"`
	Problem    string            `json:"problem"`
}

// OK reports whether every file matched and nothing is inconsistent.
func (r Report) OK() bool {
	if len(r.Problems) > 0 {
		return false
	}
	for _, f := range r.Files {
		if f.Status != Matched {
			return false
		}
	}
	return true
}

// Err is nil for a clean report, else an error wrapping ErrRefused that
// names the first problems.
func (r Report) Err() error {
	var msgs []string
	for _, f := range r.Files {
		if f.Status != Matched {
			msg := fmt.Sprintf("%s %s", f.Path, f.Status)
			if f.Problem != "" {
				msg += " (" + f.Problem + ")"
			}
			msgs = append(msgs, msg)
		}
	}
	msgs = append(msgs, r.Problems...)
	if len(msgs) == 0 {
		return nil
	}
	more := ""
	if len(msgs) > 5 {
		more = fmt.Sprintf(" and %d more", len(msgs)-5)
		msgs = msgs[:5]
	}
	return refusef("%s%s", strings.Join(msgs, "; "), more)
}

// Verify checks a bundle: its structure (an error, wrapping ErrRefused, for
// anything hostile or unreadable) and then every file against the manifest
// and case.json against both (the report). Nothing is written anywhere.
func Verify(r io.ReaderAt, size int64) (Report, error) {
	b, err := Open(r, size, Limits{})
	if err != nil {
		return Report{}, fmt.Errorf("verify bundle: %w", err)
	}
	return b.Verify(), nil
}

// Verify hashes every file and compares it with the manifest.
func (b *Reader) Verify() Report {
	rep := Report{Manifest: b.Manifest, Problems: []string{}, Inconsistencies: []Inconsistency{}}
	listed := map[string]bool{}
	for _, mf := range b.Manifest.Files {
		listed[mf.Path] = true
		res := FileResult{Path: mf.Path, SHA256: mf.SHA256, Size: mf.Size}
		f, ok := b.files[mf.Path]
		if !ok {
			res.Status, res.Reason = Missing, ReasonAbsent
			rep.Files = append(rep.Files, res)
			continue
		}
		var sha string
		var n int64
		var err error
		if mf.Path == CaseName && b.caseSHA != "" { // hashed while Open decoded it
			sha, n = b.caseSHA, int64(f.UncompressedSize64)
		} else {
			sha, n, err = hashEntry(f.Open, f.UncompressedSize64)
		}
		switch {
		case err != nil:
			res.Status, res.Reason, res.Problem = Changed, ReasonUnreadable, err.Error()
		case sha != mf.SHA256 || n != mf.Size:
			res.Status, res.GotSHA, res.GotSize, res.Reason = Changed, sha, n, ReasonDiffers
			res.Problem = "hash or size differs from the manifest"
		default:
			res.Status = Matched
		}
		rep.Files = append(rep.Files, res)
	}
	for _, name := range b.names {
		if name == ManifestName || listed[name] {
			continue
		}
		f := b.files[name]
		sha, n, err := hashEntry(f.Open, f.UncompressedSize64)
		res := FileResult{Path: name, Status: Unexpected, GotSHA: sha, GotSize: n, Reason: ReasonNotListed, Problem: "not listed in the manifest"}
		if err != nil {
			res.Reason, res.Problem = ReasonUnreadable, err.Error()
		}
		rep.Files = append(rep.Files, res)
	}
	sort.Slice(rep.Files, func(i, j int) bool { return rep.Files[i].Path < rep.Files[j].Path })
	for _, in := range b.consistency() {
		rep.Problems = append(rep.Problems, in.Problem)
		rep.Inconsistencies = append(rep.Inconsistencies, in)
	}
	return rep
}

// consistency compares case.json with the manifest: the same case, and
// exactly one evidence file per exhibit, of the recorded hash and size.
func (b *Reader) consistency() []Inconsistency {
	var probs []Inconsistency
	m, d := b.Manifest, b.Dossier
	if m.CaseID != d.Case.ID {
		probs = append(probs, Inconsistency{Kind: OtherCase, CaseID: d.Case.ID, ManifestID: m.CaseID,
			Problem: fmt.Sprintf("manifest is for case %d, case.json holds case %d", m.CaseID, d.Case.ID)})
	}
	bySHA := map[string]File{}
	for _, f := range m.Files {
		if inFolder(f.Path, EvidenceDir) {
			if prev, dup := bySHA[f.SHA256]; dup {
				probs = append(probs, Inconsistency{Kind: SameHash, Path: f.Path, OtherPath: prev.Path,
					Problem: fmt.Sprintf("%s and %s have the same sha256", prev.Path, f.Path)})
			}
			bySHA[f.SHA256] = f
		}
	}
	used := map[string]bool{}
	for _, e := range d.Exhibits {
		f, ok := bySHA[e.SHA256]
		switch {
		case !ok:
			probs = append(probs, Inconsistency{Kind: NoFile, Exhibit: e.Seq, Title: e.Title,
				Problem: fmt.Sprintf("case.json: exhibit %d (%s) has sha256 %s, which no evidence file in the manifest has", e.Seq, e.Title, e.SHA256)})
		case f.Size != e.Size:
			probs = append(probs, Inconsistency{Kind: SizeDiffers, Exhibit: e.Seq, Path: f.Path, Size: e.Size, FileSize: f.Size,
				Problem: fmt.Sprintf("case.json: exhibit %d has %d bytes, the manifest lists %s with %d", e.Seq, e.Size, f.Path, f.Size)})
		}
		used[e.SHA256] = true
	}
	for sha, f := range bySHA {
		if !used[sha] {
			probs = append(probs, Inconsistency{Kind: NoExhibit, Path: f.Path,
				Problem: fmt.Sprintf("%s is in the manifest but no exhibit in case.json refers to it", f.Path)})
		}
	}
	sort.Slice(probs, func(i, j int) bool { return probs[i].Problem < probs[j].Problem })
	return probs
}

// hashEntry streams an entry through SHA-256, reading at most the declared
// size plus one byte so that a lying header cannot make it read forever.
func hashEntry(open func() (io.ReadCloser, error), declared uint64) (string, int64, error) {
	rc, err := open()
	if err != nil {
		return "", 0, err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(rc, int64(declared)+1))
	if err != nil {
		return "", n, fmt.Errorf("unreadable: %v", err)
	}
	if uint64(n) != declared {
		return "", n, fmt.Errorf("holds %d bytes, declares %d", n, declared)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
