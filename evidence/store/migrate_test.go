package store

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

// A store written by the first release (schema 1) opens, upgrades and keeps its cases.
func TestUpgradeFromSchema1(t *testing.T) {
	home := t.TempDir()
	ms, err := migrations()
	require.NoError(t, err)
	db, err := sql.Open("sqlite", dsn(filepath.Join(home, dbName)))
	require.NoError(t, err)
	require.NoError(t, applyMigrations(ctx, db, ms[:1]))
	_, err = db.Exec(`INSERT INTO cases(title, scenario, status, role, r_name, facts, created_ns, created_tz, updated_ns, updated_tz)
		VALUES ('旧案件', 'wrong-amount', 'draft', 'consumer', '某某餐厅', '事实', 1, 'Asia/Shanghai', 1, 'Asia/Shanghai')`)
	require.NoError(t, err)
	require.NoError(t, db.Close())

	s, err := Open(home)
	require.NoError(t, err)
	defer s.Close()
	list, err := s.ListCases(ctx)
	require.NoError(t, err)
	require.Len(t, list, 1)
	c := list[0].Case
	assert.Equal(t, "旧案件", c.Title)
	assert.Equal(t, "某某餐厅", c.Respondent.Name)
	assert.Equal(t, evidence.Party{}, c.Institution)

	c.Institution = evidence.Party{Name: "某某银行股份有限公司", Address: "北京市西城区金融大街1号", Phone: "95555"}
	_, err = s.UpdateCase(ctx, &c)
	require.NoError(t, err)
	got, err := s.GetCase(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c.Institution, got.Institution)
	audit, err := s.ListAudit(ctx, c.ID)
	require.NoError(t, err)
	require.NotEmpty(t, audit)
	assert.Contains(t, audit[len(audit)-1].Detail, "institution")
}

// A schema-2 case's single institution becomes the issuer of a cardholder's
// case and the acquirer of a merchant's (migration 0004), and the new
// parties and kinds round-trip.
func TestUpgradeInstitutionToParties(t *testing.T) {
	home := t.TempDir()
	ms, err := migrations()
	require.NoError(t, err)
	db, err := sql.Open("sqlite", dsn(filepath.Join(home, dbName)))
	require.NoError(t, err)
	require.NoError(t, applyMigrations(ctx, db, ms[:2]))
	for _, row := range [][2]string{{"consumer", "wrong-amount"}, {"merchant", "settlement-shortfall"}} {
		_, err = db.Exec(`INSERT INTO cases(title, scenario, status, role, r_name, i_name, i_address, i_phone, facts, created_ns, created_tz, updated_ns, updated_tz)
			VALUES (?, ?, 'draft', ?, '某某餐厅', '示例银行上海分行', '上海市浦东新区1号', '95555', '', 1, 'Asia/Shanghai', 1, 'Asia/Shanghai')`, row[0], row[1], row[0])
		require.NoError(t, err)
	}
	require.NoError(t, db.Close())

	s, err := Open(home)
	require.NoError(t, err)
	defer s.Close()
	want := evidence.Party{Name: "示例银行上海分行", Address: "上海市浦东新区1号", Phone: "95555"}
	consumer, err := s.GetCase(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, want, consumer.Issuer)
	assert.True(t, consumer.Acquirer.Empty())
	assert.True(t, consumer.Institution.Empty(), "the old column is emptied so there is one source of truth")
	merchant, err := s.GetCase(ctx, 2)
	require.NoError(t, err)
	assert.Equal(t, want, merchant.Acquirer)
	assert.True(t, merchant.Issuer.Empty())

	merchant.Complainant = evidence.Party{Name: "王五", Kind: evidence.PartySoleTrader, Company: "虚构小吃店"}
	merchant.SettlementBank = evidence.Party{Name: "示例农商银行", Kind: evidence.PartyBank, Phone: "96000"}
	merchant.Acquirer.Kind = evidence.PartyPaymentInstitution
	_, err = s.UpdateCase(ctx, &merchant)
	require.NoError(t, err)
	got, err := s.GetCase(ctx, 2)
	require.NoError(t, err)
	assert.Equal(t, merchant.Complainant, got.Complainant)
	assert.Equal(t, merchant.SettlementBank, got.SettlementBank)
	assert.Equal(t, merchant.Acquirer, got.Acquirer)
	bad := got
	bad.Issuer.Kind = "bakery"
	_, err = s.UpdateCase(ctx, &bad)
	assert.ErrorIs(t, err, evidence.ErrInvalid)
}
