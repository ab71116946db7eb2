package emulator_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

// outcome runs one step against an emulator and says what came of it: an
// error code, a FailedReason, "ok", or what was read back.
type outcome func(t *testing.T, r *emulator.Running, c *common.Client) string

// importOutcome imports u alone and answers its FailedReason, or "ok".
func importOutcome(u map[string]any) outcome {
	return func(t *testing.T, _ *emulator.Running, c *common.Client) string {
		job, _ := waitJob(t, c, importUsers(t, c, u))
		if len(job.FailedUsers) == 0 {
			return "ok"
		}
		return job.FailedUsers[0].FailedReason
	}
}

// callOutcome sends action with params and answers the error code, or "ok".
func callOutcome(action string, params any) outcome {
	return func(t *testing.T, _ *emulator.Running, c *common.Client) string {
		_, err := send(c, action, params)
		if c := code(t, err); c != "" {
			return c
		}
		return "ok"
	}
}

// TestStoreSettings runs every strict rule against a lenient emulator (the
// behaviour of before, unchanged) and a strict one (StrictSettings).
func TestStoreSettings(t *testing.T) {
	weak := userReq(1)
	weak.Password = "password"
	withAttr := userReq(2)
	withAttr.CustomizationAttributes = []ciam.MemberMap{{Name: "tier", Value: "gold"}}
	upperMD5 := strings.ToUpper(md5hex("Secr3t!pw"))
	tests := []struct {
		name            string
		edit            func(*emulator.StoreSettings)
		run             outcome
		lenient, strict string
	}{
		{"CreateUser weak password", nil, callOutcome(ciam.ActionCreateUser, weak), "ok", emulator.CodeInvalidParameterValue},
		{"CreateUser strong password", nil, callOutcome(ciam.ActionCreateUser, userReq(3)), "ok", "ok"},
		{"CreateUser undefined attribute", nil, callOutcome(ciam.ActionCreateUser, withAttr), "ok", emulator.CodeUndefinedAttribute},
		{"CreateUser defined attribute", func(s *emulator.StoreSettings) { s.CustomAttributes = []string{"tier"} },
			callOutcome(ciam.ActionCreateUser, withAttr), "ok", "ok"},
		{"SetPassword weak", nil, setPasswordOutcome("short"), "ok", emulator.CodeInvalidParameterValue},
		{"import birthdate in ms", nil, importOutcome(with(importUser(1), "Birthdate", "1722420973329")),
			"ok", "参数取值错误：`Birthdate`。"},
		{"import birthdate as a date", nil, importOutcome(with(importUser(1), "Birthdate", "2022-10-20")), "ok", "ok"},
		{"import plaintext without enum", nil, importOutcome(with(importUser(1), "Password", "Str0ng!pw")),
			"ok", "参数取值错误：`PasswordEncryptTypeEnum (required with a Password)`。"},
		{"import plaintext under its enum", nil, importOutcome(with(importUser(1), "Password", "Str0ng!pw",
			"PasswordEncryptTypeEnum", emulator.DefaultPlaintextEnum)), "ok", "ok"},
		{"import weak plaintext", nil, importOutcome(with(importUser(1), "Password", "weak",
			"PasswordEncryptTypeEnum", emulator.DefaultPlaintextEnum)), "ok", "密码不符合用户目录的密码策略：需要an upper-case letter, a digit, a symbol, at least 8 characters。"},
		{"import undefined attribute", nil, importOutcome(with(importUser(1), "CustomizationAttributes",
			[]map[string]any{{"Name": "tier", "Value": "gold"}})), "ok", "用户属性不存在：`tier`。"},
		{"import duplicate reason", nil, duplicateImport, "FailedOperation.UserNameAlreadyExists: The user name already exists.", "用户名称已存在。"},
		{"upper-case MD5 signs in", nil, md5SignIn(upperMD5), "true", "false"},
		{"lower-case MD5 signs in", nil, md5SignIn(strings.ToLower(upperMD5)), "true", "true"},
		{"UpdateUser keeps an absent field", nil, nicknameAfterUpdate, "nick", "<nil>"},
		{"created status", nil, createdStatus, "NOT_ENABLED", "NOT_ENABLED"},
		{"created status NORMAL", func(s *emulator.StoreSettings) { s.CreatedStatus = "NORMAL" }, createdStatus, "NORMAL", "NORMAL"},
	}
	for _, tt := range tests {
		for _, mode := range []struct {
			name     string
			settings emulator.StoreSettings
			want     string
		}{{"lenient", emulator.DemoConfig().Store, tt.lenient}, {"strict", emulator.StrictSettings(), tt.strict}} {
			t.Run(tt.name+"/"+mode.name, func(t *testing.T) {
				t.Parallel()
				settings := mode.settings
				if tt.edit != nil {
					tt.edit(&settings)
				}
				r := start(t, func(c *emulator.Config) { c.Store = settings })
				if got := tt.run(t, r, demoClient(r)); got != mode.want {
					t.Errorf("got %q, want %q", got, mode.want)
				}
			})
		}
	}
}

func setPasswordOutcome(pw string) outcome {
	return func(t *testing.T, r *emulator.Running, c *common.Client) string {
		u := createUser(t, c, userReq(9))
		return callOutcome("SetPassword", map[string]any{"UserStoreId": store, "UserId": u.UserId, "Password": pw})(t, r, c)
	}
}

func duplicateImport(t *testing.T, r *emulator.Running, c *common.Client) string {
	createUser(t, c, with2(userReq(5), "imp1"))
	return importOutcome(importUser(1))(t, r, c)
}

// with2 is req with user name name.
func with2(req ciam.CreateUserRequest, name string) ciam.CreateUserRequest {
	req.UserName = name
	return req
}

// md5SignIn imports a user with the MD5 digest hash of "Secr3t!pw" and
// answers whether that password signs in.
func md5SignIn(hash string) outcome {
	return func(t *testing.T, r *emulator.Running, c *common.Client) string {
		u := with(importUser(1), "Password", hash, "PasswordEncryptTypeEnum", "MD5")
		if got := importOutcome(u)(t, r, c); got != "ok" {
			t.Fatalf("import: %s", got)
		}
		if verifyPassword(t, r, map[string]any{"UserName": "imp1"}, "Secr3t!pw") {
			return "true"
		}
		return "false"
	}
}

// nicknameAfterUpdate creates a user with a nickname, updates only its
// address, and answers the nickname read back.
func nicknameAfterUpdate(t *testing.T, _ *emulator.Running, c *common.Client) string {
	req := userReq(7)
	req.Nickname = "nick"
	u := createUser(t, c, req)
	body, err := send(c, ciam.ActionUpdateUser, map[string]any{"UserStoreId": store, "UserId": u.UserId,
		"Address": "elsewhere", "UserName": "user7", "PhoneNumber": req.PhoneNumber, "Email": req.Email})
	if err != nil {
		t.Fatal(err)
	}
	var resp ciam.UpdateUserResponse
	decodeResponse(t, body, &resp)
	if resp.User.Nickname == nil {
		return "<nil>"
	}
	return *resp.User.Nickname
}

func createdStatus(t *testing.T, _ *emulator.Running, c *common.Client) string {
	return *createUser(t, c, userReq(8)).Status
}

// TestImportJobVanishes: a vanishing job is answered, never listed, and
// still stores its users; it does not count against the two unfinished jobs.
func TestImportJobVanishes(t *testing.T) {
	r := start(t, func(c *emulator.Config) { c.Import.VanishRate = 1 })
	c := demoClient(r)
	ids := []string{importUsers(t, c, importUser(1)), importUsers(t, c, importUser(2)), importUsers(t, c, importUser(3))}
	if ids[0] == "" {
		t.Fatal("no job id")
	}
	if jobs := listJobs(t, c); len(jobs) != 0 {
		t.Errorf("ListJobs shows %d vanished jobs", len(jobs))
	}
	if jobs := listJobs(t, c, ids...); len(jobs) != 0 {
		t.Errorf("ListJobs by id shows %d vanished jobs", len(jobs))
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(r.Server.Users(store)) < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("%d users stored after 10s, want 3", len(r.Server.Users(store)))
		}
		time.Sleep(5 * time.Millisecond) // poll interval
	}
}
