package undo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/state"
	"golang.org/x/time/rate"
)

// API is the part of the CIAM client an undo calls. DeleteUsers is not
// idempotent: an unclear answer is a *ciam.Error of Class InDoubt.
type API interface {
	DeleteUsers(ctx context.Context, req *ciam.DeleteUsersRequest) (*ciam.DeleteUsersResponse, error)
	DescribeUserById(ctx context.Context, req *ciam.DescribeUserByIdRequest) (*ciam.DescribeUserByIdResponse, error)
}

// Config says which state directory to undo and how.
type Config struct {
	StateDir    string
	UserStoreID string
	API         API
	Batch       int     // ids per DeleteUsers call; default DefaultBatch
	Rate        float64 // calls per second, DeleteUsers and lookups together; 0 = unlimited
	Attempts    int     // sends of one batch before its users are left failed; default 5
	// Backoff is the wait before the attempt-th resend after a retryable
	// answer (a Retry-After header wins when longer); default 1s doubling
	// up to 30s.
	Backoff func(attempt int) time.Duration
	Command string // recorded in the lock file
}

// DefaultBatch is the default number of ids per DeleteUsers call; the
// reference documents no maximum.
const DefaultBatch = 50

func (c Config) withDefaults() Config {
	if c.Batch <= 0 {
		c.Batch = DefaultBatch
	}
	if c.Attempts <= 0 {
		c.Attempts = 5
	}
	if c.Backoff == nil {
		c.Backoff = func(attempt int) time.Duration { return min(time.Second<<min(attempt-1, 5), 30*time.Second) }
	}
	return c
}

// limiter paces calls at r per second (burst 1); r <= 0 is unlimited.
func limiter(r float64) *rate.Limiter {
	if r <= 0 {
		return rate.NewLimiter(rate.Inf, 1)
	}
	return rate.NewLimiter(rate.Limit(r), 1)
}

// Run deletes the users of cfg.StateDir's created.csv that are not deleted
// yet, holding the directory's lock (a *state.LockedError when a run holds
// it). It first looks up the users of batches whose answer was lost. It
// writes undone.csv before it returns, whatever happened, and returns the
// summary with the error that stopped it: a Fatal *ciam.Error, the
// context's error when cancelled (batches in flight stay open in the
// journal for the next Run), or an I/O error. Users left Failed are not an
// error: Summary.Failed counts them.
func Run(ctx context.Context, cfg Config) (*Summary, error) {
	cfg = cfg.withDefaults()
	if err := state.CheckDir(cfg.StateDir); err != nil {
		return nil, fmt.Errorf("undo: %w", err)
	}
	lock, err := state.Lock(cfg.StateDir, state.LockInfo{PID: os.Getpid(), Started: time.Now(), Command: cfg.Command})
	if err != nil {
		return nil, err
	}
	defer lock.Unlock()
	targets, err := ReadTargets(cfg.StateDir)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(cfg.StateDir, JournalFile)
	p, end, err := replay(path)
	if err != nil {
		return nil, err
	}
	j, err := openJournal(path, end)
	if err != nil {
		return nil, err
	}
	defer j.Close()
	u := &undoer{cfg: cfg, j: j, p: p, lim: limiter(cfg.Rate)}
	runErr := u.undo(ctx, targets)
	werr := writeReport(cfg.StateDir, targets, p)
	return summarize(targets, p, u.confirmed), errors.Join(runErr, werr)
}

// undoer is one Run's working state.
type undoer struct {
	cfg       Config
	j         *journal
	p         *progress
	lim       *rate.Limiter
	confirmed int // users found gone by a lookup
}

// undo reconciles the batches left open, then deletes the users left.
func (u *undoer) undo(ctx context.Context, targets []Target) error {
	if err := u.reconcile(ctx); err != nil {
		return err
	}
	var todo []string
	for _, t := range targets {
		if !u.p.deleted(t.UserID) {
			todo = append(todo, t.UserID)
		}
	}
	for len(todo) > 0 {
		n := min(u.cfg.Batch, len(todo))
		if err := u.deleteBatch(ctx, todo[:n]); err != nil {
			return err
		}
		todo = todo[n:]
	}
	return nil
}
