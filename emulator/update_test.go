package emulator_test

import (
	"testing"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

// describe answers DescribeUserById, unmasked.
func describe(t *testing.T, call func(string, any) ([]byte, error), id string) *ciam.User {
	t.Helper()
	orig := true
	body, err := call(ciam.ActionDescribeUserByID, ciam.DescribeUserByIdRequest{UserStoreId: store, UserId: id, Original: &orig})
	if err != nil {
		t.Fatal(err)
	}
	var resp ciam.DescribeUserByIdResponse
	decodeResponse(t, body, &resp)
	return resp.User
}

func TestUpdateUser(t *testing.T) {
	tests := []struct {
		name   string
		params map[string]any // besides UserStoreId and UserId of user0
		want   string
		check  func(*ciam.User) bool
	}{
		{"new email", map[string]any{"Email": "new@example.com"}, "",
			func(u *ciam.User) bool { return *u.Email == "new@example.com" && *u.UserName == "user0" }},
		{"another user's email", map[string]any{"Email": "user1@example.com"}, emulator.CodeEmailAlreadyExists, nil},
		{"another user's phone", map[string]any{"PhoneNumber": "+86-13800000001"}, emulator.CodePhoneNumberExists, nil},
		{"another user's name", map[string]any{"UserName": "user1"}, emulator.CodeUserNameAlreadyExists, nil},
		{"its own values again", map[string]any{"UserName": "user0", "Email": "user0@example.com"}, "",
			func(u *ciam.User) bool { return *u.Email == "user0@example.com" }},
		{"empty user name", map[string]any{"UserName": ""}, emulator.CodeInvalidParameterValue, nil},
		{"nickname set then untouched", map[string]any{"Nickname": "nick"}, "",
			func(u *ciam.User) bool { return *u.Nickname == "nick" && *u.PhoneNumber == "+86-13800000000" }},
		{"nickname cleared", map[string]any{"Nickname": ""}, "", func(u *ciam.User) bool { return u.Nickname == nil }},
		{"groups replaced", map[string]any{"UserGroup": []string{group2}}, "",
			func(u *ciam.User) bool { return len(u.UserGroups) == 1 && u.UserGroups[0] == group2 }},
		{"groups emptied", map[string]any{"UserGroup": []string{}}, "", func(u *ciam.User) bool { return len(u.UserGroups) == 0 }},
		{"unknown group", map[string]any{"UserGroup": []string{"nogroup"}}, emulator.CodeUserGroupNotFound, nil},
		{"indexed attribute", map[string]any{"IndexedAttribute2": "v2"}, "",
			func(u *ciam.User) bool { return *u.IndexedAttribute2 == "v2" && *u.IndexedAttribute1 == "legacy-0" }},
		{"null leaves it", map[string]any{"IndexedAttribute2": nil}, "", func(u *ciam.User) bool { return *u.IndexedAttribute2 == "v2" }},
		{"unknown key", map[string]any{"Password": "x"}, emulator.CodeUnknownParameter, nil},
		{"unknown user", map[string]any{"UserId": "00000000000000000000000000000000"}, emulator.CodeUserNotFound, nil},
		{"no user id", map[string]any{"UserId": nil}, emulator.CodeMissingParameter, nil},
	}
	r, call := seed(t, 2)
	id := r.Server.Users(store)[0].UserId
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			params := map[string]any{"UserStoreId": store, "UserId": id}
			for k, v := range tt.params {
				params[k] = v
				if v == nil && k == "UserId" {
					delete(params, k)
				}
			}
			body, err := call("UpdateUser", params)
			if got := code(t, err); got != tt.want {
				t.Fatalf("code %q, want %q", got, tt.want)
			}
			if tt.check == nil {
				return
			}
			var resp ciam.CreateUserResponse
			decodeResponse(t, body, &resp)
			if u := describe(t, call, id); !tt.check(resp.User) || !tt.check(u) {
				t.Errorf("answer %s; DescribeUserById %+v", body, u)
			}
		})
	}
}

// TestUpdateUserFreesOldValues: after an update the lookups follow the new
// values and the old ones can be taken by another user.
func TestUpdateUserFreesOldValues(t *testing.T) {
	r, call := seed(t, 1)
	c := demoClient(r)
	id := r.Server.Users(store)[0].UserId
	if _, err := call("UpdateUser", map[string]any{"UserStoreId": store, "UserId": id, "Email": "moved@example.com"}); err != nil {
		t.Fatal(err)
	}
	count := func(email string) int {
		body, err := call(ciam.ActionListUserByProperty, ciam.ListUserByPropertyRequest{UserStoreId: store, PropertyCode: "email", PropertyValue: email})
		if err != nil {
			t.Fatal(err)
		}
		var resp ciam.ListUserByPropertyResponse
		decodeResponse(t, body, &resp)
		return len(resp.Users)
	}
	if count("user0@example.com") != 0 || count("moved@example.com") != 1 {
		t.Fatal("lookups do not follow the update")
	}
	req := userReq(9)
	req.Email = "user0@example.com"
	createUser(t, c, req)
}

// TestUpdateUserReindexes: DescribeUser by indexed attribute and by group
// follows an update.
func TestUpdateUserReindexes(t *testing.T) {
	r, call := seed(t, 3) // user0 and user2 in group1, legacy-0..2
	id := r.Server.Users(store)[0].UserId
	if _, err := call("UpdateUser", map[string]any{"UserStoreId": store, "UserId": id,
		"IndexedAttribute1": "legacy-9", "UserGroup": []string{group2, group2}}); err != nil {
		t.Fatal(err)
	}
	total := func(key, value string) int64 {
		body, err := call(ciam.ActionDescribeUser, ciam.DescribeUserRequest{UserStoreId: store,
			Pageable: ciam.Pageable{PageSize: 10, PageNumber: 1}, Filters: []ciam.QueryUserFilter{{PropertyKey: key, PropertyValue: value}}})
		if err != nil {
			t.Fatal(err)
		}
		var resp ciam.DescribeUserResponse
		decodeResponse(t, body, &resp)
		return resp.Total
	}
	for _, tt := range []struct {
		key, value string
		want       int64
	}{
		{"indexedAttribute1", "legacy-0", 0}, {"indexedAttribute1", "legacy-9", 1},
		{"userGroup", group1, 1}, {"userGroup", group2, 1}, {"id", id, 1},
	} {
		if got := total(tt.key, tt.value); got != tt.want {
			t.Errorf("%s=%s: %d users, want %d", tt.key, tt.value, got, tt.want)
		}
	}
}

func TestSetPassword(t *testing.T) {
	r, call := seed(t, 1)
	id := r.Server.Users(store)[0].UserId
	who := map[string]any{"UserId": id}
	if !verifyPassword(t, r, who, "P@ssw0rd!") || verifyPassword(t, r, who, "other") {
		t.Fatal("CreateUser's password does not verify, or a wrong one does")
	}
	tests := []struct {
		name   string
		params map[string]any
		want   string
	}{
		{"empty password", map[string]any{"UserStoreId": store, "UserId": id, "Password": ""}, emulator.CodePasswordIsNull},
		{"no password", map[string]any{"UserStoreId": store, "UserId": id}, emulator.CodePasswordIsNull},
		{"unknown user", map[string]any{"UserStoreId": store, "UserId": "nobody", "Password": "x"}, emulator.CodeUserNotFound},
		{"unknown store", map[string]any{"UserStoreId": "nostore", "UserId": id, "Password": "x"}, emulator.CodeInvalidUserStore},
		{"no user id", map[string]any{"UserStoreId": store, "Password": "x"}, emulator.CodeMissingParameter},
		{"set", map[string]any{"UserStoreId": store, "UserId": id, "Password": "N3w-pass"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := call("SetPassword", tt.params); code(t, err) != tt.want {
				t.Errorf("code %q, want %q", code(t, err), tt.want)
			}
		})
	}
	if !verifyPassword(t, r, who, "N3w-pass") || verifyPassword(t, r, who, "P@ssw0rd!") {
		t.Error("SetPassword did not replace the credential")
	}
	if !verifyPassword(t, r, map[string]any{"UserName": "user0"}, "N3w-pass") {
		t.Error("verify by user name fails")
	}
	if !r.Server.VerifyPassword(store, id, "N3w-pass") || r.Server.VerifyPassword(store, id, "P@ssw0rd!") ||
		r.Server.VerifyPassword(store, "nobody", "N3w-pass") {
		t.Error("Server.VerifyPassword disagrees")
	}
}
