package app

import (
	"context"
	"io"
	"time"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/store"
	"github.com/disputekit/disputekit/templates"
)

// caseStore is what the case list and the wizard need.
type caseStore interface {
	ListCases(ctx context.Context) ([]store.CaseSummary, error)
	CreateCase(ctx context.Context, c *evidence.Case) ([]evidence.Warning, error)
	UpdateCase(ctx context.Context, c *evidence.Case) ([]evidence.Warning, error)
	GetCase(ctx context.Context, id int64) (evidence.Case, error)
	Dossier(ctx context.Context, id int64) (evidence.Dossier, error)
	DeleteCase(ctx context.Context, id int64) error
	// ImportDossier recreates a deleted case (undo), its files still in the vault.
	ImportDossier(ctx context.Context, d evidence.Dossier, open func(sha string) (io.ReadCloser, error)) (int64, error)
}

// txnStore is what the transactions section needs.
type txnStore interface {
	AddTransaction(ctx context.Context, t *evidence.Transaction) ([]evidence.Warning, error)
	UpdateTransaction(ctx context.Context, t *evidence.Transaction) ([]evidence.Warning, error)
	DeleteTransaction(ctx context.Context, caseID, id int64) error
	ListTransactions(ctx context.Context, caseID int64) ([]evidence.Transaction, error)
	SetDisputed(ctx context.Context, caseID int64, ids []int64, disputed bool) error
}

// exhibitStore is what the evidence section needs: the vault and the
// derived thumbnails.
type exhibitStore interface {
	Attach(ctx context.Context, caseID int64, r io.Reader, meta evidence.Exhibit) (evidence.Exhibit, error)
	AttachFile(ctx context.Context, caseID int64, path string, meta evidence.Exhibit) (evidence.Exhibit, error)
	UpdateExhibit(ctx context.Context, e *evidence.Exhibit) error
	DeleteExhibit(ctx context.Context, caseID, id int64) error
	ListExhibits(ctx context.Context, caseID int64) ([]evidence.Exhibit, error)
	OpenBlob(sha string) (io.ReadCloser, error)
	PutBlob(r io.Reader) (sha string, size int64, err error)
	SetDerived(ctx context.Context, origSHA, kind, derivedSHA string) error
	Derived(ctx context.Context, origSHA, kind string) (string, error)
}

// callStore is what the communications section needs.
type callStore interface {
	AddCall(ctx context.Context, c *evidence.CallLog) error
	UpdateCall(ctx context.Context, c *evidence.CallLog) error
	DeleteCall(ctx context.Context, caseID, id int64) error
	ListCalls(ctx context.Context, caseID int64) ([]evidence.CallLog, error)
}

// eventStore is what the timeline needs.
type eventStore interface {
	AddEvent(ctx context.Context, e *evidence.Event) error
	UpdateEvent(ctx context.Context, e *evidence.Event) error
	DeleteEvent(ctx context.Context, caseID, id int64) error
	ListEvents(ctx context.Context, caseID int64) ([]evidence.Event, error)
}

// Store is everything the screens ask of the case store; *store.Store
// satisfies it.
type Store interface {
	caseStore
	txnStore
	exhibitStore
	callStore
	eventStore
}

// Vault opens stored files by hash, for the report writers.
type Vault interface {
	OpenBlob(sha string) (io.ReadCloser, error)
}

// Services is the core the UI drives. Store is required; a nil function
// hides the action that needs it (so the shell runs before every core
// package exists, and tests wire only what they exercise).
type Services struct {
	Store Store
	// Compose writes a letter from a case (templates.Compose).
	Compose func(d evidence.Dossier, to templates.Recipient, lang templates.Lang, date time.Time) (templates.Letter, error)
	// WriteLetterPDF and WriteLetterXLSX render a composed letter (evidence/report).
	WriteLetterPDF  func(w io.Writer, l templates.Letter, v Vault) error
	WriteLetterXLSX func(w io.Writer, l templates.Letter) error
	// WriteCaseFilePDF writes the whole case for a lawyer or court (evidence/report).
	WriteCaseFilePDF func(w io.Writer, d evidence.Dossier, lang templates.Lang, v Vault) error
	// Thumbnail makes a small JPEG of an image (evidence/picture).
	Thumbnail func(r io.Reader, maxSide int) ([]byte, error)
	// PreviewImage makes a screen-sized, oriented copy of an image (picture.PrintCopy).
	PreviewImage func(r io.Reader, maxW, maxH int) ([]byte, string, error)
	// Findings runs the case checks (evidence/check) and words them for the UI.
	Findings func(d evidence.Dossier, now time.Time) []Finding
	// ImportFile adds a file to a case by what it contains (evidence/ingest):
	// a statement export's rows become transactions, a call log's lines
	// calls, anything else an exhibit. When nil, files are attached as they are.
	ImportFile func(ctx context.Context, caseID int64, path string) (ImportResult, error)
	// ExportBundle, ImportBundle and VerifyBundle move a whole case as one
	// portable file (evidence/bundle); pass asks for an encrypted bundle's passphrase.
	// ImportMapped imports a statement the importer does not recognise, with
	// the user's header row and column meanings (field names of evidence/ingest).
	ImportMapped func(ctx context.Context, caseID int64, path string, headerLine int, columns map[string]string) (ImportResult, error)
	// PreviewImport reads the first rows of a statement as the importer
	// sees them, for the column-mapping dialog (ingest.PreviewPath).
	PreviewImport func(ctx context.Context, path string, rows int) (ImportPreview, error)
	ExportBundle  func(ctx context.Context, caseID int64, path, passphrase string) error
	ImportBundle  func(ctx context.Context, path string, pass func() (string, error)) (int64, error)
	VerifyBundle  func(path string, pass func() (string, error)) (BundleReport, error)
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

func (s Services) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// ImportResult says what an import did, for the message after it.
type ImportResult struct {
	Kind              string // statement, calls, image, document
	Added, Duplicates int
	Notes             []string // skipped rows, undecodable bytes …, in plain words
}
