package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
)

func TestExtFlagsBuildConfig(t *testing.T) {
	dir := t.TempDir()
	creds := filepath.Join(dir, "creds.json")
	if err := os.WriteFile(creds, []byte(`[{"SecretId":"AKIDt","SecretKey":"k","Token":"tok","Expires":"2030-01-02T03:04:05Z"},
		{"SecretId":"AKIDu","SecretKey":"k2","Token":"tok2"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	o, err := parseFlags([]string{"--import-users-per-second", "50", "--import-start-delay", "2s",
		"--import-batch-limit", "10", "--import-list-succeeded", "--import-fail-rate", "0.25", "--import-failed-stores", "all",
		"--import-lose-response-rate", "0.5", "--store-then-error-rate", "0.1", "--store-then-5xx-rate", "0.2",
		"--update-store-then-error-rate", "0.3", "--update-error-codes", "InternalError.UnknownError",
		"--max-page-size", "50", "--list-user-any-value", "--temp-credentials", creds}, io.Discard, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	c := o.cfg
	want := emulator.ImportConfig{UsersPerSecond: 50, StartDelay: 2 * time.Second, BatchLimit: 10,
		ListSucceeded: true, FailRate: 0.25, FailedStores: emulator.FailedStoresAll}
	if c.Import != want || c.Faults.ImportJob.LoseResponseRate != 0.5 || c.Faults.CreateUser.StoreThenErrorRate != 0.1 ||
		c.Faults.CreateUser.StoreThen5xxRate != 0.2 || c.Faults.Updates.StoreThenErrorRate != 0.3 ||
		c.Faults.Updates.ErrorCodes[0] != "InternalError.UnknownError" || c.MaxPageSize != 50 || !c.ListUserAnyValue {
		t.Errorf("config %+v", c)
	}
	if len(c.TempCredentials) != 2 || c.TempCredentials[0].Token != "tok" ||
		!c.TempCredentials[0].Expires.Equal(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)) || !c.TempCredentials[1].Expires.IsZero() {
		t.Errorf("temporary credentials %+v", c.TempCredentials)
	}
	d, err := parseFlags(nil, io.Discard, func(string) string { return "" })
	if err != nil || d.cfg.Import.BatchLimit != emulator.DefaultImportBatchLimit || d.cfg.MaxPageSize != emulator.DefaultMaxPageSize ||
		d.cfg.Import.FailedStores != emulator.FailedStoresSome {
		t.Errorf("defaults %+v, %v", d.cfg.Import, err)
	}
}

func TestBadExtFlags(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"not":"a list"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--import-failed-stores", "most"},
		{"--import-fail-rate", "1.5"},
		{"--store-then-error-rate", "0.6", "--store-then-5xx-rate", "0.6"},
		{"--temp-credentials", bad},
		{"--temp-credentials", filepath.Join(t.TempDir(), "missing.json")},
	} {
		if got := run(context.Background(), args, io.Discard, io.Discard); got != exitUsage {
			t.Errorf("run %v = %d, want %d", args, got, exitUsage)
		}
	}
}
