package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

// luhnCard is the i-th 19-digit UnionPay-shaped card number of the test:
// one per field, so a leak names its field.
func luhnCard(i int) string {
	d := fmt.Sprintf("622202%012d", 100000+i*7919)
	for c := '0'; c <= '9'; c++ {
		if evidence.LooksLikeCardNumber(d + string(c)) {
			return d + string(c)
		}
	}
	panic("no check digit")
}

// dodge writes card the ways a user (or a tester) gets it past a naive
// masker: full-width digits, dots, double spaces, slashes, newlines, an
// invisible space between groups.
func dodge(card string, how int) string {
	groups := []string{card[:4], card[4:8], card[8:12], card[12:16], card[16:]}
	switch how % 7 {
	case 0:
		return strings.Map(func(r rune) rune { return r - '0' + '０' }, card)
	case 1:
		return strings.Join(groups, ".")
	case 2:
		return strings.Join(groups, "  ")
	case 3:
		return strings.Join(groups, "/")
	case 4:
		return strings.Join(groups, "\n")
	case 5:
		return strings.Join(groups, "\u200b")
	}
	return card
}

// leakedCards returns the cards whose digits appear in data read as text:
// digits of any script as ASCII, separators (and JSON's \n escapes) dropped.
func leakedCards(data []byte, cards []string) []string {
	text := strings.NewReplacer(`\n`, "", `\r`, "", `\t`, "", `\u200b`, "").Replace(string(bytes.ToValidUTF8(data, []byte("?"))))
	var b strings.Builder
	for _, r := range text {
		switch {
		case r >= '０' && r <= '９':
			b.WriteRune(r - '０' + '0')
		case unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || strings.ContainsRune("-./_", r):
		default:
			b.WriteRune(r)
		}
	}
	flat := b.String()
	var leaked []string
	for _, c := range cards {
		if strings.Contains(flat, c) {
			leaked = append(leaked, c)
		}
	}
	return leaked
}

// zipText is every entry of a ZIP file, decompressed, one after another.
func zipText(t *testing.T, path string) []byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	require.NoError(t, err)
	defer zr.Close()
	var all bytes.Buffer
	for _, f := range zr.File {
		all.WriteString(f.Name + "\n")
		rc, err := f.Open()
		require.NoError(t, err)
		_, err = io.Copy(&all, rc)
		rc.Close()
		require.NoError(t, err, f.Name)
		if strings.HasSuffix(f.Name, ".xlsx") || strings.HasSuffix(f.Name, ".zip") {
			t.Logf("nested archive %s not scanned", f.Name)
		}
	}
	return all.Bytes()
}

// TestNoFullCardNumberIsStoredOrWritten types a card number, dodged a
// different way each time, into every field dk takes, and scans every
// output — case show, --json, txn list, the audit, the bundle's case.json,
// a backup, the SQLite files byte by byte, a letter (JSON and XLSX) — for
// its digits. Identifiers of their own shape survive whole.
func TestNoFullCardNumberIsStoredOrWritten(t *testing.T) {
	home := t.TempDir()
	dir := t.TempDir()
	var cards []string
	next := func() string {
		c := luhnCard(len(cards))
		cards = append(cards, c)
		return dodge(c, len(cards))
	}
	// Identifiers that must come back unchanged.
	const (
		merchantNo = "371234567890120" // 15 digits, passes Luhn, shaped like an Amex: a merchant number here
		phone      = "+86 138 1234 5678"
		idNumber   = "11010519900307123X"
		rrn        = "531212008833"
		creditCode = "91310000MA1FL4XX2K"
		terminal   = "12345678"
		order      = "2026112822001412341234567890"
	)
	require.True(t, evidence.LooksLikeCardNumber(merchantNo))

	caseArgs := []string{"case", "new"}
	for _, flag := range []string{"--title", "--complainant", "--address", "--company", "--respondent", "--respondent-address",
		"--institution", "--institution-address", "--institution-phone", "--respondent-phone", "--issuer", "--acquirer-address"} {
		caseArgs = append(caseArgs, flag, "卡 "+next())
	}
	caseArgs = append(caseArgs, "--phone", phone, "--id-number", idNumber, "--credit-code", creditCode,
		"--merchant-no", merchantNo, "--terminal-no", terminal,
		"--facts", "我的卡号是"+next()+"，另一张 "+next(), "--claim", "退款到 "+next()+"=12.80")
	id := strings.TrimSpace(mustDK(t, home, caseArgs...))

	// Card numbers typed into identifier fields: masked, with a warning.
	_, errs, code := dk(t, home, "case", "set", id, "--complainant", "张三")
	require.Equal(t, 0, code, errs)
	other := []string{"case", "new", "--title", "识别号字段", "--phone", next(), "--id-number", next(), "--credit-code", next(),
		"--merchant-no", next(), "--terminal-no", next()}
	_, errs, code = dk(t, home, other...)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, errs, "held a full card number")

	txn := []string{"txn", "add", id, "--time", "2026-11-03 19:42:00", "--amount", "128.00", "--disputed"}
	for _, flag := range []string{"--merchant", "--merchant-no", "--terminal-no", "--rrn", "--voucher", "--batch", "--auth",
		"--card-last4", "--status", "--type", "--acquirer", "--issuer", "--channel", "--note", "--source"} {
		txn = append(txn, flag, next())
	}
	_, errs, code = dk(t, home, txn...)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, errs, "held a full card number")
	mustDK(t, home, "txn", "add", id, "--time", "2026-11-03 19:45:00", "--amount", "1,280.00", "--merchant", "某某餐厅",
		"--merchant-no", merchantNo, "--terminal-no", terminal, "--rrn", rrn, "--voucher", "000412", "--card-last4", "0128",
		"--note", "订单 "+order)

	call := []string{"call", "add", id, "--time", "2026-11-04 10:15", "--duration", "5:30"}
	for _, flag := range []string{"--number", "--own-number", "--org", "--contact", "--agent", "--ticket", "--summary"} {
		call = append(call, flag, next())
	}
	mustDK(t, home, call...)
	mustDK(t, home, "call", "add", id, "--time", "2026-11-04 11:00", "--number", phone, "--ticket", "GD20261111000372")
	mustDK(t, home, "event", "add", id, "--kind", "contacted", "--time", "2026-11-04 10:15", "--party", next(), "--note", next())

	photo := filepath.Join(dir, "slip.txt")
	require.NoError(t, os.WriteFile(photo, []byte("签购单"), 0o644))
	mustDK(t, home, "attach", id, photo, "--title", next(), "--purpose", next(), "--source", next())

	outputs := map[string][]byte{}
	for _, args := range [][]string{{"case", "show", id}, {"case", "show", id, "--json"}, {"case", "list"}, {"case", "list", "--json"},
		{"txn", "list", id}, {"case", "audit", id}, {"letter", id, "--to", "merchant"}, {"letter", id, "--to", "bank", "--lang", "en"}} {
		outputs[strings.Join(args, " ")] = []byte(mustDK(t, home, args...))
	}
	xlsx := filepath.Join(dir, "letter.xlsx")
	mustDK(t, home, "letter", id, "--to", "regulator", "-o", xlsx)
	outputs["letter xlsx"] = zipText(t, xlsx)
	bundlePath := filepath.Join(dir, "case.zip")
	mustDK(t, home, "bundle", "export", id, "-o", bundlePath)
	outputs["bundle"] = zipText(t, bundlePath)
	backup := filepath.Join(dir, "backup.zip")
	mustDK(t, home, "backup", "-o", backup)
	outputs["backup"] = zipText(t, backup)
	imported := t.TempDir()
	mustDK(t, imported, "bundle", "import", bundlePath)
	outputs["imported case"] = []byte(mustDK(t, imported, "case", "show", "1", "--json"))

	ents, err := os.ReadDir(home)
	require.NoError(t, err)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "disputekit.db") {
			data, err := os.ReadFile(filepath.Join(home, e.Name()))
			require.NoError(t, err)
			outputs["sqlite "+e.Name()] = data
		}
	}
	require.Contains(t, outputs, "sqlite disputekit.db")

	require.Len(t, cards, 47, "one card per field")
	for name, data := range outputs {
		assert.Empty(t, leakedCards(data, cards), "full card numbers in %s", name)
	}
	// The scan is not blind: it finds every dodge of every card.
	for i, c := range cards {
		assert.Equal(t, []string{c}, leakedCards([]byte(`{"x":"`+strings.ReplaceAll(dodge(c, i+1), "\n", `\n`)+`"}`), cards))
	}

	var d evidence.Dossier
	require.NoError(t, json.Unmarshal(outputs["case show "+id+" --json"], &d))
	assert.Equal(t, phone, d.Case.Complainant.Phone)
	assert.Equal(t, idNumber, d.Case.Complainant.IDNumber)
	assert.Equal(t, creditCode, d.Case.Complainant.CreditCode)
	assert.Equal(t, merchantNo, d.Case.Respondent.MerchantNo)
	assert.Equal(t, terminal, d.Case.Respondent.TerminalNo)
	require.Len(t, d.Transactions, 2)
	kept := d.Transactions[1]
	assert.Equal(t, merchantNo, kept.MerchantNo)
	assert.Equal(t, rrn, kept.RRN)
	assert.Equal(t, "订单 "+order, kept.Note)
	assert.Equal(t, phone, d.Calls[1].Number)
	assert.Equal(t, "GD20261111000372", d.Calls[1].Ticket)
	masked := d.Transactions[0]
	for _, v := range []string{masked.MerchantNo, masked.RRN, masked.Voucher, masked.Note} {
		assert.Regexp(t, `^\*\*\*\* \*\*\*\* \*\*\*\* \d{4}$`, v)
	}
	for _, name := range []string{"bundle", "backup", "letter xlsx", "imported case"} {
		assert.Contains(t, string(outputs[name]), merchantNo, name)
	}
	assert.Contains(t, string(outputs["bundle"]), rrn)
}
