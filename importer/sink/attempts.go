package sink

import (
	"context"
	"sync/atomic"
)

type attemptsKey struct{}

// WithAttempts returns a context in which CountAttempts adds to n: a sink
// counts one row's calls with it, the paced client reports them.
func WithAttempts(ctx context.Context, n *atomic.Int64) context.Context {
	return context.WithValue(ctx, attemptsKey{}, n)
}

// CountAttempts adds n attempts to the counter ctx carries, if any.
func CountAttempts(ctx context.Context, n int) {
	if c, ok := ctx.Value(attemptsKey{}).(*atomic.Int64); ok {
		c.Add(int64(n))
	}
}
