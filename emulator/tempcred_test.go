package emulator_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
)

// tokenClient is the SDK's common client signing with a token credential
// (the session-token path: X-TC-Token is sent when token is not empty).
func tokenClient(r *emulator.Running, id, key, token string) *common.Client {
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint = r.Endpoint
	cpf.HttpProfile.Scheme = "HTTP"
	cpf.Language = "en-US"
	return common.NewCommonClient(common.NewTokenCredential(id, key, token), "ap-guangzhou", cpf)
}

func TestTemporaryCredentials(t *testing.T) {
	now := time.Now()
	r := start(t, func(c *emulator.Config) {
		c.Now = func() time.Time { return now }
		c.TempCredentials = []emulator.TempCredential{
			{SecretID: "AKIDtemp", SecretKey: "temp-key", Token: "session-token", Expires: now.Add(time.Hour)},
			{SecretID: "AKIDold", SecretKey: "old-key", Token: "old-token", Expires: now.Add(-time.Second)},
			{SecretID: "AKIDforever", SecretKey: "forever-key", Token: "forever-token"},
		}
	})
	tests := []struct {
		name, id, key, token string
		want, inMessage      string
	}{
		{"temporary with its token", "AKIDtemp", "temp-key", "session-token", "", ""},
		{"no expiry", "AKIDforever", "forever-key", "forever-token", "", ""},
		{"temporary without a token", "AKIDtemp", "temp-key", "", emulator.CodeTokenFailure, "does not match"},
		{"temporary with a wrong token", "AKIDtemp", "temp-key", "other-token", emulator.CodeTokenFailure, "does not match"},
		{"another credential's token", "AKIDtemp", "temp-key", "forever-token", emulator.CodeTokenFailure, "does not match"},
		{"expired", "AKIDold", "old-key", "old-token", emulator.CodeTokenFailure, "expired"},
		{"wrong key", "AKIDtemp", "not-the-key", "session-token", emulator.CodeSignatureFailure, ""},
		{"permanent key with a token", emulator.DemoSecretID, emulator.DemoSecretKey, "session-token", emulator.CodeTokenFailure, "permanent"},
		{"permanent key", emulator.DemoSecretID, emulator.DemoSecretKey, "", "", ""},
		{"unknown id", "AKIDnobody", "temp-key", "session-token", emulator.CodeSecretIDNotFound, ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := send(tokenClient(r, tt.id, tt.key, tt.token), ciam.ActionCreateUser, userReq(i))
			if got := code(t, err); got != tt.want {
				t.Fatalf("code = %q (%v), want %q", got, err, tt.want)
			}
			if tt.inMessage != "" && !strings.Contains(err.(*tcerr.TencentCloudSDKError).Message, tt.inMessage) {
				t.Errorf("message %q lacks %q", err.(*tcerr.TencentCloudSDKError).Message, tt.inMessage)
			}
		})
	}
}

func TestTemporaryCredentialsValidated(t *testing.T) {
	for _, tc := range []emulator.TempCredential{
		{SecretID: "AKIDtemp", SecretKey: "k"},
		{SecretID: emulator.DemoSecretID, SecretKey: "k", Token: "t"},
	} {
		cfg := emulator.DemoConfig()
		cfg.TempCredentials = []emulator.TempCredential{tc}
		if cfg.Validate() == nil {
			t.Errorf("%+v accepted", tc)
		}
	}
}
