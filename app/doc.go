// Package app is the DisputeKit desktop interface (Fyne): the case list, the
// new-case wizard and the case view with its sections (overview,
// transactions, evidence, communications, timeline, letters), the theme that
// embeds the CJK font, and the zh/en translations.
//
// Everything here runs on Fyne's event goroutine unless its name ends in
// Async, which starts a goroutine and applies its result in one fyne.Do
// (through UI.do, which tests replace with a queue they drain themselves, so
// the race detector sees the same ordering the real driver gives).
// The core (store, composer, report writers, importers) reaches the screens
// through Services, so tests can pass fakes or a real store in a temp dir.
package app
