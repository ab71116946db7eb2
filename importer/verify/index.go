package verify

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

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

// chunkSize is about how many bytes of the export a worker indexes at a
// time: whole lines, read into one buffer, decoded as views of one string.
const chunkSize = 256 << 10

// chunk is a run of whole lines of the export file.
type chunk struct {
	data  []byte
	off   int64   // data[0]'s place in the file
	ends  []int32 // each line's end in data, newline included
	users int     // users the export is expected to hold, first chunk only
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
	ix := &index{legacyAttr: legacyAttr, file: f}
	r := &chunkReader{r: bufio.NewReaderSize(f, 1<<20), size: fileSize(path)}
	err = inOrder(ctx, cores(), 1, r.next, func(c *chunk) []indexed { return ix.read(c) }, ix.addChunk)
	if err != nil && !errors.Is(err, io.EOF) {
		f.Close()
		return nil, fmt.Errorf("index export %s: %w", path, err)
	}
	if ix.byKey == nil {
		ix.byKey = map[uint64]int32{}
	}
	return ix, nil
}

// chunkReader cuts the export into chunks.
type chunkReader struct {
	r    *bufio.Reader
	off  int64
	size int64 // the file's size, for the first chunk's estimate
}

// next reads about chunkSize bytes of whole lines (one longer line
// whole); io.EOF after the last.
func (cr *chunkReader) next() (*chunk, error) {
	c := &chunk{data: make([]byte, 0, chunkSize+4096), off: cr.off}
	for len(c.data) < chunkSize {
		line, err := cr.r.ReadSlice('\n')
		c.data = append(c.data, line...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if len(c.data) > 0 && (len(c.ends) == 0 || int(c.ends[len(c.ends)-1]) < len(c.data)) {
			c.ends = append(c.ends, int32(len(c.data)))
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if len(c.ends) == 0 {
		return nil, io.EOF
	}
	if cr.off == 0 && cr.size > 0 {
		c.users = int(cr.size / max(1, int64(len(c.data))/int64(len(c.ends))))
	}
	cr.off += int64(len(c.data))
	return c, nil
}

func trimNewline(s string) string {
	s = strings.TrimSuffix(s, "\n")
	return strings.TrimSuffix(s, "\r")
}

// trimmedLen is len(trimNewline(line)).
func trimmedLen(line []byte) int {
	n := len(line)
	if n > 0 && line[n-1] == '\n' {
		n--
	}
	if n > 0 && line[n-1] == '\r' {
		n--
	}
	return n
}

// read decodes a chunk's lines; a blank line is skipped (empty key).
func (ix *index) read(c *chunk) []indexed {
	text := string(c.data)
	out := make([]indexed, len(c.ends))
	begin := int32(0)
	for i, end := range c.ends {
		line := trimNewline(text[begin:end])
		begin = end
		if line == "" {
			continue
		}
		h, err := decodeHeld(line)
		if err != nil {
			out[i] = indexed{err: err}
			continue
		}
		out[i] = indexed{key: h.key(ix.legacyAttr), digest: digest(h.canon()), id: h.id}
	}
	return out
}

// addChunk records a chunk's decoded lines, in order.
func (ix *index) addChunk(c *chunk, rs []indexed) error {
	if ix.byKey == nil {
		ix.byKey = make(map[uint64]int32, c.users)
		ix.entries = make([]entry, 0, c.users)
		ix.ids = make([]byte, 0, 32*c.users)
	}
	begin := int32(0)
	for i, end := range c.ends {
		line := c.data[begin:end]
		off := c.off + int64(begin)
		begin = end
		if err := ix.add(off, trimmedLen(line), rs[i]); err != nil {
			return err
		}
	}
	return nil
}

// add records a decoded line; users without a key are not this source's.
func (ix *index) add(off int64, length int, r indexed) error {
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
	e := entry{digest: r.digest, off: off, length: uint32(length), idOff: uint32(len(ix.ids)), idLen: uint8(len(r.id)), next: noEntry}
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
	h, err := decodeHeld(string(buf))
	if err != nil {
		return nil, fmt.Errorf("read export at %d: %w", e.off, err)
	}
	return h.user(), nil
}

func (ix *index) close() error { return ix.file.Close() }
