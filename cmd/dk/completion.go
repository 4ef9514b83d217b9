package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

func init() {
	register(command{name: "completion", summary: "print the shell completion script: bash | zsh | fish | powershell", run: runCompletion})
	register(command{name: "version", summary: "print dk's version (also dk --version)", run: func(env *cli, args []string) error {
		printVersion(env.stdout)
		return nil
	}})
}

// globalFlags are the options dk takes before the command.
var globalFlags = []string{"--home", "--version", "--help"}

// completionModel is what every script completes: the first words of the
// commands, the second words of the grouped ones ("case new"), and each
// command's flags.
type completionModel struct {
	first   []string            // "attach", "case", …
	second  map[string][]string // "case" → "new", "list", …
	flags   map[string][]string // "case new" → "--title", …
	summary map[string]string   // first word → what it does (for fish and PowerShell)
}

// flagLine matches a flag in FlagSet.PrintDefaults output ("  -title string").
var flagLine = regexp.MustCompile(`(?m)^  -([A-Za-z0-9][A-Za-z0-9_-]*)`)

// buildCompletionModel asks every registered command for its flags by
// running it with -h, the way a user would: commands declare their flags
// where they parse them, so this list cannot drift from them. The home is
// a path no system accepts, so no command can open or create a store.
func buildCompletionModel() completionModel {
	m := completionModel{second: map[string][]string{}, flags: map[string][]string{}, summary: map[string]string{}}
	seen := map[string]bool{}
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		first, second, grouped := strings.Cut(n, " ")
		if !seen[first] {
			seen[first] = true
			m.first = append(m.first, first)
		}
		if grouped {
			m.second[first] = append(m.second[first], second)
			m.summary[first] = first + " commands"
		} else {
			m.summary[first] = commands[n].summary
		}
		var help bytes.Buffer
		env := &cli{ctx: context.Background(), home: "\x00", stdin: strings.NewReader(""), stdout: io.Discard, stderr: &help}
		if n != "completion" && n != "version" {
			_ = commands[n].run(env, []string{"-h"})
		}
		for _, f := range flagLine.FindAllStringSubmatch(help.String(), -1) {
			dash := "--"
			if len(f[1]) == 1 {
				dash = "-" // -o, as the usage lines write it
			}
			m.flags[n] = append(m.flags[n], dash+f[1])
		}
	}
	return m
}

func runCompletion(env *cli, args []string) error {
	fs := newFlags(env, "completion")
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: dk completion bash|zsh|fish|powershell")
		fmt.Fprintln(env.stderr, "  bash:       source <(dk completion bash)          (or save it in /etc/bash_completion.d/dk)")
		fmt.Fprintln(env.stderr, "  zsh:        source <(dk completion zsh)           (or save it as _dk on your $fpath)")
		fmt.Fprintln(env.stderr, "  fish:       dk completion fish > ~/.config/fish/completions/dk.fish")
		fmt.Fprintln(env.stderr, "  powershell: dk completion powershell | Out-String | Invoke-Expression   (add it to $PROFILE)")
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usagef("%w", err)
	}
	if len(pos) != 1 {
		fs.Usage()
		return usagef("needs one shell: bash, zsh, fish or powershell")
	}
	m := buildCompletionModel()
	switch pos[0] {
	case "bash":
		m.bash(env.stdout)
	case "zsh":
		m.zsh(env.stdout)
	case "fish":
		m.fish(env.stdout)
	case "powershell", "pwsh":
		m.powershell(env.stdout)
	default:
		return usagef("unknown shell %q: want bash, zsh, fish or powershell", pos[0])
	}
	return nil
}

// commandKeys lists the names of commands, each with its flags, in order.
func (m completionModel) commandKeys() []string {
	keys := make([]string, 0, len(m.flags))
	for k := range m.flags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (m completionModel) bash(w io.Writer) {
	fmt.Fprint(w, `# bash completion for dk (DisputeKit). Load it with: source <(dk completion bash)
_dk() {
    local cur="${COMP_WORDS[COMP_CWORD]}" i=1
    while [ "$i" -lt "$COMP_CWORD" ]; do
        case "${COMP_WORDS[i]}" in
            --home) i=$((i + 2)) ;;
            -*) i=$((i + 1)) ;;
            *) break ;;
        esac
    done
    if [ "$COMP_CWORD" -le "$i" ]; then
        COMPREPLY=($(compgen -W "`+strings.Join(m.first, " ")+" "+strings.Join(globalFlags, " ")+`" -- "$cur"))
        return
    fi
    local first="${COMP_WORDS[i]}" key="${COMP_WORDS[i]}"
    if [ "$COMP_CWORD" -eq $((i + 1)) ]; then
        case "$first" in
`)
	for _, f := range m.first {
		if subs := m.second[f]; len(subs) > 0 {
			fmt.Fprintf(w, "            %s) COMPREPLY=($(compgen -W %q -- \"$cur\")); return ;;\n", f, strings.Join(subs, " "))
		}
	}
	fmt.Fprint(w, `        esac
    fi
    case "$first" in
`)
	for _, f := range m.first {
		if len(m.second[f]) > 0 {
			fmt.Fprintf(w, "        %s) key=\"$first ${COMP_WORDS[i+1]}\" ;;\n", f)
		}
	}
	fmt.Fprint(w, `    esac
    if [[ "$cur" == -* ]]; then
        case "$key" in
`)
	for _, k := range m.commandKeys() {
		fmt.Fprintf(w, "            %q) COMPREPLY=($(compgen -W %q -- \"$cur\")) ;;\n", k, strings.Join(m.flags[k], " "))
	}
	fmt.Fprint(w, `        esac
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -o bashdefault -F _dk dk dk.exe
`)
}

func (m completionModel) zsh(w io.Writer) {
	fmt.Fprint(w, `#compdef dk
# zsh completion for dk (DisputeKit). Load it with: source <(dk completion zsh)
_dk() {
    local i=2
    while (( i < CURRENT )); do
        case ${words[i]} in
            --home) (( i += 2 )) ;;
            -*) (( i += 1 )) ;;
            *) break ;;
        esac
    done
    if (( CURRENT <= i )); then
        compadd -- `+strings.Join(m.first, " ")+" "+strings.Join(globalFlags, " ")+`
        return
    fi
    local first=${words[i]} key=${words[i]}
    if (( CURRENT == i + 1 )); then
        case $first in
`)
	for _, f := range m.first {
		if subs := m.second[f]; len(subs) > 0 {
			fmt.Fprintf(w, "            %s) compadd -- %s; return ;;\n", f, strings.Join(subs, " "))
		}
	}
	fmt.Fprint(w, `        esac
    fi
    case $first in
`)
	for _, f := range m.first {
		if len(m.second[f]) > 0 {
			fmt.Fprintf(w, "        %s) key=\"$first ${words[i+1]}\" ;;\n", f)
		}
	}
	fmt.Fprint(w, `    esac
    if [[ ${words[CURRENT]} == -* ]]; then
        case $key in
`)
	for _, k := range m.commandKeys() {
		fmt.Fprintf(w, "            %q) compadd -- %s ;;\n", k, strings.Join(m.flags[k], " "))
	}
	fmt.Fprint(w, `        esac
        return
    fi
    _files
}
if [ "${funcstack[1]}" = "_dk" ]; then
    _dk "$@"
else
    compdef _dk dk
fi
`)
}

func (m completionModel) fish(w io.Writer) {
	fmt.Fprintln(w, "# fish completion for dk (DisputeKit): dk completion fish > ~/.config/fish/completions/dk.fish")
	fmt.Fprintln(w, "complete -c dk -l home -r -d 'the folder of the case store'")
	fmt.Fprintln(w, "complete -c dk -l version -d 'print the version'")
	for _, f := range m.first {
		fmt.Fprintf(w, "complete -c dk -n __fish_use_subcommand -a %s -d %s\n", f, fishQuote(m.summary[f]))
	}
	for _, f := range m.first {
		subs := m.second[f]
		if len(subs) == 0 {
			for _, fl := range m.flags[f] {
				fmt.Fprintf(w, "complete -c dk -n '__fish_seen_subcommand_from %s' %s\n", f, fishFlag(fl))
			}
			continue
		}
		none := fmt.Sprintf("__fish_seen_subcommand_from %s; and not __fish_seen_subcommand_from %s", f, strings.Join(subs, " "))
		for _, s := range subs {
			fmt.Fprintf(w, "complete -c dk -f -n '%s' -a %s -d %s\n", none, s, fishQuote(commands[f+" "+s].summary))
			for _, fl := range m.flags[f+" "+s] {
				fmt.Fprintf(w, "complete -c dk -n '__fish_seen_subcommand_from %s; and __fish_seen_subcommand_from %s' %s\n", f, s, fishFlag(fl))
			}
		}
	}
}

// fishFlag turns "--name" into fish's "-l name" and "-o" into "-s o".
func fishFlag(fl string) string {
	if name, ok := strings.CutPrefix(fl, "--"); ok {
		return "-l " + name
	}
	return "-s " + strings.TrimPrefix(fl, "-")
}

func fishQuote(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
}

func (m completionModel) powershell(w io.Writer) {
	psList := func(words []string) string {
		q := make([]string, len(words))
		for i, s := range words {
			q[i] = "'" + strings.ReplaceAll(s, "'", "''") + "'"
		}
		return "@(" + strings.Join(q, ", ") + ")"
	}
	fmt.Fprintln(w, "# PowerShell completion for dk (DisputeKit): dk completion powershell | Out-String | Invoke-Expression")
	fmt.Fprintln(w, "$dkFirst = "+psList(append(append([]string{}, m.first...), globalFlags...)))
	fmt.Fprintln(w, "$dkSecond = @{")
	for _, f := range m.first {
		if subs := m.second[f]; len(subs) > 0 {
			fmt.Fprintf(w, "    '%s' = %s\n", f, psList(subs))
		}
	}
	fmt.Fprintln(w, "}")
	fmt.Fprintln(w, "$dkFlags = @{")
	for _, k := range m.commandKeys() {
		fmt.Fprintf(w, "    '%s' = %s\n", k, psList(m.flags[k]))
	}
	fmt.Fprintln(w, "}")
	fmt.Fprint(w, `Register-ArgumentCompleter -Native -CommandName 'dk', 'dk.exe' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements | Where-Object { $_.Extent.EndOffset -lt $cursorPosition } | ForEach-Object { $_.Extent.Text })
    $i = 1
    while ($i -lt $words.Count -and $words[$i].StartsWith('-')) {
        if ($words[$i] -eq '--home') { $i += 2 } else { $i += 1 }
    }
    $candidates = @()
    if ($i -ge $words.Count) {
        $candidates = $dkFirst
    } elseif ($dkSecond.ContainsKey($words[$i]) -and $i + 1 -ge $words.Count) {
        $candidates = $dkSecond[$words[$i]]
    } elseif ($wordToComplete.StartsWith('-')) {
        $key = $words[$i]
        if ($dkSecond.ContainsKey($key) -and $i + 1 -lt $words.Count) { $key = $key + ' ' + $words[$i + 1] }
        if ($dkFlags.ContainsKey($key)) { $candidates = $dkFlags[$key] }
    } else {
        return
    }
    $candidates | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }
}
`)
}
