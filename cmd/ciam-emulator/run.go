package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// shutdownGrace is how long a stop waits for in-flight calls.
const shutdownGrace = 5 * time.Second

// run serves until ctx ends or SIGINT/SIGTERM arrives, and returns the exit
// code: 0 after a clean stop or --help, 1 if serving fails, 2 for a bad
// command line.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr, os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if errors.Is(err, errVersion) {
		fmt.Fprintln(stdout, versionString())
		return exitOK
	}
	if err != nil {
		if !errors.Is(err, errReported) {
			fmt.Fprintf(stderr, "ciam-emulator: %v\n", err)
		}
		return exitUsage
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: o.logLevel}))
	o.cfg.Logger = log
	ctx, stop := withStopSignals(ctx)
	defer stop()
	running, err := emulator.Listen(o.cfg, o.listen)
	if err != nil {
		log.Error("start", "err", err)
		return exitError
	}
	fmt.Fprintf(stdout, "listening on %s\n", running.URL)
	announce(log, o)
	<-ctx.Done()
	st := running.Server.Stats()
	log.Info("stopping", "requests", st.Requests, "admitted", st.Admitted, "rate_limited", st.RateLimited,
		"faults", st.FaultsInjected, "created", st.Created, "updated", st.Updated, "jobs", st.Jobs)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := running.Shutdown(sctx); err != nil {
		log.Warn("stop", "err", err)
	}
	return exitOK
}

// announce logs the configuration, never the secret key.
func announce(log *slog.Logger, o options) {
	log.Info("ciam emulator ready", "secret_id", o.cfg.SecretID, "user_stores", o.cfg.UserStores,
		"user_groups", o.cfg.UserGroups, "rate", o.cfg.Rate, "seed", o.cfg.Seed,
		"temp_credentials", len(o.cfg.TempCredentials), "import_users_per_second", o.cfg.Import.UsersPerSecond)
	if len(o.demo) > 0 {
		log.Warn("using demo defaults, not for anything but local tests", "flags", strings.Join(o.demo, ","))
	}
}
