package main

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// checkEndpoint refuses an --endpoint that is not an http(s) URL, saying
// what to write instead ("127.0.0.1:9000" lacks its scheme).
func checkEndpoint(endpoint string) error {
	u, err := url.Parse(endpoint)
	if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return nil
	}
	if !strings.Contains(endpoint, "://") {
		return fmt.Errorf("--endpoint %s has no scheme: write http://%s (the emulator) or https://%s", endpoint, endpoint, endpoint)
	}
	return fmt.Errorf("--endpoint %s: must be an http:// or https:// URL, e.g. https://ciam.tencentcloudapi.com", endpoint)
}

// checkWorkers refuses an explicit --workers 0: leaving the flag out sizes
// the pool from --rate.
func checkWorkers(workers int, set map[string]bool) error {
	if set["workers"] && workers == 0 {
		return errors.New("--workers must be from 1 to 1024; leave it out to size the pool from --rate")
	}
	return nil
}

// checkInputPath says clearly what is wrong with a file --input: missing
// (with the files of its directory that look like exports) or a directory.
// A database URL is checked when it is opened.
func checkInputPath(input string) error {
	if _, isDB, err := parseDBInput(input); isDB || err != nil {
		return nil // a database URL, or a scheme openInput refuses with its own message
	}
	fi, err := os.Stat(input)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("--input %s: no such file%s", input, nearbyExports(input))
	case err != nil:
		return fmt.Errorf("--input %s: %w", input, err)
	case fi.IsDir():
		return fmt.Errorf("--input %s is a directory: name the export file in it (a .csv or .jsonl file)%s", input, exportsIn(input))
	}
	return nil
}

// nearbyExports lists the exports next to a missing input, as a hint.
func nearbyExports(input string) string {
	return exportsIn(filepath.Dir(input))
}

// exportsIn is "; files there: a.csv, b.jsonl" for the exports in dir.
func exportsIn(dir string) string {
	var names []string
	for _, pat := range []string{"*.csv", "*.jsonl", "*.json", "*.tsv"} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		names = append(names, m...)
	}
	if len(names) == 0 {
		return ""
	}
	if len(names) > 5 {
		names = append(names[:5], "...")
	}
	return "; exports there: " + strings.Join(names, ", ")
}
