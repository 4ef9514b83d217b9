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
	c := evidence.Case{Title: "刷错金额", Institution: evidence.Party{Name: "某某银行"}}
	l := templates.Letter{Lang: templates.Chinese, Recipient: templates.ToBank, Date: date, Dossier: evidence.Dossier{Case: c}}
	if got := LetterFileName(l, "pdf"); got != "投诉函-某某银行-2026-11-28.pdf" {
		t.Errorf("zh name = %q", got)
	}
	l.Lang, l.Recipient = templates.English, templates.ToRegulator
	if got := LetterFileName(l, "xlsx"); got != "complaint-financial regulator-2026-11-28.xlsx" {
		t.Errorf("en name = %q", got)
	}
	l.Recipient = templates.ToMerchant
	l.Dossier.Case.Respondent.Name = `A/B "shop"`
	if got := LetterFileName(l, "pdf"); strings.ContainsAny(got, `/"`) {
		t.Errorf("unsafe name %q", got)
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
