package check

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/disputekit/disputekit/evidence"
)

// Store is the part of the case store that adopting findings and keeping
// settlement terms need; *store.Store has it.
type Store interface {
	GetCase(ctx context.Context, id int64) (evidence.Case, error)
	UpdateCase(ctx context.Context, c *evidence.Case) ([]evidence.Warning, error)
	SetDisputed(ctx context.Context, caseID int64, ids []int64, disputed bool) error
	ListExhibits(ctx context.Context, caseID int64) ([]evidence.Exhibit, error)
	UpdateExhibit(ctx context.Context, e *evidence.Exhibit) error
	Settings
}

// Settings remembers small values by key (store.Setting/SetSetting).
type Settings interface {
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}

// importedPurpose is what ingest writes as a statement's 证明目的; adopting
// a finding replaces it with what the statement now proves.
const importedPurpose = "交易记录 / transaction records"

// Adopt makes findings part of the complaint in one step: each finding's
// claim is added to the case (unless the case already asks exactly that),
// its transactions are marked disputed, and the statements they came from
// say what they prove (证明目的). It returns the warnings of the case update.
// The steps are separate store calls: a failure part way leaves the earlier
// ones done, and adopting again does not repeat them.
func Adopt(ctx context.Context, st Store, caseID int64, fs []Finding, lang string) ([]evidence.Warning, error) {
	c, err := st.GetCase(ctx, caseID)
	if err != nil {
		return nil, fmt.Errorf("adopt findings in case %d: %w", caseID, err)
	}
	var txns []int64
	purposes := map[int64][]string{}
	for _, f := range fs {
		cl := f.Claim(lang)
		if !hasClaim(c.Claims, cl) {
			c.Claims = append(c.Claims, cl)
		}
		txns = append(txns, f.Transactions...)
		for _, ex := range f.Exhibits {
			purposes[ex] = append(purposes[ex], f.Purpose(lang))
		}
	}
	ws, err := st.UpdateCase(ctx, &c)
	if err != nil {
		return nil, fmt.Errorf("adopt findings in case %d: %w", caseID, err)
	}
	if len(txns) > 0 {
		if err := st.SetDisputed(ctx, caseID, txns, true); err != nil {
			return ws, fmt.Errorf("adopt findings in case %d: %w", caseID, err)
		}
	}
	if len(purposes) == 0 {
		return ws, nil
	}
	exs, err := st.ListExhibits(ctx, caseID)
	if err != nil {
		return ws, fmt.Errorf("adopt findings in case %d: %w", caseID, err)
	}
	for _, e := range exs {
		add := purposes[e.ID]
		if len(add) == 0 {
			continue
		}
		p := e.Purpose
		if p == importedPurpose {
			p = ""
		}
		for _, a := range add {
			if !strings.Contains(p, a) {
				if p != "" {
					p += "；"
				}
				p += a
			}
		}
		if p == e.Purpose {
			continue
		}
		e.Purpose = p
		if err := st.UpdateExhibit(ctx, &e); err != nil {
			return ws, fmt.Errorf("adopt findings in case %d: %w", caseID, err)
		}
	}
	return ws, nil
}

func hasClaim(cs []evidence.Claim, c evidence.Claim) bool {
	for _, x := range cs {
		if x.Text == c.Text && x.Amount == c.Amount {
			return true
		}
	}
	return false
}

// Purpose is what the finding's evidence proves, for an exhibit's 证明目的.
func (f Finding) Purpose(lang string) string {
	if lang == "en" {
		return "Shows: " + f.Summary.EN
	}
	return "证明：" + f.Summary.ZH
}

// TermsKey is the setting under which a case's settlement terms are kept.
func TermsKey(caseID int64) string { return "check.terms." + strconv.FormatInt(caseID, 10) }

// storedTerms is Terms as JSON.
type storedTerms struct {
	Rate     int64          `json:"rate_ppm"`
	Cap      evidence.Money `json:"cap"`
	Cycle    string         `json:"cycle"`
	Holidays []string       `json:"holidays,omitempty"` // 2006-01-02
}

// LoadTerms returns the settlement terms kept for a case; the zero Terms
// when none were kept.
func LoadTerms(ctx context.Context, st Settings, caseID int64) (Terms, error) {
	v, err := st.Setting(ctx, TermsKey(caseID))
	if errors.Is(err, evidence.ErrNotFound) {
		return Terms{}, nil
	}
	if err != nil {
		return Terms{}, fmt.Errorf("load settlement terms of case %d: %w", caseID, err)
	}
	var s storedTerms
	if err := json.Unmarshal([]byte(v), &s); err != nil {
		return Terms{}, fmt.Errorf("load settlement terms of case %d: %v: %w", caseID, err, evidence.ErrInvalid)
	}
	t := Terms{Rate: s.Rate, Cap: s.Cap, Cycle: s.Cycle}
	for _, h := range s.Holidays {
		if d, err := time.ParseInLocation("2006-01-02", h, evidence.Shanghai); err == nil {
			t.Holidays = append(t.Holidays, d)
		}
	}
	return t, nil
}

// SaveTerms keeps a case's settlement terms for the next check.
func SaveTerms(ctx context.Context, st Settings, caseID int64, t Terms) error {
	if err := t.Validate(); err != nil {
		return fmt.Errorf("save settlement terms of case %d: %w", caseID, err)
	}
	s := storedTerms{Rate: t.Rate, Cap: t.Cap, Cycle: t.Cycle}
	for _, h := range t.Holidays {
		s.Holidays = append(s.Holidays, day(h))
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if err := st.SetSetting(ctx, TermsKey(caseID), string(b)); err != nil {
		return fmt.Errorf("save settlement terms of case %d: %w", caseID, err)
	}
	return nil
}

// Cycles are the settlement cycles Terms.Cycle accepts.
var Cycles = []string{"T+1", "D+1", "T+0", "D+0"}

// Validate refuses terms the checks cannot use.
func (t Terms) Validate() error {
	if t.Rate < 0 || t.Rate > 1_000_000 {
		return fmt.Errorf("rate %s is not between 0 and 100%%: %w", RateString(t.Rate), evidence.ErrInvalid)
	}
	if t.Cap < 0 {
		return fmt.Errorf("fee cap %s is negative: %w", t.Cap, evidence.ErrInvalid)
	}
	if t.Cycle != "" {
		ok := false
		for _, c := range Cycles {
			ok = ok || strings.EqualFold(t.Cycle, c)
		}
		if !ok {
			return fmt.Errorf("cycle %q is not one of %s: %w", t.Cycle, strings.Join(Cycles, ", "), evidence.ErrInvalid)
		}
	}
	return nil
}
