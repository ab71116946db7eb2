// Package pace holds calls to a service's quota and retries what is worth
// retrying. It knows nothing of the service it paces: the caller names each
// call's action and passes a Classify function that reads an error.
//
// The package is cut the way rclone cuts lib/pacer from its calculators:
//
//   - Mechanism (limiter.go, line.go, window.go): per action, a
//     golang.org/x/time/rate Limiter with burst 1 lays out the grid of send
//     slots; a send log enforces the hard window guard (no window of 1s+slack
//     holds more than n = int(rate) of our sends, checked on the actual send
//     times); callers are served first come, first served.
//   - Policy (adaptive.go): the adaptive controller reads refusals and
//     successes and moves the limiter (its rate, its slack, a pause) with
//     its tuned constants. It never sleeps and never sends.
//   - Retry (retry.go, pacer.go): Pacer.Do runs one call under its action's
//     limiter and resends by RetryPolicy: capped exponential backoff with
//     equal jitter, Retry-After honoured, a rate-limit refusal resent on the
//     limiter's next slot only, never a cancelled context.
package pace
