package emulator_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

// seed creates n users (user0…) and returns the client; user i is in
// group1 when i is even and has IndexedAttribute1 "legacy-<i%3>".
func seed(t *testing.T, n int, opts ...func(*emulator.Config)) (*emulator.Running, func(action string, params any) ([]byte, error)) {
	r := start(t, opts...)
	c := demoClient(r)
	for i := range n {
		req := userReq(i)
		if i%2 == 0 {
			req.UserGroup = []string{group1}
		}
		req.IndexedAttribute1 = fmt.Sprintf("legacy-%d", i%3)
		createUser(t, c, req)
	}
	return r, func(action string, params any) ([]byte, error) { return send(c, action, params) }
}

func TestListUserByProperty(t *testing.T) {
	_, call := seed(t, 3)
	tests := []struct {
		code, value string
		original    bool
		wantPhone   string
		wantEmail   string
		wantCount   int
	}{
		{"email", "user1@example.com", true, "+86-13800000001", "user1@example.com", 1},
		{"phoneNumber", "+86-13800000002", true, "+86-13800000002", "user2@example.com", 1},
		{"email", "user1@example.com", false, "+86-138****0001", "use****@example.com", 1},
		{"email", "USER1@example.com", true, "", "", 0},
		{"email", "nobody@example.com", true, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s original=%v", tt.code, tt.value, tt.original), func(t *testing.T) {
			body, err := call(ciam.ActionListUserByProperty, ciam.ListUserByPropertyRequest{
				UserStoreId: store, PropertyCode: tt.code, PropertyValue: tt.value, Original: &tt.original})
			if err != nil {
				t.Fatal(err)
			}
			var resp ciam.ListUserByPropertyResponse
			decodeResponse(t, body, &resp)
			if len(resp.Users) != tt.wantCount || !strings.Contains(string(body), `"Users":[`) {
				t.Fatalf("got %s", body)
			}
			if tt.wantCount == 1 && (*resp.Users[0].PhoneNumber != tt.wantPhone || *resp.Users[0].Email != tt.wantEmail) {
				t.Errorf("phone %s email %s", *resp.Users[0].PhoneNumber, *resp.Users[0].Email)
			}
		})
	}
	_, err := call(ciam.ActionListUserByProperty, map[string]any{"UserStoreId": store, "PropertyCode": "userName", "PropertyValue": "user1"})
	if got := code(t, err); got != emulator.CodeInvalidParameterValue {
		t.Errorf("PropertyCode userName: code %q", got)
	}
}

func TestDescribeUserByID(t *testing.T) {
	r, call := seed(t, 2)
	id := r.Server.Users(store)[1].UserId
	body, err := call(ciam.ActionDescribeUserByID, map[string]any{"UserStoreId": store, "UserId": id, "Original": true})
	var resp ciam.DescribeUserByIdResponse
	decodeResponse(t, body, &resp)
	if err != nil || resp.User == nil || *resp.User.UserName != "user1" {
		t.Fatalf("found: %v %s", err, body)
	}
	body, err = call(ciam.ActionDescribeUserByID, map[string]any{"UserStoreId": store, "UserId": "missing"})
	if err != nil || !strings.Contains(string(body), `"User":null`) {
		t.Errorf("missing: %v %s", err, body)
	}
	_, err = call(ciam.ActionDescribeUserByID, map[string]any{"UserStoreId": "nope", "UserId": id})
	if got := code(t, err); got != emulator.CodeInvalidUserStore {
		t.Errorf("unknown store: code %q", got)
	}
}

func TestDescribeUser(t *testing.T) {
	_, call := seed(t, 12)
	yes, no := true, false
	eq := func(key, value string) ciam.QueryUserFilter {
		return ciam.QueryUserFilter{PropertyKey: key, PropertyValue: value, Logic: &yes, OperateLogic: "="}
	}
	tests := []struct {
		name      string
		filters   []ciam.QueryUserFilter
		sort      *ciam.Sort
		page      ciam.Pageable
		wantTotal int64
		wantNames string
	}{
		{"by user name", []ciam.QueryUserFilter{eq("userName", "user5")}, nil, ciam.Pageable{PageSize: 10, PageNumber: 1}, 1, "user5"},
		{"by indexed attribute", []ciam.QueryUserFilter{eq("indexedAttribute1", "legacy-1")}, nil, ciam.Pageable{PageSize: 10, PageNumber: 1}, 4, "user1,user4,user7,user10"},
		{"attribute and group", []ciam.QueryUserFilter{eq("indexedAttribute1", "legacy-1"), eq("userGroup", group1)}, nil, ciam.Pageable{PageSize: 10, PageNumber: 1}, 2, "user4,user10"},
		{"not in group, page 2", []ciam.QueryUserFilter{{PropertyKey: "userGroup", PropertyValue: group1, Logic: &no}}, nil, ciam.Pageable{PageSize: 4, PageNumber: 2}, 6, "user9,user11"},
		{"no filter, sorted desc, page 1", nil, &ciam.Sort{PropertyKey: "userName", Order: "DESC"}, ciam.Pageable{PageSize: 3, PageNumber: 1}, 12, "user9,user8,user7"},
		{"page past the end", nil, nil, ciam.Pageable{PageSize: 5, PageNumber: 4}, 12, ""},
		{"email not equal", []ciam.QueryUserFilter{{PropertyKey: "email", PropertyValue: "user0@example.com", OperateLogic: "!="}}, nil, ciam.Pageable{PageSize: 1, PageNumber: 1}, 11, "user1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, err := call(ciam.ActionDescribeUser, ciam.DescribeUserRequest{UserStoreId: store,
				Pageable: tt.page, Filters: tt.filters, Sort: tt.sort, Original: &yes})
			if err != nil {
				t.Fatal(err)
			}
			var resp ciam.DescribeUserResponse
			decodeResponse(t, body, &resp)
			var names []string
			for _, u := range resp.Content {
				names = append(names, *u.UserName)
			}
			if resp.Total != tt.wantTotal || strings.Join(names, ",") != tt.wantNames || resp.Pageable == nil {
				t.Errorf("total %d names %v, want %d %s", resp.Total, names, tt.wantTotal, tt.wantNames)
			}
		})
	}
}

func TestDescribeUserErrors(t *testing.T) {
	_, call := seed(t, 1)
	page := map[string]any{"PageSize": 10, "PageNumber": 1}
	tests := []struct {
		name   string
		params map[string]any
		want   string
	}{
		{"key not in whitelist", map[string]any{"UserStoreId": store, "Pageable": page,
			"Filters": []any{map[string]any{"PropertyKey": "nickname", "PropertyValue": "x"}}}, emulator.CodeQueryNotInWhitelist},
		{"repeated key", map[string]any{"UserStoreId": store, "Pageable": page, "Filters": []any{
			map[string]any{"PropertyKey": "email", "PropertyValue": "a"}, map[string]any{"PropertyKey": "email", "PropertyValue": "b"}}}, emulator.CodeQueryRepeat},
		{"sort not in whitelist", map[string]any{"UserStoreId": store, "Pageable": page,
			"Sort": map[string]any{"PropertyKey": "createTime"}}, emulator.CodeSortNotInWhitelist},
		{"no Pageable", map[string]any{"UserStoreId": store}, emulator.CodeMissingParameter},
		{"no PageSize", map[string]any{"UserStoreId": store, "Pageable": map[string]any{"PageNumber": 1}}, emulator.CodeMissingParameter},
		{"page 0", map[string]any{"UserStoreId": store, "Pageable": map[string]any{"PageSize": 10, "PageNumber": 0}}, emulator.CodeInvalidParameterValue},
		{"between", map[string]any{"UserStoreId": store, "Pageable": page,
			"Filters": []any{map[string]any{"PropertyKey": "lastModifiedDate", "PropertyValue": "1,2", "OperateLogic": "between"}}}, emulator.CodeInvalidParameterValue},
		{"unknown store", map[string]any{"UserStoreId": "nope", "Pageable": page}, emulator.CodeInvalidUserStore},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := call(ciam.ActionDescribeUser, tt.params)
			if got := code(t, err); got != tt.want {
				t.Errorf("code = %q (%v), want %q", got, err, tt.want)
			}
		})
	}
}
