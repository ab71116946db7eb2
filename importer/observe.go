package importer

import (
	"errors"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// Observer hears what a run does, for the timeline and the metrics: every
// request sent and answered, every refusal for rate and retry, every row
// settled and the allowed rate. It must be safe for concurrent use and
// cheap: it is called on the hot path. Nothing it is given is a secret.
type Observer interface {
	Sent(action string)
	Answered(action, code string, latency time.Duration) // code "ok" for a success
	Refused()                                            // a RequestLimitExceeded answer
	Retried()
	Settled(outcome string, n int)
	SetRate(perSecond float64)
}

// nopObserver is the Observer of runs nobody watches.
type nopObserver struct{}

func (nopObserver) Sent(string)                            {}
func (nopObserver) Answered(string, string, time.Duration) {}
func (nopObserver) Refused()                               {}
func (nopObserver) Retried()                               {}
func (nopObserver) Settled(string, int)                    {}
func (nopObserver) SetRate(float64)                        {}

// answerCode is the code an observer records for a call's result.
func answerCode(err error) (code string, refused bool) {
	if err == nil {
		return "ok", false
	}
	var ce *ciam.Error
	if errors.As(err, &ce) {
		return ce.Code, ce.RateLimited()
	}
	return "ClientError.Cancelled", false
}
