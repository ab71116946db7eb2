package state

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// validator is implemented by records that check their own fields after
// decoding; a record that fails it counts as malformed.
type validator interface{ validate() error }

// scanJSONL reads the '\n'-terminated JSON lines of path starting at byte
// from, decodes each into a T and calls fn with it and the offset just past
// its '\n'. It returns the offset just past the last line handed to fn.
//
// The last line of the file is allowed to be torn by a crash: if it has no
// '\n', or does not decode, scanning stops before it without error and the
// returned offset is where it starts. A line that does not decode and is
// followed by more data is a *CorruptError. A missing file reads as empty
// when from is 0; from beyond the end of the file or not at a line start is a
// *CorruptError. An error from fn stops the scan and is returned as is.
func scanJSONL[T any](path string, from int64, fn func(v T, end int64) error) (int64, error) {
	f, err := openAt(path, from)
	if f == nil || err != nil {
		return from, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	off, line := from, int64(0)
	for {
		b, err := r.ReadBytes('\n')
		if err == io.EOF {
			return off, nil // end of file, or a torn last line without '\n'
		} else if err != nil {
			return off, fmt.Errorf("read %s: %w", path, err)
		}
		line++
		v, perr := decodeLine[T](b)
		if perr != nil {
			if _, err := r.Peek(1); err == io.EOF {
				return off, nil // torn last line
			}
			return off, &CorruptError{Path: path, Offset: off, Line: line, Err: perr}
		}
		end := off + int64(len(b))
		if err := fn(v, end); err != nil {
			return off, err
		}
		off = end
	}
}

// decodeLine decodes one JSON line (with its '\n') and validates it.
func decodeLine[T any](b []byte) (T, error) {
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return v, err
	}
	if c, ok := any(&v).(validator); ok {
		return v, c.validate()
	}
	return v, nil
}

// openAt opens path for reading positioned at from, after checking that from
// is inside the file and at the start of a line. It returns (nil, nil) for a
// missing file when from is 0.
func openAt(path string, from int64) (*os.File, error) {
	f, err := OpenFile(path, os.O_RDONLY, 0)
	if errors.Is(err, fs.ErrNotExist) && from == 0 {
		return nil, nil
	} else if errors.Is(err, fs.ErrNotExist) {
		return nil, &CorruptError{Path: path, Err: fmt.Errorf("file is missing, expected at least %d bytes", from)}
	} else if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := checkLineStart(f, path, from); err != nil {
		_ = f.Close()
		return nil, err
	}
	if _, err := f.Seek(from, io.SeekStart); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("seek %s: %w", path, err)
	}
	return f, nil
}

// checkLineStart verifies that from <= size and that the byte before from,
// if any, is '\n'.
func checkLineStart(f *os.File, path string, from int64) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("stat %s: %w", path, err)
	}
	if from < 0 || from > fi.Size() {
		return &CorruptError{Path: path, Offset: fi.Size(),
			Err: fmt.Errorf("file has %d bytes, expected at least %d", fi.Size(), from)}
	}
	if from == 0 {
		return nil
	}
	var b [1]byte
	if _, err := f.ReadAt(b[:], from-1); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if b[0] != '\n' {
		return &CorruptError{Path: path, Offset: from, Err: errors.New("offset is not at the start of a line")}
	}
	return nil
}

// endsWithNewline reports whether the open file f is empty or ends in '\n'.
func endsWithNewline(f *os.File, size int64) (bool, error) {
	if size == 0 {
		return true, nil
	}
	var b [1]byte
	if _, err := f.ReadAt(b[:], size-1); err != nil {
		return false, err
	}
	return b[0] == '\n', nil
}
