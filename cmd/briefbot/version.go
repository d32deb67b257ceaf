package main

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
)

// version is the release this binary was built as. Release builds may set it
// with -ldflags "-X main.version=v1.2.3" (the Dockerfile does, from its
// VERSION build argument); otherwise buildVersion reads the module version
// and VCS revision Go stamps into every build (runtime/debug.ReadBuildInfo).
var version = ""

// buildVersion is the version shown by --version, in /status and in the
// User-Agent of feed requests: "v1.2.3", or for a build from a checkout
// "devel+abc123def456" (with "-dirty" when it had uncommitted changes).
func buildVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	return versionOf(info)
}

// versionOf names a build from its build information.
func versionOf(info *debug.BuildInfo) string {
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	rev, _, modified := vcsInfo(info)
	// A module version from the proxy already names its commit; a checkout
	// build is only identified by its revision.
	if v == "devel" && rev != "" {
		v += "+" + shortRev(rev)
		if modified {
			v += "-dirty"
		}
	}
	return v
}

// vcsInfo reads the revision, commit time and modified flag that go build
// stamps when it builds inside a repository (-buildvcs=auto).
func vcsInfo(info *debug.BuildInfo) (rev, when string, modified bool) {
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	return rev, when, modified
}

func shortRev(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}

// runVersion prints the version, then the details a bug report needs: the
// full revision and its time, and the Go release.
func runVersion(_ context.Context, env *cli, _ []string) error {
	fmt.Fprintf(env.stdout, "briefbot %s\n", buildVersion())
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return nil
	}
	var details []string
	if rev, when, modified := vcsInfo(info); rev != "" {
		d := "revision " + rev
		if when != "" {
			d += " (" + when + ")"
		}
		if modified {
			d += ", with uncommitted changes"
		}
		details = append(details, d)
	}
	details = append(details, info.GoVersion)
	fmt.Fprintln(env.stdout, strings.Join(details, ", "))
	return nil
}
