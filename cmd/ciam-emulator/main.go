// Command ciam-emulator serves a local emulator of the Tencent Cloud CIAM
// API (version 2022-03-31) for builds and demos without network access.
//
// It speaks TencentCloud API 3.0 over plain HTTP: point the SDK at it with
// HttpProfile.Endpoint = "HOST:PORT" and HttpProfile.Scheme = "HTTP". The
// first line on stdout is "listening on http://HOST:PORT"; logs go to
// stderr. SIGINT or SIGTERM stops it cleanly (exit 0). See package
// github.com/ciam-import/ciam-import/emulator for the emulated behaviour
// and the GET /_emulator/ debug endpoints.
package main

import (
	"context"
	"os"
)

func main() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }
