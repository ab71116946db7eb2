package main

import (
	"bufio"
	"bytes"
	_ "embed"
	"errors"
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

// generate writes n sourcetest rows in format to w, each with a mobile
// number that libphonenumber accepts (see fixMobile).
func generate(w io.Writer, format string, n int) error {
	write := sourcetest.WriteCSV
	if format == "jsonl" {
		write = sourcetest.WriteJSONL
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(write(pw, n, inputSeed)) }()
	br := bufio.NewReaderSize(pr, 1<<20)
	for {
		line, err := br.ReadSlice('\n')
		fixMobile(line)
		if _, werr := w.Write(line); werr != nil {
			pr.CloseWithError(werr)
			return werr
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// validPrefixes are ten mobile prefixes of mainland China that
// libphonenumber accepts. sourcetest draws mobiles from +86 1[3-9]x, 18 of
// whose 70 prefixes (140-144, 146, 148, 149, 154, 160, 161, 163, 164, 168,
// 169, 179, 194 and part of 174) the mapping's phone check rejects as "not a
// valid phone number for its country": a quarter of its rows.
var validPrefixes = [10]string{"130", "131", "132", "135", "136", "137", "138", "139", "150", "151"}

// fixMobile rewrites, in place, the mobile of one generated CSV or JSONL
// line as a valid number derived from the row's legacy id, which is unique:
// +86, prefix id/1e8, then id%1e8 on 8 digits (same length as before).
func fixMobile(line []byte) {
	idAt, mobAt := fieldAt(line, 0), fieldAt(line, 3)
	if bytes.HasPrefix(line, []byte(`{"legacy_id":"`)) {
		idAt, mobAt = len(`{"legacy_id":"`), bytes.Index(line, []byte(`"mobile":"`))+len(`"mobile":"`)
	}
	if idAt < 0 || mobAt < len(`"mobile":"`) || len(line) < max(idAt+10, mobAt+14) || line[idAt] != '1' {
		return // the CSV header
	}
	id := line[idAt+1 : idAt+10] // the id less its leading 1: 9 digits
	mob := line[mobAt : mobAt+14]
	copy(mob, "+86")
	copy(mob[3:], validPrefixes[id[0]-'0'])
	copy(mob[6:], id[1:])
}

// fieldAt returns the offset of CSV field i of line (the first fields of a
// generated row are never quoted), or -1.
func fieldAt(line []byte, i int) int {
	off := 0
	for range i {
		j := bytes.IndexByte(line[off:], ',')
		if j < 0 {
			return -1
		}
		off += j + 1
	}
	return off
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

// lineOffset returns the byte offset at which 1-based line starts. The
// generated CSV has no line breaks inside fields, so row i is line i+2.
func lineOffset(path string, line int64) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	off, cur := int64(0), int64(1)
	for {
		n, err := f.Read(buf)
		b := buf[:n]
		for cur < line {
			i := bytes.IndexByte(b, '\n')
			if i < 0 {
				break
			}
			cur++
			off += int64(i + 1)
			b = b[i+1:]
		}
		if cur == line {
			return off, nil
		}
		off += int64(len(b))
		if err == io.EOF {
			return 0, fmt.Errorf("%s has fewer than %d lines", path, line)
		}
		if err != nil {
			return 0, err
		}
	}
}
