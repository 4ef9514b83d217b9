// Package report renders DisputeKit's documents: complaint letters as PDF
// (gofpdf) and XLSX (excelize), and the case file PDF a legal helper hands
// to a lawyer or court. Writers take a composed templates.Letter or an
// evidence.Dossier and write to an io.Writer; they never re-word the letter.
//
// gofpdf's own MultiCell and SplitText lose Chinese characters at wrap
// points, so every wrapped text in a PDF goes through this package's line
// breaker (wrap.go), which follows UAX #14 and keeps closing punctuation
// off the start of a line.
package report
