package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/mapping"
)

// baselineWorkers is how many goroutines the naive loop runs.
const baselineWorkers = 8

// baselineResult is what the straightforward loop achieved.
type baselineResult struct {
	start             time.Time
	wall              time.Duration
	created, failed   int64
	requests, refused int64 // as the emulator counted them
}

func (b baselineResult) perSecond() float64 { return float64(b.created) / b.wall.Seconds() }

// runBaseline is the straightforward import a user would write first: a
// reader maps each row with the same mapping and hands its body to
// baselineWorkers goroutines, each sending with its own SDK common client,
// which retries RequestLimitExceeded by itself. Other errors (the injected
// InternalError) are counted and not retried: those rows are lost.
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
	res := baselineResult{start: time.Now()}
	bodies := make(chan []byte, baselineWorkers)
	var created, failed atomic.Int64
	var wg sync.WaitGroup
	for range baselineWorkers {
		wg.Go(func() {
			client := sdkClient(em.Endpoint)
			for body := range bodies {
				if sendOne(client, body) != nil {
					failed.Add(1)
				} else {
					created.Add(1)
				}
			}
		})
	}
	err = feed(ctx, src, spec, bodies, &failed)
	close(bodies)
	wg.Wait()
	res.wall = time.Since(res.start)
	res.created, res.failed = created.Load(), failed.Load()
	st := em.Server.Stats()
	res.requests, res.refused = st.Requests, st.RateLimited
	return res, errors.Join(err, ctx.Err())
}

// feed reads and maps every row into out; rows that do not map count as
// failed.
func feed(ctx context.Context, src source.Reader, spec *mapping.Spec, out chan<- []byte, failed *atomic.Int64) error {
	for ctx.Err() == nil {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		body, err := requestBody(spec, rec)
		if err != nil {
			failed.Add(1)
			continue
		}
		out <- body
	}
	return nil
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

func requestBody(spec *mapping.Spec, rec source.Record) ([]byte, error) {
	if rec.Err != nil {
		return nil, rec.Err
	}
	u, err := spec.Map(rec.Fields)
	if err != nil {
		return nil, err
	}
	return json.Marshal(createRequest(u))
}

func sendOne(client *common.Client, body []byte) error {
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
