package emulator

import (
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"time"
)

// Demo defaults, used by cmd/ciam-emulator when no flag overrides them and
// handy for tests and `make demo`. They are not secrets.
const (
	DemoSecretID  = "AKIDemulator"
	DemoSecretKey = "emulator-secret-key"
	DemoUserStore = "d733b65803284091a998ab707d820726"
	DemoTenantID  = "100000090126"
)

// DemoUserGroups are the user group ids of the demo configuration.
var DemoUserGroups = []string{
	"6cd22e51a1b24c0f9d8e7f6a5b4c3d21",
	"8bee9039509c4c3c80b26fbb8cacedb9",
	"2f1e0d9c8b7a46958473625140fedcba",
}

// Config describes one emulated CIAM tenant. The zero value is not usable:
// SecretID, SecretKey and at least one user store are required.
type Config struct {
	SecretID, SecretKey string
	UserStores          []string // valid user store ids
	UserGroups          []string // valid user group ids (shared by all stores)
	// UserGroupNames gives the DisplayName of configured groups (id ->
	// name); a group without one is "group<N>", N its 1-based position.
	UserGroupNames map[string]string
	// UserOrgs lists valid organisation ids. nil accepts any org id; a
	// non-nil empty slice rejects every one with FailedOperation.OrgNotFound.
	UserOrgs []string
	// Rate is the quota per action per second, shared by every client.
	// It is truncated to a whole number of requests per sliding one-second
	// window (minimum 1). Rate <= 0 means unlimited.
	Rate float64
	// QuotaDip lowers the quota for a while (a fault for pacing tests).
	QuotaDip QuotaDip
	Faults   Faults
	// Seed makes fault decisions and generated user ids reproducible.
	Seed int64
	// Now is the server clock (signature expiry, quota window, timestamps).
	// nil means time.Now.
	Now func() time.Time
	// TenantID is returned in User.TenantId; empty means DemoTenantID.
	TenantID string
	// MaxUsersPerStore > 0 makes CreateUser answer
	// FailedOperation.QuotaLimitExceeded once a store holds that many users.
	MaxUsersPerStore int
	// Patterns optionally constrains identity formats
	// (FailedOperation.AttributeFormatError when one does not match).
	Patterns Patterns
	// Logger receives one debug record per API call; nil discards.
	Logger *slog.Logger
	// Import paces and breaks CreateApiImportUserJob jobs (ImportConfig).
	Import ImportConfig
	// TempCredentials are temporary credentials accepted besides SecretID:
	// a request signed with one must carry its X-TC-Token.
	TempCredentials []TempCredential
	// MaxPageSize > 0 makes a larger Pageable.PageSize of DescribeUser and
	// ListUser InvalidParameterValue (the reference gives no maximum).
	MaxPageSize int
	// ListUserAnyValue lets a ListUser Filter carry several Values, any of
	// which matches (undocumented); false answers InvalidParameterValue.
	ListUserAnyValue bool
	// Store holds the user store's own settings (custom attributes,
	// password policy) and the readings of what the reference leaves open;
	// the zero value is lenient, StrictSettings a real store's defaults.
	Store StoreSettings
}

// Patterns are the per-store attribute regular expressions the real console
// lets an administrator set. A nil pattern accepts anything.
type Patterns struct {
	UserName, PhoneNumber, Email *regexp.Regexp
}

// DemoConfig returns the configuration cmd/ciam-emulator uses by default.
func DemoConfig() Config {
	return Config{
		SecretID:    DemoSecretID,
		SecretKey:   DemoSecretKey,
		UserStores:  []string{DemoUserStore},
		UserGroups:  append([]string(nil), DemoUserGroups...),
		Rate:        20,
		TenantID:    DemoTenantID,
		Import:      DefaultImportConfig(),
		MaxPageSize: DefaultMaxPageSize,
		Store:       StoreSettings{PlaintextEnum: DefaultPlaintextEnum},
	}
}

// Validate reports the first problem that makes cfg unusable.
func (cfg Config) Validate() error {
	if cfg.SecretID == "" || cfg.SecretKey == "" {
		return errors.New("validate config: secret id and secret key are required")
	}
	if len(cfg.UserStores) == 0 {
		return errors.New("validate config: at least one user store is required")
	}
	for _, s := range cfg.UserStores {
		if s == "" {
			return errors.New("validate config: empty user store id")
		}
	}
	if err := cfg.QuotaDip.Validate(); err != nil {
		return fmt.Errorf("validate config: %w", err)
	}
	if err := cfg.Faults.validate(); err != nil {
		return fmt.Errorf("validate config: %w", err)
	}
	if err := cfg.Store.validate(); err != nil {
		return fmt.Errorf("validate config: %w", err)
	}
	return cfg.validateExtensions()
}

func (cfg Config) withDefaults() Config {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.TenantID == "" {
		cfg.TenantID = DemoTenantID
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	cfg.Faults = cfg.Faults.withDefaults()
	return cfg.extensionDefaults()
}

// Faults selects the failures injected after a request was admitted by the
// quota. Each class of actions is configured separately: CreateUser; the
// lookups (ListUserByProperty, DescribeUser, DescribeUserById, ListUser,
// ListJobs); CreateApiImportUserJob; UpdateUser and SetPassword.
type Faults struct {
	CreateUser FaultSpec
	Lookups    FaultSpec
	ImportJob  FaultSpec
	Updates    FaultSpec
}

// FaultSpec describes the faults of one class of actions. The rates are
// probabilities per admitted request, drawn from one uniform variate, so
// they must each lie in [0, 1] and sum to at most 1.
type FaultSpec struct {
	// LatencyMedian and LatencyP99 define a log-normal processing delay.
	// LatencyP99 <= LatencyMedian gives a constant LatencyMedian.
	LatencyMedian, LatencyP99 time.Duration
	// ErrorRate answers with one of ErrorCodes (uniformly; default
	// InternalError) without doing the work.
	ErrorRate  float64
	ErrorCodes []string
	// DropRate closes the connection without an answer before any work.
	DropRate float64
	// LoseResponseRate does the work (a CreateUser stores the user), then
	// closes the connection without an answer.
	LoseResponseRate float64
	// StoreThenErrorRate does the work, then answers one of ErrorCodes
	// (default InternalError) as if it had not been done.
	StoreThenErrorRate float64
	// StoreThen5xxRate does the work, then answers HTTP 502 or 504 with a
	// non-JSON body, as a gateway does when the backend answered too late.
	StoreThen5xxRate float64
}

func (f FaultSpec) active() bool {
	return f.LatencyMedian > 0 || f.ErrorRate > 0 || f.DropRate > 0 || f.LoseResponseRate > 0 ||
		f.StoreThenErrorRate > 0 || f.StoreThen5xxRate > 0
}

func (f FaultSpec) withDefaults() FaultSpec {
	if (f.ErrorRate > 0 || f.StoreThenErrorRate > 0) && len(f.ErrorCodes) == 0 {
		f.ErrorCodes = []string{CodeInternalError}
	}
	return f
}

func (f FaultSpec) validate() error {
	rates := []float64{f.ErrorRate, f.DropRate, f.LoseResponseRate, f.StoreThenErrorRate, f.StoreThen5xxRate}
	sum := 0.0
	for _, r := range rates {
		if r < 0 || r > 1 || r != r {
			return fmt.Errorf("rate %v outside [0, 1]", r)
		}
		sum += r
	}
	if sum > 1 {
		return fmt.Errorf("rates sum to %v, more than 1", sum)
	}
	if f.LatencyMedian < 0 || f.LatencyP99 < 0 {
		return errors.New("negative latency")
	}
	for _, c := range f.ErrorCodes {
		if c == "" {
			return errors.New("empty error code")
		}
	}
	return nil
}
