package importer

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/mapping"
)

// StopCanary is Summary.Stopped after a canary run (Options.Canary).
const StopCanary = "canary"

// CanaryDiff is one field of a user created by a canary run that CIAM holds
// differently from what the mapping sent.
type CanaryDiff struct {
	Line  int64  `json:"line"`
	Key   string `json:"key"`
	Field string `json:"field"`
	Sent  string `json:"sent"`
	Got   string `json:"got"`
}

// canaryRow is a user a canary run created, with what was sent.
type canaryRow struct {
	line   int64
	user   *mapping.User
	userID string
}

// canaryCollect returns the settle function of a canary run: it settles as
// usual and keeps each created row's mapped user for the read-back.
func (p *pipeline) canaryCollect(settle func(*job, result) error, rows *[]canaryRow) func(*job, result) error {
	return func(j *job, r result) error {
		if r.entry.Outcome == outcome.Created.Name && j.user != nil {
			*rows = append(*rows, canaryRow{line: j.rec.Line, user: j.user, userID: r.entry.UserID})
		}
		return settle(j, r)
	}
}

// checkCanary reads every created user back and compares each mapped field
// with what CIAM holds: the cheapest way to learn, before a million users,
// that the mapping or the service disagree (phone formats, birthdates,
// groups, attributes). Passwords are never compared or shown.
func checkCanary(ctx context.Context, api API, storeID string, rows []canaryRow) ([]CanaryDiff, error) {
	var diffs []CanaryDiff
	yes := true
	for _, r := range rows {
		resp, err := api.DescribeUserById(ctx, &ciam.DescribeUserByIdRequest{UserStoreId: storeID, UserId: r.userID, Original: &yes})
		if err != nil {
			return diffs, fmt.Errorf("canary: read back line %d: %w", r.line, err)
		}
		if resp.User == nil {
			diffs = append(diffs, CanaryDiff{Line: r.line, Key: r.user.Key, Field: "UserId", Sent: r.userID, Got: "(no such user)"})
			continue
		}
		for _, f := range compareUser(r.user, resp.User) {
			f.Line, f.Key = r.line, r.user.Key
			diffs = append(diffs, f)
		}
	}
	return diffs, nil
}

// compareUser lists the mapped fields u that CIAM's c holds differently.
func compareUser(u *mapping.User, c *ciam.User) []CanaryDiff {
	var out []CanaryDiff
	add := func(field, sent, got string) {
		if sent != got {
			out = append(out, CanaryDiff{Field: field, Sent: sent, Got: got})
		}
	}
	add("UserName", u.UserName, deref(c.UserName))
	add("Email", strings.ToLower(u.Email), strings.ToLower(deref(c.Email)))
	add("PhoneNumber", u.PhoneNumber, deref(c.PhoneNumber))
	add("Nickname", u.Nickname, deref(c.Nickname))
	add("Address", u.Address, deref(c.Address))
	add("Birthdate", millis(u.Birthdate), millis(c.Birthdate))
	add("UserGroup", sortedJoin(u.UserGroup), sortedJoin(c.UserGroups))
	for i, v := range u.IndexedAttributes {
		add("IndexedAttribute"+strconv.Itoa(i+1), v, deref(indexedAttribute(c, i+1)))
	}
	got := map[string]string{}
	for _, a := range c.CustomAttributes {
		got[a.Name] = a.Value
	}
	for _, a := range u.CustomizationAttributes {
		add("CustomizationAttributes["+a.Name+"]", a.Value, got[a.Name])
	}
	return out
}

func millis(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

func sortedJoin(s []string) string {
	c := slices.Clone(s)
	slices.Sort(c)
	return strings.Join(c, ";")
}
