package emulator

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// TestTC3DocumentedVector checks the signer against the worked example of
// Tencent Cloud's "Signature v3" documentation (DescribeInstances on cvm).
func TestTC3DocumentedVector(t *testing.T) {
	body := []byte(`{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}`)
	if got := sha256Hex(body); got != "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064" {
		t.Fatalf("payload hash = %s", got)
	}
	header := func(name string) string {
		return map[string]string{"content-type": "application/json; charset=utf-8", "host": "cvm.tencentcloudapi.com"}[name]
	}
	canonical := canonicalRequest("POST", []string{"content-type", "host"}, header, sha256Hex(body))
	if got := sha256Hex([]byte(canonical)); got != "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031" {
		t.Fatalf("canonical request hash = %s for\n%s", got, canonical)
	}
	got := tc3Signature("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "2019-02-25", "cvm", "1551113065", canonical)
	if want := "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"; got != want {
		t.Fatalf("signature = %s, want %s", got, want)
	}
}

// captureTransport records the requests the SDK sends and answers a fixed
// success, so the SDK's own signing code path can be inspected.
type captureTransport struct {
	mu   sync.Mutex
	reqs []*http.Request
	body [][]byte
}

func (c *captureTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	b, _ := io.ReadAll(r.Body)
	c.mu.Lock()
	c.reqs, c.body = append(c.reqs, r), append(c.body, b)
	c.mu.Unlock()
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(`{"Response":{"RequestId":"x"}}`)), Request: r}, nil
}

// TestVerifierAgreesWithSDKSigner has the SDK sign requests (host with a
// port, HTML-escaped and non-ASCII JSON, with and without unsigned payload)
// and checks the verifier accepts exactly those bytes and rejects changes.
func TestVerifierAgreesWithSDKSigner(t *testing.T) {
	s := New(Config{SecretID: "AKIDtest", SecretKey: "secret", UserStores: []string{"s"}})
	for _, unsigned := range []bool{false, true} {
		rt := &captureTransport{}
		cpf := profile.NewClientProfile()
		cpf.HttpProfile.Endpoint, cpf.HttpProfile.Scheme = "127.0.0.1:9000", "HTTP"
		cpf.UnsignedPayload = unsigned
		c := common.NewCommonClient(common.NewCredential("AKIDtest", "secret"), "ap-guangzhou", cpf).WithHttpTransport(rt)
		req := tchttp.NewCommonRequest(ciam.Service, ciam.APIVersion, ciam.ActionCreateUser)
		_ = req.SetActionParameters(map[string]any{"UserName": "张三 a&b<c>", "UserStoreId": "s"})
		if err := c.Send(req, tchttp.NewCommonResponse()); err != nil {
			t.Fatal(err)
		}
		r, body := rt.reqs[0], rt.body[0]
		if !bytes.Contains(body, []byte(`\u0026`)) {
			t.Errorf("SDK body %s: expected HTML escaping", body)
		}
		if aerr := s.authenticate(r, body, time.Now()); aerr != nil {
			t.Fatalf("unsigned=%v: verifier rejects the SDK's request: %v", unsigned, aerr)
		}
		r.Host = "127.0.0.1:9001"
		if aerr := s.authenticate(r, body, time.Now()); aerr == nil || aerr.code != CodeSignatureFailure {
			t.Errorf("other host accepted: %v", aerr)
		}
		r.Host = "127.0.0.1:9000"
		tampered := bytes.Replace(body, []byte("s"), []byte("t"), 1)
		if aerr := s.authenticate(r, tampered, time.Now()); (aerr == nil) != unsigned {
			t.Errorf("unsigned=%v: tampered body gave %v", unsigned, aerr)
		}
	}
}

func TestParseAuthorization(t *testing.T) {
	good := "TC3-HMAC-SHA256 Credential=AKID/2024-01-02/ciam/tc3_request, SignedHeaders=content-type;host, Signature=" + strings.Repeat("a", 64)
	if c, aerr := parseAuthorization(good); aerr != nil || c.secretID != "AKID" || c.date != "2024-01-02" {
		t.Fatalf("parse good header: %+v %v", c, aerr)
	}
	for _, bad := range []string{
		"",
		"garbage",
		"Bearer abc",
		"TC3-HMAC-SHA256",
		"TC3-HMAC-SHA256 Credential=AKID/2024-01-02/ciam, SignedHeaders=content-type;host, Signature=" + strings.Repeat("a", 64),
		"TC3-HMAC-SHA256 Credential=AKID/2024-13-02/ciam/tc3_request, SignedHeaders=content-type;host, Signature=" + strings.Repeat("a", 64),
		"TC3-HMAC-SHA256 Credential=AKID/2024-01-02/ciam/tc3_request, SignedHeaders=host, Signature=" + strings.Repeat("a", 64),
		"TC3-HMAC-SHA256 Credential=AKID/2024-01-02/ciam/tc3_request, SignedHeaders=content-type;host, Signature=xyz",
		"TC3-HMAC-SHA256 Credential=AKID/2024-01-02/ciam/tc3_request SignedHeaders=content-type;host",
	} {
		if _, aerr := parseAuthorization(bad); aerr == nil || aerr.code != CodeInvalidAuthorization {
			t.Errorf("parse %q: got %v, want %s", bad, aerr, CodeInvalidAuthorization)
		}
	}
}

func FuzzParseAuthorization(f *testing.F) {
	f.Add("TC3-HMAC-SHA256 Credential=AKID/2024-01-02/ciam/tc3_request, SignedHeaders=content-type;host, Signature=" + strings.Repeat("a", 64))
	f.Add("TC3-HMAC-SHA256 ,,,==")
	f.Fuzz(func(t *testing.T, v string) {
		c, aerr := parseAuthorization(v)
		if aerr == nil && (c.secretID == "" || len(c.signature) != 64) {
			t.Fatalf("accepted %q as %+v", v, c)
		}
	})
}
