package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
)

// extValues holds the flags of the import job, the update actions, paging
// and temporary credentials.
type extValues struct {
	importCodes, updateCodes string
	tempCredentials          string
}

// defineExtFlags binds the flags added with the import job and the update
// actions to o or to the returned values.
func defineExtFlags(fs *flag.FlagSet, o *options) *extValues {
	v := &extValues{}
	im := &o.cfg.Import
	faultFlags(fs, "import-", "CreateApiImportUserJob calls", "the job is stored and runs", &o.cfg.Faults.ImportJob, &v.importCodes)
	faultFlags(fs, "update-", "UpdateUser and SetPassword calls", "the user is changed", &o.cfg.Faults.Updates, &v.updateCodes)
	fs.Float64Var(&im.UsersPerSecond, "import-users-per-second", 0, "users an import job processes per second (<= 0: as fast as possible)")
	fs.DurationVar(&im.StartDelay, "import-start-delay", 0, "how long an import job stays PENDING before PROCESSING")
	fs.IntVar(&im.BatchLimit, "import-batch-limit", emulator.DefaultImportBatchLimit,
		"most users per CreateApiImportUserJob, else InvalidParameterValue (undocumented; 0: no limit)")
	fs.BoolVar(&im.ListSucceeded, "import-list-succeeded", false, "also list stored users in Job.FailedUsers, with an empty FailedReason")
	fs.Float64Var(&im.FailRate, "import-fail-rate", 0, "fraction of import jobs that end FAILED (seeded)")
	fs.StringVar(&im.FailedStores, "import-failed-stores", emulator.FailedStoresSome,
		"what a FAILED job stored: none, some (the first half of its users) or all")
	fs.IntVar(&o.cfg.MaxPageSize, "max-page-size", emulator.DefaultMaxPageSize,
		"largest Pageable.PageSize of DescribeUser and ListUser, else InvalidParameterValue (undocumented; 0: no limit)")
	fs.BoolVar(&o.cfg.ListUserAnyValue, "list-user-any-value", false,
		"let a ListUser Filter carry several Values, any of which matches (undocumented; default InvalidParameterValue)")
	fs.StringVar(&v.tempCredentials, "temp-credentials", "", "`FILE` of temporary credentials accepted besides --secret-id: a JSON array of "+
		`{"SecretId","SecretKey","Token","Expires"(RFC 3339, optional)}; requests signed with one must send its X-TC-Token`)
	return v
}

// tempCredential is one entry of the --temp-credentials file.
type tempCredential struct {
	SecretId, SecretKey, Token string
	Expires                    *time.Time
}

func (v *extValues) apply(o *options) error {
	o.cfg.Faults.ImportJob.ErrorCodes = splitCodes(v.importCodes)
	o.cfg.Faults.Updates.ErrorCodes = splitCodes(v.updateCodes)
	if v.tempCredentials == "" {
		return nil
	}
	b, err := os.ReadFile(v.tempCredentials)
	if err != nil {
		return fmt.Errorf("--temp-credentials: %w", err)
	}
	var list []tempCredential
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("--temp-credentials: parse %s: not a JSON array of credentials", v.tempCredentials)
	}
	for _, tc := range list {
		c := emulator.TempCredential{SecretID: tc.SecretId, SecretKey: tc.SecretKey, Token: tc.Token}
		if tc.Expires != nil {
			c.Expires = *tc.Expires
		}
		o.cfg.TempCredentials = append(o.cfg.TempCredentials, c)
	}
	return nil
}
