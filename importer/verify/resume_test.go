package verify

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// TestResumeExport: a verify killed after creating the export polls the
// same job; one killed after the download reads the file again without a
// request; a file shorter than the checkpoint says is downloaded again.
func TestResumeExport(t *testing.T) {
	e := newEnv(t, legacyMapping)
	api := e.behindItsBack()
	created, err := api.CreateFileExportUserJob(context.Background(), &ciam.CreateFileExportUserJobRequest{UserStoreId: testStore})
	if err != nil {
		t.Fatal(err)
	}
	x := &exporter{dir: e.dir, store: testStore}
	if err := x.writeCheckpoint(checkpoint{Store: testStore, JobID: created.Job.Id}); err != nil {
		t.Fatal(err)
	}
	api.calls = map[string]int{}
	sum, got := e.run(t, api, Options{})
	if api.calls[ciam.ActionCreateFileExportUserJob] != 0 || sum.ExportReused || got["K2"][0] != Different {
		t.Errorf("after a kill past the create: calls %v, summary %+v", api.calls, sum)
	}

	// Killed after the download: the checkpoint names the complete file.
	path := filepath.Join(e.dir, ExportFile)
	data := api.files[*api.jobs[created.Job.Id].Location]
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := x.writeCheckpoint(checkpoint{Store: testStore, JobID: created.Job.Id, Size: int64(len(data))}); err != nil {
		t.Fatal(err)
	}
	api.calls = map[string]int{}
	sum, got = e.run(t, api, Options{})
	if api.requests() != 0 || sum.Requests != 0 || !sum.ExportReused || got["K9"][0] != Extra {
		t.Errorf("after a kill past the download: calls %v, summary %+v", api.calls, sum)
	}

	// A truncated file is not reused.
	if err := os.WriteFile(path, data[:len(data)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	if err := x.writeCheckpoint(checkpoint{Store: testStore, JobID: created.Job.Id, Size: int64(len(data))}); err != nil {
		t.Fatal(err)
	}
	api.calls = map[string]int{}
	if sum, _ = e.run(t, api, Options{}); sum.ExportReused || api.calls[actionDownload] != 1 {
		t.Errorf("a truncated export was reused: calls %v, summary %+v", api.calls, sum)
	}
}
