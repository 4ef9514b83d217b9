package casework

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/ingest"
	"github.com/disputekit/disputekit/evidence/store"
	"github.com/disputekit/disputekit/templates"
)

var ctx = context.Background()

func newService(t *testing.T) *Service {
	t.Helper()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return New(st)
}

func newCase(t *testing.T, s *Service) evidence.Case {
	t.Helper()
	c := evidence.Case{Title: "刷错金额", Scenario: evidence.WrongAmount, Respondent: evidence.Party{Name: "某某餐厅"}, Institution: evidence.Party{Name: "某某银行"}}
	first := &evidence.Event{Kind: evidence.EventDiscovered, Time: time.Date(2026, 11, 3, 14, 30, 0, 0, evidence.Shanghai)}
	if _, err := s.CreateCase(ctx, &c, first); err != nil {
		t.Fatal(err)
	}
	if first.CaseID != c.ID || first.ID == 0 {
		t.Fatalf("first event not stored with the case: %+v", first)
	}
	return c
}

func TestAddFileImportsStatementsAndAttachesTheRest(t *testing.T) {
	s := newService(t)
	c := newCase(t, s)

	rep, err := s.AddFile(ctx, c.ID, "../ingest/testdata/wechat_bom_tab.csv", ingest.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Kind != "statement" || rep.Imported == 0 {
		t.Fatalf("statement report = %+v", rep)
	}

	note := filepath.Join(t.TempDir(), "商户的回复.docx")
	if err := os.WriteFile(note, []byte("PK\x03\x04 not really a word file, but not a statement either"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err = s.AddFile(ctx, c.ID, note, ingest.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Kind != "document" || rep.Imported != 1 || rep.ExhibitID == 0 {
		t.Fatalf("document report = %+v", rep)
	}
	rep, err = s.AddFile(ctx, c.ID, note, ingest.ImportOptions{})
	if err != nil || rep.Duplicates != 1 || rep.Imported != 0 {
		t.Fatalf("second add of the same file: %+v, %v", rep, err)
	}
	exs, err := s.ListExhibits(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var doc evidence.Exhibit
	for _, e := range exs {
		if e.ID == rep.ExhibitID {
			doc = e
		}
	}
	if doc.Kind != evidence.KindDocument || doc.Title != "商户的回复" {
		t.Fatalf("the unreadable file is not a document exhibit named after the file: %+v", doc)
	}

	odd := filepath.Join(t.TempDir(), "odd.csv")
	if err := os.WriteFile(odd, []byte("某银行流水\n日子,钱,店\n2024-03-01 10:00:00,12.00,甲店\n2024-03-02 10:00:00,13.00,乙店\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddFile(ctx, c.ID, odd, ingest.ImportOptions{}); !errors.Is(err, ingest.ErrNeedMapping) {
		t.Fatalf("a table of unknown columns must ask for a mapping, not become a document: %v", err)
	}

	_, err = s.AddFile(ctx, c.ID+100, note, ingest.ImportOptions{})
	if !errors.Is(err, evidence.ErrNotFound) {
		t.Fatalf("adding to a missing case: %v", err)
	}
}

func TestNextStepsFollowTheRecords(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, evidence.Shanghai)
	d := evidence.Dossier{Case: evidence.Case{Respondent: evidence.Party{Name: "某某餐厅"}, Institution: evidence.Party{Name: "某某银行"}}}
	steps := NextSteps(d, now)
	if len(steps) != len(ladder) || steps[0].State != Next || steps[1].State != Open {
		t.Fatalf("fresh case: %+v", steps)
	}
	d.Calls = []evidence.CallLog{{Organisation: "某某餐厅", Summary: "要求退款"}}
	d.Events = []evidence.Event{{Kind: evidence.EventComplaint, Party: "某某银行信用卡中心", Time: now.AddDate(0, 0, -20), Due: now.AddDate(0, 0, -5)}}
	steps = NextSteps(d, now)
	if steps[0].State != Done || steps[1].State != Done || steps[2].State != Next {
		t.Fatalf("after the merchant and the bank: %+v", steps)
	}
	last := steps[len(steps)-1]
	if last.State != Overdue || !strings.Contains(last.Text.ZH, "到期：正式投诉") || !strings.HasPrefix(last.Text.EN, "Due ") {
		t.Fatalf("deadline step = %+v", last)
	}
	for _, s := range steps {
		if s.Text.ZH == "" || s.Text.EN == "" {
			t.Fatalf("a step lacks a language: %+v", s)
		}
	}
}

func TestLetterFileNameIsInTheLettersLanguage(t *testing.T) {
	date := time.Date(2026, 11, 28, 9, 0, 0, 0, evidence.Shanghai)
	// A migrated case: the old Institution is empty, the issuer is a party.
	c := evidence.Case{Title: "刷错金额", Role: evidence.RoleConsumer, Issuer: evidence.Party{Name: "某某银行", Kind: evidence.PartyBank}}
	l := templates.Letter{Lang: templates.Chinese, Recipient: templates.ToBank, Date: date, Dossier: evidence.Dossier{Case: c}}
	if got := LetterFileName(l, "pdf"); got != "投诉函-某某银行-2026-11-28.pdf" {
		t.Errorf("zh name = %q", got)
	}
	l.Lang, l.Recipient = templates.English, templates.ToRegulator
	if got := LetterFileName(l, "xlsx"); got != "complaint-financial-regulator-2026-11-28.xlsx" {
		t.Errorf("en name = %q", got)
	}
	l.Recipient = templates.ToMerchant
	l.Dossier.Case.Respondent.Name = `A/B "shop"`
	if got := LetterFileName(l, "pdf"); strings.ContainsAny(got, `/"`) {
		t.Errorf("unsafe name %q", got)
	}
}

func TestLetterFileNameNamesTheLettersAddressee(t *testing.T) {
	date := time.Date(2026, 11, 28, 9, 0, 0, 0, evidence.Shanghai)
	// A merchant's settlement case: the letter to the payment company goes to
	// the acquirer, not to the old (empty) Institution.
	d := evidence.Dossier{Case: evidence.Case{
		Title: "结算短款", Role: evidence.RoleMerchant, Scenario: evidence.SettlementShortfall,
		Complainant: evidence.Party{Name: "李四", Company: "上海李记小吃店", Kind: evidence.PartySoleTrader, Address: "上海市徐汇区某路1号", Phone: "021-12345678"},
		Acquirer:    evidence.Party{Company: "Some Bank Payment Co., Ltd.", Kind: evidence.PartyPaymentInstitution},
	}}
	for _, tc := range []struct {
		to   templates.Recipient
		lang templates.Lang
		want string
	}{
		{templates.ToPaymentCompany, templates.English, "complaint-Some-Bank-Payment-Co.,-Ltd-2026-11-28.pdf"},
		{templates.ToPaymentCompany, templates.Chinese, "投诉函-Some-Bank-Payment-Co.,-Ltd-2026-11-28.pdf"},
	} {
		l, err := templates.Compose(d, tc.to, tc.lang, date)
		if err != nil {
			t.Fatalf("compose to %s: %v", tc.to, err)
		}
		if got := LetterFileName(l, "pdf"); got != tc.want {
			t.Errorf("%s %s: name = %q, want %q", tc.to, tc.lang, got, tc.want)
		}
	}
	// A name the user must still fill is left out of the file name.
	l := templates.Letter{Lang: templates.Chinese, Recipient: templates.ToMarketRegulator, Date: date, Addressee: "＿＿＿＿市场监督管理局"}
	if got := LetterFileName(l, "pdf"); got != "投诉函-市场监督管理局-2026-11-28.pdf" {
		t.Errorf("blank office: name = %q", got)
	}
}

func TestFileNamesAreSafeOnWindows(t *testing.T) {
	date := time.Date(2026, 11, 28, 9, 0, 0, 0, evidence.Shanghai)
	// A right-to-left override would show "…fdp.exe" as "…exe.pdf".
	hostile := "Evil\u202eexe.fdp\u200b <a>:b|c?d*e\tf\x00 " + strings.Repeat("长", 100) + "..."
	l := templates.Letter{Lang: templates.English, Recipient: templates.ToMerchant, Date: date, Addressee: hostile}
	for _, name := range []string{LetterFileName(l, "pdf"), CaseFileName(evidence.Case{Title: hostile}, templates.English, date)} {
		if strings.ContainsAny(name, "\\/:*?\"<>|\t\x00\u202e\u200b ") {
			t.Errorf("%q holds a character Windows refuses or a hidden control", name)
		}
		if !strings.HasSuffix(name, "-2026-11-28.pdf") {
			t.Errorf("%q lost its date or extension", name)
		}
		if n := len([]rune(name)); n > 90 {
			t.Errorf("%q is %d characters long", name, n)
		}
	}
}

func TestWriteLetterRefusesUnknownFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.doc")
	err := WriteLetter(ctx, path, "doc", templates.Letter{}, nil)
	if !errors.Is(err, ErrFormat) {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("a refused export wrote a file")
	}
}

// The ladder keeps only what the letter plan allows: a shop owner's
// settlement case has no rung "ask the merchant" and no market regulator
// (the plan refuses both; the others it writes with a warning).
func TestNextStepsFollowTheLetterPlan(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, evidence.Shanghai)
	consumer := NextSteps(evidence.Dossier{Case: evidence.Case{Scenario: evidence.WrongAmount, Role: evidence.RoleConsumer}}, now)
	merchant := NextSteps(evidence.Dossier{Case: evidence.Case{Scenario: evidence.SettlementShortfall, Role: evidence.RoleMerchant}}, now)
	text := func(steps []Step) string {
		var b strings.Builder
		for _, s := range steps {
			b.WriteString(s.Text.ZH + "\n")
		}
		return b.String()
	}
	if !strings.Contains(text(consumer), "消费者协会") {
		t.Errorf("a consumer's ladder names the consumer association:\n%s", text(consumer))
	}
	if strings.Contains(text(merchant), "市场监督管理部门") || strings.Contains(text(merchant), "先找商户") {
		t.Errorf("a merchant's settlement ladder offers consumer channels or the merchant itself:\n%s", text(merchant))
	}
	if merchant[0].State != Next || !strings.HasPrefix(merchant[0].Text.ZH, "1、") {
		t.Errorf("the first rung left is numbered 1 and is next: %+v", merchant[0])
	}
}
