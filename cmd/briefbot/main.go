// Command briefbot is a self-hosted Discord bot that turns the news articles
// it stores into short cited briefings. Run `briefbot help` for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// command is one subcommand: its one-line summary and what runs it.
type command struct {
	usage   string
	summary string
	run     func(ctx context.Context, env *cli, args []string) error
}

// cli is what every command shares: where it writes and the settings files
// it looks for, in order.
type cli struct {
	stdout, stderr io.Writer
	envFiles       []string
}

// exitError carries an exit status other than 1 (2: bad usage or
// configuration), with the message already said.
type exitError struct {
	code int
	msg  string
}

// Error returns the message, already worded for the user.
func (e *exitError) Error() string { return e.msg }

func usageError(format string, a ...any) error {
	return &exitError{code: 2, msg: fmt.Sprintf(format, a...)}
}

var commands map[string]command

func init() {
	commands = map[string]command{
		"run":                 {"run", "connect to Discord: answer /brief and post scheduled briefings", runBot},
		"brief":               {"brief [TOPIC] [--since DURATION] [--format text|markdown|json]", "print a briefing from the stored articles (no topic: the top stories)", runBrief},
		"summarize":           {"summarize [--max-words N] [--format text|markdown|json] FILE...", "summarize article files directly, without the store", runSummarize},
		"ingest":              {"ingest PATH|URL...", "store article files (.txt .md .json .jsonl), folders recursively, or a feed or article page by URL", runIngest},
		"search":              {"search TOPIC [--limit N] [--since DURATION]", "list the stored articles matching a topic, best first", runSearch},
		"stories":             {"stories [--since DURATION] [--limit N]", "list the stored stories, most recently updated first, with their coverage", runStories},
		"regroup":             {"regroup", "group every stored article into stories again (after an engine upgrade)", runRegroup},
		"check":               {"check [--online]", "validate the configuration and say exactly what is wrong; --online also asks Discord (token, server, channel, permissions) and prints the invite link", runCheck},
		"prune":               {"prune [--older-than 30d]", "delete articles older than BRIEFBOT_RETENTION (or --older-than) and give the space back", runPrune},
		"migrate-to-postgres": {"migrate-to-postgres --from FILE [--to postgres://…]", "copy an SQLite store into an empty PostgreSQL database (default $DATABASE_URL)", runMigrateToPostgres},
		"help":                {"help", "list the commands", runHelp},
		"version":             {"version", "print the version and build details (also --version)", runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := mainCode(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// mainCode runs the command line and returns the exit status, so tests can
// run whole commands.
func mainCode(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	env := &cli{stdout: stdout, stderr: stderr, envFiles: []string{".env", systemEnvFile}}
	if len(args) == 0 {
		runHelp(ctx, env, nil)
		return 2
	}
	name := args[0]
	switch name {
	case "-h", "--help", "-help":
		name = "help"
	case "--version", "-version", "-v":
		name = "version"
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "briefbot: unknown command %q (see 'briefbot help')\n", args[0])
		return 2
	}
	err := cmd.run(ctx, env, args[1:])
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ee):
		if ee.msg != "" {
			fmt.Fprintf(stderr, "briefbot %s: %s\n", name, ee.msg)
		}
		return ee.code
	default:
		fmt.Fprintf(stderr, "briefbot %s: %v\n", name, err)
		return 1
	}
}

func runHelp(_ context.Context, env *cli, _ []string) error {
	fmt.Fprintln(env.stdout, "briefbot turns stored news articles into short cited briefings, in Discord and here.")
	fmt.Fprintln(env.stdout, "\nUsage: briefbot COMMAND [flags]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(env.stdout, "  %s\n      %s\n", commands[n].usage, commands[n].summary)
	}
	fmt.Fprintln(env.stdout, "\nEvery command takes --db FILE|URL (default $DATABASE_URL when it is a postgres:// URL, else $BRIEFBOT_DB or briefbot.db) where it uses the store.")
	fmt.Fprintln(env.stdout, "Settings come from .env in the working directory (else "+systemEnvFile+") and the environment: see .env.example.")
	return nil
}

// newFlags makes a command's flag set; errors are returned, not fatal.
func newFlags(env *cli, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("briefbot "+name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, "Usage: briefbot %s\n", commands[name].usage)
		fs.PrintDefaults()
	}
	return fs
}

// dbFlag adds the --db flag every command that uses the store takes.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "", "SQLite file or postgres:// URL (default $DATABASE_URL if a postgres:// URL, else $BRIEFBOT_DB or briefbot.db)")
}

// parseArgs parses flags wherever they stand among the positional
// arguments, so `briefbot brief ceasefire --format json` works.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &exitError{code: 2}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// configFor loads the configuration and applies a --db flag over it.
func configFor(env *cli, db string) (Config, error) {
	cfg, err := loadConfig(env.envFiles)
	if err != nil {
		return cfg, &exitError{code: 2, msg: err.Error()}
	}
	if db != "" {
		cfg.DB, cfg.DBSetting = db, "--db"
	}
	return cfg, nil
}

// configCommand reads the flags of a command that takes only --db and
// returns the configuration it runs with.
func configCommand(env *cli, name string, args []string) (Config, error) {
	fs := newFlags(env, name)
	db := dbFlag(fs)
	if _, err := parseArgs(fs, args); err != nil {
		return Config{}, err
	}
	return configFor(env, *db)
}

// joinTopic turns positional words into one topic.
func joinTopic(words []string) string {
	return strings.TrimSpace(strings.Join(words, " "))
}
