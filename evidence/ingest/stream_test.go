package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/ingest"
)

// A statement is stored while it is parsed; a failure part way through the
// file (here Progress stopping it after rows were already handed to the
// store) still leaves nothing behind.
func TestImportStreamFailureStoresNothing(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	id := newCase(t, st, evidence.RoleConsumer)
	path := writeFile(t, "alipay_big.csv", gbkText(t, alipayHead+manyAlipayRows(10000)))
	stop := errors.New("stopped by the user")
	var seen []int
	_, err := ingest.ImportFile(ctx, st, id, path, ingest.ImportOptions{Progress: func(n int) error {
		seen = append(seen, n)
		if n >= 8000 {
			return stop
		}
		return nil
	}})
	require.ErrorIs(t, err, stop)
	require.NotEmpty(t, seen)
	d, err := st.Dossier(ctx, id)
	require.NoError(t, err)
	assert.Empty(t, d.Transactions)
	assert.Empty(t, d.Exhibits)

	// The same file then imports whole, with progress along the way.
	seen = nil
	rep, err := ingest.ImportFile(ctx, st, id, path, ingest.ImportOptions{Progress: func(n int) error { seen = append(seen, n); return nil }})
	require.NoError(t, err)
	assert.Equal(t, 10000, rep.Rows)
	assert.Equal(t, 10000, rep.Imported)
	require.NotEmpty(t, seen)
	assert.Equal(t, 10000, seen[len(seen)-1])
	for i := 1; i < len(seen); i++ {
		assert.Greater(t, seen[i], seen[i-1])
	}
	d, err = st.Dossier(ctx, id)
	require.NoError(t, err)
	assert.Len(t, d.Transactions, 10000)
	assert.Len(t, d.Exhibits, 1)
}

func manyAlipayRows(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "2024-01-%02d 12:%02d:%02d,餐饮美食,某某餐厅,x@y.com,午餐,支出,%d.%02d,余额,交易成功,2024%08d\t,,,\n",
			1+i%28, i/60%60, i%60, 1+i%500, i%100, i)
	}
	return b.String()
}
