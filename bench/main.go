// Command bench measures ciam-import against the in-process CIAM emulator
// and prints one table: quota use next to a naive 8-goroutine SDK loop,
// headroom with the quota lifted, a shared quota, validate throughput next
// to encoding/csv, peak memory, the time to the first request of a
// resume, a nightly sync over an unchanged export, and validate reading
// from PostgreSQL and MariaDB next to the same rows as CSV. Whole-process
// figures run bin/ciam-import as a subprocess;
// inner parts run as testing.B benchmarks. BENCHMARKS.md has the results
// and how to reproduce them (`make bench`, `go run ./bench -quick`).
package main

import (
	"context"
	"os"
)

func main() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }
