package main

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ciam-import/ciam-import/importer/source/sourcetest"
)

// mappingYAML maps the columns sourcetest generates.
//
//go:embed mapping.yaml
var mappingYAML []byte

// inputSeed seeds every generated input; the second client of the shared
// quota uses otherSeed, so its users never collide with ours.
const (
	inputSeed = 1
	otherSeed = 2
)

// writeMapping writes mapping.yaml into dir and returns its path.
func writeMapping(dir string) (string, error) {
	path := filepath.Join(dir, "mapping.yaml")
	return path, os.WriteFile(path, mappingYAML, 0o600)
}

// input returns the path of a generated export of n rows in format ("csv"
// or "jsonl"), generating it once: a file is only used if its generation
// completed (a ".ok" marker beside it).
func input(dir, format string, n int) (string, error) {
	path := filepath.Join(dir, fmt.Sprintf("users-%d-seed%d.%s", n, inputSeed, format))
	if _, err := os.Stat(path + ".ok"); err == nil {
		return path, nil
	}
	logf("generating %s (%d rows)", filepath.Base(path), n)
	if err := writeFile(path, func(w io.Writer) error { return generate(w, format, n) }); err != nil {
		return "", err
	}
	return path, os.WriteFile(path+".ok", nil, 0o600)
}

// generate writes n sourcetest rows in format to w; every row is valid for
// bench/mapping.yaml.
func generate(w io.Writer, format string, n int) error {
	if format == "jsonl" {
		return sourcetest.WriteJSONL(w, n, inputSeed)
	}
	return sourcetest.WriteCSV(w, n, inputSeed)
}

func writeFile(path string, fill func(io.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	err = fill(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("generate %s: %w", path, err)
	}
	return os.Rename(tmp, path)
}
