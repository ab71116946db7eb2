package verify

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/pace"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/mapping"
)

const testStore = "store-1"

// legacyMapping keeps the legacy id in IndexedAttribute1; plainMapping
// does not, so users are matched by user name, email and phone number.
const (
	legacyMapping = `version: 1
key: id
fields:
  UserName: { from: name }
  Email: { from: email, transforms: [trim, lower] }
  PhoneNumber: { from: phone, phone: { default_region: CN, format: ciam } }
  Password: { from: pw }
  Nickname: { from: nick }
  IndexedAttribute1: id
`
	plainMapping = `version: 1
key: id
fields:
  UserName: { from: name }
  Email: { from: email, transforms: [trim, lower] }
  PhoneNumber: { from: phone, phone: { default_region: CN, format: ciam } }
  Password: { from: pw }
  Nickname: { from: nick }
`
	testInput = `id,name,email,phone,pw,nick
K1,ann,Ann@example.com,13800138001,S3cret!pw1,Ann
K2,bob,bob@example.com,13800138002,S3cret!pw2,Bob
K3,cid,cid@example.com,13800138003,S3cret!pw3,Cid
K4,dan,,13800138004,S3cret!pw4,Dan
`
)

// env is a source, its mapping and a store that holds the first three
// rows as mapped; tests change the store behind verify's back.
type env struct {
	dir   string
	spec  *mapping.Spec
	in    source.Input
	users map[string]ciam.User // by key
}

func newEnv(t *testing.T, mappingText string) *env {
	t.Helper()
	e := &env{dir: t.TempDir(), users: map[string]ciam.User{}}
	var err error
	if e.spec, err = mapping.Parse("m.yaml", []byte(mappingText)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(e.dir, "users.csv")
	if err := os.WriteFile(path, []byte(testInput), 0o600); err != nil {
		t.Fatal(err)
	}
	if e.in, err = source.NewFile(path, source.Options{}); err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(testInput, "\n")[1:4] {
		f := strings.Split(line, ",")
		u, err := e.spec.Map(mapping.Row{"id": f[0], "name": f[1], "email": f[2], "phone": f[3], "pw": f[4], "nick": f[5]})
		if err != nil {
			t.Fatal(err)
		}
		e.users[u.Key] = toCIAM(u, "uid"+string(rune('1'+i)))
	}
	return e
}

func toCIAM(u *mapping.User, id string) ciam.User {
	c := ciam.User{UserId: id, UserName: str(u.UserName), Email: str(u.Email), PhoneNumber: str(u.PhoneNumber),
		Nickname: str(u.Nickname), UserGroups: u.UserGroup}
	if u.IndexedAttributes[0] != "" {
		c.IndexedAttribute1 = str(u.IndexedAttributes[0])
	}
	return c
}

func (e *env) run(t *testing.T, api API, opt Options) (*Summary, map[string][]string) {
	t.Helper()
	opt.Input, opt.Spec, opt.UserStoreID, opt.API, opt.Dir = e.in, e.spec, testStore, api, e.dir
	opt.Poll, opt.Retry = 1, pace.RetryPolicy{MaxAttempts: 2, BaseDelay: 1, MaxDelay: 1}
	sum, err := Run(context.Background(), opt)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return sum, readReport(t, filepath.Join(e.dir, ReportFile))
}

// readReport returns verify.csv's rows by key ([verdict, fields, user_id]).
func readReport(t *testing.T, path string) map[string][]string {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", path, fi.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), "S3cret") {
		t.Errorf("the report holds a password:\n%s", data)
	}
	recs, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil || len(recs) == 0 || strings.Join(recs[0], ",") != "line,key,verdict,fields,user_id" {
		t.Fatalf("report %q: %v", data, err)
	}
	out := map[string][]string{}
	for _, r := range recs[1:] {
		k := r[1]
		if r[2] == Invalid {
			k = "line" + r[0]
		}
		out[k] = r[2:]
	}
	return out
}

// behindItsBack: K2's nickname changed, K3 deleted, K9 added with a legacy
// id no row has, and a user of another source (no legacy id).
func (e *env) behindItsBack() *fakeAPI {
	k2 := e.users["K2"]
	k2.Nickname = str("Robert")
	other := ciam.User{UserId: "uid-other", UserName: str("zed"), Email: str("zed@example.com")}
	extra := ciam.User{UserId: "uid9", UserName: str("nine"), IndexedAttribute1: str("K9")}
	return newFake(e.users["K1"], k2, other, extra)
}

func TestVerifyVerdicts(t *testing.T) {
	tests := []struct {
		name     string
		mapping  string
		opt      Options
		refuse   bool
		want     map[string][]string
		via      string
		extras   bool
		maxCalls int
	}{
		{"export, legacy id", legacyMapping, Options{}, false, map[string][]string{
			"K1": {Same, "", "uid1"}, "K2": {Different, "Nickname", "uid2"}, "K3": {Missing, "", ""},
			"line5": {Invalid, "Email (source email): is empty", ""}, "K9": {Extra, "", "uid9"}},
			ViaExport, true, 3},
		{"lookups, legacy id", legacyMapping, Options{NoExport: true}, false, map[string][]string{
			"K1": {Same, "", "uid1"}, "K2": {Different, "Nickname", "uid2"}, "K3": {Missing, "", ""},
			"line5": {Invalid, "Email (source email): is empty", ""}},
			ViaLookups, false, 3},
		{"export refused: lookups", legacyMapping, Options{}, true, map[string][]string{
			"K1": {Same, "", "uid1"}, "K2": {Different, "Nickname", "uid2"}, "K3": {Missing, "", ""},
			"line5": {Invalid, "Email (source email): is empty", ""}},
			ViaLookups, false, 5},
		{"export, no legacy id", plainMapping, Options{}, false, map[string][]string{
			"K1": {Same, "", "uid1"}, "K2": {Different, "Nickname", "uid2"}, "K3": {Missing, "", ""},
			"line5": {Invalid, "Email (source email): is empty", ""}},
			ViaExport, false, 3},
		{"lookups, no legacy id", plainMapping, Options{NoExport: true}, false, map[string][]string{
			"K1": {Same, "", "uid1"}, "K2": {Different, "Nickname", "uid2"}, "K3": {Missing, "", ""},
			"line5": {Invalid, "Email (source email): is empty", ""}},
			ViaLookups, false, 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.mapping)
			api := e.behindItsBack()
			api.refuse = tt.refuse
			var warnings []string
			tt.opt.Warn = func(s string) { warnings = append(warnings, s) }
			sum, got := e.run(t, api, tt.opt)
			if len(got) != len(tt.want) {
				t.Errorf("report %v, want %v", got, tt.want)
			}
			for k, w := range tt.want {
				if strings.Join(got[k], "|") != strings.Join(w, "|") {
					t.Errorf("%s: %q, want %q", k, got[k], w)
				}
			}
			if sum.Via != tt.via || (sum.ExtrasSkipped == "") != tt.extras || sum.Rows != 4 {
				t.Errorf("summary %+v", sum)
			}
			if !tt.extras && len(warnings) == 0 {
				t.Error("extras skipped without a warning")
			}
			if n := api.requests(); n != int(sum.Requests) || n > tt.maxCalls {
				t.Errorf("%d calls (%v), summary says %d; want at most %d", n, api.calls, sum.Requests, tt.maxCalls)
			}
			if _, err := os.Stat(filepath.Join(e.dir, ExportFile)); !os.IsNotExist(err) {
				t.Errorf("the export file is left after a finished verify: %v", err)
			}
		})
	}
}
