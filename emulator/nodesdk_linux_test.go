package emulator_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
)

// nodeSDKDir holds the Node.js conformance script and its locked
// dependencies; .ci/run installs them with npm ci.
const nodeSDKDir = "testdata/nodesdk"

// TestNodeSDKConformance: Tencent's official Node.js SDK (common client,
// TC3 signing) drives the export job, its download and DeleteUsers as the
// reference describes them. Without node or the installed modules it skips,
// except under CI=true, where it fails.
func TestNodeSDKConformance(t *testing.T) {
	node, err := exec.LookPath("node")
	_, modErr := os.Stat(filepath.Join(nodeSDKDir, "node_modules", "tencentcloud-sdk-nodejs-common"))
	if err != nil || modErr != nil {
		msg := "node or " + nodeSDKDir + "/node_modules missing: run npm ci --prefix emulator/" + nodeSDKDir
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	r := start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "conformance.js")
	cmd.Dir = nodeSDKDir
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Env = append(os.Environ(), "EMULATOR_ENDPOINT="+r.Endpoint, "SECRET_ID="+emulator.DemoSecretID,
		"SECRET_KEY="+emulator.DemoSecretKey, "STORE="+store)
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("node conformance.js: %v\n%s", err, stderr)
	}
	var got struct {
		JobType, JobStatus, Format, DeletedRequestId, DeletedId string
		Exported                                                []string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("summary %q: %v", out, err)
	}
	if got.JobType != emulator.JobTypeExportUser || got.JobStatus != emulator.JobCompleted || got.Format != "NDJSON" ||
		!slices.Equal(got.Exported, []string{"node1", "node2"}) || got.DeletedRequestId == "" {
		t.Errorf("summary %+v", got)
	}
	users := r.Server.Users(store)
	if len(users) != 1 || users[0].UserId == got.DeletedId {
		t.Errorf("after DeleteUsers through the SDK: %d users", len(users))
	}
}
