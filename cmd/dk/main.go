// Command dk is DisputeKit's headless command line: the same core the GUI
// uses, for scripting and tests. It builds without cgo.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
