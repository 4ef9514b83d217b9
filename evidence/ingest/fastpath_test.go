package ingest

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/disputekit/disputekit/evidence"
)

// plainMoney agrees with evidence.ParseMoney wherever it answers.
func TestPlainMoneyAgreesWithParseMoney(t *testing.T) {
	check := func(s string) {
		got, ok := plainMoney(s)
		if !ok {
			return
		}
		want, err := evidence.ParseMoney(s)
		if err != nil || got != want {
			t.Fatalf("%q: plainMoney %d, ParseMoney %d, %v", s, got, want, err)
		}
	}
	for _, s := range []string{"28.16", "-5.00", "¥28.16", "￥0.10", "-¥3", "¥-3.5", "12.", ".5", "1,000.00", "0", "999999999999999.99",
		"1234567890123456", "1.234", "--5", "+5", "¥", "-", "", "1.2.3", "１２.００"} {
		check(s)
	}
	r := rand.New(rand.NewSource(1))
	alpha := []string{"0", "1", "9", ".", "-", "+", "¥", "￥", ",", " ", "x"}
	for i := 0; i < 200000; i++ {
		s := ""
		for n := r.Intn(10); n > 0; n-- {
			s += alpha[r.Intn(len(alpha))]
		}
		check(s)
	}
	for s, want := range map[string]evidence.Money{"28.16": 2816, "-5.00": -500, "¥28.16": 2816, "￥0.1": 10, "7": 700} {
		if got, ok := plainMoney(s); !ok || got != want {
			t.Errorf("%q: %d %v, want %d", s, got, ok, want)
		}
	}
}

// trimCell trims as strings.Trim with the padding characters would.
func TestTrimCellAgreesWithTrim(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	alpha := []string{" ", "\t", "\u3000", "\u00a0", "a", "中", "\xe3", "\xc2", "\x80", "\xa0", ","}
	for i := 0; i < 200000; i++ {
		s := ""
		for n := r.Intn(8); n > 0; n-- {
			s += alpha[r.Intn(len(alpha))]
		}
		if got, want := trimCell(s), strings.Trim(s, " \t\u3000\u00a0"); got != want {
			t.Fatalf("%q: %q, want %q", s, got, want)
		}
	}
}
