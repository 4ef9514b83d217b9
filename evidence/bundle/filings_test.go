package bundle

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

// A case's filings travel in case.json, in the layout json.MarshalIndent
// gives (after the events, left out when there are none), and come back.
func TestCaseJSONCarriesFilings(t *testing.T) {
	v := MemVault{}
	d := sampleCase(t, v)
	sent := time.Date(2026, 3, 2, 9, 0, 0, 0, evidence.Shanghai)
	d.Filings = []evidence.Filing{{ID: 3, CaseID: 7, Recipient: "bank", Party: "招商银行", Channel: evidence.FilingHotline, Sent: sent,
		Ticket: "GD2026030200001", Due: sent.AddDate(0, 0, 15), DueBasis: "nfra-18", Status: evidence.FilingRefused,
		Replies: []evidence.FilingReply{{ID: 1, FilingID: 3, Time: sent.AddDate(0, 0, 5), Content: "交易正常", Status: evidence.FilingRefused, ExhibitIDs: []int64{4}}}}}
	want, err := json.MarshalIndent(d, "", "  ")
	require.NoError(t, err)
	want = append(want, '\n')
	var got bytes.Buffer
	require.NoError(t, writeCaseJSON(&got, d, func(fn func([]evidence.Transaction) error) error { return fn(d.Transactions) }))
	require.Equal(t, string(want), got.String())

	back, err := DecodeCase(got.Bytes())
	require.NoError(t, err)
	require.Len(t, back.Filings, 1)
	assert.Equal(t, "GD2026030200001", back.Filings[0].Ticket)
	assert.Equal(t, []int64{4}, back.Filings[0].Replies[0].ExhibitIDs)
	assert.True(t, back.Filings[0].Due.Equal(d.Filings[0].Due))

	// A bundle written with filings verifies and reads back with them.
	data := writeBundle(t, d, v, Options{})
	rep, err := Verify(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	require.True(t, rep.OK(), "%+v", rep)
	r, err := Open(bytes.NewReader(data), int64(len(data)), Limits{})
	require.NoError(t, err)
	assert.Len(t, r.Dossier.Filings, 1)
}
