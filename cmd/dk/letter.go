package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/atomicfile"
	"github.com/disputekit/disputekit/evidence/check"
	"github.com/disputekit/disputekit/evidence/report"
	"github.com/disputekit/disputekit/evidence/sample"
	"github.com/disputekit/disputekit/evidence/store"
	"github.com/disputekit/disputekit/templates"
)

func init() {
	register(command{name: "letter", summary: "write the complaint letter of case ID: --to RECIPIENT --lang zh|en --format pdf|xlsx|json -o FILE", run: runLetter})
	register(command{name: "casefile", summary: "write the case file PDF of case ID for a legal helper: --lang zh|en -o FILE", run: runCaseFile})
	register(command{name: "demo", summary: "install the sample case and write all its letters and case files: -o DIR", run: runDemo})
}

// recipientNames is the --to help text.
func recipientNames() string {
	names := make([]string, len(templates.Recipients), len(templates.Recipients)+1)
	for i, r := range templates.Recipients {
		names[i] = string(r)
	}
	names = append(names, string(templates.ToCourt))
	return strings.Join(names, " | ")
}

func parseRecipient(s string) (templates.Recipient, error) {
	if s == string(templates.ToCourt) {
		return templates.ToCourt, nil // the civil complaint (民事起诉状)
	}
	for _, r := range templates.Recipients {
		if string(r) == s {
			return r, nil
		}
	}
	return "", usagef("--to %q is not one of %s", s, recipientNames())
}

func parseLang(s string) (templates.Lang, error) {
	switch templates.Lang(s) {
	case templates.Chinese, templates.English:
		return templates.Lang(s), nil
	}
	return "", usagef("--lang %q is not zh or en", s)
}

// parseDate reads --date (YYYY-MM-DD, Shanghai); empty means today.
func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Now().In(evidence.Shanghai), nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, evidence.Shanghai)
	if err != nil {
		return time.Time{}, usagef("--date %q is not a date like 2026-11-24", s)
	}
	return t, nil
}

// writeLetter renders l in format to path.
func writeLetter(path, format string, l templates.Letter, v report.Vault) error {
	return atomicfile.Write(path, atomicfile.Document, func(w io.Writer) error {
		switch format {
		case "pdf":
			return report.WriteLetterPDF(w, l, v)
		case "xlsx":
			return report.WriteLetterXLSX(w, l)
		case "json":
			return writeJSON(w, l)
		}
		return usagef("--format %q is not pdf, xlsx or json", format)
	})
}

// letterWarnings prints what the composer says is missing, prefixed by what
// it is about, on stderr.
func letterWarnings(env *cli, prefix string, ws []string) {
	for _, w := range ws {
		fmt.Fprintf(env.stderr, "warning: %s%s\n", prefix, w)
	}
}

func runLetter(env *cli, args []string) error {
	fs := newFlags(env, "letter")
	to := fs.String("to", "", "recipient: "+recipientNames())
	lang := fs.String("lang", "zh", "letter language: zh | en")
	format := fs.String("format", "", "pdf | xlsx | json (default: from the -o file's extension)")
	out := fs.String("o", "", "output file (json: - or empty for standard output)")
	date := fs.String("date", "", "the letter's date, YYYY-MM-DD (default today)")
	checkOnly := fs.Bool("check", false, "print the pre-send check of the letter (placeholders, missing contents, contradictions …) instead of writing it")
	var requests multiFlag
	fs.Var(&requests, "request", "replace this recipient's requests, kept for next time: TEXT or TEXT=AMOUNT; repeat for more")
	resetRequests := fs.Bool("reset-requests", false, "go back to the requests generated from the case's figures")
	id, _, err := parseCaseArgs(fs, args, false)
	if err != nil {
		return err
	}
	if *to == "" {
		return usagef("--to is required: %s", recipientNames())
	}
	r, err := parseRecipient(*to)
	if err != nil {
		return err
	}
	l, err := parseLang(*lang)
	if err != nil {
		return err
	}
	when, err := parseDate(*date)
	if err != nil {
		return err
	}
	f := strings.ToLower(*format)
	if f == "" {
		f = strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")
		if *out == "" || *out == "-" {
			f = "json"
		}
	}
	switch f {
	case "pdf", "xlsx":
		if *out == "" || *out == "-" {
			return usagef("-o FILE is required for a %s letter", f)
		}
	case "json":
	default:
		if !*checkOnly {
			return usagef("--format %q is not pdf, xlsx or json", f)
		}
	}

	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	d, err := st.Dossier(env.ctx, id)
	if err != nil {
		return fmt.Errorf("letter for case %d: %w", id, err)
	}
	if r == templates.ToCourt && (len(requests) > 0 || *resetRequests) {
		return usagef("the civil complaint's claims come from the dispute summary; --request does not apply to --to court")
	}
	opt, err := letterOptions(env, st, id, r, requests, *resetRequests)
	if err != nil {
		return err
	}
	letter, err := templates.ComposeWith(d, r, l, when, opt)
	if err != nil {
		return err
	}
	if *checkOnly {
		advice := templates.Review(letter)
		for _, a := range advice {
			fmt.Fprintf(env.stdout, "- [%s] %s\n", a.Code, a.Text)
		}
		if len(advice) == 0 {
			fmt.Fprintln(env.stdout, map[templates.Lang]string{templates.Chinese: "未发现问题。", templates.English: "Nothing to point out."}[l])
		}
		return nil
	}
	letterWarnings(env, "", letter.Warnings)
	if f == "json" && (*out == "" || *out == "-") {
		return writeJSON(env.stdout, letter)
	}
	if err := writeLetter(*out, f, letter, st); err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, *out)
	return nil
}

// letterOptions are the saved settlement terms of the case and this
// recipient's requests: the ones given now (saved for next time), the
// generated ones after --reset-requests, else the ones saved before.
func letterOptions(env *cli, st *store.Store, id int64, to templates.Recipient, requests multiFlag, reset bool) (templates.Options, error) {
	var opt templates.Options
	terms, err := check.LoadTerms(env.ctx, st, id)
	if err != nil {
		return opt, err
	}
	opt.Terms = terms
	switch {
	case len(requests) > 0:
		for _, v := range requests {
			cl, err := parseClaim(v)
			if err != nil {
				return opt, err
			}
			opt.Requests = append(opt.Requests, cl)
		}
		if err := templates.SaveRequests(env.ctx, st, id, to, opt.Requests); err != nil {
			return opt, err
		}
	case reset:
		if err := templates.SaveRequests(env.ctx, st, id, to, nil); err != nil {
			return opt, err
		}
	default:
		if opt.Requests, err = templates.LoadRequests(env.ctx, st, id, to); err != nil {
			return opt, err
		}
	}
	return opt, nil
}

func runCaseFile(env *cli, args []string) error {
	fs := newFlags(env, "casefile")
	lang := fs.String("lang", "zh", "language: zh | en")
	out := fs.String("o", "", "output PDF file")
	id, _, err := parseCaseArgs(fs, args, false)
	if err != nil {
		return err
	}
	l, err := parseLang(*lang)
	if err != nil {
		return err
	}
	if *out == "" || *out == "-" {
		return usagef("-o FILE is required")
	}
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	d, err := st.Dossier(env.ctx, id)
	if err != nil {
		return fmt.Errorf("case file for case %d: %w", id, err)
	}
	printChecklistGaps(env, d, l)
	dg, err := templates.DigestCase(env.ctx, st, d, l, time.Now())
	if err != nil {
		return fmt.Errorf("case file for case %d: %w", id, err)
	}
	bar := env.newProgress("case file", -1, countItems, false)
	err = atomicfile.Write(*out, atomicfile.Document, func(w io.Writer) error {
		return report.WriteCaseFilePDFWith(ctxWriter{env.ctx, w}, d, l, caseFileProgress{st, env.ctx, bar}, dg)
	})
	bar.done()
	if err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, *out)
	return nil
}

// printChecklistGaps warns on stderr about required evidence the case lacks.
func printChecklistGaps(env *cli, d evidence.Dossier, l templates.Lang) {
	for _, gap := range evidence.MissingEvidence(evidence.Checklist(d)) {
		var labels []string
		for _, it := range gap.Items {
			if l == templates.English {
				labels = append(labels, it.LabelEn)
			} else {
				labels = append(labels, it.LabelZh)
			}
		}
		fmt.Fprintf(env.stderr, "warning: missing evidence (%s): %s\n", gap.Level, strings.Join(labels, " / "))
	}
}

func runDemo(env *cli, args []string) error {
	fs := newFlags(env, "demo")
	out := fs.String("o", "", "directory to write the letters and case files into (created if missing)")
	date := fs.String("date", "", "the letters' date, YYYY-MM-DD (default today)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usagef("%w", err)
	}
	if len(pos) > 0 {
		return usagef("unexpected arguments %q", pos)
	}
	if *out == "" {
		return usagef("-o DIR is required")
	}
	when, err := parseDate(*date)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	id, err := sample.Install(env.ctx, st)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "sample case %d in %s\n", id, st.Home())
	return writeAllDocuments(env, st, id, *out, when)
}

// writeAllDocuments writes every letter the plan allows (6 recipients × zh/en × PDF/XLSX)
// and both case files of case id into dir.
func writeAllDocuments(env *cli, st *store.Store, id int64, dir string, when time.Time) error {
	d, err := st.Dossier(env.ctx, id)
	if err != nil {
		return fmt.Errorf("demo: case %d: %w", id, err)
	}
	langs := []templates.Lang{templates.Chinese, templates.English}
	for _, r := range templates.Recipients {
		for _, l := range langs {
			letter, err := templates.Compose(d, r, l, when)
			if errors.Is(err, templates.ErrRefused) {
				fmt.Fprintf(env.stderr, "no letter to %s (%s): %v\n", r, l, err)
				continue
			}
			if err != nil {
				return err
			}
			letterWarnings(env, fmt.Sprintf("%s-%s: ", r, l), letter.Warnings)
			for _, f := range []string{"pdf", "xlsx"} {
				if err := env.ctx.Err(); err != nil {
					return err // Ctrl+C: the files written so far are whole; no more are started
				}
				path := filepath.Join(dir, fmt.Sprintf("%s-%s.%s", r, l, f))
				if err := writeLetter(path, f, letter, st); err != nil {
					return err
				}
				fmt.Fprintln(env.stdout, path)
			}
		}
	}
	for _, l := range langs {
		if err := env.ctx.Err(); err != nil {
			return err
		}
		path := filepath.Join(dir, fmt.Sprintf("casefile-%s.pdf", l))
		dg, err := templates.DigestCase(env.ctx, st, d, l, when)
		if err != nil {
			return err
		}
		if err := atomicfile.Write(path, atomicfile.Document, func(w io.Writer) error { return report.WriteCaseFilePDFWith(w, d, l, st, dg) }); err != nil {
			return err
		}
		fmt.Fprintln(env.stdout, path)
	}
	return nil
}
