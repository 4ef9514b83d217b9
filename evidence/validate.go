package evidence

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Warning flags a value that is kept but looks wrong (an RRN that is not 12
// characters, say). Refusals are errors wrapping ErrInvalid instead.
type Warning struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (w Warning) String() string { return w.Field + ": " + w.Message }

// FieldError refuses the value of one field. Field names it as the JSON
// does ("amount", "claims[1].amount", "respondent.kind"); Reason says why,
// as a code each face words in its user's language; Detail is the English
// explanation for logs and the command line. It wraps ErrInvalid.
type FieldError struct {
	Field  string
	Reason Reason
	Detail string
}

// Reason is why a field's value was refused.
type Reason string

const (
	ReasonRequired    Reason = "required"     // the field is empty but must be filled
	ReasonFormat      Reason = "format"       // the text is not a date, time, amount … as asked
	ReasonNegative    Reason = "negative"     // a number that cannot be below zero
	ReasonNotAllowed  Reason = "not-allowed"  // not one of the values the field takes
	ReasonBeforeStart Reason = "before-start" // a date before the date it follows
	ReasonTooLarge    Reason = "too-large"    // above the ceiling DisputeKit takes (MaxAmount, MaxCallDuration …)
	ReasonZero        Reason = "zero"         // a charge being recorded with no amount
	ReasonDecimals    Reason = "decimals"     // an amount with more than two decimal places
	ReasonThousands   Reason = "thousands"    // a comma that does not separate thousands ("12,80")
)

func (e *FieldError) Error() string { return e.Field + ": " + e.Detail + ": " + ErrInvalid.Error() }

// Unwrap makes errors.Is(err, ErrInvalid) hold.
func (e *FieldError) Unwrap() error { return ErrInvalid }

func invalid(field string, reason Reason, format string, args ...any) error {
	return &FieldError{Field: field, Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

// MaxCallDuration is the longest call DisputeKit records: a day.
const MaxCallDuration = 24 * time.Hour

// checkCeiling refuses an amount above MaxAmount (bundles and old stores
// reach Normalize without ParseMoney). For a stored amount (kept before the
// ceiling existed, now coming back from a bundle) it warns instead: a case
// DisputeKit exported must import again, and totals clamp such amounts.
func checkCeiling(ws []Warning, stored bool, field string, m Money) ([]Warning, error) {
	if m <= MaxAmount {
		return ws, nil
	}
	if stored {
		return append(ws, Warning{field, fmt.Sprintf("%s is more than the most DisputeKit takes for one amount, %s; kept as stored", m, MaxAmount)}), nil
	}
	return ws, invalid(field, ReasonTooLarge, "%s is more than the most DisputeKit takes for one amount, %s", m, MaxAmount)
}

// IsOverCeilingWarning tells whether w is NormalizeStored's warning about an
// amount above MaxAmount kept as stored.
func IsOverCeilingWarning(w Warning) bool { return strings.HasSuffix(w.Message, "; kept as stored") }

// clean trims s, drops bidirectional controls and masks card numbers in it.
func clean(s string) string { return MaskCardNumbers(strings.TrimSpace(StripBidiControls(s))) }

// StripBidiControls removes the invisible characters that reorder text
// (U+202E RIGHT-TO-LEFT OVERRIDE and the other embeddings, overrides,
// isolates and marks): in a title or a file name they disguise what it says
// ("invoice\u202Efdp.exe" shows as "invoiceexe.pdf"). Nothing DisputeKit
// keeps needs them.
func StripBidiControls(s string) string {
	if !strings.ContainsFunc(s, isBidiControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isBidiControl(r) {
			return -1
		}
		return r
	}, s)
}

func isBidiControl(r rune) bool { return r >= 0x61c && unicode.Is(unicode.Bidi_Control, r) }

func checkLen(ws []Warning, field, v string, want int, what string) []Warning {
	if v != "" && utf8.RuneCountInString(v) != want {
		ws = append(ws, Warning{field, fmt.Sprintf("%s is usually %d characters, this one has %d", what, want, utf8.RuneCountInString(v))})
	}
	return ws
}

// identifier trims the typed identifier field *v (an RRN, a phone …). It
// is never masked for its shape alone; but a full card number typed into it
// (one that is a card by the strict rule and not of the field's own shape)
// is masked to its last four digits, with a warning, so the store, its
// exports and backups never hold it.
func identifier(ws []Warning, field string, v *string, id Identifier) []Warning {
	s, masked := MaskCardInField(strings.TrimSpace(StripBidiControls(*v)), id)
	*v = s
	if masked {
		ws = append(ws, Warning{field, "held a full card number; only its last four digits are kept"})
	}
	return ws
}

func (p *Party) normalize(prefix string) []Warning {
	p.Name = clean(p.Name)
	p.IDNumber = strings.ToUpper(p.IDNumber)
	p.Address = clean(p.Address)
	p.Company = clean(p.Company)
	p.CreditCode = strings.ToUpper(p.CreditCode)
	ws := identifier(nil, prefix+".id_number", &p.IDNumber, IdentIDNumber)
	ws = identifier(ws, prefix+".phone", &p.Phone, IdentPhone)
	ws = identifier(ws, prefix+".credit_code", &p.CreditCode, IdentCreditCode)
	ws = identifier(ws, prefix+".merchant_no", &p.MerchantNo, IdentMerchantNo)
	return identifier(ws, prefix+".terminal_no", &p.TerminalNo, IdentTerminalNo)
}

func (p Party) warnings(prefix string) []Warning {
	var ws []Warning
	if p.IDNumber != "" && len(p.IDNumber) != 18 && len(p.IDNumber) != 15 {
		ws = append(ws, Warning{prefix + ".id_number", "a mainland ID number has 18 characters"})
	}
	ws = checkLen(ws, prefix+".credit_code", p.CreditCode, 18, "a unified social credit code")
	ws = checkLen(ws, prefix+".merchant_no", p.MerchantNo, 15, "a merchant number")
	ws = checkLen(ws, prefix+".terminal_no", p.TerminalNo, 8, "a terminal number")
	return ws
}

// Normalize trims and masks c's text, fills defaults, and checks it. It
// returns warnings for doubtful values and an error for values it refuses.
func (c *Case) Normalize() ([]Warning, error) { return c.normalize(false) }

// NormalizeStored is Normalize for a case DisputeKit itself stored (a
// bundle being imported): an amount asked for above MaxAmount, kept before
// the ceiling existed, is a warning, not a refusal.
func (c *Case) NormalizeStored() ([]Warning, error) { return c.normalize(true) }

func (c *Case) normalize(stored bool) ([]Warning, error) {
	c.Title = clean(c.Title)
	if c.Title == "" {
		return nil, invalid("title", ReasonRequired, "a case needs a title")
	}
	if c.Scenario == "" {
		c.Scenario = ScenarioOther
	}
	if !c.Scenario.Valid() {
		return nil, invalid("scenario", ReasonNotAllowed, "%q is not one of %v", c.Scenario, Scenarios)
	}
	if c.Status == "" {
		c.Status = StatusDraft
	}
	if !c.Status.Valid() {
		return nil, invalid("status", ReasonNotAllowed, "%q is not one of %v", c.Status, Statuses)
	}
	if c.Role == "" {
		c.Role = RoleConsumer
	}
	switch c.Role {
	case RoleConsumer, RoleMerchant, RoleHelper:
	default:
		return nil, invalid("role", ReasonNotAllowed, "%q is not consumer, merchant or helper", c.Role)
	}
	ws := c.Complainant.normalize("complainant")
	ws = append(ws, c.Respondent.normalize("respondent")...)
	ws = append(ws, c.Institution.normalize("institution")...)
	ws = append(ws, c.Issuer.normalize("issuer")...)
	ws = append(ws, c.Acquirer.normalize("acquirer")...)
	ws = append(ws, c.SettlementBank.normalize("settlement_bank")...)
	for name, p := range map[string]Party{"complainant": c.Complainant, "respondent": c.Respondent, "institution": c.Institution,
		"issuer": c.Issuer, "acquirer": c.Acquirer, "settlement_bank": c.SettlementBank} {
		if !p.Kind.Valid() {
			return nil, invalid(name+".kind", ReasonNotAllowed, "%q is not one of %v", p.Kind, PartyKinds)
		}
	}
	c.Facts = MaskCardNumbers(strings.TrimSpace(c.Facts))
	if err := c.Court.normalize(); err != nil {
		return nil, err
	}
	claims := c.Claims[:0]
	var over []Warning
	for i, cl := range c.Claims {
		cl.Text = clean(cl.Text)
		if cl.Amount < 0 {
			return nil, invalid(fmt.Sprintf("claims[%d].amount", i+1), ReasonNegative, "an amount asked for cannot be negative")
		}
		var err error
		if over, err = checkCeiling(over, stored, fmt.Sprintf("claims[%d].amount", i+1), cl.Amount); err != nil {
			return nil, err
		}
		if cl.Text == "" && cl.Amount == 0 {
			continue
		}
		claims = append(claims, cl)
	}
	c.Claims = claims
	ws = append(ws, c.Complainant.warnings("complainant")...)
	ws = append(ws, c.Respondent.warnings("respondent")...)
	ws = append(ws, c.Institution.warnings("institution")...)
	ws = append(ws, c.Issuer.warnings("issuer")...)
	ws = append(ws, c.Acquirer.warnings("acquirer")...)
	ws = append(ws, c.SettlementBank.warnings("settlement_bank")...)
	return append(ws, over...), nil
}

// Normalize trims and masks t, keeps only the card's last four digits,
// fills defaults and checks it.
func (t *Transaction) Normalize() ([]Warning, error) { return t.normalize(false) }

// NormalizeStored is Normalize for a transaction DisputeKit itself stored
// (a bundle being imported): an amount, agreed amount or fee above
// MaxAmount, kept before the ceiling existed, is a warning, not a refusal.
func (t *Transaction) NormalizeStored() ([]Warning, error) { return t.normalize(true) }

func (t *Transaction) normalize(stored bool) ([]Warning, error) {
	if t.Time.IsZero() {
		return nil, invalid("time", ReasonRequired, "a transaction needs a date and time")
	}
	if t.Amount < 0 {
		return nil, invalid("amount", ReasonNegative, "the amount cannot be negative; set the direction instead")
	}
	if t.Currency == "" {
		t.Currency = "CNY"
	}
	t.Currency = strings.ToUpper(strings.TrimSpace(t.Currency))
	if t.Direction == "" {
		t.Direction = Debit
	}
	switch t.Direction {
	case Debit, Credit, Neutral:
	default:
		return nil, invalid("direction", ReasonNotAllowed, "%q is not debit, credit or neutral", t.Direction)
	}
	if t.Agreed < 0 {
		return nil, invalid("agreed", ReasonNegative, "the amount that should have been charged cannot be negative")
	}
	var over []Warning
	if t.Fee < 0 {
		return nil, invalid("fee", ReasonNegative, "a fee cannot be negative")
	}
	for _, a := range []struct {
		field string
		m     Money
	}{{"amount", t.Amount}, {"agreed", t.Agreed}, {"fee", t.Fee}} {
		var err error
		if over, err = checkCeiling(over, stored, a.field, a.m); err != nil {
			return nil, err
		}
	}
	if t.Source == "" {
		t.Source = "manual"
	}
	if t.Amount == 0 && t.Direction == Debit && (t.Source == "manual" || t.Source == "slip") {
		// A statement may list a ¥0.00 line; a charge typed by hand needs its amount.
		return nil, invalid("amount", ReasonZero, "a charge needs an amount above ¥0.00")
	}
	for _, f := range []*string{&t.Status, &t.Type, &t.Merchant, &t.Acquirer, &t.Issuer, &t.Channel, &t.Description, &t.Note, &t.DedupeKey} {
		*f = clean(*f)
	}
	ws := identifier(nil, "merchant_no", &t.MerchantNo, IdentMerchantNo)
	ws = identifier(ws, "terminal_no", &t.TerminalNo, IdentTerminalNo)
	ws = identifier(ws, "batch", &t.Batch, IdentShortCode)
	ws = identifier(ws, "voucher", &t.Voucher, IdentShortCode)
	ws = identifier(ws, "rrn", &t.RRN, IdentRRN)
	ws = identifier(ws, "auth_code", &t.AuthCode, IdentShortCode)
	ws = identifier(ws, "order_no", &t.OrderNo, IdentOrder)
	ws = identifier(ws, "source", &t.Source, IdentNone)
	t.CardType = normCardType(t.CardType)
	if raw := strings.TrimSpace(t.CardLast4); raw != "" {
		t.CardLast4 = CardLast4(raw)
		if t.CardLast4 == "" {
			ws = append(ws, Warning{"card_last4", "needs the last four digits of the card"})
		}
	}
	ws = checkLen(ws, "rrn", t.RRN, 12, "a reference number (参考号)")
	ws = checkLen(ws, "voucher", t.Voucher, 6, "a voucher number (凭证号)")
	ws = checkLen(ws, "batch", t.Batch, 6, "a batch number (批次号)")
	ws = checkLen(ws, "auth_code", t.AuthCode, 6, "an authorisation code (授权码)")
	ws = checkLen(ws, "merchant_no", t.MerchantNo, 15, "a merchant number (商户编号)")
	ws = checkLen(ws, "terminal_no", t.TerminalNo, 8, "a terminal number (终端号)")
	return append(ws, over...), nil
}

// Normalize trims and masks e's descriptive fields and checks it.
func (e *Exhibit) Normalize() ([]Warning, error) {
	if e.Kind == "" {
		e.Kind = KindDocument
	}
	if !e.Kind.Valid() {
		return nil, invalid("kind", ReasonNotAllowed, "%q is not one of %v", e.Kind, ExhibitKinds)
	}
	for _, f := range []*string{&e.Title, &e.Source, &e.Purpose, &e.OriginalName, &e.Platform, &e.Counterpart, &e.CapturedBy, &e.Note} {
		*f = clean(*f)
	}
	if e.Title == "" {
		e.Title = e.OriginalName
	}
	if e.Size < 0 {
		return nil, invalid("size", ReasonNegative, "cannot be negative")
	}
	return nil, nil
}

// Normalize trims and masks c and checks it.
func (c *CallLog) Normalize() ([]Warning, error) {
	if c.Start.IsZero() {
		return nil, invalid("time", ReasonRequired, "a call needs a date and time")
	}
	if c.Duration < 0 {
		return nil, invalid("duration", ReasonNegative, "cannot be negative")
	}
	if c.Duration > MaxCallDuration {
		return nil, invalid("duration", ReasonTooLarge, "a call of more than %v is a typing slip", MaxCallDuration)
	}
	if c.Direction == "" {
		c.Direction = CallOutgoing
	}
	if c.Direction != CallOutgoing && c.Direction != CallIncoming {
		return nil, invalid("direction", ReasonNotAllowed, "%q is not outgoing or incoming", c.Direction)
	}
	for _, f := range []*string{&c.Organisation, &c.Contact, &c.Summary} {
		*f = clean(*f)
	}
	ws := identifier(nil, "own_number", &c.OwnNumber, IdentPhone)
	ws = identifier(ws, "number", &c.Number, IdentPhone)
	ws = identifier(ws, "agent", &c.Agent, IdentShortCode)
	ws = identifier(ws, "ticket", &c.Ticket, IdentOrder)
	return ws, nil
}

// Normalize trims and masks e and checks it.
func (e *Event) Normalize() ([]Warning, error) {
	if e.Time.IsZero() {
		return nil, invalid("time", ReasonRequired, "an event needs a date")
	}
	if e.Kind == "" {
		e.Kind = EventOther
	}
	if !e.Kind.Valid() {
		return nil, invalid("kind", ReasonNotAllowed, "%q is not one of %v", e.Kind, EventKinds)
	}
	if !e.Due.IsZero() && e.Due.Before(e.Time) {
		return nil, invalid("due", ReasonBeforeStart, "the due date is before the event itself")
	}
	e.Party = clean(e.Party)
	e.Note = clean(e.Note)
	return nil, nil
}

// normCardType reads the usual words for a card's type: 借记卡/储蓄卡 are
// "debit", 信用卡/贷记卡/准贷记卡 "credit"; anything else is kept as written.
func normCardType(s string) string {
	s = strings.TrimSpace(s)
	l := strings.ToLower(s)
	switch {
	case l == "":
		return ""
	case strings.Contains(l, "借记") || strings.Contains(l, "储蓄") || strings.Contains(l, "debit"):
		return "debit"
	case strings.Contains(l, "贷记") || strings.Contains(l, "信用") || strings.Contains(l, "credit"):
		return "credit"
	}
	return clean(s)
}
