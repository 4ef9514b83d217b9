package app

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// usedKeys finds every translation key the package's code passes to
// lang.L / lang.X / lang.N, and every call whose key is not a literal.
func usedKeys(t *testing.T) (keys map[string]string, dynamic []string) {
	t.Helper()
	keys = map[string]string{}
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok || pkg.Name != "lang" || len(call.Args) == 0 {
				return true
			}
			switch sel.Sel.Name {
			case "L", "X", "N", "XN":
			default:
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				dynamic = append(dynamic, fset.Position(call.Pos()).String())
				return true
			}
			k, err := strconv.Unquote(lit.Value)
			require.NoError(t, err)
			keys[k] = fset.Position(call.Pos()).String()
			return true
		})
	}
	return keys, dynamic
}

func loadMessages(t *testing.T, name string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("translations", name))
	require.NoError(t, err)
	var m map[string]string
	require.NoError(t, json.Unmarshal(b, &m), name)
	return m
}

func TestEveryUIStringIsTranslated(t *testing.T) {
	require.NoError(t, LoadTranslations(), "go-i18n must accept both files (no reserved keys like \"Other\")")
	keys, dynamic := usedKeys(t)
	assert.Empty(t, dynamic, "translation keys must be string literals so this test can see them")
	require.Greater(t, len(keys), 100, "the scan found too few strings; is it reading the package?")
	for _, file := range []string{"en.json", "zh.json"} {
		msgs := loadMessages(t, file)
		var missing []string
		for k, pos := range keys {
			if strings.TrimSpace(msgs[k]) == "" {
				missing = append(missing, pos+": "+k)
			}
		}
		sort.Strings(missing)
		assert.Empty(t, missing, "%s lacks these strings", file)
		var unused []string
		for k := range msgs {
			if _, ok := keys[k]; !ok {
				unused = append(unused, k)
			}
		}
		assert.Empty(t, unused, "%s has strings no code uses", file)
	}
}

// TestTranslationsKeepPlaceholders checks that a translation keeps every
// {{.Field}} of its key, or the message would print "<no value>".
func TestTranslationsKeepPlaceholders(t *testing.T) {
	zh := loadMessages(t, "zh.json")
	for k, v := range zh {
		for _, part := range strings.Split(k, "{{")[1:] {
			ph := "{{" + part[:strings.Index(part, "}}")+2]
			assert.Contains(t, v, ph, "zh.json %q", k)
		}
	}
}
