package dedup

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// openWAL opens the manifest's log of the records written since the last
// run; with replay, its records go into the in-memory table and a torn
// last record (a crash mid-write) is cut off.
func (t *Table) openWAL(replay bool) error {
	path := filepath.Join(t.dir, t.man.WAL)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open log: %w", err)
	}
	t.wal = f
	if !replay {
		return nil
	}
	br := bufio.NewReaderSize(f, 1<<16)
	var b [recordSize]byte
	var good int64
	for {
		if _, err := io.ReadFull(br, b[:]); err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
				return fmt.Errorf("read log: %w", err)
			}
			break
		}
		if t.mem.n >= len(t.mem.recs) { // a log is never longer than the table it spills from
			return errors.New("read log: longer than the in-memory table")
		}
		if rec := getRecord(b[:]); !t.memHas(rec.h) {
			t.put(rec)
		}
		good += recordSize
	}
	if err := f.Truncate(good); err != nil {
		return fmt.Errorf("cut torn log: %w", err)
	}
	_, err = f.Seek(good, io.SeekStart)
	return err
}

func (t *Table) memHas(h uint64) bool {
	_, ok := t.mem.get(h)
	return ok
}

// appendWAL writes recs to the log durably.
func (t *Table) appendWAL(recs []record) error {
	b := make([]byte, len(recs)*recordSize)
	for i, r := range recs {
		r.put(b[i*recordSize:])
	}
	if _, err := t.wal.Write(b); err != nil {
		return fmt.Errorf("write log: %w", err)
	}
	if !t.cfg.NoSync {
		if err := t.wal.Sync(); err != nil {
			return fmt.Errorf("sync log: %w", err)
		}
	}
	return nil
}
