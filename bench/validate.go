package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// validateResult is one `ciam-import validate` run.
type validateResult struct {
	p      proc
	rows   int64
	perSec float64 // rows / process wall time
}

// validateRun runs `ciam-import validate` over input, with extra flags
// (those of a database input) after the others.
func validateRun(ctx context.Context, c *config, input, mappingPath string, extra ...string) (validateResult, error) {
	dir, err := freshDir(c.workDir, "validate-report-")
	if err != nil {
		return validateResult{}, err
	}
	args := append([]string{"validate", "--input", input, "--mapping", mappingPath,
		"--report-dir", dir, "--json"}, extra...)
	p, err := runBin(ctx, c.bin, args, 3)
	if err != nil {
		return validateResult{}, err
	}
	var sum struct {
		Rows int64 `json:"rows"`
	}
	if err := json.Unmarshal(p.stdout, &sum); err != nil {
		return validateResult{}, fmt.Errorf("validate --json: %w", err)
	}
	return validateResult{p: p, rows: sum.Rows, perSec: float64(sum.Rows) / p.wall.Seconds()}, nil
}

// readerRate is how fast a plain reader of the standard library gets through
// the same file: encoding/csv for CSV; bufio lines + encoding/json into a
// map for JSONL (what the importer's reader produces per row).
func readerRate(path, format string) (float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	start := time.Now()
	var n int64
	if format == "csv" {
		n, err = readCSV(br)
	} else {
		n, err = readJSONL(br)
	}
	return float64(n) / time.Since(start).Seconds(), err
}

func readCSV(r io.Reader) (int64, error) {
	cr := csv.NewReader(r)
	if _, err := cr.Read(); err != nil { // header
		return 0, err
	}
	var n int64
	for {
		_, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}

func readJSONL(br *bufio.Reader) (int64, error) {
	var n int64
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 {
			var m map[string]any
			if jerr := json.Unmarshal(line, &m); jerr != nil {
				return n, jerr
			}
			n++
		}
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// validateFigures runs figure 5: validate on both formats, c.runs times,
// next to the standard library's reader on the same file.
func validateFigures(ctx context.Context, c *config, mappingPath string) (map[string][]validateResult, map[string][]float64, error) {
	runs, refs := map[string][]validateResult{}, map[string][]float64{}
	for _, format := range []string{"csv", "jsonl"} {
		path, err := input(c.dataDir, format, c.validateRows)
		if err != nil {
			return nil, nil, err
		}
		for i := range c.runs {
			v, err := validateRun(ctx, c, path, mappingPath)
			if err != nil {
				return nil, nil, err
			}
			if format == "csv" || len(refs[format]) == 0 { // JSON decoding is slow: once is enough
				r, err := readerRate(path, format)
				if err != nil {
					return nil, nil, err
				}
				refs[format] = append(refs[format], r)
			}
			logf("validate %s run %d/%d: %.0f rows/s (stdlib reader %.0f rows/s), max RSS %.1f MiB, %.1f CPU s",
				format, i+1, c.runs, v.perSec, refs[format][len(refs[format])-1], mib(v.p.maxRSS), v.p.cpu.Seconds())
			runs[format] = append(runs[format], v)
		}
	}
	return runs, refs, nil
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }
