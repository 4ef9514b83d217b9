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
