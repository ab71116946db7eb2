package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/mapping"
)

// baselineResult is what the straightforward loop achieved.
type baselineResult struct {
	wall              time.Duration
	created, failed   int64
	requests, refused int64 // as the emulator counted them
}

// runBaseline is the straightforward import a user would write first: one
// loop over the rows, each mapped by the same mapping and sent with the
// SDK's common client, which retries RequestLimitExceeded by itself. Other
// errors (the injected InternalError) are counted and not retried.
func runBaseline(ctx context.Context, inputPath, mappingPath string, em *emulator.Running) (baselineResult, error) {
	spec, err := mapping.ParseFile(mappingPath)
	if err != nil {
		return baselineResult{}, err
	}
	src, err := source.Open(inputPath, source.Options{})
	if err != nil {
		return baselineResult{}, err
	}
	defer src.Close()
	client := sdkClient(em.Endpoint)
	var res baselineResult
	start := time.Now()
	for ctx.Err() == nil {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return res, err
		}
		if err := sendOne(client, spec, rec); err != nil {
			res.failed++
			continue
		}
		res.created++
	}
	res.wall = time.Since(start)
	st := em.Server.Stats()
	res.requests, res.refused = st.Requests, st.RateLimited
	return res, ctx.Err()
}

// sdkClient is the SDK's common client as its documentation sets it up, with
// its built-in rate-limit retry on.
func sdkClient(endpoint string) *common.Client {
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint = endpoint
	cpf.HttpProfile.Scheme = "HTTP"
	cpf.RateLimitExceededMaxRetries = 10
	cred := common.NewCredential(emulator.DemoSecretID, emulator.DemoSecretKey)
	return common.NewCommonClient(cred, "ap-guangzhou", cpf)
}

func sendOne(client *common.Client, spec *mapping.Spec, rec source.Record) error {
	if rec.Err != nil {
		return rec.Err
	}
	u, err := spec.Map(rec.Fields)
	if err != nil {
		return err
	}
	body, err := json.Marshal(createRequest(u))
	if err != nil {
		return err
	}
	req := tchttp.NewCommonRequest("ciam", "2022-03-31", "CreateUser")
	if err := req.SetActionParameters(body); err != nil {
		return err
	}
	resp := tchttp.NewCommonResponse()
	if err := client.Send(req, resp); err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	return nil
}

// createRequest is the CreateUser body of a mapped row, as the importer
// builds it.
func createRequest(u *mapping.User) *ciam.CreateUserRequest {
	req := &ciam.CreateUserRequest{
		UserStoreId: emulator.DemoUserStore, PhoneNumber: u.PhoneNumber, Email: u.Email,
		Password: u.Password.Reveal(), UserName: u.UserName, Nickname: u.Nickname, Address: u.Address,
		UserGroup: u.UserGroup, Birthdate: u.Birthdate, UserOrg: u.UserOrg,
		IndexedAttribute1: u.IndexedAttributes[0], IndexedAttribute2: u.IndexedAttributes[1],
		IndexedAttribute3: u.IndexedAttributes[2], IndexedAttribute4: u.IndexedAttributes[3],
		IndexedAttribute5: u.IndexedAttributes[4],
	}
	for _, a := range u.CustomizationAttributes {
		req.CustomizationAttributes = append(req.CustomizationAttributes, ciam.MemberMap{Name: a.Name, Value: a.Value, Type: a.Type})
	}
	return req
}
