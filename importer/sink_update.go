package importer

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/mapping"
)

// sinkUpdate is the UpdateUser sink's name. It never journals a begin:
// see updateSink.
const sinkUpdate = "update"

// Updater is the part of the CIAM client that ConflictUpdate needs besides
// API; *ciam.Client implements it. Both calls set absolute values, so a
// resend has the effect of sending once (ciam.Idempotent): ciam never
// classifies their errors InDoubt.
type Updater interface {
	UpdateUser(ctx context.Context, req *ciam.UpdateUserRequest) (*ciam.UpdateUserResponse, error)
	SetPassword(ctx context.Context, req *ciam.SetPasswordRequest) (*ciam.SetPasswordResponse, error)
}

// known is what the ledger says about a row routed to the update sink.
type known struct {
	userID string
	old    mapping.FieldDigests // nil: recorded without digests, every field counts as changed
}

// updateSink brings existing users of ours up to date with UpdateUser (and
// SetPassword when the mapping says Password: {update: true}): rows the
// ledger knows and whose fields changed, and, called by the CreateUser sink,
// rows whose CreateUser found their user already there.
//
// Exactly once without a journal begin: UpdateUser and SetPassword set
// absolute values, so an answer that is lost, a crash or a stop before the
// row settles leaves the row to be read and sent again, which has the
// effect of sending it once. The ledger keeps the old digests until the
// settle entry that carries the new ones is durable, so the resend happens.
type updateSink struct {
	*control
	api      Updater // paced
	storeID  string
	workers  int
	password bool // Spec.UpdatesPassword
	guard    *streak
}

func (s *updateSink) name() string { return sinkUpdate }

func (s *updateSink) serve(ctx context.Context, in <-chan *job) {
	s.pool(ctx, s.workers, in, s.process)
}

// process updates a row the ledger knows, with the fields that changed
// since the ledger's digests.
func (s *updateSink) process(ctx context.Context, j *job) result {
	ctx = withAttempts(ctx, &j.attempts)
	return s.apply(ctx, j, target{userID: j.known.userID, old: j.known.old})
}

// existing settles a row whose user a lookup found and judged ours: the
// fields that differ from what CIAM holds are sent. The caller's context
// counts the row's attempts.
func (s *updateSink) existing(ctx context.Context, j *job, u *ciam.User) result {
	return s.apply(ctx, j, target{userID: u.UserId, old: ciamDigests(u), found: u})
}

// target is the user an update goes to and the fields it holds.
type target struct {
	userID string
	old    mapping.FieldDigests
	found  *ciam.User // set when a lookup found it, nil for the ledger
}

func (s *updateSink) apply(ctx context.Context, j *job, t target) result {
	digests := j.user.FieldDigests()
	req, sent, cleared := planUpdate(s.storeID, t.userID, t.old, digests, j.user)
	password := s.password && !j.user.HasPasswordHash() && !j.user.Password.IsZero()
	if len(sent) == 0 && !password {
		return s.unchanged(j, t, digests, cleared)
	}
	var requestID string
	if len(sent) > 0 {
		resp, err := s.api.UpdateUser(ctx, req)
		if err != nil {
			return s.failed(ctx, j, err)
		}
		requestID = resp.RequestId
	}
	if password {
		resp, err := s.api.SetPassword(ctx, &ciam.SetPasswordRequest{UserStoreId: s.storeID, UserId: t.userID,
			Password: j.user.Password.Reveal()})
		if err != nil {
			return s.failed(ctx, j, err)
		}
		sent = append(sent, "Password")
		if requestID == "" {
			requestID = resp.RequestId
		}
	}
	s.guard.ok()
	e := j.entry(outcome.Updated, s.pass)
	e.UserID, e.RequestID, e.Digest = t.userID, requestID, entryDigest(digests)
	e.Fields = fieldList(sent, cleared)
	return settledWith(e)
}

// unchanged settles a row with nothing to send: CIAM already holds what
// the row says, or the only changes are fields cleared in the export,
// which UpdateUser cannot clear. The digests are recorded either way, so
// the next night compares with this export.
func (s *updateSink) unchanged(j *job, t target, digests mapping.FieldDigests, cleared []string) result {
	if t.found != nil && j.maybeSent && len(cleared) == 0 {
		return createdWith(j, s.pass, t.found, "") // our own CreateUser may have made it
	}
	e := j.entry(outcome.Skipped, s.pass)
	e.UserID, e.Digest = t.userID, entryDigest(digests)
	e.Message = "already in CIAM as this row says; not sent"
	if len(cleared) > 0 {
		e.Message = "not sent: " + strings.Join(cleared, ", ") + " cleared in the export, and UpdateUser cannot clear a field (CIAM keeps its value); nothing else changed"
	}
	return settledWith(e)
}

// failed settles a row whose UpdateUser or SetPassword failed. Nothing
// was journaled for it, so an abandoned row is simply read again.
func (s *updateSink) failed(ctx context.Context, j *job, err error) result {
	var ce *ciam.Error
	if !errors.As(err, &ce) || ctx.Err() != nil {
		return abandoned
	}
	switch ce.Class {
	case ciam.Conflict: // the new value belongs to another user: nothing of theirs is touched
		r := conflictWith(j, s.pass, ce.Identifier, ce)
		r.entry.Message = "not updated: " + r.entry.Message
		return r
	case ciam.Rejected, ciam.Retryable, ciam.InDoubt:
		if gerr := s.guard.fail(ce); gerr != nil {
			s.halt(gerr)
			return abandoned
		}
		if ce.Class != ciam.Rejected {
			return retryableWith(j, s.pass, ce)
		}
		r := rejectedWith(j, s.pass, ce)
		if ce.Code == "FailedOperation.UserNotFound" {
			r.entry.Message = "the CIAM user of this legacy key is gone (deleted in CIAM?); not created again: " + r.entry.Message
		}
		return r
	}
	s.halt(ce)
	return abandoned
}

// planUpdate builds the UpdateUser request of the fields of u that differ
// from old (every field of u when old is nil or malformed), and lists the
// fields sent and those cleared in u that the request cannot clear (it
// leaves an empty field as it is). A list (UserGroup, UserOrg, the custom
// attributes) is sent whole: the service replaces it.
func planUpdate(storeID, userID string, old, digests mapping.FieldDigests, u *mapping.User) (req *ciam.UpdateUserRequest, sent, cleared []string) {
	changed, err := mapping.ChangedFields(old, digests)
	if old == nil || err != nil {
		fields, _ := digests.Fields() // our own encoding: cannot fail
		changed = changed[:0]
		for name := range fields {
			changed = append(changed, name)
		}
		slices.Sort(changed)
	}
	req = &ciam.UpdateUserRequest{UserId: userID, UserStoreId: storeID}
	attrs := false
	for _, name := range changed {
		if strings.HasPrefix(name, "CustomizationAttributes[") {
			attrs = true
			continue
		}
		if setField(req, u, name) {
			sent = append(sent, name)
		} else {
			cleared = append(cleared, name)
		}
	}
	if attrs {
		if len(u.CustomizationAttributes) == 0 {
			cleared = append(cleared, "CustomizationAttributes")
		} else {
			for _, a := range u.CustomizationAttributes {
				req.CustomizationAttributes = append(req.CustomizationAttributes, ciam.MemberMap{Name: a.Name, Value: a.Value, Type: a.Type})
			}
			sent = append(sent, "CustomizationAttributes")
		}
	}
	return req, sent, cleared
}

// setField copies field name of u into req; false when u leaves it empty.
func setField(req *ciam.UpdateUserRequest, u *mapping.User, name string) bool {
	text := map[string]struct {
		dst *string
		v   string
	}{
		"UserName": {&req.UserName, u.UserName}, "Email": {&req.Email, u.Email}, "PhoneNumber": {&req.PhoneNumber, u.PhoneNumber},
		"Nickname": {&req.Nickname, u.Nickname}, "Address": {&req.Address, u.Address},
		"IndexedAttribute1": {&req.IndexedAttribute1, u.IndexedAttributes[0]}, "IndexedAttribute2": {&req.IndexedAttribute2, u.IndexedAttributes[1]},
		"IndexedAttribute3": {&req.IndexedAttribute3, u.IndexedAttributes[2]}, "IndexedAttribute4": {&req.IndexedAttribute4, u.IndexedAttributes[3]},
		"IndexedAttribute5": {&req.IndexedAttribute5, u.IndexedAttributes[4]},
	}
	if f, ok := text[name]; ok {
		*f.dst = f.v
		return f.v != ""
	}
	switch name {
	case "UserGroup":
		req.UserGroup = u.UserGroup
		return len(u.UserGroup) > 0
	case "UserOrg":
		req.UserOrg = u.UserOrg
		return len(u.UserOrg) > 0
	case "Birthdate":
		req.Birthdate = u.Birthdate
		return u.Birthdate != nil
	}
	return false
}

// fieldList is the updated report's fields column: the fields sent, then
// each field cleared in the export but left in CIAM, marked "-".
func fieldList(sent, cleared []string) string {
	parts := append([]string{}, sent...)
	for _, c := range cleared {
		parts = append(parts, "-"+c)
	}
	return strings.Join(parts, ";")
}

// ciamDigests fingerprints the synced fields of a CIAM user as
// mapping.User.FieldDigests does a mapped row; an attribute without a type
// counts as STRING, the mapping's default.
func ciamDigests(c *ciam.User) mapping.FieldDigests {
	u := mapping.User{UserName: deref(c.UserName), Email: deref(c.Email), PhoneNumber: deref(c.PhoneNumber),
		Nickname: deref(c.Nickname), Address: deref(c.Address), UserGroup: c.UserGroups, UserOrg: c.UserOrgs,
		Birthdate: c.Birthdate}
	for n := 1; n <= 5; n++ {
		u.IndexedAttributes[n-1] = deref(indexedAttribute(c, n))
	}
	for _, a := range c.CustomAttributes {
		typ := a.Type
		if typ == "" {
			typ = "STRING"
		}
		u.CustomizationAttributes = append(u.CustomizationAttributes, mapping.Attribute{Name: a.Name, Value: a.Value, Type: typ})
	}
	return u.FieldDigests()
}

// pacedUpdater holds UpdateUser and SetPassword to their own quota and
// retry policy, like every other call.
type pacedUpdater struct {
	p   *paced
	api Updater
}

func (u pacedUpdater) UpdateUser(ctx context.Context, req *ciam.UpdateUserRequest) (*ciam.UpdateUserResponse, error) {
	return call(ctx, u.p, ciam.ActionUpdateUser, u.api.UpdateUser, req)
}

func (u pacedUpdater) SetPassword(ctx context.Context, req *ciam.SetPasswordRequest) (*ciam.SetPasswordResponse, error) {
	return call(ctx, u.p, ciam.ActionSetPassword, u.api.SetPassword, req)
}

// sinceDate formats a ledger date for reasons.
func sinceDate(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") + " UTC" }

// createdDigest is the digest a created row records in the ledger: what
// was sent when CreateUser answered (requestID set), what CIAM holds when a
// lookup confirmed the user.
func createdDigest(j *job, u *ciam.User, requestID string) string {
	switch {
	case requestID != "" && j.user != nil:
		return entryDigest(j.user.FieldDigests())
	case u != nil:
		return entryDigest(ciamDigests(u))
	}
	return ""
}

// newUpdateSink makes the update sink of a run; Run has checked that
// opt.API implements Updater (checkPolicy).
func newUpdateSink(c *control, api API, opt Options) *updateSink {
	p := api.(*paced)
	return &updateSink{control: c, api: pacedUpdater{p: p, api: opt.API.(Updater)}, storeID: opt.UserStoreID,
		workers: opt.Workers, password: opt.Spec.UpdatesPassword(), guard: &streak{}}
}

// routeUpdates sends the rows the ledger knows to the update sink at index
// i, the others as next says.
func routeUpdates(i int, next func(*job) int) func(*job) int {
	return func(j *job) int {
		if j.known != nil && !j.reconcile {
			return i
		}
		return next(j)
	}
}
