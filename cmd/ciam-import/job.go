package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ciam-import/ciam-import/importer"
	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/state"
)

// jobFile remembers in the state directory what a run imported, so
// `retry --state-dir DIR` and `status` need no other flag. It holds paths and
// ids, never credentials.
const jobFile = "job.json"

// jobFlags are the flags of run and retry.
type jobFlags struct {
	Input        string  `json:"input"`
	Mapping      string  `json:"mapping"`
	Format       string  `json:"format,omitempty"`
	Delimiter    string  `json:"delimiter,omitempty"`
	Encoding     string  `json:"encoding,omitempty"`
	Table        string  `json:"table,omitempty"`
	Query        string  `json:"query,omitempty"`
	Key          string  `json:"key,omitempty"`
	PageSize     int     `json:"page_size,omitempty"`
	PasswordEnv  string  `json:"db_password_env,omitempty"`
	PasswordFile string  `json:"db_password_file,omitempty"`
	UserStoreID  string  `json:"user_store_id"`
	Endpoint     string  `json:"endpoint"`
	Region       string  `json:"region"`
	Rate         float64 `json:"rate"`
	Ledger       string  `json:"ledger,omitempty"`
	SourceName   string  `json:"source_name,omitempty"`
	Profile      string  `json:"profile,omitempty"`
	CVMRole      bool    `json:"cvm_role,omitempty"`
	RoleArn      string  `json:"role_arn,omitempty"`
	RoleSession  string  `json:"role_session_name,omitempty"`
	OnConflict   string  `json:"on_conflict,omitempty"`
	// ReportMissing asks for missing.csv (ledger keys not in the input).
	ReportMissing bool `json:"report_missing,omitempty"`
	// PlaintextViaJob is --plaintext-via-import-job (plaintext.go).
	PlaintextViaJob string `json:"plaintext_via_import_job,omitempty"`

	stateDir    string
	workers     int
	timeout     time.Duration
	stopTimeout time.Duration
	// inDoubtGrace: importer.Options.InDoubtGrace; negative: --timeout.
	inDoubtGrace time.Duration
	maxRows      int64
	maxDuration  time.Duration
	restart      bool
	retry        bool
	logFormat    string
	progress     string
	job          importer.JobOptions
	metricsFile  string
	canary       int64
}

// registerInput adds the flags that say what to read and how to map it.
func (j *jobFlags) registerInput(fs *flag.FlagSet) {
	fs.StringVar(&j.Input, "input", "", "the legacy export: a .csv or .jsonl file, or a database URL (postgres://user@host/db, mysql://user@host/db) with --table or --query and --key")
	fs.StringVar(&j.Mapping, "mapping", "", "the mapping file (YAML) from source fields to CIAM user fields")
	fs.StringVar(&j.Format, "format", "", "input format, csv or jsonl (default: from the file name)")
	fs.StringVar(&j.Delimiter, "delimiter", "", `CSV delimiter, e.g. ";" or "\t" (default ",")`)
	fs.StringVar(&j.Table, "table", "", "database input: the table to read (schema.table allowed)")
	fs.StringVar(&j.Query, "query", "", "database input: a SELECT to read instead of a table")
	fs.StringVar(&j.Key, "key", "", "database input: the unique column the read is ordered and resumed by")
	fs.IntVar(&j.PageSize, "page-size", 0, "database input: rows per query (default 1000)")
	fs.StringVar(&j.PasswordEnv, "db-password-env", "", "database input: environment variable holding the password (default CIAM_IMPORT_DB_PASSWORD)")
	fs.StringVar(&j.PasswordFile, "db-password-file", "", "database input: file holding the password")
	registerPlaintext(fs, &j.PlaintextViaJob)
	fs.StringVar(&j.Encoding, "encoding", "", "character encoding of the file: utf-8 (default; a UTF-16 BOM is detected), gbk, gb18030, big5, shift_jis, euc-kr, utf-16, utf-16le, utf-16be, latin1, windows-1252")
}

// registerService adds the flags that say where CIAM is.
func (j *jobFlags) registerService(fs *flag.FlagSet, withStore bool) {
	if withStore {
		fs.StringVar(&j.UserStoreID, "user-store-id", "", "the CIAM user store (user directory) to import into")
	}
	fs.StringVar(&j.Endpoint, "endpoint", ciam.DefaultEndpoint, "CIAM API URL; http://127.0.0.1:PORT for the emulator")
	fs.StringVar(&j.Region, "region", ciam.DefaultRegion, "Tencent Cloud region sent with every request")
	fs.DurationVar(&j.timeout, "timeout", ciam.DefaultTimeout, "timeout of one request")
	fs.StringVar(&j.Profile, "profile", "", "credentials of this TCCLI profile (~/.tccli/NAME.credential) instead of the environment")
	fs.BoolVar(&j.CVMRole, "cvm-role", false, "credentials of the CVM instance's role (temporary, renewed before they expire)")
	fs.StringVar(&j.RoleArn, "role-arn", "", "assume this CAM role through STS with the credentials found, renewing them during the run")
	fs.StringVar(&j.RoleSession, "role-session-name", "ciam-import", "session name of the assumed --role-arn")
}

// clientConfig is the CIAM client's configuration. Secrets never come from
// a flag: keys and tokens from the environment, a profile or a role.
// warn receives the warnings about them (a credentials file others can read).
func (j *jobFlags) clientConfig(warn func(string)) ciam.Config {
	return ciam.Config{Endpoint: j.Endpoint, Region: j.Region, Timeout: j.timeout,
		Profile: j.Profile, CVMRole: j.CVMRole, RoleArn: j.RoleArn, RoleSessionName: j.RoleSession, Warn: warn}
}

// registerRun adds the flags of a run's pace, limits and output.
func (j *jobFlags) registerRun(fs *flag.FlagSet) {
	fs.StringVar(&j.stateDir, "state-dir", "", "directory for progress, journal and reports; re-use it to resume")
	fs.Float64Var(&j.Rate, "rate", 20, "requests per second of each action (the API's quota is 20); 0 = unlimited")
	fs.IntVar(&j.workers, "workers", 0, "concurrent CreateUser requests (default: rate x 1.5 s, at least 8: 30 at 20/s)")
	fs.Int64Var(&j.maxRows, "max-rows", 0, "stop cleanly after reading this many rows (0 = no limit)")
	fs.DurationVar(&j.maxDuration, "max-duration", 0, "stop taking rows after this long, e.g. 6h (0 = no limit)")
	fs.DurationVar(&j.inDoubtGrace, "in-doubt-grace", -1, "after a run that stopped with rows in flight (a kill, a crash), wait until this long after its last journal write before looking those rows up, so a request it sent last cannot land after the lookup (default: --timeout)")
	fs.DurationVar(&j.stopTimeout, "stop-timeout", defaultStopTimeout, "after SIGINT/SIGTERM, how long the requests in flight may take before they are aborted; the process exits at most 15s later")
	fs.StringVar(&j.logFormat, "log-format", "text", "log format on stderr: text or json")
	fs.StringVar(&j.progress, "progress", "auto", "live progress bar: auto (when stderr is a terminal), always or never")
	fs.IntVar(&j.job.BatchSize, "job-batch-size", 200, "rows with a password hash per CreateApiImportUserJob (the API documents no limit)")
	fs.DurationVar(&j.job.Poll, "job-poll", time.Second, "how often ListJobs is asked about a running import job")
	fs.StringVar(&j.metricsFile, "metrics-file", "", "write Prometheus text-format metrics to this file during and at the end of the run (node_exporter's textfile collector)")
	fs.DurationVar(&j.job.JobTimeout, "job-timeout", 30*time.Minute, "how long to wait for an import job before leaving its rows for the next run")
	fs.StringVar(&j.OnConflict, "on-conflict", "skip", "a row whose user or identifier exists: skip (report it), fail (stop the job at the first conflict) or update (send the changed fields with UpdateUser when the user is ours)")
}

// fillFromState completes flags not given with those the state directory
// recorded, so a retry or resume needs only --state-dir.
func (j *jobFlags) fillFromState(set map[string]bool) error {
	data, err := state.ReadFile(filepath.Join(j.stateDir, jobFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	saved := jobFlags{Rate: j.Rate} // a job.json without "rate" keeps the default; "rate": 0 is unlimited
	if err := json.Unmarshal(data, &saved); err != nil {
		return fmt.Errorf("read %s: %w", jobFile, err)
	}
	fill := func(name string, dst *string, v string) {
		if !set[name] {
			*dst = v
		}
	}
	fill("input", &j.Input, saved.Input)
	fill("mapping", &j.Mapping, saved.Mapping)
	fill("format", &j.Format, saved.Format)
	fill("delimiter", &j.Delimiter, saved.Delimiter)
	fill("encoding", &j.Encoding, saved.Encoding)
	fill("table", &j.Table, saved.Table)
	fill("query", &j.Query, saved.Query)
	fill("key", &j.Key, saved.Key)
	fill("db-password-env", &j.PasswordEnv, saved.PasswordEnv)
	fill("db-password-file", &j.PasswordFile, saved.PasswordFile)
	if !set["page-size"] && saved.PageSize > 0 {
		j.PageSize = saved.PageSize
	}
	fill("user-store-id", &j.UserStoreID, saved.UserStoreID)
	fill("endpoint", &j.Endpoint, saved.Endpoint)
	fill("region", &j.Region, saved.Region)
	fill("ledger", &j.Ledger, saved.Ledger)
	fill("source-name", &j.SourceName, saved.SourceName)
	fill(plaintextFlag, &j.PlaintextViaJob, saved.PlaintextViaJob)
	fill("profile", &j.Profile, saved.Profile)
	fill("role-arn", &j.RoleArn, saved.RoleArn)
	fill("role-session-name", &j.RoleSession, saved.RoleSession)
	if !set["cvm-role"] {
		j.CVMRole = saved.CVMRole
	}
	if saved.OnConflict != "" {
		fill("on-conflict", &j.OnConflict, saved.OnConflict)
	}
	if !set["report-missing"] {
		j.ReportMissing = saved.ReportMissing
	}
	if !set["rate"] {
		j.Rate = saved.Rate
	}
	return nil
}

// save records the job in the state directory, with absolute paths, so that
// `run --state-dir DIR` works from any directory.
func (j *jobFlags) save() error {
	saved := *j
	for _, p := range []*string{&saved.Input, &saved.Mapping, &saved.Ledger, &saved.PasswordFile} {
		if *p != "" && !strings.Contains(*p, "://") {
			abs, err := filepath.Abs(*p)
			if err != nil {
				return err
			}
			*p = abs
		}
	}
	data, err := json.MarshalIndent(&saved, "", "  ")
	if err != nil {
		return err
	}
	return state.WriteFileAtomic(filepath.Join(j.stateDir, jobFile), append(data, '\n'), 0o600)
}

// check reports the required flags left empty (after the state directory
// filled in what it remembers) and every value out of range.
func (j *jobFlags) check() error {
	var missing []string
	for name, v := range map[string]string{"--input": j.Input, "--mapping": j.Mapping, "--user-store-id": j.UserStoreID, "--state-dir": j.stateDir} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing %s", strings.Join(sorted(missing), ", "))
	}
	return j.checkValues()
}

// checkValues checks every value a flag can take, so that a bad one is a
// usage error before anything runs.
func (j *jobFlags) checkValues() error {
	if _, err := j.delimiter(); err != nil {
		return err
	}
	if _, err := importer.ParseConflictPolicy(j.OnConflict); err != nil {
		return err
	}
	checks := []struct {
		bad bool
		msg string
	}{
		{math.IsNaN(j.Rate) || math.IsInf(j.Rate, 0) || j.Rate < 0 || j.Rate > maxRate, fmt.Sprintf("--rate must be 0 (unlimited) or from %g to %g requests per second", minRate, maxRate)},
		{j.Rate > 0 && j.Rate < minRate, fmt.Sprintf("--rate must be 0 (unlimited) or at least %g requests per second", minRate)},
		{j.workers < 0 || j.workers > maxWorkers, fmt.Sprintf("--workers must be from 1 to %d (0: sized from --rate)", maxWorkers)},
		{j.timeout <= 0, "--timeout must be positive, e.g. 30s"},
		{j.stopTimeout <= 0, "--stop-timeout must be positive, e.g. 60s"},
		{j.maxRows < 0, "--max-rows must be 0 (no limit) or positive"},
		{j.PageSize < 0, "--page-size must be positive"},
		{j.canary < 0 || j.canary > 10000, "--canary must be from 1 to 10000 rows (0: no canary)"},
		{j.maxDuration < 0, "--max-duration must be 0 (no limit) or positive"},
		{j.logFormat != "text" && j.logFormat != "json", "--log-format must be text or json"},
		{j.progress != "auto" && j.progress != "always" && j.progress != "never", "--progress must be auto, always or never"},
		{strings.TrimSpace(j.Region) == "", "--region must not be empty"},
		{j.job.BatchSize < 1 || j.job.BatchSize > maxBatch, fmt.Sprintf("--job-batch-size must be from 1 to %d", maxBatch)},
		{j.job.Poll <= 0, "--job-poll must be positive"},
		{j.job.JobTimeout <= 0, "--job-timeout must be positive"},
		{j.ReportMissing && j.Ledger == "", "--report-missing needs --ledger"},
	}
	for _, c := range checks {
		if c.bad {
			return errors.New(c.msg)
		}
	}
	return nil
}

// Bounds of the numeric flags.
const (
	minRate    = 0.01    // slower than this is a typo, and a limiter that never fires
	maxRate    = 10000.0 // far above any CIAM quota
	maxWorkers = 1024
	maxBatch   = 10000

	defaultStopTimeout = 60 * time.Second // with forceGrace, a stop within systemd's TimeoutStopSec=90 default
)

func (j *jobFlags) delimiter() (rune, error) {
	d := strings.ReplaceAll(j.Delimiter, `\t`, "\t")
	r := []rune(d)
	switch len(r) {
	case 0:
		return 0, nil
	case 1:
		return r[0], nil
	}
	return 0, fmt.Errorf("--delimiter must be one character, got %q", j.Delimiter)
}

// grace is how long a resume waits after a run that left rows in flight:
// --in-doubt-grace, else one request timeout (the longest a request of
// that run can still be on its way).
func (j *jobFlags) grace() time.Duration {
	if j.inDoubtGrace >= 0 {
		return j.inDoubtGrace
	}
	return j.timeout
}
