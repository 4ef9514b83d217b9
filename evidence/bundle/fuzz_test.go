package bundle

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
)

// FuzzOpen feeds arbitrary bytes to the bundle reader. It must never
// panic, refuse with ErrRefused (never another error kind), and anything
// it accepts must have only safe names and verify without panicking.
func FuzzOpen(f *testing.F) {
	good, _, _ := validBundle(f)
	f.Add(good)
	for _, h := range hostileCorpus(f) {
		if len(h.Data) < 256<<10 {
			f.Add(h.Data)
		}
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{MaxEntries: 200, MaxEntrySize: 8 << 20, MaxTotalSize: 32 << 20, MaxJSONSize: 1 << 20}
		b, err := Open(bytes.NewReader(data), int64(len(data)), lim)
		if err != nil {
			if !errors.Is(err, ErrRefused) {
				t.Fatalf("error without ErrRefused: %v", err)
			}
			return
		}
		for _, n := range b.Names() {
			require.NoError(t, checkName(n))
		}
		rep := b.Verify()
		if rep.OK() {
			// case.json's transactions read back as Open counted them.
			n := 0
			require.NoError(t, b.EachTransaction(func(page []evidence.Transaction) error { n += len(page); return nil }))
			require.Equal(t, b.Transactions, n)
			// Everything the manifest lists reads back with its hash.
			for _, e := range b.Dossier.Exhibits {
				rc, err := b.OpenExhibit(e.SHA256)
				require.NoError(t, err)
				_, err = io.Copy(io.Discard, rc)
				require.NoError(t, err)
				rc.Close()
			}
		}
	})
}

// FuzzDecodeManifest: no panic; an accepted manifest has only safe, unique
// paths inside the bundle's folders and re-encodes to an accepted manifest.
func FuzzDecodeManifest(f *testing.F) {
	good, _, _ := validBundle(f)
	b, err := Open(bytes.NewReader(good), int64(len(good)), Limits{})
	require.NoError(f, err)
	mj, _ := json.Marshal(b.Manifest)
	f.Add(mj)
	f.Add([]byte(`{"format":"disputekit-bundle","version":1,"files":[{"path":"case.json","sha256":"` + b.Manifest.Files[0].SHA256 + `","size":1}]}`))
	f.Add([]byte(`{"format":"disputekit-bundle","version":1,"files":[{"path":"../x","sha256":"00","size":-1}]}`))
	f.Add([]byte(`{"format":"disputekit-bundle","version":2}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeManifest(data)
		if err != nil {
			require.ErrorIs(t, err, ErrRefused)
			return
		}
		for _, fl := range m.Files {
			require.NoError(t, checkName(fl.Path))
			require.True(t, fl.Path == CaseName || inFolder(fl.Path, EvidenceDir) || inFolder(fl.Path, LettersDir), fl.Path)
			require.True(t, isHexSHA(fl.SHA256))
		}
		again, err := json.Marshal(m)
		require.NoError(t, err)
		_, err = DecodeManifest(again)
		require.NoError(t, err)
	})
}

// FuzzDecodeCase: no panic; accepted dossiers name well-formed hashes.
func FuzzDecodeCase(f *testing.F) {
	v := MemVault{}
	d := sampleCase(f, v)
	cj, _ := json.Marshal(d)
	f.Add(cj)
	f.Add([]byte(`{"case":{"id":1,"title":"x","created":"2026-01-01T00:00:00+08:00"},"exhibits":[{"sha256":"zz","size":-5}]}`))
	f.Add([]byte(`{"case":{"claims":[{"amount":"1.00"}]}}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := DecodeCase(data)
		if err != nil {
			require.ErrorIs(t, err, ErrRefused)
			return
		}
		for _, e := range d.Exhibits {
			require.True(t, isHexSHA(e.SHA256))
			require.GreaterOrEqual(t, e.Size, int64(0))
		}
	})
}
