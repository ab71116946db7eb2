package importer

import (
	"github.com/ciam-import/ciam-import/importer/checkpoint"
	"github.com/ciam-import/ciam-import/importer/sink"
)

// The names below are the importer's doors: what a command needs of the
// rooms behind them, under the names it has always used.

// API is the part of the CIAM client a run uses (see sink.API).
type API = sink.API

// Updater is the part of the client ConflictUpdate needs besides API.
type Updater = sink.Updater

// JobOptions configure the import-job sink (see sink.JobOptions).
type JobOptions = sink.JobOptions

// Progress is what a run reports as rows settle.
type Progress = checkpoint.Progress

// MismatchError refuses to resume a state directory made for another job.
type MismatchError = checkpoint.MismatchError

// ErrPassUnfinished refuses a retry pass while the current pass still has
// rows to read.
var ErrPassUnfinished = checkpoint.ErrPassUnfinished
