// Command ciam-import imports users from a legacy export into Tencent Cloud
// CIAM through its CreateUser API, resumably and exactly once.
package main

import (
	"context"
	"os"
	_ "time/tzdata" // mapping time zones work on hosts without zoneinfo
)

func main() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }
