package bundle

import (
	"context"
	"fmt"
	"io"

	"github.com/disputekit/disputekit/evidence"
)

// Store is what Export and Import need of a case store; *store.Store
// satisfies it. (An interface, so that this package and its fuzz targets
// do not link SQLite.)
type Store interface {
	Vault
	Dossier(ctx context.Context, id int64) (evidence.Dossier, error)
	ImportDossier(ctx context.Context, d evidence.Dossier, open func(sha string) (io.ReadCloser, error)) (int64, error)
}

// Import brings a (plaintext) bundle into st as a new case and returns its
// ID. The whole bundle is verified first — structure, every file's hash,
// case.json against the manifest — and refused, with nothing written,
// unless everything matches. The files are then streamed a second time
// into the vault, hashed again on the way (the store checks them too), so
// a bundle changed between the two readings is refused as well.
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
	id, err := st.ImportDossier(ctx, b.Dossier, b.OpenExhibit)
	if err != nil {
		return 0, fmt.Errorf("import bundle: %w", err)
	}
	return id, nil
}

// Export writes case caseID of st as a bundle to w (see Write).
func Export(ctx context.Context, st Store, caseID int64, w io.Writer, opt Options) (Manifest, error) {
	d, err := st.Dossier(ctx, caseID)
	if err != nil {
		return Manifest{}, fmt.Errorf("export case %d: %w", caseID, err)
	}
	m, err := Write(ctx, w, d, st, opt)
	if err != nil {
		return m, fmt.Errorf("export case %d: %w", caseID, err)
	}
	return m, nil
}
