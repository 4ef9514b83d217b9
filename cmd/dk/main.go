// Command dk is DisputeKit's headless command line: the same core the GUI
// uses, for scripting and tests. It builds without cgo.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// Ctrl+C or a SIGTERM cancels the context every command works under:
	// the core stops at its next check, the atomic writers remove their
	// temporary files, and the store's transaction rolls back. A second
	// Ctrl+C kills the process at once (signal.NotifyContext's stop restores
	// the default handling).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
		fmt.Fprintln(os.Stderr, "\ndk: stopping (press Ctrl+C again to kill at once)…")
	}()
	code := runContext(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if ctx.Err() != nil && code != 0 {
		code = 130 // the shell's convention for "ended by SIGINT"
	}
	os.Exit(code)
}
