package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"time"

	"github.com/jung-kurt/gofpdf"
	fpdi "github.com/jung-kurt/gofpdf/contrib/gofpdi"
)

// A PDF exhibit is untrusted input, and gofpdi has no defences: a page tree
// whose /Kids point back at itself recurses until the Go stack overflows (a
// fatal error no recover catches), a huge /Count allocates without bound.
// So before a PDF's pages go into a document, a child process (this same
// executable, started with probeEnv set) reads it and imports every page
// into a throw-away document, under a time limit. Only a file the child got
// through is imported here; gofpdi is deterministic, so it gets through again.

// probeEnv, set to "1", makes the process a PDF probe: it reads a PDF on
// stdin, imports its pages and writes their sizes as JSON, then exits.
const probeEnv = "DISPUTEKIT_PDF_PROBE"

// probeTimeout bounds how long a PDF exhibit may take to read.
const probeTimeout = 20 * time.Second

func init() {
	if os.Getenv(probeEnv) != "1" {
		return
	}
	// A child that recurses without end should die soon, not after a
	// gigabyte of stack; its death is the answer "cannot be read".
	debug.SetMaxStack(4 << 20)
	data, err := io.ReadAll(io.LimitReader(os.Stdin, 256<<20))
	if err != nil {
		os.Exit(3)
	}
	boxes, err := probeInProcess(data)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	if err := json.NewEncoder(os.Stdout).Encode(boxes); err != nil {
		os.Exit(3)
	}
	os.Exit(0)
}

// probeBox is pageBox on the wire.
type probeBox struct{ W, H float64 }

// probeInProcess reads the PDF's pages and imports them into a throw-away
// document: everything the real import will do.
func probeInProcess(data []byte) ([]probeBox, error) {
	boxes, err := probePDF(data)
	if err != nil {
		return nil, err
	}
	err = func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("import PDF exhibit: %v", r)
			}
		}()
		pdf := gofpdf.New("P", "mm", "A4", "")
		imp := fpdi.NewImporter()
		var rs io.ReadSeeker = bytes.NewReader(data)
		for i := 1; i <= min(len(boxes), maxImportedPages); i++ {
			pdf.AddPage()
			tpl := imp.ImportPageFromStream(pdf, &rs, i, "/MediaBox")
			imp.UseImportedTemplate(pdf, tpl, 10, 10, 100, 0)
		}
		return pdf.Output(io.Discard)
	}()
	if err != nil {
		return nil, err
	}
	out := make([]probeBox, len(boxes))
	for i, b := range boxes {
		out[i] = probeBox{b.w, b.h}
	}
	return out, nil
}

// errProbe is a PDF the probe could not read (or did not finish in time).
var errProbe = errors.New("the PDF could not be read safely")

// probeIsolated runs the probe in a child process and returns the page
// sizes, or an error when the child fails, crashes or runs out of time.
func probeIsolated(data []byte) ([]pageBox, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errProbe, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), probeEnv+"=1")
	cmd.Stdin = bytes.NewReader(data)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%w: %v", errProbe, err)
	}
	var got []probeBox
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil || len(got) == 0 {
		return nil, fmt.Errorf("%w: no pages", errProbe)
	}
	boxes := make([]pageBox, len(got))
	for i, b := range got {
		boxes[i] = pageBox{b.W, b.H}
	}
	return boxes, nil
}
