package evidence

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func checklistTime(s string) time.Time {
	t, err := ParseLocalTime(s, nil)
	if err != nil {
		panic(err)
	}
	return t
}

func byKey(items []ChecklistItem) map[string]ChecklistItem {
	m := map[string]ChecklistItem{}
	for _, it := range items {
		m[it.Key] = it
	}
	return m
}

func TestChecklistPerScenario(t *testing.T) {
	debit := Transaction{Time: checklistTime("2026-11-18 20:41:07"), Amount: 128000, Direction: Debit, Merchant: "示例餐厅", RRN: "532218004517", Voucher: "003817", Disputed: true}
	dup := debit
	dup.Time, dup.RRN, dup.Voucher = debit.Time.Add(30*time.Second), "532218004533", "003818"
	slip := Exhibit{Seq: 1, Kind: KindSlip, Title: "签购单"}
	chat := Exhibit{Seq: 2, Kind: KindChat, Title: "聊天"}
	photo := Exhibit{Seq: 3, Kind: KindPhoto, Title: "照片"}
	statement := Exhibit{Seq: 4, Kind: KindStatement, Title: "账单"}
	settlement := Exhibit{Seq: 5, Kind: KindSettlement, Title: "结算单"}
	agreement := Exhibit{Seq: 6, Kind: KindAgreement, Title: "收单协议"}
	ticketCall := CallLog{Start: checklistTime("2026-11-19 10:05:00"), Organisation: "示例支付", Ticket: "GD1"}
	plainCall := CallLog{Start: checklistTime("2026-11-19 10:05:00"), Organisation: "示例餐厅"}
	reversalEvent := Event{Kind: EventOther, Time: checklistTime("2026-11-18 20:45:00"), Note: "店员尝试冲正未成功"}

	tests := []struct {
		name      string
		scenario  Scenario
		d         Dossier
		satisfied []string
		missing   []string // keys of unsatisfied items
		gaps      int      // required items and one-of groups still missing
	}{
		{"wrong-amount empty", WrongAmount, Dossier{}, nil, []string{"debit-record", "agreed-price", "merchant-contact", "slip", "statement"}, 3},
		{"wrong-amount complete", WrongAmount, Dossier{Transactions: []Transaction{debit}, Exhibits: []Exhibit{slip, photo}, Calls: []CallLog{plainCall}},
			[]string{"debit-record", "agreed-price", "merchant-contact", "slip"}, []string{"statement"}, 0},
		{"wrong-amount chat is price and contact", WrongAmount, Dossier{Transactions: []Transaction{debit}, Exhibits: []Exhibit{chat}},
			[]string{"debit-record", "agreed-price", "merchant-contact"}, []string{"slip"}, 0},
		{"duplicate-charge one debit", DuplicateCharge, Dossier{Transactions: []Transaction{debit}, Exhibits: []Exhibit{slip}},
			[]string{"single-purchase-slip"}, []string{"both-debits", "single-purchase-document"}, 1},
		{"duplicate-charge same RRN twice is not two debits", DuplicateCharge, Dossier{Transactions: []Transaction{debit, debit}},
			nil, []string{"both-debits"}, 2},
		{"duplicate-charge complete", DuplicateCharge, Dossier{Transactions: []Transaction{debit, dup}, Exhibits: []Exhibit{photo}},
			[]string{"both-debits", "single-purchase-document"}, []string{"single-purchase-slip", "merchant-admission"}, 0},
		{"accidental-settlement no ticket", AccidentalSettlement, Dossier{Transactions: []Transaction{debit}, Calls: []CallLog{plainCall}},
			[]string{"debit-record"}, []string{"failed-slip", "terminal-photo", "acquirer-ticket", "reversal"}, 2},
		{"accidental-settlement complete", AccidentalSettlement, Dossier{Transactions: []Transaction{debit}, Exhibits: []Exhibit{photo}, Calls: []CallLog{ticketCall}, Events: []Event{reversalEvent}},
			[]string{"debit-record", "terminal-photo", "acquirer-ticket", "reversal"}, []string{"failed-slip"}, 0},
		{"wrong-payee-info slip only", WrongPayeeInfo, Dossier{Exhibits: []Exhibit{slip}},
			[]string{"slip"}, []string{"premises-photo", "merchant-ids"}, 1},
		{"missing-receipt complete", MissingReceipt, Dossier{Transactions: []Transaction{debit}, Events: []Event{{Kind: EventContacted, Time: debit.Time, Party: "商户"}}},
			[]string{"debit-record", "voucher-request"}, []string{"photos"}, 0},
		{"settlement-shortfall", SettlementShortfall, Dossier{Exhibits: []Exhibit{statement, settlement}},
			[]string{"acquirer-export", "settlement-statement"}, []string{"agreement", "fee-notices"}, 1},
		{"settlement-shortfall complete", SettlementShortfall, Dossier{Exhibits: []Exhibit{statement, settlement, agreement}, Calls: []CallLog{ticketCall}},
			[]string{"acquirer-export", "settlement-statement", "agreement", "acquirer-ticket"}, []string{"fee-notices"}, 0},
		{"other", ScenarioOther, Dossier{}, nil, []string{"transaction"}, 1},
		{"unknown scenario is checked as other", Scenario("nonsense"), Dossier{Transactions: []Transaction{debit}}, []string{"transaction"}, nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.d.Case.Scenario = tc.scenario
			items := Checklist(tc.d)
			require.NotEmpty(t, items)
			m := byKey(items)
			for _, k := range tc.satisfied {
				require.Contains(t, m, k)
				assert.True(t, m[k].Satisfied, k)
				assert.NotEmpty(t, m[k].By, k)
			}
			for _, k := range tc.missing {
				require.Contains(t, m, k)
				assert.False(t, m[k].Satisfied, k)
				assert.Empty(t, m[k].By, k)
			}
			assert.Len(t, MissingEvidence(items), tc.gaps)
		})
	}
}

func TestChecklistLabelsAndLevels(t *testing.T) {
	for _, s := range Scenarios {
		items := Checklist(Dossier{Case: Case{Scenario: s}})
		require.NotEmpty(t, items, s)
		hasRequired := false
		keys := map[string]bool{}
		groups := map[string]int{}
		for _, it := range items {
			assert.NotEmpty(t, it.LabelZh, "%s %s", s, it.Key)
			assert.NotEmpty(t, it.LabelEn, "%s %s", s, it.Key)
			assert.False(t, keys[it.Key], "%s: duplicate key %s", s, it.Key)
			keys[it.Key] = true
			switch it.Level {
			case Required:
				hasRequired = true
			case OneOf:
				require.NotEmpty(t, it.Group, "%s %s", s, it.Key)
				groups[it.Group]++
			case Optional:
			default:
				t.Errorf("%s %s: level %q", s, it.Key, it.Level)
			}
		}
		assert.True(t, hasRequired, "%s has a required item", s)
		for g, n := range groups {
			assert.GreaterOrEqual(t, n, 2, "%s: one-of group %s needs alternatives", s, g)
		}
	}
}

func TestMissingEvidenceGroupsOneOf(t *testing.T) {
	items := Checklist(Dossier{Case: Case{Scenario: DuplicateCharge}})
	gaps := MissingEvidence(items)
	require.Len(t, gaps, 2)
	assert.Equal(t, Required, gaps[0].Level)
	assert.Equal(t, "both-debits", gaps[0].Items[0].Key)
	assert.Equal(t, OneOf, gaps[1].Level)
	require.Len(t, gaps[1].Items, 2)
	assert.Equal(t, "single-purchase", gaps[1].Items[0].Group)
}

func TestChecklistByNamesTheEvidence(t *testing.T) {
	d := Dossier{Case: Case{Scenario: WrongAmount},
		Transactions: []Transaction{{Time: checklistTime("2026-11-18 20:41:07"), Amount: 128000, Direction: Debit, RRN: "532218004517", Disputed: true}},
		Exhibits:     []Exhibit{{Seq: 1, Kind: KindSlip, Title: "签购单照片"}}}
	m := byKey(Checklist(d))
	assert.Equal(t, []string{"#1 签购单照片", "2026-11-18 20:41:07 ¥1,280.00 RRN 532218004517"}, m["debit-record"].By)
}
