package escalation

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/workday"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, evidence.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func ymd(t time.Time) string { return t.In(evidence.Shanghai).Format("2006-01-02") }

func TestDueDatesFollowEachRecipientsRule(t *testing.T) {
	cal := workday.Default()
	cases := []struct {
		name, recipient, sent, received, want, basis string
	}{
		// 12315: 7 working days (暂行办法 第十四条). Lodged Wed 30 Sep 2026:
		// 10-01..07 off, Sat 10-10 worked → 10-08, 09, 10, 12, 13, 14, 15.
		{"12315 over National Day", "market-regulator", "2026-09-30 20:00", "", "2026-10-15", "samr-14"},
		// 12378 lodged Friday 27 Nov 2026: Mon 30 … Tue 8 Dec (7 working days).
		{"12378 over a weekend", "nfra", "2026-11-27 09:00", "", "2026-12-08", "nfra-33"},
		// 12363 lodged Fri 13 Feb 2026, before Spring Festival (15–23 off; 14 and 28 worked).
		{"12363 over Spring Festival", "pboc", "2026-02-13 10:00", "", "2026-03-02", "pbocm-43"},
		// A bank: 15 calendar days, holidays not skipped (第十八条: 日 = 自然日).
		{"bank, calendar days", "bank", "2026-09-30 10:00", "", "2026-10-15", "nfra-18"},
		// A letter counts from its receipt where known.
		{"letter received later", "bank", "2026-11-20 10:00", "2026-11-23 15:00", "2026-12-08", "nfra-18"},
		// The merchant: the 7 days our letter asks for, no legal basis.
		{"merchant", "merchant", "2026-11-25 10:00", "", "2026-12-02", KindRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := evidence.Filing{Recipient: tc.recipient, Sent: at(tc.sent)}
			if tc.received != "" {
				f.Received = at(tc.received)
			}
			estimate := FillDue(&f, cal)
			assert.False(t, estimate)
			assert.Equal(t, tc.want, ymd(f.Due))
			assert.Equal(t, tc.basis, f.DueBasis)
		})
	}

	t.Run("court: no date", func(t *testing.T) {
		f := evidence.Filing{Recipient: "court", Sent: at("2026-11-25 10:00")}
		FillDue(&f, cal)
		assert.True(t, f.Due.IsZero())
	})
	t.Run("a date the user typed stays", func(t *testing.T) {
		f := evidence.Filing{Recipient: "bank", Sent: at("2026-11-25 10:00"), Due: at("2026-11-30 23:59"), DueBasis: "user"}
		FillDue(&f, cal)
		assert.Equal(t, "2026-11-30", ymd(f.Due))
	})
	t.Run("a year without holiday data is an estimate", func(t *testing.T) {
		f := evidence.Filing{Recipient: "market-regulator", Sent: at("2027-01-28 10:00")}
		assert.True(t, FillDue(&f, cal))
	})
}

func TestAcceptanceStartsTheNextPeriod(t *testing.T) {
	cal := workday.Default()
	f := evidence.Filing{Recipient: "market-regulator", Sent: at("2026-11-02 10:00"), Status: evidence.FilingSent}
	FillDue(&f, cal)
	// Accepted on Tue 1 Sep 2026: mediation ends without agreement 45
	// working days later (第二十一条第（五）项), counted over the Mid-Autumn
	// and National Day holidays and the make-up days; checked against a
	// day-by-day count of the calendar.
	ApplyReply(&f, evidence.FilingReply{Time: at("2026-09-01 10:00"), Status: evidence.FilingAccepted}, cal)
	n, d := 0, at("2026-09-01 10:00")
	for n < 45 {
		d = d.AddDate(0, 0, 1)
		if cal.Working(d) {
			n++
		}
	}
	assert.Equal(t, ymd(d), ymd(f.Due))
	// By hand: Sep 2–30 gives 21 (Sun 20 worked, Fri 25 off), Oct 8, 9, Sat 10
	// and 12–30 give 18 (39), Nov 2–6 five more (44), Mon 9 Nov the 45th.
	assert.Equal(t, "2026-11-09", ymd(f.Due))
	assert.Equal(t, "samr-21", f.DueBasis)
	assert.Equal(t, evidence.FilingAccepted, f.Status)

	// A refusal keeps the old date on record and ends the wait.
	g := evidence.Filing{Recipient: "bank", Sent: at("2026-11-02 10:00"), Status: evidence.FilingSent}
	FillDue(&g, cal)
	ApplyReply(&g, evidence.FilingReply{Time: at("2026-11-10 10:00"), Status: evidence.FilingRefused}, cal)
	assert.False(t, Open(g))
	assert.Equal(t, "2026-11-17", ymd(g.Due))
}

func consumerCase() evidence.Dossier {
	return evidence.Dossier{Case: evidence.Case{ID: 1, Role: evidence.RoleConsumer, Scenario: evidence.WrongAmount}}
}

func TestLapsedFilingOpensTheNextRung(t *testing.T) {
	cal := workday.Default()
	d := consumerCase()
	d.Filings = []evidence.Filing{
		{ID: 1, Recipient: "merchant", Sent: at("2026-11-01 10:00"), Status: evidence.FilingRefused},
		{ID: 2, Recipient: "bank", Party: "招商银行", Sent: at("2026-11-18 10:00"), Status: evidence.FilingSent, Ticket: "GD2026111800123"},
	}
	FillDue(&d.Filings[1], cal) // 15 days: 3 December
	require.Equal(t, "2026-12-03", ymd(d.Filings[1].Due))

	// On 1 December the bank is still within its period: the next rung waits.
	now := at("2026-12-01 09:00")
	ls := Lines(d, now)
	require.Len(t, ls, 2)
	assert.Equal(t, int64(2), ls[0].FilingID, "the dated line first")
	assert.Equal(t, evidence.FilingSent, ls[0].Status)
	assert.Empty(t, ls[0].Next)
	assert.Equal(t, "招商银行（GD2026111800123） 应于12月3日前答复：还有 2 天", ls[0].Text.ZH)
	assert.Equal(t, "", NextRung(d, now), "no rung while the bank is within its period")

	// On the due day itself it is not lapsed yet.
	assert.Equal(t, evidence.FilingSent, StatusAt(d.Filings[1], at("2026-12-03 22:00")))
	assert.Contains(t, Lines(d, at("2026-12-03 22:00"))[0].Text.ZH, "今天到期")

	// On 5 December it has lapsed: 12378 (and court) open.
	now = at("2026-12-05 09:00")
	ls = Lines(d, now)
	bank := ls[0]
	assert.Equal(t, evidence.FilingLapsed, bank.Status)
	assert.True(t, bank.Overdue())
	assert.Equal(t, -2, bank.Days)
	assert.Equal(t, []string{"nfra", "court"}, bank.Next)
	assert.Equal(t, "招商银行（GD2026111800123） 应于12月3日前答复：已逾期 2 天 → 可向 12378（国家金融监督管理总局）投诉；可向人民法院起诉", bank.Text.ZH)
	assert.Equal(t, "招商银行 (GD2026111800123) was due to reply by 3 December: 2 days overdue → you may complain to 12378 (the NFRA); you may sue in court", bank.Text.EN)
	assert.Equal(t, "payment-company", NextRung(d, now), "the next untaken rung of a consumer's ladder")

	// The merchant refused: the consumer bodies and the bank remain open from there.
	merchant := ls[1]
	assert.Equal(t, evidence.FilingRefused, merchant.Status)
	assert.Equal(t, []string{"payment-company", "consumer-association", "market-regulator"}, merchant.Next, "the bank is taken already")

	due, what := NextDue(d, now)
	assert.Equal(t, "2026-12-03", ymd(due))
	assert.Equal(t, "招商银行 答复", what.ZH)

	// Once 12378 is lodged, the bank's line offers only the court.
	d.Filings = append(d.Filings, evidence.Filing{ID: 3, Recipient: "nfra", Sent: at("2026-12-05 10:00"), Status: evidence.FilingSent})
	FillDue(&d.Filings[2], cal)
	ls = Lines(d, now)
	for _, l := range ls {
		if l.FilingID == 2 {
			assert.Equal(t, []string{"court"}, l.Next)
		}
	}
}

func TestNextRungDoesNotGoBackDownTheLadder(t *testing.T) {
	d := consumerCase()
	// The sample's path: the merchant was called (no filing), then the bank got a complaint that lapsed.
	d.Filings = []evidence.Filing{{ID: 1, Recipient: "bank", Sent: at("2026-11-11 14:05"), Status: evidence.FilingSent}}
	FillDue(&d.Filings[0], workday.Default())
	assert.Equal(t, "payment-company", NextRung(d, at("2026-11-28 10:00")), "not back to the merchant once the bank was approached")

	d.Filings = append(d.Filings, evidence.Filing{ID: 2, Recipient: "court", Sent: at("2026-11-28 10:00"), Status: evidence.FilingRefused})
	assert.Equal(t, "", NextRung(d, at("2026-12-28 10:00")), "nothing above the court")
}

func TestMerchantLadderLeavesOutConsumerChannels(t *testing.T) {
	d := evidence.Dossier{Case: evidence.Case{Role: evidence.RoleMerchant, Scenario: evidence.SettlementShortfall}}
	assert.Equal(t, "payment-company", NextRung(d, at("2026-12-01 10:00")))
	d.Filings = []evidence.Filing{{ID: 1, Recipient: "payment-company", Sent: at("2026-11-01 10:00"), Status: evidence.FilingSent}}
	FillDue(&d.Filings[0], workday.Default())
	ls := Lines(d, at("2026-12-01 10:00"))
	require.Len(t, ls, 1)
	assert.Equal(t, evidence.FilingLapsed, ls[0].Status)
	assert.Equal(t, []string{"pboc", "court"}, ls[0].Next)
	for _, r := range Recipients() {
		for _, n := range r.Next["merchant"] {
			assert.NotContains(t, []string{"consumer-association", "market-regulator"}, n, "%s leads a merchant to a consumer channel", r.ID)
		}
	}
}

func TestResolvedFilingsDropOut(t *testing.T) {
	d := consumerCase()
	d.Filings = []evidence.Filing{{ID: 1, Recipient: "merchant", Sent: at("2026-11-01 10:00"), Status: evidence.FilingResolved}}
	assert.Empty(t, Lines(d, at("2026-12-01 10:00")))
}
