package emulator_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

const (
	store  = emulator.DemoUserStore
	group1 = "6cd22e51a1b24c0f9d8e7f6a5b4c3d21"
	group2 = "8bee9039509c4c3c80b26fbb8cacedb9"
	org1   = "07c4e9aa11bb22cc33dd44ee55ff7093"
)

// start runs an emulator with the demo configuration, the quota lifted,
// edited by each option, and closes it when the test ends.
func start(t testing.TB, opts ...func(*emulator.Config)) *emulator.Running {
	t.Helper()
	cfg := emulator.DemoConfig()
	cfg.Rate = 0
	cfg.Seed = 1
	for _, o := range opts {
		o(&cfg)
	}
	r, err := emulator.Start(cfg)
	if err != nil {
		t.Fatalf("start emulator: %v", err)
	}
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Errorf("close emulator: %v", err)
		}
	})
	return r
}

// sdkClient is the SDK's common client pointed at r, retries off.
func sdkClient(r *emulator.Running, secretID, secretKey string) *common.Client {
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint = r.Endpoint
	cpf.HttpProfile.Scheme = "HTTP"
	cpf.HttpProfile.ReqTimeout = 30
	cpf.NetworkFailureMaxRetries = 0
	cpf.RateLimitExceededMaxRetries = 0
	return common.NewCommonClient(common.NewCredential(secretID, secretKey), "ap-guangzhou", cpf)
}

func demoClient(r *emulator.Running) *common.Client {
	return sdkClient(r, emulator.DemoSecretID, emulator.DemoSecretKey)
}

// send calls action with params (a map, a struct, or JSON bytes) and
// returns the whole {"Response":…} document.
func send(c *common.Client, action string, params any) ([]byte, error) {
	req := tchttp.NewCommonRequest(ciam.Service, ciam.APIVersion, action)
	var err error
	switch p := params.(type) {
	case map[string]any, []byte, string:
		err = req.SetActionParameters(p)
	default:
		var b []byte
		if b, err = json.Marshal(p); err == nil {
			err = req.SetActionParameters(b)
		}
	}
	if err != nil {
		return nil, err
	}
	resp := tchttp.NewCommonResponse()
	err = c.Send(req, resp)
	return resp.GetBody(), err
}

// decodeResponse unmarshals the Response object of body into v.
func decodeResponse(t testing.TB, body []byte, v any) {
	t.Helper()
	env := struct{ Response any }{Response: v}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("decode response %s: %v", body, err)
	}
}

// code returns the API error code of err, "" for nil, or fails the test.
func code(t testing.TB, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var sdkErr *tcerr.TencentCloudSDKError
	if !errors.As(err, &sdkErr) {
		t.Fatalf("error %v is not a TencentCloudSDKError", err)
	}
	return sdkErr.Code
}

// userReq is a valid CreateUser request for user n.
func userReq(n int) ciam.CreateUserRequest {
	return ciam.CreateUserRequest{
		UserStoreId: store,
		PhoneNumber: fmt.Sprintf("+86-138%08d", n),
		Email:       fmt.Sprintf("user%d@example.com", n),
		Password:    "P@ssw0rd!",
		UserName:    fmt.Sprintf("user%d", n),
	}
}

// createUser creates user n and returns it, failing the test on error.
func createUser(t testing.TB, c *common.Client, req ciam.CreateUserRequest) *ciam.User {
	t.Helper()
	body, err := send(c, ciam.ActionCreateUser, req)
	if err != nil {
		t.Fatalf("create user %s: %v", req.UserName, err)
	}
	var resp ciam.CreateUserResponse
	decodeResponse(t, body, &resp)
	return resp.User
}

// codeOf is code for goroutines: a non-SDK error comes back as its text.
func codeOf(err error) string {
	var sdkErr *tcerr.TencentCloudSDKError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &sdkErr):
		return sdkErr.Code
	}
	return "error: " + err.Error()
}
