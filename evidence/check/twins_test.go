package check

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

// A WeChat red packet marked 已全额退款: its refund row has the counterparty
// "/" and the payment's 交易单号. It is linked by the order number, so no
// refund is missing — and a transfer from the same person months later is
// never taken for the refund.
func TestRefundLinkedByOrderNumber(t *testing.T) {
	packet := evidence.Transaction{Time: at("2024-02-10 20:00:00"), Amount: yuan("15.00"), Merchant: "张三", Type: "微信红包",
		Status: "已全额退款", Source: "wechat", OrderNo: "1000039901202402100000000001"}
	refund := evidence.Transaction{Time: at("2024-02-11 20:00:05"), Amount: yuan("15.00"), Merchant: "/", Type: "微信红包-退款",
		Status: "已全额退款", Source: "wechat", OrderNo: "1000039901202402100000000001", Direction: evidence.Credit}
	transfer := evidence.Transaction{Time: at("2024-06-01 09:00:00"), Amount: yuan("15.00"), Merchant: "张三", Type: "转账",
		Status: "已收钱", Source: "wechat", OrderNo: "1000050001202406010000000009", Direction: evidence.Credit}

	d := dossier(evidence.RoleConsumer, packet, refund, transfer)
	assert.Empty(t, only(t, Run(d, Options{Now: now}), MissingRefund), "the refund row is linked: nothing is missing")

	d = dossier(evidence.RoleConsumer, packet, transfer)
	fs := only(t, Run(d, Options{Now: now}), MissingRefund)
	require.Len(t, fs, 1, "without its refund row the refund is missing, whatever else 张三 sent later")
	assert.Equal(t, yuan("15.00"), fs[0].Amount)
	assert.Equal(t, []int64{1}, fs[0].Transactions)

	// A refund row from the same shop that says it is a refund, without an
	// order number, still counts.
	shop := evidence.Transaction{Time: at("2024-03-01 10:00:00"), Amount: yuan("88.00"), Merchant: "某某餐厅", Status: "已退款", Source: "icbc"}
	back := evidence.Transaction{Time: at("2024-03-04 10:00:00"), Amount: yuan("88.00"), Merchant: "某某餐厅", Type: "退货", Source: "icbc", Direction: evidence.Credit}
	assert.Empty(t, only(t, Run(dossier(evidence.RoleConsumer, shop, back), Options{Now: now}), MissingRefund))
}

// A payment typed by hand and the same payment imported later are offered
// for merging; a payment of another amount, or hours apart, is not.
func TestTypedTwins(t *testing.T) {
	typed := evidence.Transaction{Time: at("2024-03-01 10:03:00"), Amount: yuan("128.00"), Merchant: "某某超市", Source: "manual"}
	imported := evidence.Transaction{Time: at("2024-03-01 10:00:12"), Amount: yuan("128.00"), Merchant: "某某超市有限公司", Source: "icbc"}
	later := evidence.Transaction{Time: at("2024-03-01 15:00:00"), Amount: yuan("128.00"), Merchant: "某某超市", Source: "icbc"}
	other := evidence.Transaction{Time: at("2024-03-01 10:01:00"), Amount: yuan("12.80"), Merchant: "某某超市", Source: "icbc"}
	d := dossier(evidence.RoleConsumer, typed, imported, later, other)
	d.Case.ID = 7
	fs := only(t, Run(d, Options{Now: now}), TypedTwin)
	require.Len(t, fs, 1)
	assert.Equal(t, []int64{1, 2}, fs[0].Transactions)
	assert.Contains(t, fs[0].Summary.EN, "dk txn merge 7 2 1")
	assert.Equal(t, Info, fs[0].Severity)
}

// A refund in another currency does not pay back an RMB charge.
func TestRefundInOtherCurrencyDoesNotCount(t *testing.T) {
	charge := evidence.Transaction{Time: at("2024-03-01 10:00:00"), Amount: yuan("100.00"), Merchant: "某某酒店", Status: "已退款", Source: "icbc", Currency: "CNY"}
	yen := evidence.Transaction{Time: at("2024-03-02 10:00:00"), Amount: yuan("100.00"), Merchant: "某某酒店", Type: "退货", Source: "icbc", Currency: "JPY", Direction: evidence.Credit}
	fs := only(t, Run(dossier(evidence.RoleConsumer, charge, yen), Options{Now: now}), MissingRefund)
	require.Len(t, fs, 1)
	assert.Equal(t, yuan("100.00"), fs[0].Amount)
}
