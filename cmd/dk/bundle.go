package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/disputekit/disputekit/evidence"
	"github.com/disputekit/disputekit/evidence/atomicfile"
	"github.com/disputekit/disputekit/evidence/bundle"
	"github.com/disputekit/disputekit/evidence/explain"
	"github.com/disputekit/disputekit/evidence/report"
	"github.com/disputekit/disputekit/evidence/store"
	"github.com/disputekit/disputekit/templates"
)

func init() {
	register(command{name: "bundle export", summary: "write case ID as a bundle: -o FILE [--letters] [--encrypt]", run: runBundleExport})
	register(command{name: "bundle import", summary: "import a bundle FILE as a new case; prints its ID", run: runBundleImport})
	register(command{name: "bundle verify", summary: "check every file of a bundle FILE against its manifest [--json]", run: runBundleVerify})
	register(command{name: "backup", summary: "copy the whole home into one file: -o FILE", run: runBackup})
	register(command{name: "restore", summary: "restore a backup FILE into --home DIR (--force to replace)", run: runRestore})
}

// passphraseFrom returns the passphrase source for encrypted bundles:
// --passphrase-file (- for standard input), else $DISPUTEKIT_PASSPHRASE.
func passphraseFrom(env *cli, file string) bundle.Passphrase {
	return func() (string, error) {
		if file == "" {
			if p := os.Getenv("DISPUTEKIT_PASSPHRASE"); p != "" {
				return p, nil
			}
			return "", fmt.Errorf("the bundle is encrypted: give --passphrase-file FILE or set DISPUTEKIT_PASSPHRASE: %w", bundle.ErrPassphrase)
		}
		var r io.Reader = env.stdin
		if file != "-" {
			f, err := os.Open(file)
			if err != nil {
				return "", fmt.Errorf("read passphrase: %w", err)
			}
			defer f.Close()
			r = f
		}
		line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", fmt.Errorf("read passphrase: %w", err)
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			return "", fmt.Errorf("read passphrase: %s is empty: %w", file, bundle.ErrPassphrase)
		}
		return line, nil
	}
}

func runBundleExport(env *cli, args []string) error {
	fs := newFlags(env, "bundle export")
	out := fs.String("o", "", "the bundle file to write (default case-ID.zip, or .zip.age when encrypted)")
	letters := fs.Bool("letters", false, "include the letters to every recipient")
	lang := fs.String("lang", "zh", "language of the letters: zh or en")
	encrypt := fs.Bool("encrypt", false, "encrypt with a passphrase (age; opens with `age -d`)")
	passFile := fs.String("passphrase-file", "", "read the passphrase from the first line of FILE (- for standard input); else $DISPUTEKIT_PASSPHRASE")
	id, _, err := parseCaseArgs(fs, args, false)
	if err != nil {
		return err
	}
	if *out == "" {
		*out = fmt.Sprintf("case-%d.zip", id)
		if *encrypt {
			*out += ".age"
		}
	}
	pass := ""
	if *encrypt {
		if pass, err = passphraseFrom(env, *passFile)(); err != nil {
			return err
		}
	} else if *passFile != "" {
		return usagef("--passphrase-file needs --encrypt")
	}
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	var opt bundle.Options
	if *letters {
		if opt.Letters, err = letterFiles(env, st, id, templates.Lang(*lang)); err != nil {
			return err
		}
	}
	bar := env.newProgress("export", exportTotal(env.ctx, st, id), countBytes, false)
	m, err := bundle.ExportFile(env.ctx, exportProgress{st, bar}, id, *out, opt, pass)
	bar.done()
	if err != nil {
		return err
	}
	sum, size, err := fileSHA256(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "wrote %s: case %d, %d files, %d bytes, sha256 %s\n", *out, m.CaseID, len(m.Files), size, sum)
	return nil
}

// letterFiles composes the case's letter to every recipient as a PDF named
// "<recipient>-<lang>.pdf"; the letters are dated the case's last change so
// that the bundle stays reproducible.
func letterFiles(env *cli, st *store.Store, id int64, lang templates.Lang) (map[string][]byte, error) {
	if lang != templates.Chinese && lang != templates.English {
		return nil, usagef("--lang %q: want zh or en", lang)
	}
	d, err := st.Dossier(env.ctx, id)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, to := range templates.Recipients {
		l, err := templates.Compose(d, to, lang, bundle.Created(d))
		if err != nil {
			fmt.Fprintf(env.stderr, "warning: no letter to %s: %v\n", to, err)
			continue
		}
		var buf bytes.Buffer
		if err := report.WriteLetterPDF(&buf, l, st); err != nil {
			return nil, fmt.Errorf("write the letter to %s: %w", to, err)
		}
		files[fmt.Sprintf("%s-%s.pdf", to, lang)] = buf.Bytes()
	}
	return files, nil
}

func fileSHA256(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

func bundleFileArg(pos []string) (string, error) {
	if len(pos) != 1 {
		return "", usagef("needs exactly one bundle file")
	}
	return pos[0], nil
}

func runBundleImport(env *cli, args []string) error {
	fs := newFlags(env, "bundle import")
	passFile := fs.String("passphrase-file", "", "passphrase of an encrypted bundle: first line of FILE (- for standard input); else $DISPUTEKIT_PASSPHRASE")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usagef("%w", err)
	}
	path, err := bundleFileArg(pos)
	if err != nil {
		return err
	}
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	r, size, _, closeFn, err := openBundle(env, "import", path, passphraseFrom(env, *passFile), 2, false)
	if err != nil {
		return fmt.Errorf("import %s: %w", path, err)
	}
	defer closeFn()
	id, err := bundle.Import(env.ctx, st, r, size)
	if err != nil {
		err = fmt.Errorf("import %s: %w", path, err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, id)
	if n, err := st.AmountsOverCeiling(env.ctx, id); err == nil && n > 0 {
		// Kept so that a case DisputeKit exported always imports again.
		if env.lang == templates.Chinese {
			fmt.Fprintf(env.stderr, "dk: 注意：导入的案件有 %d 个金额超过单笔金额上限 %s（在设上限之前记录的），已按原样保留；合计时每个按 %s 计。\n",
				n, evidence.MaxAmount, evidence.MaxAmount)
		} else {
			fmt.Fprintf(env.stderr, "dk: note: the imported case has %d amounts above the most DisputeKit takes for one amount, %s (recorded before that limit existed); they are kept as they were, and totals count each as %s.\n",
				n, evidence.MaxAmount, evidence.MaxAmount)
		}
	}
	return nil
}

func runBundleVerify(env *cli, args []string) error {
	fs := newFlags(env, "bundle verify")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	passFile := fs.String("passphrase-file", "", "passphrase of an encrypted bundle: first line of FILE (- for standard input); else $DISPUTEKIT_PASSPHRASE")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usagef("%w", err)
	}
	path, err := bundleFileArg(pos)
	if err != nil {
		return err
	}
	rep, err := verifyBundle(env, path, passphraseFrom(env, *passFile), *asJSON)
	if err != nil {
		return err
	}
	if *asJSON {
		if err := writeJSON(env.stdout, rep); err != nil {
			return err
		}
	} else {
		m := rep.Manifest
		enc := ""
		if rep.Encrypted {
			enc = ", encrypted"
		}
		fmt.Fprintf(env.stdout, "%s: case %d %q, made %s%s\n", path, m.CaseID, m.Title, evidence.FormatLocal(m.Created), enc)
		for _, f := range rep.Files {
			fmt.Fprintln(env.stdout, explain.FileLine(f, env.lang, env.debug))
		}
		for _, in := range rep.Inconsistencies {
			fmt.Fprintln(env.stdout, explain.InconsistencyLine(in, env.lang, env.debug))
		}
	}
	if !rep.OK() {
		bad := len(rep.Problems)
		for _, f := range rep.Files {
			if f.Status != bundle.Matched {
				bad++
			}
		}
		return fmt.Errorf("%s: %d problems found: %w", path, bad, bundle.ErrRefused)
	}
	if !*asJSON {
		fmt.Fprintf(env.stdout, "ok: all %d files match the manifest\n", len(rep.Files))
	}
	return nil
}

func runBackup(env *cli, args []string) error {
	fs := newFlags(env, "backup")
	out := fs.String("o", "", "the backup file to write (default disputekit-backup-YYYYMMDD-HHMMSS.zip)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usagef("%w", err)
	}
	if len(pos) > 0 {
		return usagef("unexpected arguments %q", pos)
	}
	if *out == "" {
		*out = "disputekit-backup-" + time.Now().Format("20060102-150405") + ".zip"
	}
	st, err := env.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	bar := env.newProgress("backup", homeSize(st.Home()), countBytes, false)
	err = atomicfile.Write(*out, atomicfile.Private, func(w io.Writer) error { return st.Backup(env.ctx, countingWriter{w, bar}) })
	bar.done()
	if err != nil {
		return err
	}
	sum, size, err := fileSHA256(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "wrote %s: %d bytes, sha256 %s\n", *out, size, sum)
	return nil
}

func runRestore(env *cli, args []string) error {
	fs := newFlags(env, "restore")
	home := fs.String("home", env.home, "the home to restore into (default: $DISPUTEKIT_HOME or the user data directory)")
	force := fs.Bool("force", false, "replace a home that is not empty (the old one is kept beside it)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usagef("%w", err)
	}
	if len(pos) != 1 {
		return usagef("needs exactly one backup file")
	}
	if *home == "" {
		if *home, err = store.DefaultHome(); err != nil {
			return err
		}
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	replaced, err := store.Restore(env.ctx, f, fi.Size(), *home, *force)
	if err != nil {
		if errors.Is(err, store.ErrLocked) {
			return fmt.Errorf("%w (close DisputeKit first)", err)
		}
		return err
	}
	fmt.Fprintf(env.stdout, "restored %s into %s\n", pos[0], *home)
	if replaced != "" {
		fmt.Fprintf(env.stdout, "the previous home was kept as %s\n", replaced)
	}
	return nil
}
