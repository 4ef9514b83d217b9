package crashtest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/atomicfile"
	"github.com/disputekit/disputekit/evidence/bundle"
	"github.com/disputekit/disputekit/evidence/store"
)

var (
	kills   = flag.Int("crash.kills", 100, "how many times TestCrashKill kills the child")
	maxWait = flag.Duration("crash.maxwait", 200*time.Millisecond, "longest a child runs before it is killed")
)

// childEnv carries the child's instructions; its presence makes
// TestCrashChild the child instead of a skipped test.
const childEnv = "DISPUTEKIT_CRASH_CHILD"

type childSpec struct {
	Home    string `json:"home"`
	Exports string `json:"exports"`
	Run     int    `json:"run"`
}

// TestCrashChild is the process being killed: it opens the home and loops
// doing real work, printing "ack …" to stdout after each change the store
// (or the export) has acknowledged. Lines before an operation that may
// remove something say "try …", so the parent knows what may be gone.
func TestCrashChild(t *testing.T) {
	raw := os.Getenv(childEnv)
	if raw == "" {
		t.Skip("run as a child by TestCrashKill")
	}
	var spec childSpec
	if err := json.Unmarshal([]byte(raw), &spec); err != nil {
		fmt.Println("fail spec", err)
		os.Exit(3)
	}
	os.Exit(child(spec))
}

func child(spec childSpec) int {
	ctx := context.Background()
	out := func(format string, args ...any) { fmt.Fprintf(os.Stdout, format+"\n", args...) } // unbuffered: one write per line
	st, err := store.Open(spec.Home)
	if err != nil {
		out("fail open %v", err)
		return 3
	}
	out("ack open")
	rng := rand.New(rand.NewPCG(uint64(spec.Run), uint64(time.Now().UnixNano())))
	summaries, err := st.ListCases(ctx)
	if err != nil {
		out("fail list %v", err)
		return 3
	}
	var cases []int64
	for _, c := range summaries {
		cases = append(cases, c.ID)
	}
	blob := func() []byte {
		b := make([]byte, 512+rng.IntN(48<<10))
		for i := 0; i < len(b); i += 8 {
			v := rng.Uint64()
			for j := 0; j < 8 && i+j < len(b); j++ {
				b[i+j] = byte(v >> (8 * j))
			}
		}
		return b
	}
	txns := func(prefix string, n int) []evidence.Transaction {
		ts := make([]evidence.Transaction, n)
		for i := range ts {
			ts[i] = evidence.Transaction{Time: time.Date(2026, 3, 1, 12, 0, i, 0, evidence.Shanghai), Amount: evidence.Money(100 + i),
				Merchant: "某某超市", Source: "alipay", DedupeKey: fmt.Sprintf("%s-%d", prefix, i)}
		}
		return ts
	}
	deadline := time.Now().Add(30 * time.Second) // never outlive a confused parent
	for n := 0; time.Now().Before(deadline); n++ {
		tag := fmt.Sprintf("r%d-n%d", spec.Run, n)
		if len(cases) == 0 || (len(cases) < 12 && rng.IntN(12) == 0) {
			c := evidence.Case{Title: "t" + tag, Scenario: evidence.DuplicateCharge}
			if _, err := st.CreateCase(ctx, &c); err != nil {
				out("fail create %v", err)
				return 3
			}
			cases = append(cases, c.ID)
			out("ack case %d", c.ID)
			continue
		}
		id := cases[rng.IntN(len(cases))]
		switch op := rng.IntN(21); {
		case op < 5:
			k := 1 + rng.IntN(50)
			if _, _, err := st.AddTransactions(ctx, id, txns(tag, k)); err != nil {
				out("fail txns %v", err)
				return 3
			}
			out("ack txns %d %s %d", id, tag, k)
		case op < 9:
			ex, err := st.Attach(ctx, id, bytes.NewReader(blob()), evidence.Exhibit{Kind: evidence.KindPhoto, Title: "照片 " + tag, OriginalName: tag + ".jpg"})
			if err != nil {
				out("fail attach %v", err)
				return 3
			}
			out("ack exhibit %d %s", id, ex.SHA256)
		case op < 12:
			k := 1 + rng.IntN(30)
			ex, _, _, err := st.ImportStatement(ctx, id, bytes.NewReader(blob()), evidence.Exhibit{Kind: evidence.KindStatement, OriginalName: tag + ".csv"}, txns(tag, k))
			if err != nil {
				out("fail statement %v", err)
				return 3
			}
			out("ack exhibit %d %s", id, ex.SHA256)
			out("ack txns %d %s %d", id, tag, k)
		case op < 14:
			c, err := st.GetCase(ctx, id)
			if err != nil {
				out("fail get %v", err)
				return 3
			}
			c.Title = "t" + tag
			if _, err := st.UpdateCase(ctx, &c); err != nil {
				out("fail update %v", err)
				return 3
			}
			out("ack title %d %s", id, c.Title)
		case op < 15:
			e := evidence.Event{CaseID: id, Kind: evidence.EventContacted, Time: time.Now(), Note: tag}
			if err := st.AddEvent(ctx, &e); err != nil {
				out("fail event %v", err)
				return 3
			}
			out("ack event %d %d", id, e.ID)
		case op < 16:
			exs, err := st.ListExhibits(ctx, id)
			if err != nil || len(exs) == 0 {
				continue
			}
			ex := exs[rng.IntN(len(exs))]
			out("try delexhibit %d %s", id, ex.SHA256)
			if err := st.DeleteExhibit(ctx, id, ex.ID); err != nil {
				out("fail delete %v", err)
				return 3
			}
			out("ack delexhibit %d %s", id, ex.SHA256)
		case op == 20:
			path := filepath.Join(spec.Exports, tag+".backup")
			if err := atomicfile.Write(path, atomicfile.Private, func(w io.Writer) error { return st.Backup(ctx, w) }); err != nil {
				out("fail backup %v", err)
				return 3
			}
			out("ack backup %s", path)
		default:
			path := filepath.Join(spec.Exports, tag+".zip")
			if _, err := bundle.ExportFile(ctx, st, id, path, bundle.Options{}, ""); err != nil {
				out("fail export %v", err)
				return 3
			}
			out("ack export %d %s", id, path)
			if len(cases) < 12 {
				newID, err := bundle.ImportFile(ctx, st, path, nil)
				if err != nil {
					out("fail import %v", err)
					return 3
				}
				cases = append(cases, newID)
				out("ack case %d", newID)
			}
		}
	}
	return 0
}

// expected is what the acknowledgements promise.
type expected struct {
	cases      map[int64]bool
	keys       map[int64]map[string]bool // dedupe keys per case
	exhibits   map[int64]map[string]bool // present (true) or acknowledged deleted (false)
	maybeGone  map[string]bool           // case/sha whose deletion was tried
	titles     map[int64]titleMark
	events     map[int64][]int64
	exports    []string
	backups    []string
	acks       map[string]int
	childFails []string
}

type titleMark struct {
	run, n int
}

func parseTitle(s string) (titleMark, bool) {
	var m titleMark
	_, err := fmt.Sscanf(s, "tr%d-n%d", &m.run, &m.n)
	return m, err == nil
}

func (m titleMark) before(o titleMark) bool { return m.run < o.run || m.run == o.run && m.n < o.n }

func newExpected() *expected {
	return &expected{cases: map[int64]bool{}, keys: map[int64]map[string]bool{}, exhibits: map[int64]map[string]bool{},
		maybeGone: map[string]bool{}, titles: map[int64]titleMark{}, events: map[int64][]int64{}, acks: map[string]int{}}
}

func (e *expected) record(line string) error {
	f := strings.Fields(line)
	if len(f) == 0 {
		return nil
	}
	if f[0] == "fail" {
		e.childFails = append(e.childFails, line)
		return nil
	}
	if len(f) < 2 || (f[0] != "ack" && f[0] != "try") {
		return nil // test framework output
	}
	if f[0] == "ack" {
		e.acks[f[1]]++
	}
	id := func(i int) int64 { v, _ := strconv.ParseInt(f[i], 10, 64); return v }
	set := func(m map[int64]map[string]bool, c int64, k string, v bool) {
		if m[c] == nil {
			m[c] = map[string]bool{}
		}
		m[c][k] = v
	}
	switch f[0] + " " + f[1] {
	case "ack case":
		e.cases[id(2)] = true
	case "ack txns":
		n, _ := strconv.Atoi(f[4])
		for i := range n {
			set(e.keys, id(2), fmt.Sprintf("%s-%d", f[3], i), true)
		}
	case "ack exhibit":
		set(e.exhibits, id(2), f[3], true)
	case "try delexhibit":
		e.maybeGone[f[2]+"/"+f[3]] = true
	case "ack delexhibit":
		set(e.exhibits, id(2), f[3], false)
	case "ack title":
		m, ok := parseTitle(f[3])
		if !ok {
			return fmt.Errorf("bad title ack %q", line)
		}
		e.titles[id(2)] = m
	case "ack event":
		e.events[id(2)] = append(e.events[id(2)], id(3))
	case "ack export":
		e.exports = append(e.exports, f[3])
	case "ack backup":
		e.backups = append(e.backups, f[2])
	}
	return nil
}

// check compares a reopened home with every acknowledgement so far.
func (e *expected) check(home string, st *store.Store) error {
	ctx := context.Background()
	if err := st.IntegrityCheck(ctx); err != nil {
		return err
	}
	tmp, err := os.ReadDir(filepath.Join(home, "vault", "tmp"))
	if err != nil {
		return err
	}
	if len(tmp) > 0 {
		return fmt.Errorf("%d temp files left after open", len(tmp))
	}
	top, err := os.ReadDir(home)
	if err != nil {
		return err
	}
	for _, de := range top {
		switch de.Name() {
		case "disputekit.db", "disputekit.db-wal", "disputekit.db-shm", "lock", "vault":
		default:
			return fmt.Errorf("stray file in the home after open: %s", de.Name())
		}
	}
	for c := range e.cases {
		d, err := st.Dossier(ctx, c)
		if err != nil {
			return fmt.Errorf("acknowledged case %d lost: %w", c, err)
		}
		keys := map[string]bool{}
		for _, tr := range d.Transactions {
			keys[tr.DedupeKey] = true
		}
		for k := range e.keys[c] {
			if !keys[k] {
				return fmt.Errorf("case %d: acknowledged transaction %s lost", c, k)
			}
		}
		shas := map[string]bool{}
		for _, ex := range d.Exhibits {
			shas[ex.SHA256] = true
		}
		for sha, present := range e.exhibits[c] {
			switch {
			case present && !e.maybeGone[fmt.Sprintf("%d/%s", c, sha)] && !shas[sha]:
				return fmt.Errorf("case %d: acknowledged exhibit %s lost", c, sha)
			case !present && shas[sha]:
				return fmt.Errorf("case %d: acknowledged deletion of %s undone", c, sha)
			}
		}
		if want, ok := e.titles[c]; ok {
			got, ok := parseTitle(d.Case.Title)
			if !ok || got.before(want) {
				return fmt.Errorf("case %d: acknowledged title %v replaced by %q", c, want, d.Case.Title)
			}
		}
		events := map[int64]bool{}
		for _, ev := range d.Events {
			events[ev.ID] = true
		}
		for _, id := range e.events[c] {
			if !events[id] {
				return fmt.Errorf("case %d: acknowledged event %d lost", c, id)
			}
		}
	}
	for _, p := range e.exports {
		rep, err := bundle.VerifyFile(p, nil)
		if err != nil {
			return fmt.Errorf("acknowledged export: %w", err)
		}
		if err := rep.Err(); err != nil {
			return fmt.Errorf("acknowledged export %s: %w", p, err)
		}
		if err := os.Remove(p); err != nil { // checked once; keeps the disk use flat
			return err
		}
	}
	e.exports = nil
	for _, p := range e.backups {
		if err := checkBackup(p); err != nil {
			return fmt.Errorf("acknowledged backup: %w", err)
		}
	}
	e.backups = nil
	return nil
}

// checkBackup restores a backup into a scratch home (which runs the
// integrity check) and removes both.
func checkBackup(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer os.Remove(path)
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	scratch, err := os.MkdirTemp(filepath.Dir(path), "restored-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	_, err = store.Restore(context.Background(), f, fi.Size(), filepath.Join(scratch, "home"), false)
	return err
}

// TestCrashKill runs the child over and over, SIGKILLs it after a random
// time, and checks the home after every kill.
func TestCrashKill(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		t.Skip("this is the child")
	}
	n := *kills
	if v, err := strconv.Atoi(os.Getenv("DISPUTEKIT_CRASH_KILLS")); err == nil && v > 0 {
		n = v // for runs over many packages, where -args -crash.kills would reach packages without the flag
	}
	if testing.Short() && n > 30 {
		n = 30
	}
	dir := t.TempDir()
	home, exports := filepath.Join(dir, "home"), filepath.Join(dir, "exports")
	require.NoError(t, os.MkdirAll(exports, 0o755))
	exp := newExpected()
	rng := rand.New(rand.NewPCG(42, uint64(time.Now().UnixNano())))
	var leftTemp, partialExports, silentKills int
	start := time.Now()
	for run := 0; run < n; run++ {
		spec, _ := json.Marshal(childSpec{Home: home, Exports: exports, Run: run})
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), childEnv+"="+string(spec))
		stdout, err := cmd.StdoutPipe()
		require.NoError(t, err)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start())
		lines := make(chan []string, 1)
		go func() {
			var ls []string
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				ls = append(ls, sc.Text())
			}
			lines <- ls
		}()
		// Kill at a random moment: sometimes during Open, mostly mid-work.
		time.Sleep(time.Duration(rng.Int64N(int64(*maxWait))))
		require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
		ls := <-lines
		err = cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("run %d: child ended by itself (%v) before the kill:\n%s\n%s", run, err, strings.Join(ls, "\n"), stderr.String())
		}
		acked := 0
		for _, l := range ls {
			require.NoError(t, exp.record(l))
			if strings.HasPrefix(l, "ack ") && l != "ack open" {
				acked++
			}
		}
		require.Empty(t, exp.childFails, "child errors; stderr:\n%s", stderr.String())
		if acked == 0 {
			silentKills++
		}
		if tmp, err := os.ReadDir(filepath.Join(home, "vault", "tmp")); err == nil {
			leftTemp += len(tmp)
		}
		ents, err := os.ReadDir(exports)
		require.NoError(t, err)
		for _, de := range ents {
			if strings.Contains(de.Name(), ".part-") {
				partialExports++ // the export being written when the kill came; never renamed into place
				os.Remove(filepath.Join(exports, de.Name()))
			}
		}

		st, err := store.Open(home)
		require.NoError(t, err, "run %d: reopen after kill", run)
		err = exp.check(home, st)
		st.Close()
		require.NoError(t, err, "run %d, after %d acknowledgements in this run", run, acked)
	}
	total := 0
	for _, v := range exp.acks {
		total += v
	}
	t.Logf("crash harness: %d kills in %v; %d acknowledged operations checked (%v); %d kills before any ack; %d vault temp files and %d partial exports found after kills, all cleaned; %d cases",
		n, time.Since(start).Round(time.Millisecond), total, exp.acks, silentKills, leftTemp, partialExports, len(exp.cases))
	require.Greater(t, total, n, "the children did too little work to test anything")
}

// TestCheckerCatchesLoss proves the checker is not vacuous: acknowledgements
// the home does not hold are reported.
func TestCheckerCatchesLoss(t *testing.T) {
	home := t.TempDir()
	st, err := store.Open(home)
	require.NoError(t, err)
	defer st.Close()
	c := evidence.Case{Title: "tr0-n5"}
	_, err = st.CreateCase(context.Background(), &c)
	require.NoError(t, err)
	ok := newExpected()
	require.NoError(t, ok.record(fmt.Sprintf("ack case %d", c.ID)))
	require.NoError(t, ok.record(fmt.Sprintf("ack title %d tr0-n5", c.ID)))
	require.NoError(t, ok.check(home, st))

	for _, line := range []string{
		"ack case 999",
		fmt.Sprintf("ack txns %d r0-n1 3", c.ID),
		fmt.Sprintf("ack exhibit %d %s", c.ID, strings.Repeat("ab", 32)),
		fmt.Sprintf("ack title %d tr0-n6", c.ID),
		fmt.Sprintf("ack event %d 77", c.ID),
		"ack export 1 " + filepath.Join(home, "missing.zip"),
	} {
		e := newExpected()
		require.NoError(t, e.record(fmt.Sprintf("ack case %d", c.ID)))
		require.NoError(t, e.record(line))
		require.Error(t, e.check(home, st), line)
	}
	require.NoError(t, os.WriteFile(filepath.Join(home, "vault", "tmp", "left"), []byte("x"), 0o600))
	require.ErrorContains(t, ok.check(home, st), "temp files left")
}
