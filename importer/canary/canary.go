package canary

import (
	"context"
	"fmt"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/sink"
	"github.com/ciam-import/ciam-import/importer/verify"
	"github.com/ciam-import/ciam-import/mapping"
)

// Path is the way a row's user reached CIAM.
type Path string

// The paths, in the order a report lists them.
const (
	PathCreate    Path = "CreateUser"
	PathImportJob Path = "import job"
	PathUpdate    Path = "UpdateUser"
)

// Paths lists every path in report order.
var Paths = []Path{PathCreate, PathImportJob, PathUpdate}

// PathOf is the path of the sink named name (sink.Sink.Name).
func PathOf(name string) Path {
	switch name {
	case sink.NameJob:
		return PathImportJob
	case sink.NameUpdate:
		return PathUpdate
	}
	return PathCreate
}

// Row is a user a canary run wrote: its input line, the mapped user that
// was sent, the path it took and the user id CIAM gave it.
type Row struct {
	Line   int64
	Path   Path
	User   *mapping.User
	UserID string
}

// Diff is one field of a user a canary run wrote that CIAM holds otherwise
// than the row says. Hint, when set, says what the difference means for the
// operator (e.g. a user that may not sign in yet).
type Diff struct {
	Line  int64  `json:"line"`
	Key   string `json:"key"`
	Path  Path   `json:"path"`
	Field string `json:"field"`
	Sent  string `json:"sent"`
	Got   string `json:"got"`
	Hint  string `json:"hint,omitempty"`
}

// Describer reads one user by id; resp.User is nil when there is none.
type Describer interface {
	DescribeUserById(ctx context.Context, req *ciam.DescribeUserByIdRequest) (*ciam.DescribeUserByIdResponse, error)
}

// Check reads every row's user back (DescribeUserById with Original) and
// lists, row by row in the order given, every field that differs: a row
// without a user id, or whose user CIAM no longer holds, is one "UserId"
// difference. The error is the first failed read (wrapped with its line);
// the differences found before it are returned with it.
func Check(ctx context.Context, api Describer, storeID string, rows []Row) ([]Diff, error) {
	var diffs []Diff
	original := true
	for _, r := range rows {
		d := Diff{Line: r.Line, Key: r.User.Key, Path: r.Path}
		if r.UserID == "" {
			diffs = append(diffs, with(d, verify.Diff{Field: "UserId", Got: "(no user id: the path confirmed the user without one)"}))
			continue
		}
		resp, err := api.DescribeUserById(ctx, &ciam.DescribeUserByIdRequest{UserStoreId: storeID, UserId: r.UserID, Original: &original})
		if err != nil {
			return diffs, fmt.Errorf("canary: read back line %d: %w", r.Line, err)
		}
		if resp.User == nil {
			diffs = append(diffs, with(d, verify.Diff{Field: "UserId", Sent: r.UserID, Got: "(no such user)"}))
			continue
		}
		for _, f := range Compare(r.User, resp.User) {
			d := with(d, f)
			d.Hint = hint(r.Path, f)
			diffs = append(diffs, d)
		}
	}
	return diffs, nil
}

// Compare lists what verify.Compare lists, then the ImportUser-only fields
// of u that CIAM's c returns otherwise, then Status when it is not NORMAL.
func Compare(u *mapping.User, c *ciam.User) []verify.Diff {
	out := verify.Compare(u, c)
	out = append(out, importOnly(u, c)...)
	if s, ok := status(c); ok {
		out = append(out, s)
	}
	return out
}

func with(d Diff, f verify.Diff) Diff {
	d.Field, d.Sent, d.Got = f.Field, f.Sent, f.Got
	return d
}
