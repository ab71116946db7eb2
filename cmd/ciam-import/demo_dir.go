package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ciam-import/ciam-import/samples"
)

// demoMarker marks a directory the demo made: only such a directory (or
// none, or an empty one) is wiped and started afresh by the next demo.
const demoMarker = ".ciam-import-demo"

// freshDemoDir empties dir for a new demo, refusing a directory the demo
// did not make: --state-dir pointed at a real job must never be wiped.
func freshDemoDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("read demo --state-dir: %w", err)
	case len(entries) == 0:
	default:
		if _, err := os.Stat(filepath.Join(dir, demoMarker)); err != nil {
			return fmt.Errorf("--state-dir %s was not made by the demo (it has files and no %s): the demo starts its "+
				"directory afresh, so give it a new one, e.g. --state-dir demo-state", dir, demoMarker)
		}
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("start demo afresh: %w", err)
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create demo --state-dir: %w", err)
	}
	return os.WriteFile(filepath.Join(dir, demoMarker), []byte("made by ciam-import demo; the next demo empties this directory\n"), 0o600)
}

// demoSample writes the embedded sample export and mapping into dir/sample
// and returns their paths, so the demo needs no checkout.
func demoSample(dir string) (input, mapping string, err error) {
	sub := filepath.Join(dir, "sample")
	if err := os.MkdirAll(sub, 0o700); err != nil {
		return "", "", fmt.Errorf("write demo sample: %w", err)
	}
	for _, name := range []string{samples.DemoInput, samples.DemoMapping} {
		data, err := samples.Demo.ReadFile(name)
		if err != nil {
			return "", "", err
		}
		if err := os.WriteFile(filepath.Join(sub, name), data, 0o600); err != nil {
			return "", "", fmt.Errorf("write demo sample: %w", err)
		}
	}
	return filepath.Join(sub, samples.DemoInput), filepath.Join(sub, samples.DemoMapping), nil
}
