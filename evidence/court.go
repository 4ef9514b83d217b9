package evidence

import (
	"slices"
	"time"
)

// Court holds what a civil complaint (民事起诉状) needs beyond the parties'
// names and addresses: the court the user chose (never guessed), whom the
// case sues, the particulars the civil procedure law asks of each party
// (民事诉讼法 第一百二十四条: for a person 性别、年龄、民族、职业、工作单位;
// for an organisation its 法定代表人或者主要负责人 with 职务) and the
// witnesses, if any.
type Court struct {
	// Name is the court the complaint is addressed to (受诉人民法院), as
	// the user confirmed it.
	Name string `json:"name,omitempty"`
	// Venue says why that court: VenueDefendantDomicile or VenuePerformance.
	Venue string `json:"venue,omitempty"`
	// Defendants are the parties sued, by role (DefendantMerchant …);
	// empty means the usual one: the merchant in a cardholder's case, the
	// acquirer in a merchant's.
	Defendants []string `json:"defendants,omitempty"`
	// Plaintiff holds the complainant's particulars; Others those of each
	// defendant, by role.
	Plaintiff Particulars            `json:"plaintiff,omitzero"`
	Others    map[string]Particulars `json:"others,omitempty"`
	Witnesses []Witness              `json:"witnesses,omitempty"`
}

// Venues: why the chosen court has jurisdiction, as the user confirms it.
const (
	VenueDefendantDomicile = "defendant-domicile" // 被告住所地
	VenuePerformance       = "performance"        // 合同履行地
)

// Defendant roles: which party of the case is sued.
const (
	DefendantMerchant       = "merchant"
	DefendantIssuer         = "issuer"
	DefendantAcquirer       = "acquirer"
	DefendantSettlementBank = "settlement-bank"
)

// DefendantRoles lists the roles a defendant may have.
var DefendantRoles = []string{DefendantMerchant, DefendantIssuer, DefendantAcquirer, DefendantSettlementBank}

// Particulars are a party's details for a court: a person's sex, date of
// birth (the complaint states the age from it), ethnic group, occupation
// and employer; an organisation's legal representative (or principal) and
// that person's title. What is unknown stays empty and the complaint
// leaves a blank for it.
type Particulars struct {
	Gender     string    `json:"gender,omitempty"` // 男 / 女 as the user writes it
	Birth      time.Time `json:"birth,omitzero"`
	Ethnicity  string    `json:"ethnicity,omitempty"`
	Occupation string    `json:"occupation,omitempty"`
	Employer   string    `json:"employer,omitempty"`
	LegalRep   string    `json:"legal_rep,omitempty"`
	RepTitle   string    `json:"rep_title,omitempty"`
	RepPhone   string    `json:"rep_phone,omitempty"`
}

// Witness is a person who can testify (证人), with an address.
type Witness struct {
	Name    string `json:"name"`
	Address string `json:"address,omitempty"`
}

// Empty reports whether nothing about the court has been said.
func (c Court) Empty() bool {
	return c.Name == "" && c.Venue == "" && len(c.Defendants) == 0 && c.Plaintiff == (Particulars{}) && len(c.Others) == 0 && len(c.Witnesses) == 0
}

// Sued returns the roles sued: Defendants, else the merchant in a
// cardholder's case and the acquirer in a merchant's.
func (c Case) Sued() []string {
	if len(c.Court.Defendants) > 0 {
		return c.Court.Defendants
	}
	if c.MerchantSide() {
		return []string{DefendantAcquirer}
	}
	return []string{DefendantMerchant}
}

// Party returns the party of role in ps (see DefendantRoles).
func (ps Parties) Party(role string) (Party, bool) {
	switch role {
	case DefendantMerchant:
		return ps.Merchant, true
	case DefendantIssuer:
		return ps.Issuer, true
	case DefendantAcquirer:
		return ps.Acquirer, true
	case DefendantSettlementBank:
		return ps.SettlementBank, true
	}
	return Party{}, false
}

func (c *Court) normalize() error {
	c.Name = clean(c.Name)
	switch c.Venue {
	case "", VenueDefendantDomicile, VenuePerformance:
	default:
		return invalid("court.venue", ReasonNotAllowed, "%q is not %s or %s", c.Venue, VenueDefendantDomicile, VenuePerformance)
	}
	seen := map[string]bool{}
	roles := c.Defendants[:0]
	for _, r := range c.Defendants {
		if !slices.Contains(DefendantRoles, r) {
			return invalid("court.defendants", ReasonNotAllowed, "%q is not one of %v", r, DefendantRoles)
		}
		if !seen[r] {
			seen[r] = true
			roles = append(roles, r)
		}
	}
	c.Defendants = roles
	for r := range c.Others {
		if !slices.Contains(DefendantRoles, r) {
			return invalid("court.others", ReasonNotAllowed, "%q is not one of %v", r, DefendantRoles)
		}
	}
	ws := c.Witnesses[:0]
	for _, w := range c.Witnesses {
		w.Name, w.Address = clean(w.Name), clean(w.Address)
		if w.Name != "" {
			ws = append(ws, w)
		}
	}
	c.Witnesses = ws
	if len(c.Witnesses) == 0 {
		c.Witnesses = nil
	}
	if len(c.Defendants) == 0 {
		c.Defendants = nil
	}
	return nil
}
