package emulator_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

// legacyNames runs a DescribeUser and returns the IndexedAttribute1 of the
// page, the total, and the error code.
func legacyNames(t *testing.T, call func(string, any) ([]byte, error), params map[string]any) ([]string, int64, string) {
	t.Helper()
	body, err := call(ciam.ActionDescribeUser, params)
	if err != nil {
		return nil, 0, code(t, err)
	}
	var resp ciam.DescribeUserResponse
	decodeResponse(t, body, &resp)
	var out []string
	for _, u := range resp.Content {
		out = append(out, *u.IndexedAttribute1)
	}
	return out, resp.Total, ""
}

// TestConfirmManyByIndexedAttribute pins down what the documented
// DescribeUser allows for confirming N imported users in one request.
func TestConfirmManyByIndexedAttribute(t *testing.T) {
	r := start(t)
	c := demoClient(r)
	users := make([]map[string]any, 30)
	for i := range users {
		legacy := fmt.Sprintf("L%06d", i)
		users[i] = with(importUser(i), "IndexedAttribute1", legacy, "IndexedAttribute2", legacy)
	}
	waitJob(t, c, importUsers(t, c, users...))
	call := func(a string, p any) ([]byte, error) { return send(c, a, p) }
	f := func(key, op, value string) map[string]any {
		return map[string]any{"PropertyKey": key, "PropertyValue": value, "Logic": true, "OperateLogic": op}
	}
	page := func(size int) map[string]any { return map[string]any{"PageSize": size, "PageNumber": 1} }
	tests := []struct {
		name      string
		filters   []any
		sort      any
		size      int
		want      string
		wantTotal int64
		wantCode  string
	}{
		{"N equalities on one key are not an OR", []any{f("indexedAttribute1", "=", "L000001"), f("indexedAttribute1", "=", "L000002")},
			nil, 10, "", 0, emulator.CodeQueryRepeat},
		{"one equality", []any{f("indexedAttribute1", "=", "L000007")}, nil, 10, "L000007", 1, ""},
		{"conditions on two keys are ANDed", []any{f("indexedAttribute1", "=", "L000007"), f("userName", "=", "imp8")}, nil, 10, "", 0, ""},
		{"Logic false negates", []any{map[string]any{"PropertyKey": "indexedAttribute1", "PropertyValue": "L000000", "Logic": false}},
			nil, 2, "L000001,L000002", 29, ""},
		{"range and sort: the next N by legacy id", []any{f("indexedAttribute1", ">=", "L000010")},
			map[string]any{"PropertyKey": "indexedAttribute1", "Order": "ASC"}, 10,
			"L000010,L000011,L000012,L000013,L000014,L000015,L000016,L000017,L000018,L000019", 20, ""},
		{"a bounded range through two indexed attributes holding the same id",
			[]any{f("indexedAttribute1", ">=", "L000010"), f("indexedAttribute2", "<=", "L000014")},
			map[string]any{"PropertyKey": "indexedAttribute1", "Order": "ASC"}, 10, "L000010,L000011,L000012,L000013,L000014", 5, ""},
		{"PageSize at the limit", nil, nil, emulator.DefaultMaxPageSize, "", 30, ""},
		{"PageSize over the limit", nil, nil, emulator.DefaultMaxPageSize + 1, "", 0, emulator.CodeInvalidParameterValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			params := map[string]any{"UserStoreId": store, "Pageable": page(tt.size), "Filters": tt.filters}
			if tt.sort != nil {
				params["Sort"] = tt.sort
			}
			got, total, errCode := legacyNames(t, call, params)
			if errCode != tt.wantCode || total != tt.wantTotal {
				t.Fatalf("code %q total %d, want %q %d", errCode, total, tt.wantCode, tt.wantTotal)
			}
			if tt.want != "" && strings.Join(got, ",") != tt.want {
				t.Errorf("page %v, want %s", got, tt.want)
			}
		})
	}
}

func TestListUser(t *testing.T) {
	r, call := seed(t, 12) // user0..user11, even ones in group1
	_, callAny := seed(t, 12, func(c *emulator.Config) { c.ListUserAnyValue = true })
	id3 := r.Server.Users(store)[3].UserId
	cond := func(values ...string) map[string]any {
		return map[string]any{"Key": "condition", "Values": values}
	}
	tests := []struct {
		name     string
		filters  []any
		anyValue bool
		want     string
		wantCode string
	}{
		{"no filter", nil, false, "12", ""},
		{"user name (a substring search)", []any{cond("user1")}, false, "3", ""}, // user1, user10, user11
		{"email", []any{cond("user5@example.com")}, false, "1", ""},
		{"phone", []any{cond("+86-13800000007")}, false, "1", ""},
		{"user id", []any{cond(id3)}, false, "1", ""},
		{"group", []any{map[string]any{"Key": "userGroup", "Values": []string{group1}}}, false, "6", ""},
		{"not in group", []any{map[string]any{"Key": "userGroup", "Values": []string{group1}, "Logic": false}}, false, "6", ""},
		{"ANDed", []any{cond("user1"), map[string]any{"Key": "userGroup", "Values": []string{group1}}}, false, "1", ""}, // user10
		{"several values rejected", []any{cond("user1@example.com", "user2@example.com")}, false, "", emulator.CodeInvalidParameterValue},
		{"several values OR-ed when enabled", []any{cond("user1@example.com", "user2@example.com")}, true, "2", ""},
		{"no value", []any{map[string]any{"Key": "condition", "Values": []string{}}}, false, "", emulator.CodeInvalidParameterValue},
		{"unknown key", []any{map[string]any{"Key": "nickname", "Values": []string{"x"}}}, false, "", emulator.CodeInvalidParameterValue},
		{"unknown filter field", []any{map[string]any{"Key": "condition", "Value": "x"}}, false, "", emulator.CodeUnknownParameter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			send := call
			if tt.anyValue {
				send = callAny
			}
			body, err := send("ListUser", map[string]any{"UserStoreId": store,
				"Pageable": map[string]any{"PageSize": 20, "PageNumber": 1}, "Filters": tt.filters})
			if got := code(t, err); got != tt.wantCode {
				t.Fatalf("code %q, want %q", got, tt.wantCode)
			}
			if tt.wantCode != "" {
				return
			}
			var resp ciam.DescribeUserResponse
			decodeResponse(t, body, &resp)
			if fmt.Sprint(resp.Total) != tt.want || fmt.Sprint(len(resp.Content)) != tt.want {
				t.Errorf("total %d, %d users, want %s", resp.Total, len(resp.Content), tt.want)
			}
		})
	}
}
