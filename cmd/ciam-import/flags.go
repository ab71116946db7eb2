package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// helpWidth is the width the flag list of a command's help is wrapped to.
const helpWidth = 100

// newFlagSet is a command's own flag set. Its help lists only its flags,
// marks the required ones, names each flag with two dashes and wraps every
// description under its flag.
func newFlagSet(name, help string, stderr io.Writer, required ...string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, help)
		fs.VisitAll(func(f *flag.Flag) { fmt.Fprint(stderr, flagHelp(name, f, slices.Contains(required, f.Name))) })
	}
	return fs
}

// flagHelp is one flag's entry of the help: "  --name VALUE" and its
// description, default and required mark wrapped at helpWidth.
func flagHelp(cmd string, f *flag.Flag, required bool) string {
	value, usage := flag.UnquoteUsage(f)
	head := "  --" + f.Name
	if value != "" {
		head += " " + value
	}
	switch {
	case required && cmd == "run" && f.Name != "state-dir":
		head += " (required for a new job; a resume reads it from --state-dir)"
	case required:
		head += " (required)"
	case f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" && f.DefValue != "0s":
		usage += fmt.Sprintf(" (default %s)", f.DefValue)
	}
	return head + "\n" + wrap(usage, "      ", helpWidth)
}

// wrap breaks text into lines of at most width columns, each indented.
func wrap(text, indent string, width int) string {
	var b strings.Builder
	line := indent
	for _, word := range strings.Fields(text) {
		if len(line) > len(indent) && len(line)+1+len(word) > width {
			b.WriteString(line + "\n")
			line = indent
		}
		if len(line) > len(indent) {
			line += " "
		}
		line += word
	}
	return b.String() + line + "\n"
}

// parseFlags parses args; ok is false when the command must exit with code.
// A bad flag is one line: the flag as typed, what is wrong, a "did you
// mean" or a hint, and where the flags are listed.
func parseFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	usage, out := fs.Usage, fs.Output()
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.Usage = usage
	fs.SetOutput(out)
	switch {
	case errors.Is(err, flag.ErrHelp):
		usage()
		return exitOK, false
	case err != nil:
		fmt.Fprintf(out, "ciam-import %s: %s\n", fs.Name(), flagError(fs, args, err))
		return exitUsage, false
	case fs.NArg() > 0:
		fmt.Fprintf(out, "ciam-import %s: unexpected argument %q (flags take the form --name value; run ciam-import %s --help)\n",
			fs.Name(), fs.Arg(0), fs.Name())
		return exitUsage, false
	}
	return 0, true
}

// flagError rewrites an error of the flag package for the operator.
func flagError(fs *flag.FlagSet, args []string, err error) string {
	msg := err.Error()
	more := fmt.Sprintf("run ciam-import %s --help for its flags", fs.Name())
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		name := strings.TrimLeft(strings.TrimPrefix(msg, "flag provided but not defined: "), "-")
		if guess := closestFlag(fs, name); guess != "" {
			return fmt.Sprintf("unknown flag %s: did you mean --%s? (%s)", typed(args, name), guess, more)
		}
		return fmt.Sprintf("unknown flag %s (%s)", typed(args, name), more)
	case strings.HasPrefix(msg, "flag needs an argument: "):
		name := strings.TrimLeft(strings.TrimPrefix(msg, "flag needs an argument: "), "-")
		return fmt.Sprintf("%s needs a value, e.g. %s VALUE (%s)", typed(args, name), typed(args, name), more)
	case strings.HasPrefix(msg, "invalid value "), strings.HasPrefix(msg, "invalid boolean value "):
		return badValue(fs, args, msg) + " (" + more + ")"
	}
	return msg + " (" + more + ")"
}

// badValueRE matches the flag package's errors for a value it cannot parse.
var badValueRE = regexp.MustCompile(`^invalid (?:boolean )?value ("(?:[^"\\]|\\.)*") for (?:flag )?-([^:]+): (.*)$`)

// badValue explains an invalid value error: the flag as typed, the value,
// and what it takes (a duration given a bare number: add a unit).
func badValue(fs *flag.FlagSet, args []string, msg string) string {
	m := badValueRE.FindStringSubmatch(msg)
	if m == nil || fs.Lookup(m[2]) == nil {
		return msg
	}
	value, _ := strconv.Unquote(m[1])
	name, f := m[2], fs.Lookup(m[2])
	switch kind := flagKind(f); kind {
	case "duration":
		if _, err := strconv.ParseFloat(value, 64); err == nil {
			return fmt.Sprintf("%s %s: add a unit, e.g. %sh, %sm or %ss", typed(args, name), value, value, value, value)
		}
		return fmt.Sprintf("%s %q is not a duration: write e.g. 90s, 30m or 6h", typed(args, name), value)
	case "bool":
		return fmt.Sprintf("%s takes no value, or =true or =false; got %q", typed(args, name), value)
	case "a valid value": // a flag of its own type: its own reason says what it takes
		return fmt.Sprintf("%s %q: %s", typed(args, name), value, m[3])
	default:
		return fmt.Sprintf("%s %q is not %s", typed(args, name), value, kind)
	}
}

// flagKind names the kind of value f takes.
func flagKind(f *flag.Flag) string {
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return "a valid value"
	}
	switch g.Get().(type) {
	case bool:
		return "bool"
	case time.Duration:
		return "duration"
	case int, int64, uint, uint64:
		return "a whole number"
	case float64:
		return "a number"
	}
	return "a valid value"
}

// typed is the flag as the operator typed it (one or two dashes, without
// its =value), or --name if it is not found.
func typed(args []string, name string) string {
	for _, a := range args {
		flagPart, _, _ := strings.Cut(a, "=")
		if strings.TrimLeft(flagPart, "-") == name && strings.HasPrefix(flagPart, "-") {
			return flagPart
		}
	}
	return "--" + name
}

// closestFlag is the flag of fs nearest to name, if one is near enough to
// be a typo or a part of it.
func closestFlag(fs *flag.FlagSet, name string) string {
	best, bestD := "", 1<<30
	fs.VisitAll(func(f *flag.Flag) {
		d := editDistance(name, f.Name)
		if strings.HasPrefix(name, f.Name) || strings.HasPrefix(f.Name, name) {
			d = min(d, 1)
		}
		if d < bestD {
			best, bestD = f.Name, d
		}
	})
	if bestD <= max(2, len(name)/3) {
		return best
	}
	return ""
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
