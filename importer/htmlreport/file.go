package htmlreport

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFile writes the report to path atomically: a temp file in the same
// directory (mode 0600, like the reports it links to), fsync, rename over
// path, fsync of the directory. A symlink at path is replaced, never
// followed. On error path is untouched.
func WriteFile(path string, d Data) error { return WriteFileContext(context.Background(), path, d) }

// WriteFileContext is WriteFile stopped by ctx: once ctx is done, the next
// write fails, the temp file is removed and path is untouched; the error
// wraps ctx.Err().
func WriteFileContext(ctx context.Context, path string, d Data) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename: a no-op
	w := bufio.NewWriter(ctxWriter{ctx, tmp})
	err = Write(w, d)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("write html report %s: %w", path, err)
	}
	return syncDir(dir)
}

// ctxWriter fails every write once ctx is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("fsync dir: %w", err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("fsync dir %s: %w", dir, err)
	}
	return nil
}
