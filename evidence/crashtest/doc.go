// Package crashtest owns DisputeKit's survival tests: a harness that
// SIGKILLs a child process inside its operations (after a random number of
// acknowledged ones, at a random point of the next) while it imports,
// attaches, adds transactions and exports bundles against a home, then
// reopens the home and checks that nothing is corrupt and no acknowledged
// change was lost — it counts kills that landed mid-operation, never time,
// so a slow or loaded machine tests the same thing as a fast one; and disk-full tests (an injected write error, and a tiny tmpfs where
// mounting is allowed); hostile images kept as evidence without preview;
// and the bundle tests that need a real store (round trip, refused imports
// leave no trace). Its sub-package hostile builds the corpus of hostile
// bundles. The package has no code besides its tests.
//
//	go test ./evidence/crashtest/                       # 100 kills inside operations
//	go test ./evidence/crashtest/ -args -crash.kills=1000
//	DISPUTEKIT_CRASH_KILLS=1000 go test -run Crash ./evidence/...
package crashtest
