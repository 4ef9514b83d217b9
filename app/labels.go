package app

import (
	"strings"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/templates"
)

// The functions here turn domain codes into the words the user reads.
// Every string is a literal so the translation test can find it.

func scenarioLabel(s evidence.Scenario) string {
	switch s {
	case evidence.WrongAmount:
		return lang.L("Charged the wrong amount")
	case evidence.DuplicateCharge:
		return lang.L("Charged twice")
	case evidence.AccidentalSettlement:
		return lang.L("Debited by mistake")
	case evidence.WrongPayeeInfo:
		return lang.L("Wrong merchant or payee details")
	case evidence.MissingReceipt:
		return lang.L("No receipt printed")
	case evidence.SettlementShortfall:
		return lang.L("Settlement missing or short")
	}
	return lang.L("Something else")
}

func scenarioDescription(s evidence.Scenario) string {
	switch s {
	case evidence.WrongAmount:
		return lang.L("The terminal charged more (or less) than the price you agreed, for example an extra zero.")
	case evidence.DuplicateCharge:
		return lang.L("One purchase was debited twice from your card or account.")
	case evidence.AccidentalSettlement:
		return lang.L("Money was taken although the terminal showed a failure, or a payment was settled by mistake.")
	case evidence.WrongPayeeInfo:
		return lang.L("The slip shows another merchant, amount or receipt number than the shop where you paid.")
	case evidence.MissingReceipt:
		return lang.L("No slip was printed, so you have no paper proof of what was charged.")
	case evidence.SettlementShortfall:
		return lang.L("As a merchant, your card takings were not paid into your account, were late, or were short.")
	}
	return lang.L("A payment problem that fits none of the above.")
}

func statusLabel(s evidence.Status) string {
	switch s {
	case evidence.StatusDraft:
		return lang.L("Gathering evidence")
	case evidence.StatusOpen:
		return lang.L("Complaint sent")
	case evidence.StatusEscalated:
		return lang.L("Escalated")
	case evidence.StatusResolved:
		return lang.L("Resolved")
	case evidence.StatusClosed:
		return lang.L("Closed")
	}
	return string(s)
}

func roleLabel(r evidence.Role) string {
	switch r {
	case evidence.RoleConsumer:
		return lang.L("I paid (consumer)")
	case evidence.RoleMerchant:
		return lang.L("I own the shop (merchant)")
	case evidence.RoleHelper:
		return lang.L("I am helping someone")
	}
	return string(r)
}

func kindLabel(k evidence.ExhibitKind) string {
	switch k {
	case evidence.KindSlip:
		return lang.L("Card slip")
	case evidence.KindChat:
		return lang.L("Chat screenshot")
	case evidence.KindStatement:
		return lang.L("Statement")
	case evidence.KindSettlement:
		return lang.L("Settlement statement")
	case evidence.KindAgreement:
		return lang.L("Agreement or notice")
	case evidence.KindRecording:
		return lang.L("Call recording")
	case evidence.KindPhoto:
		return lang.L("Photo")
	case evidence.KindDocument:
		return lang.L("Document")
	}
	return string(k)
}

// partyKindLabel names what a party is in law; "" is "not chosen".
func partyKindLabel(k evidence.PartyKind) string {
	switch k {
	case "":
		return lang.L("Not chosen (guessed from the name)")
	case evidence.PartyBank:
		return lang.L("Bank")
	case evidence.PartyPaymentInstitution:
		return lang.L("Payment institution (non-bank)")
	case evidence.PartyMerchant:
		return lang.L("Merchant (legal form not known)")
	case evidence.PartySoleTrader:
		return lang.L("Individual business")
	case evidence.PartyCompany:
		return lang.L("Kind: company")
	case evidence.PartyIndividual:
		return lang.L("Individual")
	}
	return string(k)
}

// cardTypeLabel names a card's type (evidence.Transaction.CardType); a
// type a statement wrote otherwise is shown as written.
func cardTypeLabel(code string) string {
	switch code {
	case "":
		return lang.L("Other or not known")
	case "debit":
		return lang.L("Debit card")
	case "credit":
		return lang.L("Credit card")
	}
	return code
}

func directionLabel(d evidence.Direction) string {
	switch d {
	case evidence.Debit:
		return lang.L("Paid out")
	case evidence.Credit:
		return lang.L("Received")
	case evidence.Neutral:
		return lang.L("Neither")
	}
	return string(d)
}

func callDirectionLabel(d evidence.CallDirection) string {
	if d == evidence.CallIncoming {
		return lang.L("They called me")
	}
	return lang.L("I called them")
}

func eventKindLabel(k evidence.EventKind) string {
	switch k {
	case evidence.EventDiscovered:
		return lang.L("Problem noticed")
	case evidence.EventContacted:
		return lang.L("Contacted")
	case evidence.EventComplaint:
		return lang.L("Complaint lodged")
	case evidence.EventReply:
		return lang.L("Reply received")
	case evidence.EventDeadline:
		return lang.L("Deadline")
	case evidence.EventEscalated:
		return lang.L("Escalated")
	}
	return lang.X("event.other", "Other")
}

func recipientLabel(r templates.Recipient) string {
	switch r {
	case templates.ToMerchant:
		return lang.L("The merchant (shop)")
	case templates.ToBank:
		return lang.L("The bank")
	case templates.ToPaymentCompany:
		return lang.L("The payment company (acquirer)")
	case templates.ToConsumerAssociation:
		return lang.L("Consumer association")
	case templates.ToMarketRegulator:
		return lang.L("Market regulator (12315)")
	case templates.ToRegulator:
		return lang.L("Regulator (PBOC 12363 / NFRA 12378)")
	case templates.ToCourt:
		return lang.L("Court (civil complaint)")
	}
	return string(r)
}

func letterLangLabel(l templates.Lang) string {
	if l == templates.English {
		return "English"
	}
	return "中文"
}

// choice maps between a Select's labels and the codes behind them.
type choice[T comparable] struct {
	codes  []T
	labels []string
}

func newChoice[T comparable](codes []T, label func(T) string) choice[T] {
	c := choice[T]{codes: codes}
	for _, k := range codes {
		c.labels = append(c.labels, label(k))
	}
	return c
}

func (c choice[T]) label(code T) string {
	for i, k := range c.codes {
		if k == code {
			return c.labels[i]
		}
	}
	return ""
}

func (c choice[T]) code(label string) (T, bool) {
	for i, l := range c.labels {
		if l == label {
			return c.codes[i], true
		}
	}
	var zero T
	return zero, false
}

// sourceLabel names where a transaction came from (evidence.Transaction.Source,
// a code) in the UI's language.
func sourceLabel(code string) string {
	switch code {
	case "", "manual":
		return lang.L("typed in")
	case "slip":
		return lang.L("slip")
	case "mapped":
		return lang.L("imported table")
	case "alipay":
		return lang.L("Alipay")
	case "wechat":
		return lang.L("WeChat Pay")
	case "jd":
		return lang.L("JD")
	case "meituan":
		return lang.L("Meituan")
	case "icbc", "ccb", "abc", "boc", "bocom", "cmb", "cgb", "citic":
		return lang.L("bank statement")
	}
	return lang.L("imported")
}

// channelLabel names a payment channel the importers write (Alipay, WeChat,
// bank, card …) in the UI's language; what the user typed stays as it is.
func channelLabel(ch string) string {
	switch c := strings.ToLower(ch); c {
	case "alipay", "wechat", "jd", "meituan":
		return sourceLabel(c)
	case "bank":
		return lang.L("bank")
	case "card":
		return lang.L("bank card")
	}
	return ch
}

// newSelect is widget.NewSelect with its empty prompt in the UI's language.
func newSelect(options []string, changed func(string)) *widget.Select {
	s := widget.NewSelect(options, changed)
	s.PlaceHolder = lang.L("(Select one)")
	return s
}
