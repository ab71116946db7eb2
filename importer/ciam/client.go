package ciam

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	tcjson "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/json"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
)

// requestClient is appended to the SDK's X-TC-RequestClient header.
const requestClient = "ciam-import"

// Client calls CIAM through the SDK's common client. It is safe for
// concurrent use. It neither rate-limits nor retries: each call is exactly one
// HTTP exchange, and every error is a classified *Error.
type Client struct {
	sdk      *common.Client
	timeout  time.Duration
	maxBytes int64
	endpoint string // scheme://host[/path], never with credentials
}

// New builds a Client. It fails for an invalid endpoint or timeout, when no
// credentials are found (errors.Is(err, ErrNoCredentials)), and when the
// SDK's global common.DefaultHttpClient is set (the Client must own its
// http.Client to install its transport). No error contains the secret key.
func New(cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("new ciam client: %w", err)
	}
	ep, err := parseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, fmt.Errorf("new ciam client: %w", err)
	}
	cred, err := cfg.credential()
	if err != nil {
		return nil, fmt.Errorf("new ciam client: %w", err)
	}
	if common.DefaultHttpClient != nil {
		return nil, errors.New("new ciam client: common.DefaultHttpClient is set; the client needs its own http.Client")
	}
	sdk := common.NewCommonClient(cred, cfg.Region, newProfile(ep)).
		WithHttpTransport(&transport{base: cfg.Transport, maxBytes: cfg.MaxResponseBytes}).
		WithRequestClient(requestClient)
	return &Client{sdk: sdk, timeout: cfg.Timeout, maxBytes: cfg.MaxResponseBytes, endpoint: ep.String()}, nil
}

// newProfile is the SDK profile: TC3 signing, POST, every retry and the
// region breaker off, no debug dump (it would log request bodies), and no
// http.Client timeout (each call's context carries Config.Timeout instead).
func newProfile(ep endpoint) *profile.ClientProfile {
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint = ep.host
	cpf.HttpProfile.Scheme = ep.scheme
	cpf.HttpProfile.ReqMethod = "POST"
	cpf.HttpProfile.ReqTimeout = 0
	cpf.SignMethod = "TC3-HMAC-SHA256"
	cpf.Language = "en-US"
	cpf.Debug = false
	cpf.DisableRegionBreaker = true
	cpf.RateLimitExceededMaxRetries = 0
	cpf.NetworkFailureMaxRetries = 0
	cpf.UnsafeRetryOnConnectionFailure = false
	return cpf
}

// CreateUser creates one user. It is not idempotent and never resent here:
// an InDoubt error means the user may exist and must be looked up. On success
// resp.User is non-nil (a success without a User is reported as InDoubt
// ClientError.InvalidResponse). Errors never contain req.Password.
// InternalError*, ResourceUnavailable, ServiceUnavailable, ResourceInUse, a
// 5xx without an API body, an answer cut off and a timeout after sending are
// all InDoubt.
func (c *Client) CreateUser(ctx context.Context, req *CreateUserRequest) (*CreateUserResponse, error) {
	return send(ctx, c, ActionCreateUser, req, "User", func(r *CreateUserResponse) (bool, string) { return r.User != nil, r.RequestId })
}

// ListUserByProperty finds users by exact phone number or email
// (PropertyPhoneNumber, PropertyEmail). Read-only: it never returns InDoubt.
// An empty Users means no match.
func (c *Client) ListUserByProperty(ctx context.Context, req *ListUserByPropertyRequest) (*ListUserByPropertyResponse, error) {
	return send[ListUserByPropertyResponse](ctx, c, ActionListUserByProperty, req, "", nil)
}

// DescribeUser runs a multi-condition query. Read-only: it never returns
// InDoubt.
func (c *Client) DescribeUser(ctx context.Context, req *DescribeUserRequest) (*DescribeUserResponse, error) {
	return send[DescribeUserResponse](ctx, c, ActionDescribeUser, req, "", nil)
}

// DescribeUserById fetches one user; resp.User is nil when there is none.
// Read-only: it never returns InDoubt.
func (c *Client) DescribeUserById(ctx context.Context, req *DescribeUserByIdRequest) (*DescribeUserByIdResponse, error) {
	return send[DescribeUserByIdResponse](ctx, c, ActionDescribeUserByID, req, "", nil)
}

// send is one method's call: a nil request is refused without a send, the
// answer is decoded into a new Resp, and complete (if set) says whether a
// success answer holds its result (else InvalidResponse "success answer
// without a <result>", with its RequestId).
func send[Resp, Req any](ctx context.Context, c *Client, action string, req *Req,
	result string, complete func(*Resp) (bool, string)) (*Resp, error) {
	if req == nil {
		return nil, nilRequest(action)
	}
	var resp Resp
	f, err := c.call(ctx, action, req, &resp)
	if err == nil && complete != nil {
		if ok, rid := complete(&resp); !ok {
			err = f.invalidResponse("success answer without a "+result, nil)
			err.RequestID = rid
		}
	}
	if err != nil {
		return nil, err
	}
	return &resp, nil
}

// call sends one request and decodes the answer's Response object into out.
// It returns the failure facts too, so the caller can report its own
// findings about a decoded answer. An error never carries a secret of in
// (see secretHolder).
func (c *Client) call(ctx context.Context, action string, in, out any) (*failure, *Error) {
	f, err := c.exchange(ctx, action, in, out)
	if h, ok := in.(secretHolder); ok && err != nil {
		err = redactSecrets(err, h.secrets())
	}
	return f, err
}

// exchange is call without the redaction.
func (c *Client) exchange(ctx context.Context, action string, in, out any) (*failure, *Error) {
	if ctx.Err() != nil {
		e := contextError(ctx, c.timeout, false, nil)
		e.Action = action
		return nil, e
	}
	params, err := encodeParams(in)
	if err != nil {
		return nil, &Error{Class: Fatal, Code: CodeInvalidRequest, Message: "encode parameters: " + err.Error(), Action: action}
	}
	rctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	rctx, t := withTrip(rctx)
	req := tchttp.NewCommonRequest(Service, APIVersion, action)
	_ = req.SetActionParameters(params) // a map is always accepted
	req.SetContext(rctx)
	resp := tchttp.NewCommonResponse()
	sendErr := c.sdk.Send(req, resp)
	f := &failure{action: action, parent: ctx, rctx: rctx, timeout: c.timeout, maxBytes: c.maxBytes, endpoint: c.endpoint, trip: t.state()}
	if sendErr != nil {
		return f, f.classify(sendErr)
	}
	return f, decodeResponse(f, resp.GetBody(), out)
}

// encodeParams turns a typed request into the parameter map the SDK encodes
// and signs. encoding/json honours `omitempty` (the SDK's encoder, in its
// default OmitNil mode, would send empty strings); decoding with UseNumber
// into tcjson.Number keeps every number exact on the wire.
func encodeParams(in any) (map[string]any, error) {
	raw, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	dec := tcjson.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var params map[string]any
	if err := dec.Decode(&params); err != nil {
		return nil, err
	}
	return params, nil
}

// decodeResponse decodes {"Response":{...}} into out.
func decodeResponse(f *failure, body []byte, out any) *Error {
	var env struct {
		Response json.RawMessage `json:"Response"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return f.notAPIResponse("decode answer: "+err.Error(), err)
	}
	if len(env.Response) == 0 || bytes.Equal(env.Response, []byte("null")) {
		return f.notAPIResponse("answer has no Response object", nil)
	}
	if err := json.Unmarshal(env.Response, out); err != nil {
		return f.invalidResponse("decode Response: "+err.Error(), err)
	}
	return nil
}

// nilRequest reports a nil request: a programming error, nothing was sent.
func nilRequest(action string) *Error {
	return &Error{Class: Fatal, Code: CodeInvalidRequest, Message: "nil request", Action: action}
}
