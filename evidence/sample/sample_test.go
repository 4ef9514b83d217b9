package sample

import (
	"bytes"
	"context"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/store"
	"github.com/disputekit/disputekit/templates"
)

func TestDossierIsValidAndComplete(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, evidence.Shanghai)
	d, blobs := Dossier(now)
	_, err := d.Case.Normalize()
	require.NoError(t, err)
	assert.Equal(t, evidence.WrongAmount, d.Case.Scenario)
	assert.GreaterOrEqual(t, len(d.Transactions), 3)
	assert.LessOrEqual(t, len(d.Transactions), 5)
	assert.GreaterOrEqual(t, len(d.Calls), 2)
	assert.GreaterOrEqual(t, len(d.Events), 4)
	assert.Equal(t, evidence.Money(115200), d.DisputedAmount())
	assert.Greater(t, len([]rune(d.Case.Facts)), 300, "facts long enough to wrap")

	disputed := 0
	for _, tx := range d.Transactions {
		ws, err := tx.Normalize()
		require.NoError(t, err)
		assert.Empty(t, ws, "transaction %s", tx.RRN)
		assert.Len(t, tx.CardLast4, 4)
		if tx.Disputed {
			disputed++
			assert.Equal(t, evidence.Money(128000), tx.Amount)
		}
	}
	assert.Equal(t, 1, disputed)

	require.Len(t, blobs, len(d.Exhibits))
	for _, e := range d.Exhibits {
		b, ok := blobs[e.SHA256]
		require.True(t, ok, e.Title)
		assert.Equal(t, int64(len(b)), e.Size)
		cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
		require.NoError(t, err, e.OriginalName)
		assert.Contains(t, e.MediaType, format)
		assert.GreaterOrEqual(t, cfg.Width, 700, e.OriginalName)
		assert.Equal(t, now, e.Imported)
	}

	for _, it := range evidence.Checklist(d) {
		if it.Level == evidence.Required {
			assert.True(t, it.Satisfied, "sample satisfies %s", it.Key)
		}
	}
}

func TestInstallRoundTrips(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(t.TempDir())
	require.NoError(t, err)
	defer st.Close()

	id, err := Install(ctx, st)
	require.NoError(t, err)
	require.Positive(t, id)
	again, err := Install(ctx, st)
	require.NoError(t, err)
	assert.Equal(t, id, again, "installing twice keeps one sample case")
	cases, err := st.ListCases(ctx)
	require.NoError(t, err)
	assert.Len(t, cases, 1)

	want, blobs := Dossier(time.Now())
	got, err := st.Dossier(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, want.Case.Title, got.Case.Title)
	assert.Equal(t, want.Case.Facts, got.Case.Facts)
	assert.Equal(t, want.Case.Complainant, got.Case.Complainant)
	assert.Equal(t, want.Case.Respondent, got.Case.Respondent)
	assert.Equal(t, want.Case.Claims, got.Case.Claims)
	require.Len(t, got.Transactions, len(want.Transactions))
	for i, tx := range got.Transactions {
		assert.Equal(t, want.Transactions[i].RRN, tx.RRN)
		assert.Equal(t, want.Transactions[i].Amount, tx.Amount)
		assert.True(t, want.Transactions[i].Time.Equal(tx.Time))
		assert.Equal(t, want.Transactions[i].Disputed, tx.Disputed)
	}
	require.Len(t, got.Exhibits, len(want.Exhibits))
	for i, e := range got.Exhibits {
		assert.Equal(t, want.Exhibits[i].SHA256, e.SHA256)
		assert.Equal(t, want.Exhibits[i].Title, e.Title)
		r, err := st.OpenBlob(e.SHA256)
		require.NoError(t, err)
		b, err := io.ReadAll(r)
		require.NoError(t, r.Close())
		require.NoError(t, err)
		assert.Equal(t, blobs[e.SHA256], b)
	}
	assert.Equal(t, got.Exhibits[0].ID, got.Transactions[1].SourceExhibitID, "the disputed charge points at the slip photo")
	assert.Len(t, got.Calls, len(want.Calls))
	assert.Len(t, got.Events, len(want.Events))

	// After a user deletes the sample, Install brings it back.
	require.NoError(t, st.DeleteCase(ctx, id))
	id2, err := Install(ctx, st)
	require.NoError(t, err)
	_, err = st.GetCase(ctx, id2)
	require.NoError(t, err)
	cases, err = st.ListCases(ctx)
	require.NoError(t, err)
	assert.Len(t, cases, 1)
}

func TestSampleLettersHaveNoMissingEvidence(t *testing.T) {
	d, _ := Dossier(time.Now())
	for _, to := range templates.Recipients {
		for _, lang := range []templates.Lang{templates.Chinese, templates.English} {
			l, err := templates.Compose(d, to, lang, time.Now())
			require.NoError(t, err)
			for _, w := range l.Warnings {
				assert.NotContains(t, w, "缺少必要证据", "%s/%s", to, lang)
				assert.False(t, strings.HasPrefix(w, "Required evidence missing"), "%s/%s: %s", to, lang, w)
			}
			var text strings.Builder
			for _, b := range l.Blocks {
				text.WriteString(b.Text + "\n")
			}
			assert.Contains(t, text.String(), "532218004517")
			if to == templates.ToRegulator {
				assert.Contains(t, text.String(), "GD20261111000374")
			}
		}
	}
}
