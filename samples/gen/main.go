// Command gen writes the deterministic sample legacy exports in samples/:
// users.csv, users.jsonl, expected.json, and hashed.csv with
// hashed-passwords.csv (which rows must fail mapping and
// which duplicate an earlier user).
//
// Regenerate from the repository root with:
//
//	go generate ./samples/gen
//
// or: go run ./samples/gen -out samples
package main

//go:generate go run . -out ..

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// rows is the number of users per file.
const rows = 300

// main runs the generator.
func main() { os.Exit(run(os.Args[1:], os.Stderr)) }

// run parses flags and writes the three files.
func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "samples", "directory to write the samples to")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := write(*out); err != nil {
		fmt.Fprintln(stderr, "gen:", err)
		return 1
	}
	return 0
}

// write generates both populations and writes every file.
func write(dir string) error {
	csvUsers := population(1, "CRM-%06d", 1)
	jsonUsers := population(2, "%d", 200001)
	if err := writeFile(filepath.Join(dir, "users.csv"), func(w io.Writer) error { return writeCSV(w, csvUsers) }); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "users.jsonl"), func(w io.Writer) error { return writeJSONL(w, jsonUsers) }); err != nil {
		return err
	}
	if err := writeHashed(dir); err != nil {
		return err
	}
	exp := map[string]expectation{"users.csv": expect(csvUsers), "users.jsonl": expect(jsonUsers)}
	return writeFile(filepath.Join(dir, "expected.json"), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(exp)
	})
}

// writeFile creates path and fills it with fill.
func writeFile(path string, fill func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create sample: %w", err)
	}
	if err := fill(f); err != nil {
		_ = f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

// expectation is what the mapping test asserts for one file.
type expectation struct {
	Rows       int                  `json:"rows"`
	Invalid    map[string]string    `json:"invalid"`    // legacy id -> failing CIAM parameter
	Duplicates map[string]duplicate `json:"duplicates"` // legacy id -> earlier user it collides with
}

// duplicate names the earlier row a user collides with in CIAM.
type duplicate struct {
	Of    string `json:"of"`
	Field string `json:"field"`
}

// expect summarises a population.
func expect(users []user) expectation {
	e := expectation{Rows: len(users), Invalid: map[string]string{}, Duplicates: map[string]duplicate{}}
	for _, u := range users {
		if u.badField != "" {
			e.Invalid[u.id] = u.badField
		}
		if u.dupOf != "" {
			e.Duplicates[u.id] = duplicate{Of: u.dupOf, Field: u.dupField}
		}
	}
	return e
}
