// Package store owns everything DisputeKit keeps on disk in a home directory:
// the SQLite case database (disputekit.db: cases, claims, transactions,
// exhibits, calls, events, the audit trail, settings and derived-image links),
// its embedded schema migrations, the content-addressed evidence vault
// (vault/ab/<sha256>, files written once and never modified) and the lock
// file that keeps a second window or process out of the same home.
//
// Every mutation normalizes its input with the evidence package's Normalize
// methods, then changes the rows, writes an audit entry and bumps the case's
// Updated time in one SQL transaction. Vault files are made durable (fsync,
// rename, fsync of the directory) before the row that names them commits.
package store
