package main

import (
	"bufio"
	"context"
	"fmt"
	"github.com/ciam-import/ciam-import/importer/source"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer"
	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/mapping"
)

// writeProfiles runs validate and a headroom run in this process, under the
// CPU profiler, and writes c.profileDir/{validate,run}.{cpu,heap}.pprof for
// `go tool pprof`.
func writeProfiles(ctx context.Context, c *config, mappingPath string) error {
	if err := os.MkdirAll(c.profileDir, 0o700); err != nil {
		return err
	}
	spec, err := mapping.ParseFile(mappingPath)
	if err != nil {
		return err
	}
	valInput, err := input(c.dataDir, "csv", c.validateRows)
	if err != nil {
		return err
	}
	reportDir, err := freshDir(c.workDir, "profile-validate-")
	if err != nil {
		return err
	}
	valSrc, err := source.NewFile(valInput, source.Options{})
	if err != nil {
		return err
	}
	err = profiled(filepath.Join(c.profileDir, "validate"), func() error {
		_, err := importer.Validate(ctx, importer.ValidateOptions{Input: valSrc, Spec: spec, ReportDir: reportDir})
		return err
	})
	if err != nil {
		return err
	}
	return profileRun(ctx, c, spec)
}

// profileRun imports c.headroomRows rows in this process against the
// ciam-emulator binary (beside c.bin), so the CPU profile holds the
// importer alone.
func profileRun(ctx context.Context, c *config, spec *mapping.Spec) error {
	runInput, err := input(c.dataDir, "csv", c.headroomRows)
	if err != nil {
		return err
	}
	url, stop, err := startEmulatorProcess(ctx, filepath.Join(filepath.Dir(c.bin), "ciam-emulator"))
	if err != nil {
		return err
	}
	defer stop()
	api, err := ciam.New(ciam.Config{Endpoint: url, SecretID: emulator.DemoSecretID, SecretKey: emulator.DemoSecretKey})
	if err != nil {
		return err
	}
	stateDir, err := freshDir(c.workDir, "profile-run-")
	if err != nil {
		return err
	}
	runSrc, err := source.NewFile(runInput, source.Options{})
	if err != nil {
		return err
	}
	return profiled(filepath.Join(c.profileDir, "run"), func() error {
		_, err := importer.Run(ctx, importer.Options{Input: runSrc, Spec: spec, StateDir: stateDir,
			UserStoreID: emulator.DemoUserStore, API: api})
		return err
	})
}

// startEmulatorProcess starts the emulator binary, unlimited, with the demo
// tenant, and returns its URL and a function that stops it.
func startEmulatorProcess(ctx context.Context, bin string) (string, func(), error) {
	cmd := exec.CommandContext(ctx, bin, "--listen", "127.0.0.1:0", "--rate", "0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() { _ = cmd.Process.Signal(os.Interrupt); _ = cmd.Wait() }
	line, err := bufio.NewReader(out).ReadString('\n')
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if err != nil || !ok {
		stop()
		return "", nil, fmt.Errorf("start %s: no address in %q: %v", bin, line, err)
	}
	return url, stop, nil
}

// profiled runs fn under the CPU profiler, writing prefix.cpu.pprof, and
// writes prefix.heap.pprof every second while fn runs, so the last one
// shows what was in use near the end (the peak, for validate).
func profiled(prefix string, fn func() error) error {
	f, err := os.Create(prefix + ".cpu.pprof")
	if err != nil {
		return err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- snapshotHeap(prefix+".heap.pprof", stop) }()
	err = fn()
	close(stop)
	pprof.StopCPUProfile()
	if herr := <-done; err == nil {
		err = herr
	}
	if err != nil {
		return fmt.Errorf("profile %s: %w", filepath.Base(prefix), err)
	}
	logf("profiles written: %s.{cpu,heap}.pprof", prefix)
	return nil
}

func snapshotHeap(path string, stop <-chan struct{}) error {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return nil
		case <-t.C:
		}
		h, err := os.Create(path)
		if err != nil {
			return err
		}
		err = pprof.WriteHeapProfile(h)
		if cerr := h.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
}
