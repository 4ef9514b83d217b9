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
	"slices"
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
	kills = flag.Int("crash.kills", 100, "how many kills that land mid-operation TestCrashKill needs")
)

// childEnv carries the child's instructions; its presence makes
// TestCrashChild the child instead of a skipped test.
const childEnv = "DISPUTEKIT_CRASH_CHILD"

// The kinds of operation the child does; "open" is always its first.
var opKinds = []string{"open", "case", "txns", "attach", "statement", "title", "event", "delexhibit", "backup", "export", "import"}

type childSpec struct {
	Home    string `json:"home"`
	Exports string `json:"exports"`
	Run     int    `json:"run"`
	// From operation number Target on, the child does TargetKind (or what
	// it needs first, e.g. an export before an import) until it has begun
	// one; the parent kills it somewhere inside that operation.
	Target     int    `json:"target"`
	TargetKind string `json:"target_kind"`
}

// TestCrashChild is the process being killed: it opens the home and loops
// doing real work until it is killed. Before each operation it prints
// "begin N KIND", and after it one "ack …" line saying what the store (or
// the export) acknowledged, so the parent knows both what must have
// survived and whether its kill landed inside an operation.
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
	out("begin 0 open")
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
	randomKind := func() string {
		switch op := rng.IntN(21); {
		case len(cases) < 12 && op == 0:
			return "case"
		case op < 5:
			return "txns"
		case op < 9:
			return "attach"
		case op < 12:
			return "statement"
		case op < 14:
			return "title"
		case op < 15:
			return "event"
		case op < 16:
			return "delexhibit"
		case op == 20:
			return "backup"
		default:
			return "export"
		}
	}
	lastExport, targetBegun := "", spec.TargetKind == "open"
	deadline := time.Now().Add(10 * time.Minute) // never outlive a lost parent
	for n := 1; time.Now().Before(deadline); n++ {
		tag := fmt.Sprintf("r%d-n%d", spec.Run, n)
		kind := randomKind()
		if n >= spec.Target && !targetBegun {
			kind = spec.TargetKind
		}
		var id int64
		var exs []evidence.Exhibit
		if len(cases) > 0 {
			id = cases[rng.IntN(len(cases))]
			if kind == "delexhibit" {
				if exs, err = st.ListExhibits(ctx, id); err != nil {
					out("fail list exhibits %v", err)
					return 3
				}
			}
		}
		switch { // what the operation needs first
		case len(cases) == 0:
			kind = "case"
		case kind == "delexhibit" && len(exs) == 0:
			kind = "attach"
		case kind == "import" && lastExport == "":
			kind = "export"
		}
		if kind == spec.TargetKind && n >= spec.Target {
			targetBegun = true
		}
		switch kind {
		case "case":
			out("begin %d case", n)
			c := evidence.Case{Title: "t" + tag, Scenario: evidence.DuplicateCharge}
			if _, err := st.CreateCase(ctx, &c); err != nil {
				out("fail create %v", err)
				return 3
			}
			cases = append(cases, c.ID)
			out("ack case %d", c.ID)
		case "txns":
			k := 1 + rng.IntN(50)
			out("begin %d txns", n)
			if _, _, err := st.AddTransactions(ctx, id, txns(tag, k)); err != nil {
				out("fail txns %v", err)
				return 3
			}
			out("ack txns %d %s %d", id, tag, k)
		case "attach":
			b := blob()
			out("begin %d attach", n)
			ex, err := st.Attach(ctx, id, bytes.NewReader(b), evidence.Exhibit{Kind: evidence.KindPhoto, Title: "照片 " + tag, OriginalName: tag + ".jpg"})
			if err != nil {
				out("fail attach %v", err)
				return 3
			}
			out("ack exhibit %d %s", id, ex.SHA256)
		case "statement":
			k, b := 1+rng.IntN(30), blob()
			out("begin %d statement", n)
			ex, _, _, err := st.ImportStatement(ctx, id, bytes.NewReader(b), evidence.Exhibit{Kind: evidence.KindStatement, OriginalName: tag + ".csv"}, txns(tag, k))
			if err != nil {
				out("fail statement %v", err)
				return 3
			}
			out("ack statement %d %s %s %d", id, ex.SHA256, tag, k)
		case "title":
			out("begin %d title", n)
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
		case "event":
			out("begin %d event", n)
			e := evidence.Event{CaseID: id, Kind: evidence.EventContacted, Time: time.Now(), Note: tag}
			if err := st.AddEvent(ctx, &e); err != nil {
				out("fail event %v", err)
				return 3
			}
			out("ack event %d %d", id, e.ID)
		case "delexhibit":
			ex := exs[rng.IntN(len(exs))]
			out("begin %d delexhibit %d %s", n, id, ex.SHA256)
			if err := st.DeleteExhibit(ctx, id, ex.ID); err != nil {
				out("fail delete %v", err)
				return 3
			}
			out("ack delexhibit %d %s", id, ex.SHA256)
		case "backup":
			path := filepath.Join(spec.Exports, tag+".backup")
			out("begin %d backup", n)
			if err := atomicfile.Write(path, atomicfile.Private, func(w io.Writer) error { return st.Backup(ctx, w) }); err != nil {
				out("fail backup %v", err)
				return 3
			}
			out("ack backup %s", path)
		case "export":
			path := filepath.Join(spec.Exports, tag+".zip")
			out("begin %d export", n)
			if _, err := bundle.ExportFile(ctx, st, id, path, bundle.Options{}, ""); err != nil {
				out("fail export %v", err)
				return 3
			}
			lastExport = path
			out("ack export %d %s", id, path)
		case "import":
			out("begin %d import", n)
			newID, err := bundle.ImportFile(ctx, st, lastExport, nil)
			if err != nil {
				out("fail import %v", err)
				return 3
			}
			cases = append(cases, newID)
			out("ack case %d", newID)
		default:
			out("fail unknown operation %q", kind)
			return 3
		}
	}
	out("fail the parent never killed me")
	return 3
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
	if len(f) < 2 || (f[0] != "ack" && f[0] != "begin") {
		return nil // test framework output
	}
	if f[0] == "begin" {
		if len(f) == 5 && f[2] == "delexhibit" { // "begin N delexhibit CASE SHA"
			e.maybeGone[f[3]+"/"+f[4]] = true
		}
		return nil
	}
	e.acks[f[1]]++
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
	case "ack statement":
		set(e.exhibits, id(2), f[3], true)
		n, _ := strconv.Atoi(f[5])
		for i := range n {
			set(e.keys, id(2), fmt.Sprintf("%s-%d", f[4], i), true)
		}

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

// killPlan is where the next kill goes: inside the first operation of
// kind Kind that the child begins at or after operation number Target.
type killPlan struct {
	Target int
	Kind   string
}

// nextPlan aims the next kill at the kind of operation that has had the
// fewest kills land inside it so far (ties broken at random), after a
// random number (0–7) of operations of any kind.
func nextPlan(rng *rand.Rand, midOp map[string]int) killPlan {
	var fewest []string
	for _, k := range opKinds {
		switch {
		case len(fewest) == 0 || midOp[k] < midOp[fewest[0]]:
			fewest = []string{k}
		case midOp[k] == midOp[fewest[0]]:
			fewest = append(fewest, k)
		}
	}
	p := killPlan{Kind: fewest[rng.IntN(len(fewest))], Target: 1 + rng.IntN(8)}
	if p.Kind == "open" {
		p.Target = 0
	}
	return p
}

// opDurations remembers how long each kind of operation took, as the
// parent saw it, so that a kill can be placed at a random point inside one
// on a fast machine and on a slow one alike.
type opDurations map[string][]time.Duration

func (d opDurations) add(kind string, took time.Duration) {
	const keep = 16
	s := append(d[kind], took)
	if len(s) > keep {
		s = s[len(s)-keep:]
	}
	d[kind] = s
}

// typical is the median of the recent durations of kind (1ms before any).
func (d opDurations) typical(kind string) time.Duration {
	s := slices.Clone(d[kind])
	if len(s) == 0 {
		return time.Millisecond
	}
	slices.Sort(s)
	return s[len(s)/2]
}

// begun parses "begin N KIND …".
func begun(line string) (n int, kind string, ok bool) {
	f := strings.Fields(line)
	if len(f) < 3 || f[0] != "begin" {
		return 0, "", false
	}
	n, err := strconv.Atoi(f[1])
	return n, f[2], err == nil
}

// TestCrashKill runs the child over and over and SIGKILLs it inside an
// operation: after a random number of acknowledged operations, at a random
// point within the next one of a chosen kind. It counts work, not time: it
// runs until the wanted number of kills have landed mid-operation (known
// from the child's own lines: a "begin" with no "ack" after it), however
// slow the machine, and checks the home after every kill.
func TestCrashKill(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		t.Skip("this is the child")
	}
	want := *kills
	if v, err := strconv.Atoi(os.Getenv("DISPUTEKIT_CRASH_KILLS")); err == nil && v > 0 {
		want = v // for runs over many packages, where -args -crash.kills would reach packages without the flag
	}
	if testing.Short() && want > 30 {
		want = 30
	}
	// A kill lands between operations only when the child finished the
	// operation before the signal arrived and had not begun the next; the
	// planned kind is then missed but the next one is hit. Far more misses
	// than kills means the harness no longer kills inside anything.
	maxRuns := 3*want + 2*len(opKinds)
	dir := t.TempDir()
	home, exports := filepath.Join(dir, "home"), filepath.Join(dir, "exports")
	require.NoError(t, os.MkdirAll(exports, 0o755))
	exp := newExpected()
	rng := rand.New(rand.NewPCG(42, uint64(time.Now().UnixNano())))
	durations := opDurations{}
	midOp, planHit := map[string]int{}, 0
	var leftTemp, partialExports, betweenOps, runs int
	start := time.Now()
	for ; sum(midOp) < want; runs++ {
		require.Less(t, runs, maxRuns, "only %d of %d kills landed inside an operation: %v", sum(midOp), runs, midOp)
		partsBefore := partFiles(t, exports)
		plan := nextPlan(rng, midOp)
		spec, _ := json.Marshal(childSpec{Home: home, Exports: exports, Run: runs, Target: plan.Target, TargetKind: plan.Kind})
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), childEnv+"="+string(spec))
		stdout, err := cmd.StdoutPipe()
		require.NoError(t, err)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start())
		lines := make(chan string, 64)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		var ls []string
		var open string // the kind of the operation begun and not yet acknowledged
		var openedAt time.Time
		killed := false
		for l := range lines {
			ls = append(ls, l)
			if strings.HasPrefix(l, "ack ") && open != "" {
				durations.add(open, time.Since(openedAt))
				open = ""
			}
			n, kind, ok := begun(l)
			if !ok {
				continue
			}
			open, openedAt = kind, time.Now()
			if !killed && kind == plan.Kind && n >= plan.Target {
				// Somewhere inside the operation: anywhere from at once to
				// about as long as this kind has been taking.
				time.Sleep(time.Duration(rng.Int64N(int64(durations.typical(kind)) + 1)))
				require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
				killed = true
			}
		}
		err = cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("run %d: child ended by itself (%v) before the kill:\n%s\n%s", runs, err, strings.Join(ls, "\n"), stderr.String())
		}
		wrote := false
		for _, l := range ls {
			require.NoError(t, exp.record(l))
			wrote = wrote || strings.HasPrefix(l, "ack export ") || strings.HasPrefix(l, "ack backup ")
		}
		require.Empty(t, exp.childFails, "child errors; stderr:\n%s", stderr.String())
		switch {
		case open == "":
			betweenOps++
		case open == plan.Kind:
			planHit++
			midOp[open]++
		default:
			midOp[open]++
		}
		if tmp, err := os.ReadDir(filepath.Join(home, "vault", "tmp")); err == nil {
			leftTemp += len(tmp)
		}
		// The export or backup being written when the kill came leaves its
		// temporary file; the next one written into the directory removes it.
		partsAfter := partFiles(t, exports)
		for name := range partsAfter {
			if !partsBefore[name] {
				partialExports++
			}
		}
		if wrote {
			for name := range partsBefore {
				require.False(t, partsAfter[name], "run %d wrote an export but left %s of an earlier killed one", runs, name)
			}
		}

		st, err := store.Open(home)
		require.NoError(t, err, "run %d: reopen after kill", runs)
		err = exp.check(home, st)
		st.Close()
		require.NoError(t, err, "run %d, killed inside %q", runs, open)
	}
	t.Logf("crash harness: %d kills in %v, %d of them inside an operation (%d inside the planned one, %d between operations); kills inside each kind: %v; %d acknowledged operations checked (%v); %d vault temp files and %d partial exports or backups found after kills, each removed by the next export; %d cases",
		runs, time.Since(start).Round(time.Millisecond), sum(midOp), planHit, betweenOps, midOp, sum(exp.acks), exp.acks, leftTemp, partialExports, len(exp.cases))
}

// partFiles lists the temporary files of atomic writes in dir.
func partFiles(t *testing.T, dir string) map[string]bool {
	t.Helper()
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	parts := map[string]bool{}
	for _, de := range ents {
		if strings.Contains(de.Name(), ".part-") {
			parts[de.Name()] = true
		}
	}
	return parts
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
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
