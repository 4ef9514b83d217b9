package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostilePDF builds a small PDF from object bodies with a correct xref.
func hostilePDF(objs ...string) []byte {
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	var offs []int
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return []byte(b.String())
}

// A page tree that contains itself sends gofpdi into endless recursion (a
// fatal stack overflow in-process); the isolated probe reports an error and
// the letter goes on.
func TestHostilePDFExhibitsAreProbedInAChild(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	good, err := probeIsolated(agreementPDF(t, 2))
	require.NoError(t, err)
	assert.Len(t, good, 2)
	for name, data := range map[string][]byte{
		"kids contain their own node": hostilePDF("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"),
		"not a PDF":                   []byte("%PDF-1.4\nnothing here"),
	} {
		_, err := probeIsolated(data)
		assert.ErrorIs(t, err, errProbe, name)
	}
}
