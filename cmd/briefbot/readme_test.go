package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// quickStart returns the commands of the README's quick start, one a line,
// comments cut.
func quickStart(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(raw), "## Quick start")
	if !ok {
		t.Fatal("README has no Quick start")
	}
	_, block, ok := strings.Cut(rest, "```sh\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatal("Quick start has no sh block")
	}
	var cmds []string
	sc := bufio.NewScanner(strings.NewReader(block))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if line = strings.TrimSpace(line); line != "" {
			cmds = append(cmds, line)
		}
	}
	return cmds
}

// TestReadmeQuickStart runs the README's quick start as a new user would on
// a fresh clone: it builds the binary with the command given there, then
// runs each ./briefbot command in an empty folder with no settings. `go test
// ./...` is the command running this test, so it is only checked to be
// there.
func TestReadmeQuickStart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	cmds := quickStart(t)
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	work := cleanEnv(t)
	built, tested := false, false
	for _, c := range cmds {
		args := strings.Fields(c)
		switch {
		case len(args) >= 2 && args[0] == "go" && args[1] == "build":
			// The README's build, run in the repository, writing into the
			// empty folder the user's commands run in.
			for i := range args {
				if args[i] == "-o" && i+1 < len(args) {
					args[i+1] = filepath.Join(work, args[i+1])
				}
			}
			cmd := exec.Command(args[0], args[1:]...)
			cmd.Dir = root
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", c, err, out)
			}
			built = true
		case len(args) >= 2 && args[0] == "go" && args[1] == "test":
			tested = true
		case strings.HasPrefix(args[0], "./briefbot"):
			if !built {
				t.Fatalf("%q runs before the binary is built", c)
			}
			cmd := exec.Command(filepath.Join(work, "briefbot"), args[1:]...)
			cmd.Dir = work
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("%s: %v\n%s%s", c, err, stdout.String(), stderr.String())
			}
			t.Logf("$ %s\n%s%s", c, stdout.String(), stderr.String())
			if len(args) > 1 && args[1] == "brief" {
				if !strings.Contains(stdout.String(), "Witkoff") || !strings.Contains(stderr.String(), "sample articles") {
					t.Errorf("%s: no briefing from the samples, or it does not say they are samples:\n%s%s", c, stdout.String(), stderr.String())
				}
			}
		default:
			t.Errorf("quick start command %q is not run by this test: teach it, or the README is untested", c)
		}
	}
	if !built || !tested {
		t.Errorf("quick start lacks the build (%v) or the tests (%v): %q", built, tested, cmds)
	}
}
