package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/disputekit/disputekit/assets"
	"github.com/disputekit/disputekit/evidence/explain"
	"github.com/disputekit/disputekit/evidence/store"
	"github.com/disputekit/disputekit/templates"
)

// command is one dk sub-command. Files in this package register theirs in
// init with register.
type command struct {
	name    string // "case new", "txn add", "letter" …
	summary string
	run     func(env *cli, args []string) error
}

var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

// cli is what every command gets: the streams and the home to open.
type cli struct {
	ctx    context.Context
	home   string
	wait   time.Duration  // how long openStore waits for a home another process has open
	lang   templates.Lang // the language of error messages (--lang, else the locale)
	debug  bool           // --debug: print the technical cause under each error
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// openStore opens the case store in the chosen home; callers Close it.
func (c *cli) openStore() (*store.Store, error) {
	home := c.home
	if home == "" {
		var err error
		if home, err = store.DefaultHome(); err != nil {
			return nil, err
		}
	}
	return openWaiting(c.ctx, home, c.wait)
}

// openWaiting opens the store in home; while another process has it open
// it tries again, for up to wait, so scripts running dk side by side take
// turns instead of failing.
func openWaiting(ctx context.Context, home string, wait time.Duration) (*store.Store, error) {
	deadline := time.Now().Add(wait)
	delay := 10 * time.Millisecond
	for {
		st, err := store.Open(home)
		if err == nil || !errors.Is(err, store.ErrLocked) || wait <= 0 {
			return st, err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return nil, fmt.Errorf("waited %v: %w", wait, err)
		}
		pause := min(delay/2+rand.N(delay), left) // jittered, so waiting writers do not retry in step
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(pause):
		}
		delay = min(2*delay, 250*time.Millisecond)
	}
}

// usageError is returned for wrong arguments; run prints it with the usage
// hint. It wraps what it was made from, so flag.ErrHelp (-h, --help) still
// reads as a request for help, not a mistake.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// newFlags makes a FlagSet that reports errors instead of exiting.
func newFlags(env *cli, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("dk "+name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	return fs
}

// parseInterspersed parses flags that may come before or after positional
// arguments ("dk case show 3 --json" and "dk case show --json 3").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runContext(context.Background(), args, stdin, stdout, stderr)
}

// runContext runs one dk command line under ctx (cancelled by Ctrl+C) and
// returns the exit status.
func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &cli{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, home: os.Getenv("DISPUTEKIT_HOME")}
	lang := ""
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		a := args[0]
		switch {
		case a == "--home" || a == "-home":
			if len(args) < 2 {
				fmt.Fprintln(stderr, "dk: --home needs a directory")
				return 2
			}
			env.home, args = args[1], args[2:]
			if env.home == "" {
				fmt.Fprintln(stderr, "dk: --home needs a directory; an empty one was given")
				return 2
			}
		case a == "--wait" || strings.HasPrefix(a, "--wait="):
			_, rest, ok := strings.Cut(a, "=")
			if !ok {
				if len(args) < 2 {
					fmt.Fprintln(stderr, "dk: --wait needs a duration, e.g. --wait 30s")
					return 2
				}
				rest, args = args[1], args[1:]
			}
			d, err := time.ParseDuration(rest)
			if err != nil || d < 0 {
				fmt.Fprintf(stderr, "dk: --wait %q is not a duration like 30s or 2m\n", rest)
				return 2
			}
			env.wait, args = d, args[1:]
		case a == "--debug":
			env.debug, args = true, args[1:]
		case a == "--lang" || strings.HasPrefix(a, "--lang="):
			_, v, ok := strings.Cut(a, "=")
			if !ok {
				if len(args) < 2 {
					fmt.Fprintln(stderr, "dk: --lang needs zh or en")
					return 2
				}
				v, args = args[1], args[1:]
			}
			if v != "zh" && v != "en" {
				fmt.Fprintf(stderr, "dk: --lang %q is not zh or en\n", v)
				return 2
			}
			lang, args = v, args[1:]
		case strings.HasPrefix(a, "--home="):
			env.home, args = strings.TrimPrefix(a, "--home="), args[1:]
			if env.home == "" {
				fmt.Fprintln(stderr, "dk: --home needs a directory; an empty one was given")
				return 2
			}
		case a == "--version" || a == "-version" || a == "-V":
			printVersion(stdout)
			return 0
		case a == "-h" || a == "--help" || a == "help":
			printUsage(stdout)
			return 0
		default:
			fmt.Fprintf(stderr, "dk: unknown option %s\n", a)
			return 2
		}
	}
	env.lang = explain.Lang(lang, os.Getenv)
	if len(args) == 0 || args[0] == "help" {
		printUsage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, rest, ok := lookup(args)
	if !ok {
		fmt.Fprintf(stderr, "dk: unknown command %q (see dk help)\n", strings.Join(args[:min(2, len(args))], " "))
		return 2
	}
	if err := cmd.run(env, rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		var ue usageError
		if errors.As(err, &ue) {
			if explain.Classify(err).Code != explain.Unexpected { // a value refused for a reason we can word
				fmt.Fprintf(stderr, "dk %s: %s\n", cmd.name, env.explain(err))
			} else {
				fmt.Fprintf(stderr, "dk %s: %v\n", cmd.name, err) // flags and their values, as typed
			}
			return 2
		}
		fmt.Fprintf(stderr, "dk %s: %s\n", cmd.name, env.explain(err))
		return 1
	}
	return 0
}

// explain words err for the user in their language (see package explain),
// with the technical cause on a second line under --debug. An error no
// sentinel or type classifies is our own English sentence: shown as it is
// in English, and behind a plain sentence in Chinese.
func (c *cli) explain(err error) string {
	p := explain.Classify(err)
	if p.Code == explain.DiskFull {
		dir := c.home
		if p.Path != "" {
			dir = filepath.Dir(p.Path)
		} else if dir == "" {
			dir, _ = store.DefaultHome()
		}
		p.Free, _ = freeSpace(dir)
	}
	msg := p.Message(c.lang)
	if p.Code == explain.Unexpected && c.lang == templates.English {
		msg = err.Error()
	}
	if c.debug {
		label := "cause"
		if c.lang == templates.Chinese {
			label = "技术原因"
		}
		msg += "\n  " + label + ": " + err.Error()
	}
	return msg
}

// lookup finds the longest registered command name that prefixes args.
func lookup(args []string) (command, []string, bool) {
	if len(args) >= 2 {
		if c, ok := commands[args[0]+" "+args[1]]; ok {
			return c, args[2:], true
		}
	}
	c, ok := commands[args[0]]
	return c, args[1:], ok
}

// printVersion prints what `dk --version` and `dk version` say: the
// release number from FyneApp.toml (see assets.Version) and the commit.
func printVersion(w io.Writer) {
	v := "dk (DisputeKit) " + assets.Version()
	if c := assets.Commit(); c != "" {
		v += " (" + c + ")"
	}
	fmt.Fprintln(w, v)
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "dk — DisputeKit on the command line")
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "usage: dk [--home DIR] [--wait 30s] [--lang zh|en] [--debug] COMMAND [ARGS]   ·   dk --version")
	fmt.Fprintln(w, "The home is --home, else $DISPUTEKIT_HOME, else the user's data directory.")
	fmt.Fprintln(w, "--wait waits that long for a home another dk or the app has open, instead of failing at once.")
	fmt.Fprintln(w, "Errors are in Chinese under a zh_* locale, else English (--lang zh|en); --debug adds their technical cause.")
	fmt.Fprintln(w, "")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-16s %s\n", n, commands[n].summary)
	}
}
