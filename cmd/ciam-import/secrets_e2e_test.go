package main

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/outcome"
)

// The secrets canary of issue 9, item 9, through the binary: a password, a
// password hash and a salt that are canaries go through mappings that fail
// on them in every way (templates, regex_replace, transforms, lookups,
// lengths, shapes, control characters) and through a server that echoes
// them in its error messages (a rejection, a fatal AuthFailure, a gateway's
// 502 page, an import job's InternalError). No file of any state or report
// directory, the ledger, nor anything the commands printed may hold any
// of them, raw, hex or base64.

const (
	canaryPassword = "CANARYpw<5e1f&0c9a77>Secret"
	canaryHash     = "ca11ab1ec0ffee00d15ea5ed5ca1ab1e" // an MD5 hash's shape
	canarySalt     = "CANARYsalt&7f3e<"
)

// canaryCSV: odd rows have a plaintext password (CreateUser), even rows an
// MD5 hash with a salt (the import job); pw_nul is the password with a NUL.
func canaryCSV(n int) string {
	var b strings.Builder
	b.WriteString("id,login,email,phone,pw,pw_nul,algo,hash,salt,salt_nul,nick\n")
	for i := 1; i <= n; i++ {
		pw, algo, hash, salt := canaryPassword, "", "", ""
		if i%2 == 0 {
			pw, algo, hash, salt = "", "md5", canaryHash, canarySalt
		}
		fmt.Fprintf(&b, "%d,cn%d,cn%d@example.com,+86-1390000%04d,%s,%s,%s,%s,%s,%s,Nick %d\n",
			i, i, i, i, pw, canaryPassword+"\x00", algo, hash, salt, canarySalt+"\x00", i)
	}
	return b.String()
}

// canaryMappingHead is the mapping's key and identity fields; each case
// adds its secret rules.
const canaryMappingHead = `version: 1
key: id
fields:
  UserName: { from: login }
  Email: { from: email }
  PhoneNumber: { from: phone }
`

// canaryGood sends the secrets as they are: plaintext by CreateUser, hashes
// by the import job.
const canaryGood = `  Password: { from: pw }
  PasswordHash: { from: hash, algorithm_from: algo, salt: { from: salt, position: head } }
  Nickname: { from: nick }
`

// canaryFailing are mapping rules that fail every row on a secret field.
var canaryFailing = map[string]string{
	"password template range":       "  Password: { template: \"{{range .pw}}{{end}}\" }\n",
	"password template compare":     "  Password: { template: \"{{if lt .pw 1}}x{{end}}\" }\n",
	"password template call":        "  Password: { template: \"{{call .pw}}\" }\n",
	"password template field":       "  Password: { template: \"{{.pw.x}}\" }\n",
	"password regex then control":   "  Password: { from: pw_nul, transforms: [{regex_replace: {pattern: \"-\", replacement: \"=\"}}] }\n",
	"password truncate then lookup": "  Password: { from: pw_nul, transforms: [{truncate: 12}], lookup: {table: {a: b}} }\n",
	"password lookup":               "  Password: { from: pw_nul, lookup: {table: {a: b}} }\n",
	"password max length":           "  Password: { from: pw_nul, max_length: 5 }\n",
	"password control":              "  Password: pw_nul\n",
	"password as phone":             "  Password: { from: pw_nul, phone: {default_region: CN} }\n",
	"hash shape":                    "  PasswordHash: { from: pw_nul, algorithm: bcrypt }\n",
	"hash algorithm from a secret":  "  PasswordHash: { from: hash, algorithm_from: pw_nul }\n",
	"hash template":                 "  PasswordHash: { template: \"{{range .hash}}{{end}}\", algorithm: md5 }\n",
	"salt control":                  "  PasswordHash: { from: hash, algorithm: md5, salt: { from: salt_nul, position: head } }\n",
	"salt template":                 "  PasswordHash: { from: hash, algorithm: md5, salt: { template: \"{{range .salt}}{{end}}\", position: head } }\n",
	"nickname template over secret": "  Password: { from: nick }\n  Nickname: { template: \"{{range .pw}}{{end}}\" }\n",
	"birthdate from the secret":     "  Password: { from: nick }\n  Birthdate: { from: pw_nul, date: {layout: date} }\n",
	"indexed attribute length":      "  Password: { from: nick }\n  IndexedAttribute1: { from: pw_nul, max_length: 3 }\n",
	"group lookup over the secret":  "  Password: { from: nick }\n  UserGroup: { from: pw_nul, split: \";\", lookup: {table: {a: b}} }\n",
}

// echoServer answers CreateUser and CreateApiImportUserJob with errors that
// quote the request's secrets, and passes everything else, and the rest of
// those calls, to the emulator.
type echoServer struct {
	em    *emulator.Server
	mu    sync.Mutex
	calls map[string]int
	fatal bool // the 9th CreateUser answers AuthFailure quoting the password
}

func (s *echoServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	action := r.Header.Get("X-TC-Action")
	s.mu.Lock()
	if s.calls == nil {
		s.calls = map[string]int{}
	}
	s.calls[action]++
	n, fatal := s.calls[action], s.fatal
	s.mu.Unlock()
	apiErr := func(code, msg string) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"Response": map[string]any{
			"Error": map[string]string{"Code": code, "Message": msg}, "RequestId": fmt.Sprintf("echo-%s-%d", action, n)}})
	}
	switch action {
	case ciam.ActionCreateUser:
		var req struct{ Password string }
		_ = json.Unmarshal(body, &req)
		switch {
		case n == 9 && fatal:
			apiErr("AuthFailure.SecretIdNotFound", "the SecretId is not found (request had Password="+req.Password+")")
			return
		case n == 3:
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprintf(w, "<html><body>502 Bad Gateway: upstream said password %s is weak</body></html>", req.Password)
			return
		case n%3 == 1:
			apiErr("InvalidParameterValue.PasswordPolicy", "the password "+req.Password+" does not meet the password policy")
			return
		}
	case ciam.ActionCreateApiImportUserJob:
		switch n {
		case 1:
			apiErr("InternalError", "backend failed on "+string(body))
			return
		case 2:
			apiErr("InvalidParameterValue", "cannot import "+string(body))
			return
		}
	}
	s.em.ServeHTTP(w, r)
}

func TestSecretsNeverLeaveThroughTheBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	t.Parallel()
	cfg := emulator.DemoConfig()
	cfg.Rate, cfg.Seed = 0, 3
	cfg.Import.UsersPerSecond = 1000
	h := newHostileEnv(t, cfg)
	echo := &echoServer{em: h.em.Server, fatal: true}
	srv := httptest.NewServer(echo)
	t.Cleanup(srv.Close) // before any process starts
	in := h.write("users.csv", canaryCSV(40))
	ledger := h.path("ledger.db")
	good := h.write("good.yaml", canaryMappingHead+canaryGood)
	state := h.path("state-good")
	args := []string{"run", "--input", in, "--mapping", good, "--user-store-id", emulator.DemoUserStore, "--state-dir", state,
		"--endpoint", srv.URL, "--rate", "0", "--progress", "never", "--ledger", ledger, "--job-batch-size", "5",
		"--job-poll", "20ms", "--workers", "2"}
	if r := h.run(args...); r.code != exitFatal || !strings.Contains(r.stderr, "AuthFailure.SecretIdNotFound") {
		t.Errorf("the run meeting the echoed AuthFailure exited %d, want %d with the code named", r.code, exitFatal)
	}
	echo.mu.Lock()
	echo.fatal = false
	echo.mu.Unlock()
	for range 3 {
		r := h.run("run", "--state-dir", state, "--progress", "never", "--log-format", "json")
		if r.code != exitRetryable {
			break
		}
		h.run("retry", "--state-dir", state, "--progress", "never")
	}
	h.run("status", "--state-dir", state)
	h.run("status", "--state-dir", state, "--json")
	h.run("report", "--state-dir", state)
	if n := len(h.em.Server.Users(emulator.DemoUserStore)); n == 0 {
		t.Error("no user was created: the canary never reached the service")
	}
	echo.mu.Lock()
	if echo.calls[ciam.ActionCreateUser] < 9 || echo.calls[ciam.ActionCreateApiImportUserJob] < 2 {
		t.Errorf("calls %v: the echoing answers were not all given", echo.calls)
	}
	echo.mu.Unlock()

	for name, rule := range canaryFailing {
		m := h.write(strings.ReplaceAll(name, " ", "-")+".yaml", canaryMappingHead+rule)
		dir := h.path("state-" + strings.ReplaceAll(name, " ", "-"))
		r := h.run("run", "--input", in, "--mapping", m, "--user-store-id", emulator.DemoUserStore, "--state-dir", dir,
			"--endpoint", srv.URL, "--rate", "0", "--progress", "never")
		if r.code != exitPartial {
			t.Errorf("%s: run exited %d, want %d (every row rejected)", name, r.code, exitPartial)
		}
		wantLines(t, dir, linesIn(2, 41, outcome.Rejected.File))
		if r := h.run("validate", "--input", in, "--mapping", m, "--report-dir", dir+"-validate"); r.code != exitPartial {
			t.Errorf("%s: validate exited %d, want %d", name, r.code, exitPartial)
		}
	}
	checkNoCanary(t, h.dir, in)
}

// checkNoCanary looks for the canaries, raw, hex and base64 at every
// alignment, in every file under dir but the input and the mappings.
func checkNoCanary(t *testing.T, dir, input string) {
	t.Helper()
	probes := map[string]string{}
	for _, s := range []string{canaryPassword, canaryHash, canarySalt} {
		probes[s] = s
		probes[hex.EncodeToString([]byte(s))] = "hex of " + s
		probes[strings.ToUpper(hex.EncodeToString([]byte(s)))] = "HEX of " + s
		for k := range 3 { // base64 of the secret at each offset mod 3, without the blocks it shares
			for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
				e := enc.EncodeToString(append(make([]byte, k), s...))
				probes[e[4:len(e)-4]] = "base64 of " + s
			}
		}
	}
	probes["CANARY"] = "the canary marker"
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || path == input || strings.HasSuffix(path, ".yaml") {
			return err
		}
		files++
		data := readAll(t, path)
		for p, what := range probes {
			if i := strings.Index(data, p); i >= 0 {
				t.Errorf("%s holds %s at byte %d: %q", path, what, i, data[max(0, i-60):min(len(data), i+len(p)+20)])
				break
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Errorf("only %d files searched", files)
	}
	t.Logf("%d files searched for %d probes", files, len(probes))
}
