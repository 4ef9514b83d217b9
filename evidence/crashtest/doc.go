// Package crashtest owns DisputeKit's survival tests: a harness that
// SIGKILLs a child process at random moments while it imports, attaches,
// adds transactions and exports bundles against a home, then reopens the
// home and checks that nothing is corrupt and no acknowledged change was
// lost; and disk-full tests (an injected write error, and a tiny tmpfs where
// mounting is allowed); hostile images kept as evidence without preview;
// and the bundle tests that need a real store (round trip, refused imports
// leave no trace). Its sub-package hostile builds the corpus of hostile
// bundles. The package has no code besides its tests.
//
//	go test ./evidence/crashtest/                       # 100 kills
//	go test ./evidence/crashtest/ -args -crash.kills=1000
//	DISPUTEKIT_CRASH_KILLS=1000 go test -run Crash ./evidence/...
package crashtest
