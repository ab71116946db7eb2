package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strings"

	"github.com/ciam-import/ciam-import/emulator"
)

// secretKeyEnv names the environment variable read when --secret-key is not
// given, so the key need not appear in a process listing.
const secretKeyEnv = "CIAM_EMULATOR_SECRET_KEY"

// errReported is returned for a command line error the flag package has
// already printed, with the usage.
var errReported = errors.New("command line error already reported")

// options is the parsed command line.
type options struct {
	listen   string
	cfg      emulator.Config
	logLevel slog.Level
	demo     []string // demo defaults in use, for the startup note
}

// listFlag is a repeatable string flag whose defaults the first use replaces.
type listFlag struct {
	values []string
	set    bool
}

func (l *listFlag) String() string { return strings.Join(l.values, ",") }

func (l *listFlag) Set(v string) error {
	if !l.set {
		l.values, l.set = nil, true
	}
	l.values = append(l.values, v)
	return nil
}

// regexpFlag is an optional regular expression.
type regexpFlag struct{ re *regexp.Regexp }

func (r *regexpFlag) String() string {
	if r == nil || r.re == nil {
		return ""
	}
	return r.re.String()
}

func (r *regexpFlag) Set(v string) (err error) {
	r.re, err = regexp.Compile(v)
	return err
}

// faultFlags binds the flags of one FaultSpec, named prefix+"latency-median"…
func faultFlags(fs *flag.FlagSet, prefix, what, work string, f *emulator.FaultSpec, codes *string) {
	fs.DurationVar(&f.LatencyMedian, prefix+"latency-median", 0, "median of the log-normal latency added to "+what+", e.g. 40ms")
	fs.DurationVar(&f.LatencyP99, prefix+"latency-p99", 0, "99th percentile of that latency; unset or <= the median gives a constant latency")
	fs.Float64Var(&f.ErrorRate, prefix+"error-rate", 0, "fraction of "+what+" answered with one of the error codes, without doing the work")
	fs.StringVar(codes, prefix+"error-codes", emulator.CodeInternalError, "comma-separated error `CODES` injected by the error rate, chosen uniformly")
	fs.Float64Var(&f.DropRate, prefix+"drop-rate", 0, "fraction of "+what+" whose connection is closed before any work")
	fs.Float64Var(&f.LoseResponseRate, prefix+"lose-response-rate", 0, "fraction of "+what+" done ("+work+") whose answer is lost: the connection closes")
	fs.Float64Var(&f.StoreThenErrorRate, prefix+"store-then-error-rate", 0, "fraction of "+what+" done ("+work+") then answered one of the error codes")
	fs.Float64Var(&f.StoreThen5xxRate, prefix+"store-then-5xx-rate", 0, "fraction of "+what+" done ("+work+") then answered HTTP 502/504 with a non-JSON body")
}

// flagValues holds what the flags set outside of options.
type flagValues struct {
	stores, groups, orgs     *listFlag
	patterns                 [3]regexpFlag
	createCodes, lookupCodes string
	secretKey, logLevel      string
	ext                      *extValues
	store                    *storeValues
	version                  bool
}

// defineFlags binds every flag to o or to the returned values.
func defineFlags(fs *flag.FlagSet, o *options) *flagValues {
	v := &flagValues{
		stores: &listFlag{values: []string{emulator.DemoUserStore}},
		groups: &listFlag{values: append([]string(nil), emulator.DemoUserGroups...)},
		orgs:   &listFlag{},
	}
	fs.StringVar(&o.listen, "listen", "127.0.0.1:9000", "`ADDR` (host:port) to listen on; port 0 picks a free one")
	fs.StringVar(&o.cfg.SecretID, "secret-id", emulator.DemoSecretID, "the SecretId clients must sign with")
	fs.StringVar(&v.secretKey, "secret-key", "", "the SecretKey clients must sign with (default $"+secretKeyEnv+", else the demo key "+emulator.DemoSecretKey+")")
	fs.Var(v.stores, "user-store", "a valid user store `ID`; repeatable")
	fs.Var(v.groups, "user-group", "a valid user group `ID`, shared by all stores; repeatable")
	fs.Var(v.orgs, "user-org", "a valid organisation `ID`; repeatable (default: any org id is accepted)")
	fs.StringVar(&o.cfg.TenantID, "tenant-id", emulator.DemoTenantID, "the numeric TenantId returned on users")
	fs.IntVar(&o.cfg.MaxUsersPerStore, "max-users", 0, "users per store before CreateUser answers FailedOperation.QuotaLimitExceeded (0: no limit)")
	fs.Float64Var(&o.cfg.Rate, "rate", 20, "quota per action per second, shared by all clients, over a sliding one-second window (<= 0: unlimited)")
	fs.Var(&o.cfg.QuotaDip, "quota-dip", "lower every quota for a while, e.g. `after=20s,for=30s,factor=0.5` (from the server's start; default none)")
	fs.Int64Var(&o.cfg.Seed, "seed", 1, "seed of the fault injection and of the generated user ids")
	faultFlags(fs, "", "CreateUser calls", "the user is stored", &o.cfg.Faults.CreateUser, &v.createCodes)
	faultFlags(fs, "lookup-", "lookups (ListUserByProperty, DescribeUser, DescribeUserById, ListUser, ListJobs)", "the lookup runs",
		&o.cfg.Faults.Lookups, &v.lookupCodes)
	fs.Var(&v.patterns[0], "username-pattern", "`REGEXP` user names must match, else FailedOperation.AttributeFormatError (default: any)")
	fs.Var(&v.patterns[1], "phone-pattern", "`REGEXP` phone numbers must match (default: any)")
	fs.Var(&v.patterns[2], "email-pattern", "`REGEXP` emails must match (default: any)")
	fs.StringVar(&v.logLevel, "log-level", "info", "log `LEVEL`: debug (one line per API call), info, warn or error")
	v.ext = defineExtFlags(fs, o)
	v.store = defineStoreFlags(fs, o)
	fs.BoolVar(&v.version, "version", false, "print the version and exit")
	return v
}

// parseFlags parses args. getenv supplies the secret key's environment
// variable. The error is flag.ErrHelp for --help.
func parseFlags(args []string, stderr io.Writer, getenv func(string) string) (options, error) {
	o := options{cfg: emulator.DemoConfig()}
	fs := flag.NewFlagSet("ciam-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = usage(fs, stderr)
	v := defineFlags(fs, &o)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		return o, errReported
	}
	if v.version {
		return o, errVersion
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if err := v.apply(&o, getenv, set); err != nil {
		return o, err
	}
	o.demo = demoInUse(fs, v.secretKey == "" && getenv(secretKeyEnv) == "")
	return o, o.cfg.Validate()
}

// apply moves the parsed values into o. set names the flags given on the
// command line: they override a --store-config file.
func (v *flagValues) apply(o *options, getenv func(string) string, set map[string]bool) error {
	o.cfg.SecretKey = resolveSecretKey(v.secretKey, getenv)
	o.cfg.UserStores, o.cfg.UserGroups = v.stores.values, v.groups.values
	if v.orgs.set {
		o.cfg.UserOrgs = v.orgs.values
	}
	o.cfg.Patterns = emulator.Patterns{UserName: v.patterns[0].re, PhoneNumber: v.patterns[1].re, Email: v.patterns[2].re}
	o.cfg.Faults.CreateUser.ErrorCodes = splitCodes(v.createCodes)
	o.cfg.Faults.Lookups.ErrorCodes = splitCodes(v.lookupCodes)
	if err := o.logLevel.UnmarshalText([]byte(v.logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	if err := v.ext.apply(o); err != nil {
		return err
	}
	return v.store.apply(o, set)
}

func resolveSecretKey(flagValue string, getenv func(string) string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := getenv(secretKeyEnv); v != "" {
		return v
	}
	return emulator.DemoSecretKey
}

func splitCodes(s string) []string {
	var out []string
	for c := range strings.SplitSeq(s, ",") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// demoInUse lists the identity defaults the user did not override.
func demoInUse(fs *flag.FlagSet, demoKey bool) []string {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var out []string
	for _, name := range []string{"secret-id", "user-store", "user-group"} {
		if !set[name] {
			out = append(out, name)
		}
	}
	if demoKey {
		out = append(out, "secret-key")
	}
	return out
}
