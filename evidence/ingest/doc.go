// Package ingest owns getting outside records into a case: it recognises
// statement exports by their content (Alipay and WeChat Pay CSV, WeChat
// XLSX, ICBC CSV, CCB .xls, and any other CSV or XLSX through a suggested,
// user-confirmed column mapping), detects their text encoding, streams them
// row by row into evidence.Transaction values with a report of what was read,
// skipped and doubtful, and imports them into a case together with the file
// itself as an exhibit. It also imports call logs and photos, screenshots and
// documents.
//
// Parsing (Parse, ParseCalls, PreviewFile) is pure: it reads an io.Reader
// and touches no store. ImportFile, which the CLI and the GUI both call,
// writes through the narrow Store interface that *store.Store satisfies: a
// statement and all its rows in one store transaction, so a file is imported
// whole or not at all, and again without duplicates.
package ingest
