package main

import (
	"context"
	"errors"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ciam-import/ciam-import/emulator"
	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/source/sourcetest"
)

// otherRate is what the second client of the shared quota spends.
const otherRate = 10

// otherClient sends CreateUser at a steady otherRate per second, each call
// in its own goroutine so latency does not slow it, and never retries.
type otherClient struct {
	api           *ciam.Client
	sent, refused atomic.Int64
	wg            sync.WaitGroup

	mu       sync.Mutex
	admitted []time.Time // send times of the calls not refused, for -trace
}

func newOtherClient(em *emulator.Running) (*otherClient, error) {
	api, err := ciam.New(ciam.Config{Endpoint: em.URL, SecretID: emulator.DemoSecretID, SecretKey: emulator.DemoSecretKey})
	return &otherClient{api: api}, err
}

// run sends until ctx ends, then waits for the calls in flight.
func (o *otherClient) run(ctx context.Context) {
	t := time.NewTicker(time.Second / otherRate)
	defer t.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			o.wg.Wait()
			return
		case <-t.C:
		}
		o.wg.Add(1)
		go o.send(i)
	}
}

func (o *otherClient) send(i int) {
	defer o.wg.Done()
	r := sourcetest.Row(otherSeed, i)
	req := &ciam.CreateUserRequest{UserStoreId: emulator.DemoUserStore, UserName: r[1], Email: r[2],
		PhoneNumber: r[3], Password: r[9]}
	o.sent.Add(1)
	at := time.Now()
	_, err := o.api.CreateUser(context.Background(), req)
	var ce *ciam.Error
	if errors.As(err, &ce) && isRateLimit(ce.Code) {
		o.refused.Add(1)
		return
	}
	o.mu.Lock()
	o.admitted = append(o.admitted, at)
	o.mu.Unlock()
}

func isRateLimit(code string) bool {
	return len(code) >= 20 && code[:20] == "RequestLimitExceeded"
}

// sharedRun is figure 4: our run at the default --rate 20 while the other
// client spends half of the 20/s quota.
func sharedRun(ctx context.Context, c *config, mappingPath string) (quotaResult, *otherClient, error) {
	input, err := input(c.dataDir, "csv", c.sharedRows)
	if err != nil {
		return quotaResult{}, nil, err
	}
	answers := &answerLog{}
	em, err := startEmulator(quota, realistic, 7, answers.recordAnswers)
	if err != nil {
		return quotaResult{}, nil, err
	}
	defer em.Close()
	other, err := newOtherClient(em)
	if err != nil {
		return quotaResult{}, nil, err
	}
	dir, err := freshDir(c.workDir, "shared-state-")
	if err != nil {
		return quotaResult{}, nil, err
	}
	octx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { other.run(octx); close(done) }()
	time.Sleep(2 * time.Second) // the other client is in its stride when we start
	logf("shared quota: %d rows while another client sends %d/s", c.sharedRows, otherRate)
	p, sum, err := job{input: input, mapping: mappingPath, stateDir: dir, em: em, rate: quota, workers: c.workers}.run(ctx, c.bin)
	stop()
	<-done
	if err != nil {
		return quotaResult{}, nil, err
	}
	if err := writeTrace(c, "shared", p, em.Server); err != nil {
		return quotaResult{}, nil, err
	}
	if err := writeTimes(c, "shared.other", p.start, other.admitted); err != nil {
		return quotaResult{}, nil, err
	}
	if err := writeTimes(c, "shared.refused", p.start, answers.refusals()); err != nil { // both clients'
		return quotaResult{}, nil, err
	}
	q := measureQuota(p, em.Server, sum.Counts.Of(outcome.Created), other.sent.Load(), other.refused.Load())
	q.read = sum.Counts.Read()
	return q, other, nil
}
