package verify

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/state"
)

// noEntry ends a chain of entries.
const noEntry = -1

// entry is one CIAM user of the export, in about 40 bytes: where its line
// is, the digest of its compared fields, its user id.
type entry struct {
	digest uint64
	off    int64  // the line's first byte in the export file
	length uint32 // the line's length, newline excluded
	idOff  uint32 // the user id in index.ids
	idLen  uint8
	next   int32 // the next entry with the same key hash, or noEntry
	seen   bool  // a row matched it
}

// index is the export file indexed by matching key (keyOf): a million
// users in tens of MiB, not as user objects. A row's user is found by key
// hash; equal digests settle "same" without reading the file, anything
// else reads the user's line back (lineAt).
type index struct {
	legacyAttr int
	byKey      map[uint64]int32
	entries    []entry
	ids        []byte
	file       *os.File
	lines      int64 // lines read, users of other sources included
}

// exportLine is one line of the export file and where it is.
type exportLine struct {
	data []byte
	off  int64
}

// indexed is what a worker makes of a line.
type indexed struct {
	key    string
	digest uint64
	id     string
	err    error
}

// openIndex reads the export file at path and indexes the users whose key
// is set. A line that is not a JSON user is an error naming its line.
func openIndex(ctx context.Context, path string, legacyAttr int) (*index, error) {
	f, err := state.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, fmt.Errorf("open export: %w", err)
	}
	ix := &index{legacyAttr: legacyAttr, byKey: map[uint64]int32{}, file: f}
	r := bufio.NewReaderSize(f, 1<<20)
	var off int64
	next := func() (exportLine, error) {
		b, err := r.ReadBytes('\n')
		if err != nil && (len(b) == 0 || !errors.Is(err, io.EOF)) {
			return exportLine{}, err
		}
		l := exportLine{data: trimNewline(b), off: off}
		off += int64(len(b))
		return l, nil
	}
	err = inOrder(ctx, cores(), batchSize, next, func(l exportLine) indexed { return ix.read(l.data) }, ix.add)
	if err != nil && !errors.Is(err, io.EOF) {
		f.Close()
		return nil, fmt.Errorf("index export %s: %w", path, err)
	}
	return ix, nil
}

func trimNewline(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b
}

// read decodes one line; a blank line is skipped (empty key).
func (ix *index) read(b []byte) indexed {
	if len(b) == 0 {
		return indexed{}
	}
	var u ciam.User
	if err := json.Unmarshal(b, &u); err != nil {
		return indexed{err: err}
	}
	return indexed{key: keyOf(&u, ix.legacyAttr), digest: digest(canonCIAM(&u)), id: u.UserId}
}

// add records a decoded line; users without a key are not this source's.
func (ix *index) add(l exportLine, r indexed) error {
	ix.lines++
	if r.err != nil {
		return fmt.Errorf("line %d: not a user: %w", ix.lines, r.err)
	}
	if r.key == "" {
		return nil
	}
	if len(ix.entries) >= 1<<31-1 || len(r.id) > 255 || len(ix.ids)+len(r.id) > 1<<32-1 {
		return fmt.Errorf("line %d: export too large to index", ix.lines)
	}
	h := hashKey(r.key)
	e := entry{digest: r.digest, off: l.off, length: uint32(len(l.data)), idOff: uint32(len(ix.ids)), idLen: uint8(len(r.id)), next: noEntry}
	if first, ok := ix.byKey[h]; ok {
		e.next = first
	}
	ix.ids = append(ix.ids, r.id...)
	ix.byKey[h] = int32(len(ix.entries))
	ix.entries = append(ix.entries, e)
	return nil
}

// userID is entry i's user id.
func (ix *index) userID(i int32) string {
	e := &ix.entries[i]
	return string(ix.ids[e.idOff : e.idOff+uint32(e.idLen)])
}

// lineAt reads entry i's user back from the file.
func (ix *index) lineAt(i int32) (*ciam.User, error) {
	e := &ix.entries[i]
	buf := make([]byte, e.length)
	if _, err := ix.file.ReadAt(buf, e.off); err != nil {
		return nil, fmt.Errorf("read export at %d: %w", e.off, err)
	}
	var u ciam.User
	if err := json.Unmarshal(buf, &u); err != nil {
		return nil, fmt.Errorf("read export at %d: %w", e.off, err)
	}
	return &u, nil
}

func (ix *index) close() error { return ix.file.Close() }
