package templates

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/disputekit/disputekit/evidence"
)

// Verdict says whether a letter makes sense for a case.
type Verdict string

// Verdicts of the letter plan.
const (
	VerdictOK     Verdict = "ok"     // the letter fits
	VerdictWarn   Verdict = "warn"   // a judgement call: written, with a warning
	VerdictRefuse Verdict = "refuse" // not written: Compose returns a *Refusal
)

// Deadline is the one reply deadline a letter sets.
type Deadline struct {
	Days    int  `json:"days"`
	Working bool `json:"working,omitempty"` // working days rather than calendar days
	// Basis is the citation that sets the deadline; empty when it is only
	// the complainant's request.
	Basis string `json:"basis,omitempty"`
}

// PlanRule is one entry of the letter plan (data/plan.json).
type PlanRule struct {
	Role        evidence.Role       `json:"role"`
	To          Recipient           `json:"to"`
	Scenarios   []evidence.Scenario `json:"scenarios"`
	Verdict     Verdict             `json:"verdict"`
	Reason      string              `json:"reason,omitempty"`
	Purpose     string              `json:"purpose,omitempty"`
	Requests    []string            `json:"requests,omitempty"`
	Citations   []string            `json:"citations,omitempty"`
	CitationsBk []string            `json:"citations_bank,omitempty"`
	CitationsPI []string            `json:"citations_payment_institution,omitempty"`
	Deadline    *Deadline           `json:"deadline,omitempty"`
	Mandatory   []string            `json:"mandatory,omitempty"`
	FactsSheet  bool                `json:"facts_sheet,omitempty"`
	Channels    []string            `json:"channels,omitempty"`
	Route       string              `json:"route,omitempty"` // regulator: "issuer" or "acquirer"
}

// Channel is a complaint channel the plan may point the user to.
type Channel struct {
	Hotline  string `json:"hotline"`
	Verified bool   `json:"verified"`
	Note     string `json:"note"`
}

type planData struct {
	Rules    []PlanRule         `json:"rules"`
	Channels map[string]Channel `json:"channels"`
}

// Plan is what the letter plan says for one case and recipient.
type Plan struct {
	PlanRule
	// Kind is the kind of the institution the letter is addressed to or
	// complains about (bank or payment institution), which chose the
	// citations and, for the regulator, NFRA or the PBOC.
	Kind evidence.PartyKind `json:"kind,omitempty"`
	// AllowedCitations are the citation ids this letter may use.
	AllowedCitations []string `json:"allowed_citations"`
}

// Refusal is returned by Compose for a letter that makes no sense for the
// case (a consumer's letter about a merchant's settlement, a merchant
// writing to itself). Reason is a plain sentence in the letter's language.
type Refusal struct {
	Recipient Recipient
	Reason    string
}

func (r *Refusal) Error() string { return r.Reason }

// ErrRefused is what errors.Is finds in a *Refusal.
var ErrRefused = errors.New("letter refused")

// Is makes errors.Is(err, ErrRefused) true for a refusal.
func (r *Refusal) Is(target error) bool { return target == ErrRefused }

// planRole is the role the plan is read for: a helper writes as the
// consumer, or as the merchant in a settlement case.
func planRole(c evidence.Case) evidence.Role {
	if c.MerchantSide() {
		return evidence.RoleMerchant
	}
	return evidence.RoleConsumer
}

// PlanFor returns the plan of the letter about d to recipient to.
func PlanFor(d evidence.Dossier, to Recipient) (Plan, error) {
	if err := load(); err != nil {
		return Plan{}, err
	}
	role := planRole(d.Case)
	for _, r := range plan.Rules {
		if r.Role != role || r.To != to || !slices.Contains(r.Scenarios, d.Case.Scenario) {
			continue
		}
		p := Plan{PlanRule: r}
		parties := d.Case.Parties()
		p.Kind = institutionKind(parties, role, to, r.Route)
		p.AllowedCitations = append([]string(nil), r.Citations...)
		switch p.Kind {
		case evidence.PartyBank:
			p.AllowedCitations = append(p.AllowedCitations, r.CitationsBk...)
		case evidence.PartyPaymentInstitution:
			p.AllowedCitations = append(p.AllowedCitations, r.CitationsPI...)
		}
		p.Deadline = deadlineFor(p)
		return p, nil
	}
	return Plan{}, fmt.Errorf("letter plan has no rule for %s × %s × %s: %w", role, d.Case.Scenario, to, evidence.ErrInvalid)
}

// institutionKind is the kind of the financial institution a letter is
// addressed to (bank, payment company) or complains about (regulator).
func institutionKind(p evidence.Parties, role evidence.Role, to Recipient, route string) evidence.PartyKind {
	switch to {
	case ToBank:
		return evidence.PartyBank
	case ToPaymentCompany:
		return p.Acquirer.Kind
	case ToRegulator:
		if route == "acquirer" {
			return p.Acquirer.Kind
		}
		return p.Issuer.Kind
	}
	return ""
}

// deadlineFor is the plan's one reply deadline, completed by the kind of
// institution: a bank's 15 days rest on 银保监会令2020年第3号 第十八条; a
// regulator letter's 7 working days on the rule of the regulator it goes to.
func deadlineFor(p Plan) *Deadline {
	allowed := func(id string) bool { return slices.Contains(p.AllowedCitations, id) }
	if p.Deadline != nil {
		d := *p.Deadline
		if d.Basis == "" && d.Days == 15 && !d.Working && allowed("nfra-18") {
			d.Basis = "nfra-18"
		}
		return &d
	}
	if p.To == ToRegulator {
		switch {
		case allowed("nfra-33"):
			return &Deadline{Days: 7, Working: true, Basis: "nfra-33"}
		case allowed("pbocm-43"):
			return &Deadline{Days: 7, Working: true, Basis: "pbocm-43"}
		}
	}
	return nil
}

func loadPlan() error {
	b, err := dataFS.ReadFile("data/plan.json")
	if err != nil {
		return fmt.Errorf("load letter plan: %w", err)
	}
	var pd planData
	if err := json.Unmarshal(b, &pd); err != nil {
		return fmt.Errorf("load letter plan: %w", err)
	}
	plan = pd
	return nil
}

var plan planData

// ChannelInfo returns a channel the plan names (e.g. "unionpay").
func ChannelInfo(name string) (Channel, bool) {
	if load() != nil {
		return Channel{}, false
	}
	c, ok := plan.Channels[name]
	return c, ok
}
