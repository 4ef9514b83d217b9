package app

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/templates"
)

// A complaint recorded in the Complaints section gets its reply due date
// from the core; once overdue, the overview says so and names the next
// rung; a reply recorded with its status ends the wait.
func TestFilingsSection(t *testing.T) {
	tu := newTestUI(t)
	c := tu.createCase(t)
	v := tu.view
	test.Tap(buttonIn(t, v.filings.content, "Add a complaint"))
	f := v.filings.form
	require.NotNil(t, f)
	f.recipient.SetSelected(filingRecipientLabel("bank"))
	test.Type(f.party, "招商银行")
	f.channel.SetSelected(filingChannelLabel(evidence.FilingHotline))
	f.sent.SetText("2026-11-01 10:00")
	test.Type(f.ticket, "GD1")
	test.Tap(buttonIn(t, tu.topOverlay(t), "Save"))
	tu.wait()

	fs, err := tu.st.ListFilings(context.Background(), c.ID)
	require.NoError(t, err)
	require.Len(t, fs, 1)
	assert.Equal(t, "2026-11-16", formatDay(fs[0].Due), "15 days (the bank's rule), counted by the core")
	assert.Equal(t, "nfra-18", fs[0].DueBasis)
	assert.Equal(t, 1, v.filings.list.Length())
	assert.Equal(t, "Complaint saved.", tu.status.Text)

	// The case list says what the next date is for, in red once passed.
	tu.list.refreshAsync()
	tu.wait()
	require.Len(t, tu.list.shown, 1)
	cell := widget.NewLabel("")
	assert.Equal(t, "2026-11-16 招商银行: reply", tu.list.cell(tu.list.shown[0], 5, cell))
	assert.Equal(t, widget.DangerImportance, cell.Importance)

	line := v.overview.steps.Objects[0].(*fyne.Container).Objects[0].(*widget.Label)
	assert.Equal(t, "招商银行 (GD1) was due to reply by 16 November: 8 days overdue → you may complain to 12378 (the NFRA); you may sue in court", line.Text)
	assert.Equal(t, widget.DangerImportance, line.Importance)

	// Record the bank's refusal.
	v.filings.list.Select(0)
	test.Tap(buttonIn(t, v.filings.content, "Record a reply"))
	r := v.filings.reply
	require.NotNil(t, r)
	r.when.SetText("2026-11-20 15:00")
	r.status.SetSelected(filingStatusLabel(evidence.FilingRefused))
	test.Type(r.content, "交易正常")
	test.Tap(buttonIn(t, tu.topOverlay(t), "Save"))
	tu.wait()
	fs, err = tu.st.ListFilings(context.Background(), c.ID)
	require.NoError(t, err)
	assert.Equal(t, evidence.FilingRefused, fs[0].Status)
	require.Len(t, fs[0].Replies, 1)
	assert.Equal(t, "交易正常", fs[0].Replies[0].Content)
	assert.Equal(t, "Reply recorded.", tu.status.Text)
	line = v.overview.steps.Objects[0].(*fyne.Container).Objects[0].(*widget.Label)
	assert.Equal(t, "招商银行 (GD1) refused or did not accept it → you may complain to 12378 (the NFRA); you may sue in court", line.Text)

	// Changing the status to resolved takes the line away.
	v.filings.list.Select(0)
	test.Tap(buttonIn(t, v.filings.content, "Edit"))
	v.filings.form.status.SetSelected(filingStatusLabel(evidence.FilingResolved))
	test.Tap(buttonIn(t, tu.topOverlay(t), "Save"))
	tu.wait()
	fs, err = tu.st.ListFilings(context.Background(), c.ID)
	require.NoError(t, err)
	assert.Equal(t, evidence.FilingResolved, fs[0].Status)
	assert.Equal(t, "2026-11-16", formatDay(fs[0].Due), "the due date stays on record")
}

// The Letters section offers the civil complaint as one more recipient.
func TestLettersOfferTheCourt(t *testing.T) {
	tu := newTestUI(t)
	tu.createCase(t)
	s := tu.view.letters
	s.recipient.SetSelected(recipientLabel(templates.ToCourt))
	s.language.SetSelected(letterLangLabel(templates.Chinese))
	tu.wait()
	require.True(t, s.composed)
	assert.Equal(t, "民事起诉状", s.letter.Title)
	assert.Equal(t, "证据目录", s.letter.EvidenceTitle)
}

// A letter shown in the Letters section is recorded as sent in one step:
// the Complaints form opens filled from it.
func TestRecordLetterAsSent(t *testing.T) {
	tu := newTestUI(t)
	c := tu.createCase(t)
	s := tu.view.letters
	s.recipient.SetSelected(recipientLabel(templates.ToMerchant))
	tu.wait()
	require.True(t, s.composed)
	test.Tap(buttonIn(t, s.content, "Record as sent…"))
	f := tu.view.filings.form
	require.NotNil(t, f)
	assert.Equal(t, filingRecipientLabel("merchant"), f.recipient.Selected)
	assert.Equal(t, s.letter.Addressee, f.party.Text)
	test.Tap(buttonIn(t, tu.topOverlay(t), "Save"))
	tu.wait()
	fs, err := tu.st.ListFilings(context.Background(), c.ID)
	require.NoError(t, err)
	require.Len(t, fs, 1)
	assert.Equal(t, evidence.FilingLetter, fs[0].Channel)
	assert.Equal(t, "2026-12-01", formatDay(fs[0].Due), "7 days the letter asks the merchant for")
}
