package store_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/store"
)

// backupHome makes a home with two cases, exhibits and transactions.
func backupHome(t *testing.T) (*store.Store, []int64) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(filepath.Join(t.TempDir(), "home"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	var ids []int64
	for i := range 2 {
		c := evidence.Case{Title: fmt.Sprintf("案件 %d", i+1), Facts: "卡号 6222021234567890128 被多扣款"}
		_, err := st.CreateCase(ctx, &c)
		require.NoError(t, err)
		ids = append(ids, c.ID)
		for j := range 3 {
			blob := make([]byte, 10_000+j)
			rand.Read(blob)
			_, err := st.Attach(ctx, c.ID, bytes.NewReader(blob), evidence.Exhibit{Kind: evidence.KindPhoto, Title: "照片", OriginalName: fmt.Sprintf("p%d.jpg", j)})
			require.NoError(t, err)
		}
		var ts []evidence.Transaction
		for j := range 20 {
			ts = append(ts, evidence.Transaction{Time: time.Date(2026, 3, 1, 12, j, 0, 0, evidence.Shanghai), Amount: evidence.Money(100 * (j + 1)), Source: "manual", DedupeKey: fmt.Sprint("k", j)})
		}
		_, _, err = st.AddTransactions(ctx, c.ID, ts)
		require.NoError(t, err)
	}
	return st, ids
}

func dossiers(t *testing.T, st *store.Store) []evidence.Dossier {
	t.Helper()
	ctx := context.Background()
	cs, err := st.ListCases(ctx)
	require.NoError(t, err)
	var ds []evidence.Dossier
	for _, c := range cs {
		d, err := st.Dossier(ctx, c.ID)
		require.NoError(t, err)
		ds = append(ds, d)
	}
	return ds
}

func backupBytes(t *testing.T, st *store.Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, st.Backup(context.Background(), &buf))
	return buf.Bytes()
}

func TestBackupRestoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	st, _ := backupHome(t)
	want := dossiers(t, st)
	data := backupBytes(t, st)

	home := filepath.Join(t.TempDir(), "restored")
	replaced, err := store.Restore(ctx, bytes.NewReader(data), int64(len(data)), home, false)
	require.NoError(t, err)
	assert.Empty(t, replaced)
	got, err := store.Open(home)
	require.NoError(t, err)
	defer got.Close()
	require.NoError(t, got.IntegrityCheck(ctx))
	require.Equal(t, len(want), len(dossiers(t, got)))
	for i, d := range dossiers(t, got) {
		assert.Equal(t, want[i].Case.Title, d.Case.Title)
		assert.True(t, want[i].Case.Updated.Equal(d.Case.Updated))
		assert.Equal(t, len(want[i].Transactions), len(d.Transactions))
		assert.Equal(t, want[i].Exhibits, d.Exhibits)
		assert.Equal(t, len(want[i].Audit), len(d.Audit))
	}
	// No snapshot left behind in the source home.
	tmp, err := os.ReadDir(filepath.Join(st.Home(), "vault", "tmp"))
	require.NoError(t, err)
	assert.Empty(t, tmp)
}

// TestBackupIsConsistentUnderWrites takes backups while another goroutine
// adds transactions and attachments: every backup restores and passes the
// integrity check.
func TestBackupIsConsistentUnderWrites(t *testing.T) {
	ctx := context.Background()
	st, ids := backupHome(t)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			tr := evidence.Transaction{CaseID: ids[0], Time: time.Now(), Amount: 1, Source: "manual"}
			st.AddTransaction(ctx, &tr)
			blob := make([]byte, 5000)
			rand.Read(blob)
			st.Attach(ctx, ids[1], bytes.NewReader(blob), evidence.Exhibit{Kind: evidence.KindPhoto, Title: "x"})
		}
	}()
	for i := range 3 {
		data := backupBytes(t, st)
		home := filepath.Join(t.TempDir(), fmt.Sprint("r", i))
		_, err := store.Restore(ctx, bytes.NewReader(data), int64(len(data)), home, false)
		require.NoError(t, err, "backup %d", i)
	}
	close(stop)
	wg.Wait()
}

func TestRestoreRefusesNonEmptyHomeUnlessForced(t *testing.T) {
	ctx := context.Background()
	st, _ := backupHome(t)
	data := backupBytes(t, st)

	home := filepath.Join(t.TempDir(), "home")
	require.NoError(t, os.MkdirAll(home, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(home, "keep.txt"), []byte("mine"), 0o644))
	_, err := store.Restore(ctx, bytes.NewReader(data), int64(len(data)), home, false)
	require.ErrorContains(t, err, "not empty")
	b, err := os.ReadFile(filepath.Join(home, "keep.txt"))
	require.NoError(t, err)
	assert.Equal(t, "mine", string(b))

	replaced, err := store.Restore(ctx, bytes.NewReader(data), int64(len(data)), home, true)
	require.NoError(t, err)
	require.NotEmpty(t, replaced)
	b, err = os.ReadFile(filepath.Join(replaced, "keep.txt"))
	require.NoError(t, err, "the replaced home is kept")
	assert.Equal(t, "mine", string(b))

	// A home DisputeKit has open is never replaced.
	_, err = store.Restore(ctx, bytes.NewReader(data), int64(len(data)), st.Home(), true)
	require.ErrorIs(t, err, store.ErrLocked)
}

// rewrite copies a backup, letting edit change each entry; fix recomputes
// the manifest so that only deeper checks can catch the change.
func rewrite(t *testing.T, data []byte, edit func(name string, b []byte) []byte, fix bool) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	contents := map[string][]byte{}
	var names []string
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		names = append(names, f.Name)
		contents[f.Name] = edit(f.Name, b)
	}
	if fix {
		var m store.BackupManifest
		require.NoError(t, json.Unmarshal(contents["manifest.json"], &m))
		for i, f := range m.Files {
			b := contents[f.Path]
			m.Files[i].Size = int64(len(b))
			m.Files[i].SHA256 = sha(b)
		}
		contents["manifest.json"], _ = json.Marshal(m)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, n := range names {
		if contents[n] == nil {
			continue
		}
		w, err := zw.Create(n)
		require.NoError(t, err)
		w.Write(contents[n])
	}
	require.NoError(t, zw.Close())
	return out.Bytes()
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestRestoreRefusesBadBackups(t *testing.T) {
	ctx := context.Background()
	st, _ := backupHome(t)
	data := backupBytes(t, st)
	flipVault := func(name string, b []byte) []byte {
		if strings.HasPrefix(name, "vault/") {
			b = bytes.Clone(b)
			b[0] ^= 1
		}
		return b
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"flipped vault byte", rewrite(t, data, flipVault, false), "vault/"},
		{"vault file renamed to its new hash", rewrite(t, data, flipVault, true), "neither the database nor a vault file"},
		{"damaged database", rewrite(t, data, func(name string, b []byte) []byte {
			if name == "disputekit.db" {
				b = bytes.Clone(b[:len(b)/2])
			}
			return b
		}, true), "open the restored store"},
		{"zip-slip entry", addEntry(t, data, "../evil.sh"), "not in the manifest"},
		{"no manifest", rewrite(t, data, func(name string, b []byte) []byte {
			if name == "manifest.json" {
				return nil
			}
			return b
		}, false), "no manifest.json"},
		{"truncated", data[:len(data)-30], "not a readable ZIP"},
		{"empty", nil, "not a readable ZIP"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			home := filepath.Join(parent, "home")
			_, err := store.Restore(ctx, bytes.NewReader(tc.data), int64(len(tc.data)), home, false)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			ents, err := os.ReadDir(parent)
			require.NoError(t, err)
			assert.Empty(t, ents, "nothing left beside the target")
		})
	}
}

func addEntry(t *testing.T, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		require.NoError(t, zw.Copy(f))
	}
	w, err := zw.Create(name)
	require.NoError(t, err)
	w.Write([]byte("#!/bin/sh\n"))
	require.NoError(t, zw.Close())
	return out.Bytes()
}
