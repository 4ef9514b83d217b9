package report

import (
	"io"
	"testing"

	"github.com/disputekit/disputekit/templates"
)

// FuzzWriteLetterPDF feeds arbitrary text to every place a letter prints
// user text (title, paragraph, field label, item, table cell, evidence
// name): the export must never fail or panic on what a user can type.
func FuzzWriteLetterPDF(f *testing.F) {
	f.Add("好的👍收到😀", "\xff\xfe broken utf-8 \xed\xa0\x80", "=HYPERLINK()")
	f.Add(longMixed, "\t\r\n\v\f\u2028\u0085", "。。。。")
	f.Add("e\u0301\u200d\ufeff", "\U0010FFFF", "\x00\x01")
	l0, v := fixtureLetter(f, templates.Chinese)
	f.Fuzz(func(t *testing.T, a, b, c string) {
		l := l0
		l.Title = a
		l.Blocks = []templates.Block{
			{Kind: templates.BlockTitle, Text: a},
			{Kind: templates.BlockParagraph, Text: b},
			{Kind: templates.BlockField, Label: c, Text: a},
			{Kind: templates.BlockItem, Number: 1, Text: c},
			{Kind: templates.BlockSignature, Text: b},
		}
		d := l.Dossier
		d.Calls = append(d.Calls[:0:0], d.Calls...)
		d.Calls[0].Summary = b
		l.Dossier = d
		l.Evidence = append(l.Evidence[:0:0], l.Evidence...)
		l.Evidence[3].Name = c
		if err := WriteLetterPDF(io.Discard, l, v); err != nil {
			t.Fatal(err)
		}
	})
}
