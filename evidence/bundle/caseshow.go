package bundle

import (
	"io"

	"github.com/disputekit/disputekit/evidence"
)

// WriteCaseJSON writes a case as the JSON a bundle's case.json holds: d
// (its Transactions ignored) with the transactions each walks, page by
// page, so that a case of any size is written in flat memory. It is what
// `dk case show --json` prints, so a script reads a case and a bundle alike.
func WriteCaseJSON(w io.Writer, d evidence.Dossier, each func(func([]evidence.Transaction) error) error) error {
	return writeCaseJSON(w, d, each)
}
