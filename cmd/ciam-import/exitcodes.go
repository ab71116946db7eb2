package main

import "github.com/ciam-import/ciam-import/importer"

// Exit codes; the job's own are defined by package importer and documented
// in the README.
const (
	exitOK          = importer.ExitOK
	exitError       = importer.ExitError
	exitUsage       = importer.ExitUsage
	exitFatal       = importer.ExitFatal
	exitLocked      = importer.ExitLocked
	exitPartial     = importer.ExitPartial
	exitRetryable   = importer.ExitRetryable
	exitInterrupted = importer.ExitInterrupted
)
