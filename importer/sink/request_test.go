package sink

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/internal/fixture"
	"github.com/ciam-import/ciam-import/mapping"
)

// ImportUser.Birthdate is a date string (yyyy-MM-dd) in every official
// example; epoch milliseconds are never sent (issue 20).
func TestBuildImportUserBirthdate(t *testing.T) {
	ms := func(s string) *int64 {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		v := tm.UnixMilli()
		return &v
	}
	tests := []struct {
		name string
		ms   *int64
		day  string // mapping.User.BirthDay: the date in the mapping's zone
		want string
	}{
		{"none", nil, "", ""},
		{"midnight UTC", ms("1990-05-01T00:00:00Z"), "", "1990-05-01"},
		{"last millisecond of the UTC day", ms("1990-05-01T23:59:59.999Z"), "", "1990-05-01"},
		{"before 1970", ms("1901-12-31T12:00:00Z"), "", "1901-12-31"},
		{"without the mapping's day, another zone's midnight is its UTC date", ms("1990-05-01T00:00:00+08:00"), "", "1990-04-30"},
		{"the mapping's day, not the UTC date", ms("1990-05-01T00:00:00+08:00"), "1990-05-01", "1990-05-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := hashedUser()
			u.Birthdate, u.BirthDay = tt.ms, tt.day
			iu := buildImportUser(u)
			if iu.Birthdate != tt.want {
				t.Errorf("Birthdate %q, want %q", iu.Birthdate, tt.want)
			}
			body, err := json.Marshal(iu)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want != "" && !strings.Contains(string(body), `"Birthdate":"`+tt.want+`"`) {
				t.Errorf("want Birthdate %q as a JSON string in the body", tt.want)
			}
			if tt.want == "" && strings.Contains(string(body), "Birthdate") {
				t.Error("want no Birthdate in the body")
			}
		})
	}
}

// CreateUser keeps its millisecond Birthdate.
func TestBuildRequestBirthdateStaysMillis(t *testing.T) {
	u := fixture.User("K1")
	v := int64(641520000000)
	u.Birthdate = &v
	if got := buildRequest(fixture.Store, u).Birthdate; got == nil || *got != v {
		t.Errorf("CreateUser Birthdate %v, want %d", got, v)
	}
}

func hashedUser() *mapping.User {
	u := fixture.User("K1")
	u.Password = mapping.Secret{}
	u.PasswordHash = mapping.PasswordHash{Algorithm: mapping.HashMD5, Hash: mapping.NewSecret("5f4dcc3b5aa765d61d8327deb882cf99")}
	return u
}
