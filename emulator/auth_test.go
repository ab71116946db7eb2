package emulator_test

import (
	"errors"
	"testing"
	"time"

	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

func TestSignatureFailures(t *testing.T) {
	r := start(t)
	tests := []struct {
		name, id, key, want string
	}{
		{"wrong key", emulator.DemoSecretID, "not-the-key", emulator.CodeSignatureFailure},
		{"unknown secret id", "AKIDnobody", emulator.DemoSecretKey, emulator.CodeSecretIDNotFound},
		{"right credentials", emulator.DemoSecretID, emulator.DemoSecretKey, ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := send(sdkClient(r, tt.id, tt.key), ciam.ActionCreateUser, userReq(i))
			if got := code(t, err); got != tt.want {
				t.Errorf("code = %q (%v), want %q", got, err, tt.want)
			}
		})
	}
}

// TestSignatureExpire moves the server clock: the SDK signs with the real
// time, which must be within five minutes of the server's.
func TestSignatureExpire(t *testing.T) {
	tests := []struct {
		skew time.Duration
		want string
	}{
		{6 * time.Minute, emulator.CodeSignatureExpire},
		{-6 * time.Minute, emulator.CodeSignatureExpire},
		{4 * time.Minute, ""},
		{-4 * time.Minute, ""},
	}
	for i, tt := range tests {
		t.Run(tt.skew.String(), func(t *testing.T) {
			r := start(t, func(c *emulator.Config) {
				c.Now = func() time.Time { return time.Now().Add(tt.skew) }
			})
			_, err := send(demoClient(r), ciam.ActionCreateUser, userReq(i))
			if got := code(t, err); got != tt.want {
				t.Errorf("code = %q (%v), want %q", got, err, tt.want)
			}
		})
	}
}

func TestUnknownActionVersionRegion(t *testing.T) {
	r := start(t)
	call := func(version, action, region string) error {
		cpf := profile.NewClientProfile()
		cpf.HttpProfile.Endpoint, cpf.HttpProfile.Scheme = r.Endpoint, "HTTP"
		c := sdkClient(r, emulator.DemoSecretID, emulator.DemoSecretKey)
		c.Init(region).WithProfile(cpf)
		req := tchttp.NewCommonRequest(ciam.Service, version, action)
		_ = req.SetActionParameters(map[string]any{"UserStoreId": store})
		return c.Send(req, tchttp.NewCommonResponse())
	}
	tests := []struct {
		name, version, action, region, want, message string
	}{
		{"unknown action", ciam.APIVersion, "CreateUsers", "ap-guangzhou", emulator.CodeInvalidAction, "接口不存在。"},
		{"not emulated", ciam.APIVersion, "DeleteUserGroups", "ap-guangzhou", emulator.CodeUnsupportedOperation, ""},
		{"wrong version", "2018-01-01", ciam.ActionCreateUser, "ap-guangzhou", emulator.CodeNoSuchVersion, "接口版本`2018-01-01`不存在。"},
		{"no region", ciam.APIVersion, ciam.ActionDescribeUserByID, "", emulator.CodeMissingParameter, "缺少参数`Region`。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := call(tt.version, tt.action, tt.region)
			var sdkErr *tcerr.TencentCloudSDKError
			if !errors.As(err, &sdkErr) || sdkErr.Code != tt.want {
				t.Fatalf("error = %v, want code %q", err, tt.want)
			}
			if tt.message != "" && sdkErr.Message != tt.message {
				t.Errorf("message = %q, want %q", sdkErr.Message, tt.message)
			}
			if !requestIDPattern.MatchString(sdkErr.RequestId) {
				t.Errorf("RequestId %q is not a dashed UUID", sdkErr.RequestId)
			}
		})
	}
}

// TestMessageLanguage: X-TC-Language en-US selects the English texts.
func TestMessageLanguage(t *testing.T) {
	r := start(t)
	c := sdkClient(r, emulator.DemoSecretID, "wrong")
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint, cpf.HttpProfile.Scheme = r.Endpoint, "HTTP"
	cpf.Language = "en-US"
	c.WithProfile(cpf)
	_, err := send(c, ciam.ActionCreateUser, userReq(1))
	var sdkErr *tcerr.TencentCloudSDKError
	want := "The provided credentials could not be validated. Please check your signature is correct."
	if !errors.As(err, &sdkErr) || sdkErr.Message != want {
		t.Fatalf("error = %v, want message %q", err, want)
	}
}
