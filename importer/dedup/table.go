package dedup

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/ciam-import/ciam-import/importer/state"
)

// Defaults of Config.
const (
	DefaultMemSlots = 1 << 20 // 16 MiB: about 750,000 identifiers in memory
	DefaultMaxRuns  = 12
	minMemSlots     = 8
	minBloomCap     = 1 << 16
)

const manifestFile = "manifest.json"

// Config tunes a table; the zero value is the durable default.
type Config struct {
	// NoSync skips the fsyncs: for a table that does not outlive its
	// process (validate's).
	NoSync bool
	// MemSlots is the size of the in-memory table in records (a power of
	// two, at least 8); when one of its buckets is full (at about 3/4
	// load) it is written out as a run. Tests make it small. A scratch
	// table has two of half the default size: one fills while the other
	// is written out.
	MemSlots int
	// Scratch is a table that does not outlive its process (validate's):
	// Check holds a row's fresh identifiers at once, as if the row had
	// settled and been flushed; Take, Settled and Flush are not needed. It
	// implies NoSync, and writes no log.
	Scratch bool
	// MaxRuns is how many runs may pile up before they are all merged into
	// one; before that, runs of about the same size are merged by
	// mergeFanout.
	MaxRuns int
	// Progress, when set, says how far through its input the table's user
	// is, from 0 to 1 (0: unknown); it is called from any goroutine. The
	// filter grows to what the whole input will need at the rate so far
	// (growTo), so over a run it is rebuilt a few times instead of at
	// every 1.5-fold growth, answers "maybe" less often, and ends near the
	// size the input needs instead of up to 1.5 times it.
	Progress func() float64
}

// Table is the duplicate table of one state directory (or of one
// validate). It is safe for concurrent use: the pipeline checks rows from
// its reader goroutine and settles and flushes them from its settler.
type Table struct {
	mu     sync.Mutex
	dir    string
	cfg    Config
	salt   uint64
	hash   hasher
	mem    *memTable
	imm    *memTable // frozen, being written out by bg (a scratch table)
	spare  *memTable // an empty one for the next freeze
	bg     *job      // the background spill in flight (a scratch table)
	runs   []*run    // oldest first
	filter *bloom    // over the runs' and the in-memory tables' hashes
	total  int       // records in runs
	pend   map[uint64]record
	rows   map[string][]uint64
	queue  []record
	wal    *os.File
	man    manifest
	err    error // the first error of Settled, returned by Flush
}

// manifest names the files that make up the table; it is replaced
// atomically, after the files it names are durable.
type manifest struct {
	Version int      `json:"version"`
	Salt    uint64   `json:"salt"`
	Runs    []string `json:"runs"`
	WAL     string   `json:"wal"`
	Filter  string   `json:"filter,omitempty"` // over the runs; none: rebuilt from them
	Next    int      `json:"next"`             // the number of the next file
}

// Open opens the table in dir, creating dir (0700) and an empty table if
// there is none; Fresh then reports true. Files of the table that its
// manifest does not name (a crash while writing a run) are removed.
func Open(dir string, cfg Config) (*Table, error) {
	if cfg.MemSlots <= 0 && cfg.Scratch {
		cfg.MemSlots = DefaultMemSlots / 2 // two of them: one fills while the other is written out
	} else if cfg.MemSlots <= 0 {
		cfg.MemSlots = DefaultMemSlots
	}
	cfg.MemSlots = max(cfg.MemSlots, minMemSlots)
	if cfg.Scratch {
		cfg.NoSync = true
	}
	if cfg.MaxRuns <= 0 {
		cfg.MaxRuns = DefaultMaxRuns
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open duplicate table: %w", err)
	}
	if err := state.CheckDir(dir); err != nil {
		return nil, fmt.Errorf("open duplicate table: %w", err)
	}
	t := &Table{dir: dir, cfg: cfg, mem: newMemTable(cfg.MemSlots), pend: map[uint64]record{}, rows: map[string][]uint64{}}
	if err := t.load(); err != nil {
		t.Close()
		return nil, fmt.Errorf("open duplicate table %s: %w", dir, err)
	}
	return t, nil
}

// Remove deletes the table in dir (--restart, or a state that starts
// fresh: no row has settled, so no identifier is held).
func Remove(dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("remove duplicate table: %w", err)
	}
	return nil
}

func (t *Table) load() error {
	b, err := os.ReadFile(filepath.Join(t.dir, manifestFile))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return t.create()
	case err != nil:
		return err
	}
	if err := json.Unmarshal(b, &t.man); err != nil || t.man.Version != 1 || t.man.WAL == "" {
		return fmt.Errorf("damaged manifest: %q; remove the directory with --restart", strings.TrimSpace(string(b)))
	}
	t.salt, t.hash = t.man.Salt, newHasher(t.man.Salt)
	if err := t.removeStray(); err != nil {
		return err
	}
	for _, name := range t.man.Runs {
		r, err := openRun(t.dir, name)
		if err != nil {
			return err
		}
		t.runs, t.total = append(t.runs, r), t.total+r.n
	}
	if err := t.loadFilter(); err != nil {
		return err
	}
	return t.openWAL(true)
}

// loadFilter reads the manifest's filter, or rebuilds it from the runs
// when there is none (a table of an older version) or it is damaged.
func (t *Table) loadFilter() error {
	if w, err := readWords(t.dir, t.man.Filter); err == nil && t.man.Filter != "" {
		if b, err := bloomFromWords(w); err == nil {
			t.filter = b
			return nil
		}
	}
	t.filter = newBloom(max(minBloomCap, t.total*3/2))
	for _, r := range t.runs {
		if err := r.each(t.filter.add); err != nil {
			return fmt.Errorf("rebuild filter: %w", err)
		}
	}
	return nil
}

func (t *Table) create() error {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	t.man = manifest{Version: 1, Salt: binary.LittleEndian.Uint64(b[:]), WAL: "wal-0.log", Next: 1}
	t.salt, t.hash = t.man.Salt, newHasher(t.man.Salt)
	t.filter = newBloom(minBloomCap)
	if err := t.openWAL(false); err != nil {
		return err
	}
	return t.writeManifest()
}

func (t *Table) writeManifest() error {
	b, err := json.Marshal(t.man)
	if err != nil {
		return err
	}
	if t.cfg.NoSync {
		return os.WriteFile(filepath.Join(t.dir, manifestFile), b, 0o600)
	}
	return state.WriteFileAtomic(filepath.Join(t.dir, manifestFile), b, 0o600)
}

// removeStray removes the files the manifest does not name.
func (t *Table) removeStray() error {
	keep := map[string]bool{manifestFile: true, t.man.WAL: true, t.man.Filter: true}
	for _, r := range t.man.Runs {
		keep[r], keep[r+indexSuffix] = true, true
	}
	ents, err := os.ReadDir(t.dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !keep[e.Name()] {
			if err := os.Remove(filepath.Join(t.dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// Close closes the table's files; what Flush did not write is dropped, as a
// crash would drop it.
func (t *Table) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.wait()
	var errs []error
	for _, r := range t.runs {
		errs = append(errs, r.f.Close())
	}
	if t.wal != nil {
		errs = append(errs, t.wal.Close())
	}
	return errors.Join(errs...)
}

// Len is the number of identifiers held durably (written by Flush).
func (t *Table) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := t.total + t.mem.n
	if t.imm != nil {
		n += t.imm.n
	}
	return n
}
