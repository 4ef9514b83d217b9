package bundle

import (
	"context"
	"fmt"
	"io"

	"github.com/disputekit/disputekit/evidence"
)

// Store is what Export and Import need of a case store; *store.Store
// satisfies it. (An interface, so that this package and its fuzz targets
// do not link SQLite.) Both sides stream the transactions: memory stays
// flat however many a case holds.
type Store interface {
	Vault
	StreamDossier(ctx context.Context, id int64, fn func(d evidence.Dossier, each func(func([]evidence.Transaction) error) error) error) error
	ImportDossierStream(ctx context.Context, d evidence.Dossier, open func(sha string) (io.ReadCloser, error),
		each func(func([]evidence.Transaction) error) error) (int64, error)
}

// Import brings a (plaintext) bundle into st as a new case and returns its
// ID. The whole bundle is verified first — structure, every file's hash,
// case.json against the manifest — and refused, with nothing written,
// unless everything matches. The files are then streamed a second time
// into the vault, hashed again on the way (the store checks them too), and
// case.json's transactions decoded again batch by batch into the new case's
// SQL transaction, which is rolled back unless case.json hashes as listed,
// so a bundle changed between the readings is refused as well.
func Import(ctx context.Context, st Store, r io.ReaderAt, size int64) (int64, error) {
	b, err := Open(r, size, Limits{})
	if err != nil {
		return 0, fmt.Errorf("import bundle: %w", err)
	}
	rep := b.Verify()
	if err := rep.Err(); err != nil {
		return 0, fmt.Errorf("import bundle: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("import bundle: %w", err)
	}
	id, err := st.ImportDossierStream(ctx, b.Dossier, b.OpenExhibit, b.EachTransaction)
	if err != nil {
		return 0, fmt.Errorf("import bundle: %w", err)
	}
	return id, nil
}

// Export writes case caseID of st as a bundle to w (see Write), walking
// its transactions from one snapshot of the store instead of loading them.
func Export(ctx context.Context, st Store, caseID int64, w io.Writer, opt Options) (Manifest, error) {
	var m Manifest
	err := st.StreamDossier(ctx, caseID, func(d evidence.Dossier, each func(func([]evidence.Transaction) error) error) error {
		var err error
		m, err = writeStream(ctx, w, d, each, st, opt)
		return err
	})
	if err != nil {
		return m, fmt.Errorf("export case %d: %w", caseID, err)
	}
	return m, nil
}
