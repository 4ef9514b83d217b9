package app

import (
	"time"

	"github.com/disputekit/disputekit/evidence/casework"
	"github.com/disputekit/disputekit/evidence/store"
)

// Services is the core the UI drives: the use cases of evidence/casework
// on one case store — the same functions the dk command line calls — and
// the clock. Every field is required.
type Services struct {
	Cases *casework.Service
	// Now is the clock (time.Now outside tests).
	Now func() time.Time
}

// CoreServices wires the DisputeKit core on st to the UI.
func CoreServices(st *store.Store) Services {
	return Services{Cases: casework.New(st), Now: time.Now}
}

func (s Services) now() time.Time { return s.Now() }
