package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/casework"
	"github.com/disputekit/disputekit/evidence/check"
	"github.com/disputekit/disputekit/evidence/explain"
	"github.com/disputekit/disputekit/evidence/ingest"
	"github.com/disputekit/disputekit/evidence/store"
)

func init() {
	register(command{name: "import", summary: "import statements, call logs, photos, PDFs into case ID FILE... [--format F] [--map COL=FIELD] [--positive in|out] [--dry-run] [--json]", run: runImport})
	register(command{name: "txn merge", summary: "merge a hand-typed transaction DROP into the imported one KEEP of case ID (as check's typed-twin finding offers)", run: runTxnMerge})
	register(command{name: "check", summary: "find duplicates, wrong amounts, missing refunds, settlement shortfall, deadlines in case ID [--json]", run: runCheck})
}

// importResult is one file's outcome in `dk import --json`.
type importResult struct {
	ingest.Report
	Error string `json:"error,omitempty"`
	// Message is Error in plain words, in the user's language (package explain).
	Message string `json:"message,omitempty"`
	// Preview is, with --dry-run, the first rows as they would be stored.
	Preview *ingest.Preview `json:"preview,omitempty"`
}

func runImport(env *cli, args []string) error {
	fs := newFlags(env, "import")
	format := fs.String("format", "", "force the layout: "+strings.Join(ingest.Formats, " | ")+" (default: detect from the content)")
	var maps multiFlag
	fs.Var(&maps, "map", "COLUMN=FIELD for the mapped importer, repeatable; fields: "+fieldNames())
	asJSON := fs.Bool("json", false, "print the import reports as JSON")
	lang := fs.String("lang", "zh", "language of the report's messages: zh | en")
	noPreviews := fs.Bool("no-previews", false, "do not make thumbnails and print copies of images now")
	headerLine := fs.Int("header-line", 0, "the header row is on this line (when it is not found by itself)")
	dryRun := fs.Bool("dry-run", false, "read and check the files, print the column mapping and the first rows as they would be stored, store nothing")
	positive := fs.String("positive", "", "in a file with one signed amount column and no 收/支 or 借/贷 column: in = a positive amount is money in, out = money out")
	previewRows := fs.Int("rows", 10, "with --dry-run, how many rows to show")
	dateOrder := fs.String("date-order", "", "how dates like 03/04/2025 are written: dmy (default) | mdy")
	id, pos, err := parseCaseArgs(fs, args, true)
	if err != nil {
		return err
	}
	files := pos[1:]
	if len(files) == 0 {
		return usagef("needs the case ID and at least one file")
	}
	m, err := ingest.ParseMapOverrides(maps)
	if err != nil {
		return usagef("%w", err)
	}
	if *format != "" && !contains(ingest.Formats, *format) {
		return usagef("--format %q is not one of %s", *format, strings.Join(ingest.Formats, ", "))
	}
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	if *lang != "zh" && *lang != "en" {
		return usagef("--lang %q is not zh or en", *lang)
	}
	if *headerLine < 0 {
		return usagef("--header-line must be a line number")
	}
	if *positive != "" && *positive != ingest.PositiveIn && *positive != ingest.PositiveOut {
		return usagef("--positive %q is not in or out", *positive)
	}
	cases := casework.New(st)
	if *dateOrder != "" && *dateOrder != ingest.DateOrderDMY && *dateOrder != ingest.DateOrderMDY {
		return usagef("--date-order %q is not dmy or mdy", *dateOrder)
	}
	opts := ingest.ImportOptions{Format: *format, Map: m, Previews: !*noPreviews, HeaderLine: *headerLine, DryRun: *dryRun,
		Positive: *positive, DateOrder: *dateOrder}
	var results []importResult
	failed := 0
	for _, f := range files {
		bar := env.newProgress("import "+filepath.Base(f), -1, countItems, *asJSON)
		opts.Progress = func(rows int) error {
			bar.set(int64(rows))
			return env.ctx.Err() // Ctrl+C: the import's transaction rolls back
		}
		rep, err := cases.AddFile(env.ctx, id, f, opts)
		bar.done()
		r := importResult{Report: rep}
		if err != nil {
			failed++
			r.Error, r.Message = err.Error(), env.explain(err)
			if errors.Is(err, evidence.ErrNotFound) {
				return err // the case itself is missing: no file can go in
			}
		}
		if *dryRun && err == nil && rep.Kind == "statement" {
			c, cerr := st.GetCase(env.ctx, id)
			if cerr != nil {
				return cerr
			}
			p, perr := ingest.PreviewPath(env.ctx, st, f, ingest.Options{Format: *format, Map: m, HeaderLine: *headerLine,
				Positive: *positive, DateOrder: *dateOrder, Role: c.Role}, *previewRows)
			if perr == nil {
				r.Preview = p
			}
		}
		results = append(results, r)
		if !*asJSON {
			printImport(env.stdout, r, *lang)
		}
	}
	if *asJSON {
		if err := writeJSON(env.stdout, results); err != nil {
			return err
		}
	}
	if failed > 0 {
		return &explain.FilesFailed{Failed: failed, Total: len(files)}
	}
	return nil
}

func fieldNames() string {
	s := make([]string, len(ingest.Fields))
	for i, f := range ingest.Fields {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// printImport writes one file's report for people.
func printImport(w io.Writer, r importResult, lang string) {
	if r.Error != "" {
		msg := r.Message
		if msg == "" {
			msg = r.Error
		}
		fmt.Fprintf(w, "%s: NOT IMPORTED: %s\n", r.File, msg)
		switch {
		case strings.Contains(r.Error, "--map"):
			fmt.Fprintf(w, "  hint: dk import ID FILE [--header-line N] --map 交易时间=time --map 金额=amount … (fields: %s)\n", fieldNames())
		}
		return
	}
	switch r.Kind {
	case "statement":
		fmt.Fprintf(w, "%s: %s statement (%s), header on line %d\n", r.File, r.Format, r.Encoding, r.HeaderLine)
		if r.Updated > 0 {
			fmt.Fprintf(w, "  rows %d, imported %d, status updated %d, duplicates %d, skipped %d\n", r.Rows, r.Imported, r.Updated, r.Duplicates, r.Skipped)
		} else {
			fmt.Fprintf(w, "  rows %d, imported %d, duplicates %d, skipped %d\n", r.Rows, r.Imported, r.Duplicates, r.Skipped)
		}
		for _, fl := range r.Flows {
			fmt.Fprintf(w, "  %s: in %d rows %s, out %d rows %s", fl.Currency, fl.InRows, moneyIn(fl.In, fl.Currency), fl.OutRows, moneyIn(fl.Out, fl.Currency))
			if fl.NeutralRows > 0 {
				fmt.Fprintf(w, ", neither (不计收支) %d rows %s", fl.NeutralRows, moneyIn(fl.Neutral, fl.Currency))
			}
			fmt.Fprintln(w)
		}
	case "calls":
		fmt.Fprintf(w, "%s: call log, rows %d, imported %d, already there %d, skipped %d\n", r.File, r.Rows, r.Imported, r.Duplicates, r.Skipped)
	default:
		state := "stored"
		if r.Duplicates > 0 {
			state = "already in the case"
		}
		fmt.Fprintf(w, "%s: %s, %s as %s\n", r.File, r.Kind, state, r.Format)
	}
	if len(r.Mapping) > 0 {
		fmt.Fprintf(w, "  mapping: %s\n", r.Mapping)
	}
	if p := r.Preview; p != nil {
		if len(r.Mapping) == 0 && len(p.Mapping) > 0 {
			fmt.Fprintf(w, "  mapping: %s\n", p.Mapping)
		}
		fmt.Fprintf(w, "  first rows as they would be stored:\n")
		for _, row := range p.Rows {
			if row.Skipped != "" {
				msg := row.Skipped
				if lang == "zh" {
					msg = row.SkippedZH
				}
				fmt.Fprintf(w, "    line %d: skipped: %s\n", row.Line, msg)
				continue
			}
			dir := string(row.Direction)
			if row.Guessed {
				dir += " (guessed: the file does not say)"
			}
			fmt.Fprintf(w, "    line %d: %s  %s  %-7s %s", row.Line, row.Time, moneyIn(row.Amount, row.Currency), dir, row.Merchant)
			if row.Status != "" {
				fmt.Fprintf(w, "  [%s]", row.Status)
			}
			fmt.Fprintln(w)
		}
	}
	for _, s := range r.SkippedRows {
		fmt.Fprintf(w, "  skipped line %d: %s\n", s.Line, s.In(lang))
	}
	if r.Skipped > len(r.SkippedRows) {
		fmt.Fprintf(w, "  … and %d more skipped rows\n", r.Skipped-len(r.SkippedRows))
	}
	for _, p := range r.Warnings {
		if p.Line > 0 {
			fmt.Fprintf(w, "  warning (line %d): %s\n", p.Line, p.In(lang))
		} else {
			fmt.Fprintf(w, "  warning: %s\n", p.In(lang))
		}
	}
	if r.ExhibitID != 0 {
		sha := r.SHA256
		if len(sha) > 12 {
			sha = sha[:12]
		}
		fmt.Fprintf(w, "  exhibit %d (证据%d), sha256 %s…\n", r.ExhibitID, r.ExhibitSeq, sha)
	}
}

func runTxnMerge(env *cli, args []string) error {
	fs := newFlags(env, "txn merge")
	id, pos, err := parseCaseArgs(fs, args, true)
	if err != nil {
		return err
	}
	if len(pos) != 3 {
		return usagef("needs the case ID, the transaction to keep and the one to merge into it: dk txn merge ID KEEP DROP")
	}
	keep, err1 := strconv.ParseInt(pos[1], 10, 64)
	drop, err2 := strconv.ParseInt(pos[2], 10, 64)
	if err1 != nil || err2 != nil {
		return usagef("KEEP and DROP are transaction IDs (dk txn list %d)", id)
	}
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	m, err := st.MergeTransactions(env.ctx, id, keep, drop)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "transaction %d merged into %d: %s %s %s\n", drop, keep, evidence.FormatLocal(m.Time), m.Amount, m.Merchant)
	return nil
}

// moneyIn writes an amount in its currency: ¥ for RMB, the code otherwise.
func moneyIn(m evidence.Money, currency string) string {
	if currency == "" || currency == "CNY" {
		return m.String()
	}
	return currency + " " + m.Yuan()
}

func runCheck(env *cli, args []string) error {
	fs := newFlags(env, "check")
	asJSON := fs.Bool("json", false, "print the findings as JSON")
	lang := fs.String("lang", "zh", "language of the text output: zh | en")
	rate := fs.String("rate", "", "merchant fee rate for settlement checks: 0.38%, 38 (万分之), 0.0038; remembered for the case")
	feeCap := fs.String("cap", "", "fee cap per transaction in yuan (e.g. 20); remembered")
	cycle := fs.String("cycle", "", "settlement cycle T+1 | D+1 | T+0 | D+0 (default T+1); remembered")
	var holidays multiFlag
	fs.Var(&holidays, "holiday", "a non-working day for T cycles (2024-10-01), repeatable; remembered")
	window := fs.Duration("window", 30*time.Minute, "how close two equal charges must be to count as a duplicate")
	atFlag := fs.String("at", "", "measure deadlines against this time instead of now (2006-01-02 15:04)")
	var claims multiFlag
	fs.Var(&claims, "claim", "add finding N (as numbered in the output) to the case's claims and mark its transactions disputed; repeatable")
	id, _, err := parseCaseArgs(fs, args, false)
	if err != nil {
		return err
	}
	if *lang != "zh" && *lang != "en" {
		return usagef("--lang %q is not zh or en", *lang)
	}
	opts := check.Options{DuplicateWindow: *window}
	if *atFlag != "" {
		if opts.Now, err = evidence.ParseLocalTime(*atFlag, nil); err != nil {
			return usagef("--at: %v", err)
		}
	}
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	terms, err := checkTerms(env, st, id, *rate, *feeCap, *cycle, holidays)
	if err != nil {
		return err
	}
	opts.Settlement = terms
	d, err := st.Dossier(env.ctx, id)
	if err != nil {
		return err
	}
	findings := check.Run(d, opts)
	if len(claims) > 0 {
		if err := adoptFindings(env, st, id, findings, claims, *lang); err != nil {
			return err
		}
	}
	if *asJSON {
		if findings == nil {
			findings = []check.Finding{}
		}
		return writeJSON(env.stdout, findings)
	}
	if len(findings) == 0 {
		fmt.Fprintln(env.stdout, "no findings")
		return nil
	}
	for i, f := range findings {
		amount := ""
		if f.Amount != 0 {
			amount = " " + f.Amount.String()
		}
		fmt.Fprintf(env.stdout, "%d. [%s] %s%s\n   %s\n", i+1, f.Severity, f.Kind, amount, f.Summary.In(*lang))
		if len(f.Transactions) > 0 {
			fmt.Fprintf(env.stdout, "   transactions: %s\n", joinIDs(f.Transactions))
		}
		if !f.Due.IsZero() {
			fmt.Fprintf(env.stdout, "   due: %s\n", evidence.FormatLocal(f.Due))
		}
	}
	return nil
}

// checkTerms reads the settlement terms from the flags, keeping them for
// the case, or else the ones kept before.
func checkTerms(env *cli, st *store.Store, id int64, rate, feeCap, cycle string, holidays []string) (check.Terms, error) {
	t, err := check.LoadTerms(env.ctx, st, id)
	if err != nil {
		return check.Terms{}, err
	}
	changed := false
	if rate != "" {
		if t.Rate, err = check.ParseRate(rate); err != nil {
			return check.Terms{}, usagef("--rate: %v", err)
		}
		changed = true
	}
	if feeCap != "" {
		c, err := evidence.ParseMoney(feeCap)
		if err != nil || c < 0 {
			return check.Terms{}, usagef("--cap %q is not an amount in yuan", feeCap)
		}
		t.Cap, changed = c, true
	}
	if cycle != "" {
		t.Cycle, changed = strings.ToUpper(cycle), true
	}
	if len(holidays) > 0 {
		t.Holidays = nil
		for _, h := range holidays {
			d, err := time.ParseInLocation("2006-01-02", h, evidence.Shanghai)
			if err != nil {
				return check.Terms{}, usagef("--holiday %q is not a date like 2024-10-01", h)
			}
			t.Holidays = append(t.Holidays, d)
		}
		changed = true
	}
	if err := t.Validate(); err != nil {
		return check.Terms{}, usagef("%w", err)
	}
	if changed {
		if err := check.SaveTerms(env.ctx, st, id, t); err != nil {
			return check.Terms{}, err
		}
	}
	return t, nil
}

// adoptFindings turns the picked findings (numbered from 1 as printed) into
// claims with their evidence.
func adoptFindings(env *cli, st *store.Store, id int64, fs []check.Finding, picks []string, lang string) error {
	var chosen []check.Finding
	for _, p := range picks {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 1 || n > len(fs) {
			return usagef("--claim %q: there are findings 1 to %d", p, len(fs))
		}
		chosen = append(chosen, fs[n-1])
	}
	ws, err := check.Adopt(env.ctx, st, id, chosen, lang)
	printWarnings(env, ws)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "added %d finding(s) to case %d as claims; their transactions are marked disputed\n", len(chosen), id)
	return nil
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ", ")
}
