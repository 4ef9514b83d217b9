package assets

import "runtime/debug"

// version is FyneApp.toml's [Details] Version, the one place the release
// number is written. The Makefile reads it from there and sets it here with
// -ldflags "-X github.com/disputekit/disputekit/assets.version=…"; the same
// number goes into the fyne tool's package metadata (Windows version info,
// macOS Info.plist) and the AppStream file. Left empty by a plain `go build`.
var version string

// Version is the release number shown by `dk --version` and Help › About:
// the number the Makefile set, else the module version `go install …@vX`
// recorded, else "dev" for a plain `go build` from a checkout.
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			return v
		}
	}
	return "dev"
}

// UsePackagedVersion takes v, the version the fyne tool stamped into the
// app's metadata from FyneApp.toml, unless -X set one: `fyne package -os
// windows` builds the app a second time (to add its icon and version
// resource) without the -ldflags it was given. Call it from main, before
// anything reads Version.
func UsePackagedVersion(v string) {
	if version == "" && v != "" {
		version = v
	}
}

// Commit is the VCS revision the binary was built from (12 hex digits, with
// "+dirty" when the tree had changes), or "" when the build recorded none.
func Commit() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return ""
	}
	return rev + dirty
}
