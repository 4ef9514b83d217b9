package store

import (
	"encoding/json"
	"fmt"

	"github.com/disputekit/disputekit/evidence"
)

// storedParties is the cases.parties column: the parties added after the
// first schema (issuer, acquirer, settlement bank) and the kinds of the
// older ones, as JSON, so the party model can grow without a migration per field.
type storedParties struct {
	ComplainantKind evidence.PartyKind `json:"complainant_kind,omitempty"`
	RespondentKind  evidence.PartyKind `json:"respondent_kind,omitempty"`
	InstitutionKind evidence.PartyKind `json:"institution_kind,omitempty"`
	Issuer          *evidence.Party    `json:"issuer,omitempty"`
	Acquirer        *evidence.Party    `json:"acquirer,omitempty"`
	SettlementBank  *evidence.Party    `json:"settlement_bank,omitempty"`
	Court           *evidence.Court    `json:"court,omitempty"`
}

func partyOrNil(p evidence.Party) *evidence.Party {
	if p.Empty() {
		return nil
	}
	return &p
}

func encodeParties(c *evidence.Case) string {
	sp := storedParties{
		ComplainantKind: c.Complainant.Kind, RespondentKind: c.Respondent.Kind, InstitutionKind: c.Institution.Kind,
		Issuer: partyOrNil(c.Issuer), Acquirer: partyOrNil(c.Acquirer), SettlementBank: partyOrNil(c.SettlementBank),
	}
	if !c.Court.Empty() {
		court := c.Court
		sp.Court = &court
	}
	if sp == (storedParties{}) {
		return ""
	}
	b, err := json.Marshal(sp)
	if err != nil {
		panic(err) // strings only: cannot fail
	}
	return string(b)
}

func decodeParties(s string, c *evidence.Case) error {
	if s == "" {
		return nil
	}
	var sp storedParties
	if err := json.Unmarshal([]byte(s), &sp); err != nil {
		return fmt.Errorf("case %d parties: %v: %w", c.ID, err, evidence.ErrInvalid)
	}
	c.Complainant.Kind, c.Respondent.Kind, c.Institution.Kind = sp.ComplainantKind, sp.RespondentKind, sp.InstitutionKind
	if sp.Court != nil {
		c.Court = *sp.Court
	}
	for _, x := range []struct {
		from *evidence.Party
		to   *evidence.Party
	}{{sp.Issuer, &c.Issuer}, {sp.Acquirer, &c.Acquirer}, {sp.SettlementBank, &c.SettlementBank}} {
		if x.from != nil {
			*x.to = *x.from
		}
	}
	return nil
}
