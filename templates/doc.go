// Package templates owns the complaint letters: the wording for each
// recipient and language, the scenario paragraphs, the rules each letter
// cites (kept as embedded data so they can be corrected without code), and
// the composer that turns a case into a Letter document model.
package templates
