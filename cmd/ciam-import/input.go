package main

import (
	"context"
	"errors"
	"io"
	"os"

	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/source/sqlsrc"
	"github.com/ciam-import/ciam-import/mapping"
)

// openInput builds the source the job reads, from --input and its options:
// a database URL reads a table or query, anything else is a file.
func (j *jobFlags) openInput(ctx context.Context) (source.Input, error) {
	dsn, isDB, err := parseDBInput(j.Input)
	if err != nil {
		return nil, err
	}
	if isDB {
		j.Input = dsn // normalised: job.json keeps this form
		if j.Key == "" || (j.Table == "") == (j.Query == "") {
			return nil, errors.New("a database --input needs exactly one of --table or --query, and --key with a --query (a --table reads by the mapping's key unless --key names another column)")
		}
		// The source keeps the context for its whole read; Config.Timeout
		// bounds connecting and each query.
		return sqlsrc.Open(ctx, sqlsrc.Config{DSN: dsn, Table: j.Table, Query: j.Query, Key: j.Key,
			PageSize: j.PageSize, PasswordFile: j.PasswordFile, PasswordEnv: j.PasswordEnv})
	}
	if j.Table != "" || j.Query != "" || j.Key != "" {
		return nil, errors.New("--table, --query and --key go with a database --input (postgres://... or mysql://...)")
	}
	delim, err := j.delimiter()
	if err != nil {
		return nil, err
	}
	return source.NewFile(j.Input, source.Options{Format: j.Format, Delimiter: delim, Encoding: j.Encoding})
}

// checkInput builds the input and opens it once: a missing file, a bad
// header or columns the mapping needs and the input lacks are usage errors
// before any state is written. A first SIGINT/SIGTERM meanwhile cancels the
// opening (and a database query on the server): errOpenInterrupted.
func (j *jobFlags) checkInput(ctx context.Context, spec *mapping.Spec, warn func(string), stderr io.Writer) (source.Input, error) {
	o := watchOpen(ctx, stderr, os.Exit)
	in, err := j.openChecked(o.ctx, spec, warn)
	return in, o.done(err)
}

// openChecked is checkInput's work, with ctx cancelled by a signal.
func (j *jobFlags) openChecked(ctx context.Context, spec *mapping.Spec, warn func(string)) (source.Input, error) {
	j.defaultKey(spec)
	in, err := j.openInput(ctx)
	if err != nil {
		return nil, err
	}
	r, err := in.Open("")
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if h := r.Header(); h != nil {
		if err := spec.CheckHeader(h); err != nil {
			return nil, err
		}
	}
	for _, w := range preflight(r, spec) {
		warn(w.String())
	}
	return in, nil
}

// preflightRows is how many rows the pre-flight reads.
const preflightRows = 200

// preflight maps nothing and sends nothing: it reads the first rows and
// reports each mapped source field that is missing or empty in all of them
// (a typo in a JSONL path would otherwise reject every row as "is empty"),
// naming the closest actual fields.
func preflight(r source.Reader, spec *mapping.Spec) []mapping.Warning {
	var rows []mapping.Row
	for len(rows) < preflightRows {
		rec, err := r.Next()
		if err != nil {
			break
		}
		if rec.Err == nil {
			rows = append(rows, rec.Fields)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return spec.Preflight(rows)
}

// defaultKey makes the mapping's key the --key of a table input given
// none: the column the rows are named by is the one they are read by.
func (j *jobFlags) defaultKey(spec *mapping.Spec) {
	if _, isDB, _ := parseDBInput(j.Input); isDB && j.Key == "" && j.Table != "" {
		j.Key = spec.KeyField()
	}
}
