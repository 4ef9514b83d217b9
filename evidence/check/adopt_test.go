package check_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/check"
	"github.com/disputekit/disputekit/evidence/store"
)

var _ check.Store = (*store.Store)(nil)

func TestAdoptFindingAndTerms(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(t.TempDir())
	require.NoError(t, err)
	defer st.Close()
	c := evidence.Case{Title: "重复扣款"}
	_, err = st.CreateCase(ctx, &c)
	require.NoError(t, err)
	at := func(s string) time.Time { tm, _ := evidence.ParseLocalTime(s, nil); return tm }
	ts := []evidence.Transaction{
		{Time: at("2024-03-01 10:15:00"), Amount: 12800, Merchant: "某某餐厅", OrderNo: "A1", Source: "alipay", DedupeKey: "a1"},
		{Time: at("2024-03-01 10:16:00"), Amount: 12800, Merchant: "某某餐厅", OrderNo: "A2", Source: "alipay", DedupeKey: "a2"},
	}
	ex, _, _, err := st.ImportStatement(ctx, c.ID, bytes.NewReader([]byte("statement")), evidence.Exhibit{OriginalName: "a.csv", Purpose: "交易记录 / transaction records"}, ts)
	require.NoError(t, err)

	d, err := st.Dossier(ctx, c.ID)
	require.NoError(t, err)
	fs := check.Run(d, check.Options{Now: at("2024-03-02 00:00:00")})
	require.Len(t, fs, 1)
	require.Equal(t, []int64{ex.ID}, fs[0].Exhibits)
	for i := 0; i < 2; i++ { // adopting twice changes nothing more
		_, err = check.Adopt(ctx, st, c.ID, fs, "zh")
		require.NoError(t, err)
	}
	d, err = st.Dossier(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, d.Case.Claims, 1)
	assert.Equal(t, evidence.Money(12800), d.Case.Claims[0].Amount)
	assert.Contains(t, d.Case.Claims[0].Text, "退还")
	for _, tx := range d.Transactions {
		assert.True(t, tx.Disputed)
	}
	require.Len(t, d.Exhibits, 1)
	assert.Equal(t, fs[0].Purpose("zh"), d.Exhibits[0].Purpose, "the statement now says what it proves")

	terms, err := check.LoadTerms(ctx, st, c.ID)
	require.NoError(t, err)
	assert.Zero(t, terms.Rate)
	want := check.Terms{Rate: 3800, Cap: 2000, Cycle: "D+1", Holidays: []time.Time{at("2024-10-01 00:00:00")}}
	require.NoError(t, check.SaveTerms(ctx, st, c.ID, want))
	got, err := check.LoadTerms(ctx, st, c.ID)
	require.NoError(t, err)
	assert.Equal(t, want.Rate, got.Rate)
	assert.Equal(t, want.Cap, got.Cap)
	assert.Equal(t, want.Cycle, got.Cycle)
	require.Len(t, got.Holidays, 1)
	assert.True(t, want.Holidays[0].Equal(got.Holidays[0]))
	require.ErrorIs(t, check.SaveTerms(ctx, st, c.ID, check.Terms{Cycle: "T+9"}), evidence.ErrInvalid)
}
