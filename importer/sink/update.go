package sink

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/mapping"
)

// NameUpdate is the UpdateUser sink's name. It never journals a begin:
// see Update.
const NameUpdate = "update"

// Updater is the part of the CIAM client that ConflictUpdate needs besides
// API; *ciam.Client implements it. Both calls set absolute values, so a
// resend has the effect of sending once (ciam.Idempotent): ciam never
// classifies their errors InDoubt.
type Updater interface {
	UpdateUser(ctx context.Context, req *ciam.UpdateUserRequest) (*ciam.UpdateUserResponse, error)
	SetPassword(ctx context.Context, req *ciam.SetPasswordRequest) (*ciam.SetPasswordResponse, error)
}

// Update brings existing users of ours up to date with UpdateUser (and
// SetPassword when the mapping says Password: {update: true}): rows the
// ledger knows and whose fields changed, and, called by the CreateUser sink,
// rows whose CreateUser found their user already there.
//
// Exactly once without a journal begin: UpdateUser and SetPassword set
// absolute values, so an answer that is lost, a crash or a stop before the
// row settles leaves the row to be read and sent again, which has the
// effect of sending it once. The ledger keeps the old digests until the
// settle entry that carries the new ones is durable, so the resend happens.
type Update struct {
	*Control
	api      Updater // paced
	find     *Finder // reads a ledger's user back before an update (owns)
	storeID  string
	workers  int
	password bool // Spec.UpdatesPassword
	guard    *streak
}

func (s *Update) Name() string { return NameUpdate }

func (s *Update) Serve(ctx context.Context, in <-chan *Row) {
	s.pool(ctx, s.workers, in, s.process)
}

// process updates a row the ledger knows, with the fields that changed
// since the ledger's digests, once the user the ledger names is proven
// ours (Finder.owns): a user that is not ours makes the row a conflict and
// nothing is sent to it; a user that is gone is reported as gone. The
// read-back needs no journal begin either: it changes nothing.
func (s *Update) process(ctx context.Context, j *Row) Result {
	ctx = WithAttempts(ctx, &j.Attempts)
	p, err := s.find.owns(ctx, j.Known.UserID, j.User, j.Known.Old)
	switch {
	case err != nil:
		return lookupResult(ctx, s.Control, s.guard, j, err)
	case p.user == nil:
		return s.failed(ctx, j, &ciam.Error{Class: ciam.Rejected, Code: codeUserNotFound,
			Message: "DescribeUserById found no user " + j.Known.UserID})
	case len(p.differs) > 0:
		return notOurs(j, s.Pass, j.Known.UserID, p)
	}
	return s.apply(ctx, j, target{userID: j.Known.UserID, old: j.Known.Old})
}

// codeUserNotFound is CIAM's answer to an update of a user that is gone.
const codeUserNotFound = "FailedOperation.UserNotFound"

// existing settles a row whose user a lookup found and judged ours: the
// fields that differ from what CIAM holds are sent. The caller's context
// counts the row's attempts.
func (s *Update) existing(ctx context.Context, j *Row, u *ciam.User) Result {
	return s.apply(ctx, j, target{userID: u.UserId, old: ciamDigests(u), found: u})
}

// target is the user an update goes to and the fields it holds.
type target struct {
	userID string
	old    mapping.FieldDigests
	found  *ciam.User // set when a lookup found it, nil for the ledger
}

func (s *Update) apply(ctx context.Context, j *Row, t target) Result {
	return s.send(ctx, j, t, s.password)
}

// send updates t to the row's mapped record, and sets the row's plaintext
// password too when password says so.
func (s *Update) send(ctx context.Context, j *Row, t target, password bool) Result {
	digests := j.User.FieldDigests()
	req, sent, cleared := planUpdate(s.storeID, t.userID, t.old, digests, j.User)
	password = password && !j.User.HasPasswordHash() && !j.User.Password.IsZero()
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
			Password: j.User.Password.Reveal()})
		if err != nil {
			return s.failed(ctx, j, err)
		}
		sent = append(sent, "Password")
		if requestID == "" {
			requestID = resp.RequestId
		}
	}
	s.guard.ok()
	e := j.Entry(outcome.Updated, s.Pass)
	e.UserID, e.RequestID, e.Digest = t.userID, requestID, digests.Encode()
	e.Fields = fieldList(sent, cleared)
	return Settle(e)
}

// unchanged settles a row with nothing to send: CIAM already holds what
// the row says, or the only changes are fields cleared in the export,
// which UpdateUser cannot clear (nothing is sent, so CIAM keeps them under
// either reading of UpdateUser). The digests are recorded either way, so
// the next night compares with this export.
func (s *Update) unchanged(j *Row, t target, digests mapping.FieldDigests, cleared []string) Result {
	if t.found != nil && j.MaybeSent && len(cleared) == 0 {
		return createdWith(j, s.Pass, t.found, "") // our own CreateUser may have made it
	}
	e := j.Entry(outcome.Skipped, s.Pass)
	e.UserID, e.Digest = t.userID, digests.Encode()
	e.Message = "already in CIAM as this row says; not sent"
	if len(cleared) > 0 {
		e.Message = "not sent: " + strings.Join(cleared, ", ") + " cleared in the export, and UpdateUser cannot clear a field (CIAM keeps its value); nothing else changed"
	}
	return Settle(e)
}

// failed settles a row whose UpdateUser or SetPassword failed. Nothing
// was journaled for it, so an abandoned row is simply read again.
func (s *Update) failed(ctx context.Context, j *Row, err error) Result {
	answer, ce := decide(ctx, err)
	switch answer {
	case Stopped:
		return Abandoned
	case Fatal:
		s.Halt(ce)
		return Abandoned
	case Taken: // the new value belongs to another user: nothing of theirs is touched
		r := settleFailure(j, s.Pass, ce)
		r.Entry.Message = "not updated: " + r.Entry.Message
		return r
	}
	if gerr := s.guard.fail(ce); gerr != nil { // Refused, Later, InDoubt (a resend is harmless)
		s.Halt(gerr)
		return Abandoned
	}
	r := settleFailure(j, s.Pass, ce)
	if ce.Code == codeUserNotFound {
		r.Entry.Message = "the CIAM user of this legacy key is gone (deleted in CIAM?); not created again: " + r.Entry.Message
	}
	return r
}

// planUpdate builds the UpdateUser request of row u: the whole mapped
// record, every field u holds. It lists the fields that differ from old
// (every field of u when old is nil or malformed) as sent, and those
// cleared in u as cleared: an empty field is not in the request. With
// nothing sent, the caller sends nothing.
//
// Safe reading (issue 20, silent-points.md "UpdateUser"): the reference
// does not say whether a field absent from the request keeps its value
// (merge) or is cleared (replace); its official example sends every
// field. Sending only the changed fields would, under replace, wipe every
// unchanged field of every changed user; the whole record is right under
// both readings. What neither reading decides is a field cleared in the
// export: under merge CIAM keeps it, under replace the update clears it,
// so it is reported (fieldList) rather than promised either way. Fields
// the mapping does not map at all are never in the request: under replace
// they would be cleared too, which only a read-modify-write could avoid.
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
	attrs := false
	for _, name := range changed {
		switch {
		case strings.HasPrefix(name, "CustomizationAttributes["):
			attrs = true
		case u.Has(name):
			sent = append(sent, name)
		default:
			cleared = append(cleared, name)
		}
	}
	if attrs && len(u.CustomizationAttributes) > 0 {
		sent = append(sent, "CustomizationAttributes") // a list is sent whole
	} else if attrs {
		cleared = append(cleared, "CustomizationAttributes")
	}
	return wholeRecord(storeID, userID, u), sent, cleared
}

// wholeRecord is the UpdateUser request carrying every field of u (an
// empty one is left out of the body).
func wholeRecord(storeID, userID string, u *mapping.User) *ciam.UpdateUserRequest {
	req := &ciam.UpdateUserRequest{UserId: userID, UserStoreId: storeID,
		UserName: u.UserName, PhoneNumber: u.PhoneNumber, Email: u.Email, Nickname: u.Nickname, Address: u.Address,
		UserGroup: u.UserGroup, Birthdate: u.Birthdate, UserOrg: u.UserOrg,
		IndexedAttribute1: u.IndexedAttributes[0], IndexedAttribute2: u.IndexedAttributes[1],
		IndexedAttribute3: u.IndexedAttributes[2], IndexedAttribute4: u.IndexedAttributes[3],
		IndexedAttribute5: u.IndexedAttributes[4]}
	for _, a := range u.CustomizationAttributes {
		req.CustomizationAttributes = append(req.CustomizationAttributes, ciam.MemberMap{Name: a.Name, Value: a.Value, Type: a.Type})
	}
	return req
}

// fieldList is the updated report's fields column: the fields that
// changed and were sent, then each field cleared in the export and not
// sent, marked "-" (kept by a merging UpdateUser, cleared by a replacing
// one: see planUpdate).
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
	u := mapping.User{UserName: ciam.Value(c.UserName), Email: ciam.Value(c.Email), PhoneNumber: ciam.Value(c.PhoneNumber),
		Nickname: ciam.Value(c.Nickname), Address: ciam.Value(c.Address), UserGroup: c.UserGroups, UserOrg: c.UserOrgs,
		Birthdate: c.Birthdate}
	for n := 1; n <= 5; n++ {
		u.IndexedAttributes[n-1] = ciam.Indexed(c, n)
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

// createdDigest is the digest a created row records in the ledger: what
// was sent when CreateUser answered (requestID set), what CIAM holds when a
// lookup confirmed the user.
func createdDigest(j *Row, u *ciam.User, requestID string) string {
	switch {
	case requestID != "" && j.User != nil:
		return j.User.FieldDigests().Encode()
	case u != nil:
		return ciamDigests(u).Encode()
	}
	return ""
}

// NewUpdate makes the update sink of a run: api is paced, find reads a
// ledger's user back before it is updated (the run's Finder, paced too),
// workers bounds its calls at a time, password sends SetPassword when the
// mapping asks (Spec.UpdatesPassword).
func NewUpdate(c *Control, api Updater, find *Finder, storeID string, workers int, password bool) *Update {
	return &Update{Control: c, api: api, find: find, storeID: storeID, workers: workers, password: password, guard: &streak{}}
}

// refresh settles a row that an earlier run of this state directory began
// and whose user it created (u, found ours by its legacy id), but whose
// fields changed in the input before it settled: u holds the row as it
// was. An uninterrupted run over the input as it is would have created the
// user from the row as it is, so u is brought to it (UpdateUser with the
// whole record, and SetPassword for a plaintext password: the user has the
// old row's) and the row is reported created. A password hash cannot be
// set again: the message says the user keeps the old row's.
func (s *Update) refresh(ctx context.Context, j *Row, u *ciam.User) Result {
	r := s.send(ctx, j, target{userID: u.UserId, found: u}, true)
	if !r.Settled || (r.Entry.Outcome != outcome.Updated.Name && r.Entry.Outcome != outcome.Skipped.Name) {
		return r // a failure of the update: retryable, conflict or abandoned
	}
	e := j.Entry(outcome.Created, s.Pass)
	e.UserID, e.RequestID, e.Digest = u.UserId, r.Entry.RequestID, j.User.FieldDigests().Encode()
	e.Message = fmt.Sprintf("created by an earlier run from line %d as it was then; updated to the row as it is now", j.Begun.Line)
	if j.User.HasPasswordHash() {
		e.Message += " (the password hash of the row as it was: a hash cannot be set again)"
	}
	return Settle(e)
}

// changedSinceBegin tells whether the row's mapped fields differ from
// those its begin recorded (the export changed while it was in flight).
func changedSinceBegin(j *Row) bool {
	return j.Begun != nil && j.Begun.Digest != "" && j.User != nil && !j.Gone && j.Begun.Digest != j.User.Digest()
}
