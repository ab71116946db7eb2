package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

const deadline = 60 * time.Second

func TestHelpDocumentsEveryFlag(t *testing.T) {
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, io.Discard, &stderr); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, name := range []string{"listen", "secret-id", "secret-key", "user-store", "user-group", "user-org",
		"rate", "seed", "latency-median", "latency-p99", "error-rate", "error-codes", "drop-rate",
		"lose-response-rate", "lookup-error-rate", "max-users", "log-level", "quota-dip", "/_emulator/users", secretKeyEnv,
		"store-then-error-rate", "store-then-5xx-rate", "import-users-per-second", "import-start-delay",
		"import-batch-limit", "import-list-succeeded", "import-fail-rate", "import-failed-stores",
		"import-lose-response-rate", "update-error-rate", "max-page-size", "list-user-any-value",
		"temp-credentials", "/_emulator/verify-password", "/_emulator/jobs"} {
		if !strings.Contains(stderr.String(), name) {
			t.Errorf("--help does not mention %s", name)
		}
	}
}

func TestBadCommandLines(t *testing.T) {
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"--rate", "fast"}, exitUsage},
		{[]string{"--error-rate", "2"}, exitUsage},
		{[]string{"--drop-rate", "0.6", "--lose-response-rate", "0.6"}, exitUsage},
		{[]string{"--email-pattern", "("}, exitUsage},
		{[]string{"--log-level", "loud"}, exitUsage},
		{[]string{"--quota-dip", "after=1s,factor=0.5"}, exitUsage},
		{[]string{"extra"}, exitUsage},
		{[]string{"--listen", "127.0.0.1:99999"}, exitError},
	}
	for _, tt := range tests {
		if got := run(context.Background(), tt.args, io.Discard, io.Discard); got != tt.want {
			t.Errorf("run %v = %d, want %d", tt.args, got, tt.want)
		}
	}
}

func TestFlagsBuildConfig(t *testing.T) {
	getenv := func(k string) string { return map[string]string{secretKeyEnv: "from-env"}[k] }
	o, err := parseFlags([]string{"--user-store", "s1", "--user-store", "s2", "--user-org", "o1",
		"--error-rate", "0.5", "--error-codes", "InternalError, RequestLimitExceeded.FrequentRequest",
		"--lookup-latency-median", "40ms", "--secret-id", "AKIDx", "--quota-dip", "after=20s,for=30s,factor=0.5"}, io.Discard, getenv)
	if err != nil {
		t.Fatal(err)
	}
	c := o.cfg
	if c.SecretKey != "from-env" || strings.Join(c.UserStores, ",") != "s1,s2" || strings.Join(c.UserOrgs, ",") != "o1" ||
		len(c.Faults.CreateUser.ErrorCodes) != 2 || c.Faults.Lookups.LatencyMedian != 40*time.Millisecond ||
		len(c.UserGroups) != 3 || strings.Join(o.demo, ",") != "user-group" ||
		c.QuotaDip != (emulator.QuotaDip{After: 20 * time.Second, For: 30 * time.Second, Factor: 0.5}) {
		t.Errorf("config %+v, demo %v", c, o.demo)
	}
	if o, _ := parseFlags([]string{"--secret-key", "flag"}, io.Discard, getenv); o.cfg.SecretKey != "flag" {
		t.Errorf("--secret-key does not override the environment")
	}
}

// TestRunInProcess serves through run and stops through its context.
func TestRunInProcess(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, w := io.Pipe()
	exit := make(chan int, 1)
	go func() { exit <- run(ctx, []string{"--listen", "127.0.0.1:0"}, w, io.Discard) }()
	endpoint := readListening(t, out)
	createOne(t, endpoint)
	cancel()
	select {
	case code := <-exit:
		if code != exitOK {
			t.Errorf("exit %d", code)
		}
	case <-time.After(deadline):
		t.Fatal("run did not return after cancel")
	}
}

// TestBinary builds the real command, serves a call, reads the user back
// from the debug endpoint and stops it with SIGTERM.
func TestBinary(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "ciam-emulator")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "--listen", "127.0.0.1:0", "--rate", "5")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill() //nolint:errcheck // no-op once it exited
	endpoint := readListening(t, stdout)
	createOne(t, endpoint)
	if users := debugUsers(t, endpoint); len(users) != 1 || *users[0].UserName != "alice" {
		t.Errorf("debug users = %+v", users)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitExit(t, cmd)
	if !strings.Contains(stderr.String(), "using demo defaults") || strings.Contains(stderr.String(), emulator.DemoSecretKey) {
		t.Errorf("stderr lacks the demo note or shows the key:\n%s", stderr.String())
	}
}

func waitExit(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(deadline):
		t.Fatal("no exit after SIGTERM")
	}
}

// readListening reads the first stdout line and returns HOST:PORT, then
// keeps draining r.
func readListening(t *testing.T, r io.Reader) string {
	t.Helper()
	line := make(chan string, 1)
	br := bufio.NewReader(r)
	go func() {
		s, _ := br.ReadString('\n')
		line <- s
		_, _ = io.Copy(io.Discard, br)
	}()
	select {
	case s := <-line:
		endpoint, ok := strings.CutPrefix(strings.TrimSuffix(s, "\n"), "listening on http://")
		if !ok || strings.HasSuffix(endpoint, ":0") {
			t.Fatalf("first stdout line %q", s)
		}
		return endpoint
	case <-time.After(deadline):
		t.Fatal("no listening line")
	}
	return ""
}

func createOne(t *testing.T, endpoint string) {
	t.Helper()
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint, cpf.HttpProfile.Scheme = endpoint, "HTTP"
	c := common.NewCommonClient(common.NewCredential(emulator.DemoSecretID, emulator.DemoSecretKey), "ap-guangzhou", cpf)
	req := tchttp.NewCommonRequest(ciam.Service, ciam.APIVersion, ciam.ActionCreateUser)
	_ = req.SetActionParameters(map[string]any{"UserStoreId": emulator.DemoUserStore, "UserName": "alice",
		"Email": "alice@example.com", "PhoneNumber": "+86-13800000000", "Password": "pw"})
	if err := c.Send(req, tchttp.NewCommonResponse()); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
}

func debugUsers(t *testing.T, endpoint string) []ciam.User {
	t.Helper()
	resp, err := http.Get("http://" + endpoint + "/_emulator/users")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ Users []ciam.User }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body.Users
}
