package sink

import (
	"context"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/outcome"
)

// The results every sink settles rows with.

func createdWith(j *Row, pass int, u *ciam.User, requestID string) Result {
	e := j.Entry(outcome.Created, pass)
	e.RequestID = requestID
	if u != nil {
		e.UserID = u.UserId
	}
	e.Digest = createdDigest(j, u, requestID)
	return Settle(e)
}

func conflictWith(j *Row, pass int, ident ciam.Identifier, ce *ciam.Error) Result {
	e := j.Entry(outcome.Conflict, pass)
	e.Identifier = string(ident)
	if e.Identifier == "" {
		e.Identifier = "unknown"
	}
	if ce != nil {
		e.Code, e.Message, e.RequestID = ce.Code, ce.Message, ce.RequestID
	} else {
		e.Code, e.Message = "LocalLookup.AlreadyExists", "a different user already holds this "+e.Identifier
	}
	return Settle(e)
}

func rejectedWith(j *Row, pass int, ce *ciam.Error) Result {
	e := j.Entry(outcome.Rejected, pass)
	e.Field, e.Code, e.Message, e.RequestID = ce.Field, ce.Code, ce.Code+": "+ce.Message, ce.RequestID
	return Settle(e)
}

func retryableWith(j *Row, pass int, ce *ciam.Error) Result {
	e := j.Entry(outcome.Retryable, pass)
	e.Code, e.Message, e.RequestID = ce.Code, ce.Message, ce.RequestID
	return Settle(e)
}

// lookupResult settles a row whose lookup failed: retryable, or abandoned
// when the run is stopping or the error is fatal, or when the answer was
// not the API's and guard (the sink's streak; nil: none) counts it to the
// end of its streak: a wrong endpoint answers lookups as it answers sends.
func lookupResult(ctx context.Context, c *Control, guard *streak, j *Row, err error) Result {
	switch answer, ce := decide(ctx, err); answer {
	case Stopped:
		return Abandoned
	case Fatal:
		c.Halt(ce)
		return Abandoned
	default:
		if serr := guard.notAPI(ce); serr != nil {
			c.Halt(serr)
			return Abandoned // begun: the next run looks it up
		}
		return retryableWith(j, c.Pass, ce)
	}
}
