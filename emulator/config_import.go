package emulator

import (
	"errors"
	"fmt"
	"time"
)

// Import job defaults.
const (
	// DefaultImportBatchLimit is the most ImportUser entries one
	// CreateApiImportUserJob accepts. The reference documents no maximum
	// (§7); 1000 is the emulator's conservative choice.
	DefaultImportBatchLimit = 1000
	// DefaultMaxPageSize is DemoConfig's MaxPageSize: the reference gives no
	// maximum PageSize; the emulator's conservative choice is 100.
	DefaultMaxPageSize = 100
	// maxUnfinishedJobs is the documented limit of PENDING or PROCESSING
	// jobs per user store (FailedOperation.DataFlowTooManyRequests, §2.8).
	maxUnfinishedJobs = 2
)

// What a FAILED job did with its users (ImportConfig.FailedStores).
const (
	FailedStoresNone = "none" // no user of the job is stored
	FailedStoresSome = "some" // the first half (rounded down) is processed
	FailedStoresAll  = "all"  // every user is processed, then the job fails
)

// ImportConfig drives CreateApiImportUserJob. The zero value processes
// jobs at once with no batch limit; DefaultImportConfig is the safe one.
type ImportConfig struct {
	// UsersPerSecond paces the processing of a job's users; <= 0 is as
	// fast as possible.
	UsersPerSecond float64
	// StartDelay is how long a job stays PENDING before PROCESSING.
	StartDelay time.Duration
	// BatchLimit > 0 makes a longer DataFlowUserCreateList
	// InvalidParameterValue.
	BatchLimit int
	// ListSucceeded also lists the users that were stored in
	// Job.FailedUsers, with FailedReason "" (the reference does not say the
	// service does; off by default, the conservative reading).
	ListSucceeded bool
	// FailRate is the probability that a job ends FAILED, drawn from the
	// seeded fault generator and the request body.
	FailRate float64
	// FailedStores says what a FAILED job stored: FailedStoresNone,
	// FailedStoresSome (default, the hardest case for a client) or
	// FailedStoresAll.
	FailedStores string
	// VanishRate is the probability that a job vanishes from ListJobs as
	// soon as it is created (as after a service restart), seeded like
	// FailRate. It still runs and stores its users; only ListJobs (and
	// the count of unfinished jobs) no longer sees it.
	VanishRate float64
}

// DefaultImportConfig is the import configuration of DemoConfig.
func DefaultImportConfig() ImportConfig {
	return ImportConfig{BatchLimit: DefaultImportBatchLimit, FailedStores: FailedStoresSome}
}

// TempCredential is a temporary credential (an STS-style key with a session
// token). A zero Expires never expires.
type TempCredential struct {
	SecretID, SecretKey, Token string
	Expires                    time.Time
}

func (cfg Config) validateExtensions() error {
	im := cfg.Import
	if im.FailRate < 0 || im.FailRate > 1 || im.FailRate != im.FailRate {
		return fmt.Errorf("validate config: import fail rate %v outside [0, 1]", im.FailRate)
	}
	if im.VanishRate < 0 || im.VanishRate > 1 || im.VanishRate != im.VanishRate {
		return fmt.Errorf("validate config: import vanish rate %v outside [0, 1]", im.VanishRate)
	}
	switch im.FailedStores {
	case "", FailedStoresNone, FailedStoresSome, FailedStoresAll:
	default:
		return fmt.Errorf("validate config: import failed stores %q is not none, some or all", im.FailedStores)
	}
	if im.StartDelay < 0 {
		return errors.New("validate config: negative import start delay")
	}
	for _, tc := range cfg.TempCredentials {
		if tc.SecretID == "" || tc.SecretKey == "" || tc.Token == "" {
			return errors.New("validate config: a temporary credential needs a secret id, a secret key and a token")
		}
		if tc.SecretID == cfg.SecretID {
			return errors.New("validate config: a temporary credential reuses the permanent secret id")
		}
	}
	return nil
}

func (cfg Config) extensionDefaults() Config {
	if cfg.Import.FailedStores == "" {
		cfg.Import.FailedStores = FailedStoresSome
	}
	return cfg
}
