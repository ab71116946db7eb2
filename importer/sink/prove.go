package sink

import (
	"context"
	"strconv"
	"strings"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/outcome"
	"github.com/ciam-import/ciam-import/mapping"
)

// CodeNotOurs is the code of a conflict whose user, named by the ledger,
// turned out not to be this row's when read back before an update.
const CodeNotOurs = "Local.NotOurUser"

// proof is what reading a ledger's user back says.
type proof struct {
	user *ciam.User // nil: the user is gone
	// differs names what keeps the user from being ours (empty when it is
	// ours): "IndexedAttributeN", or the identifiers that match neither
	// the row nor the ledger.
	differs []string
	ident   ciam.Identifier // the first identifier in differs, for the report
}

// owns reads user id back (DescribeUserById: lookup quota, not UpdateUser
// quota) and checks that it is the user of row u, before anything is sent
// to it. With the legacy id in an indexed attribute, that attribute must
// hold u's key. Without it, its user name, email and phone number must all
// match u (the rule of isOurs), or all match what the ledger last synced
// to it (old, the ledger's digests): an update changes those fields, so
// the row alone cannot prove a user whose email it is about to change.
func (f *Finder) owns(ctx context.Context, id string, u *mapping.User, old mapping.FieldDigests) (proof, error) {
	yes := true
	resp, err := f.api.DescribeUserById(ctx, &ciam.DescribeUserByIdRequest{UserStoreId: f.storeID, UserId: id, Original: &yes})
	if err != nil || resp.User == nil {
		return proof{}, err
	}
	p := proof{user: resp.User}
	switch {
	case f.legacyAttr > 0:
		if ciam.Indexed(resp.User, f.legacyAttr) != u.Key {
			p.differs = []string{"IndexedAttribute" + strconv.Itoa(f.legacyAttr)}
		}
	case f.isOurs(resp.User, u) || sameIdentifiers(old, ciamDigests(resp.User)):
	default:
		p.differs, p.ident = identifiersDiffering(resp.User, u)
	}
	return p, nil
}

// identifierFields are the fields that identify a user without the
// legacy id, in the order isOurs checks them.
var identifierFields = []struct {
	field string
	ident ciam.Identifier
}{{"UserName", ciam.IdentUserName}, {"Email", ciam.IdentEmail}, {"PhoneNumber", ciam.IdentPhone}}

// sameIdentifiers reports whether the ledger's digests old and the CIAM
// user's now hold the same user name, email and phone number. Without
// digests (a ledger written before they were kept) nothing is proven.
func sameIdentifiers(old, now mapping.FieldDigests) bool {
	a, err := old.Fields()
	if err != nil {
		return false
	}
	b, err := now.Fields()
	if err != nil {
		return false
	}
	for _, f := range identifierFields {
		if a[f.field] != b[f.field] {
			return false
		}
	}
	return true
}

// identifiersDiffering names the identifiers of c that differ from row u.
func identifiersDiffering(c *ciam.User, u *mapping.User) (names []string, first ciam.Identifier) {
	same := []bool{ciam.Value(c.UserName) == u.UserName, strings.EqualFold(ciam.Value(c.Email), u.Email),
		ciam.Value(c.PhoneNumber) == u.PhoneNumber}
	for i, f := range identifierFields {
		if !same[i] {
			if first == "" {
				first = f.ident
			}
			names = append(names, f.field)
		}
	}
	return names, first
}

// notOurs settles a row whose ledger user is someone else's: a conflict,
// never an update. The message names what differed, never a value.
func notOurs(j *Row, pass int, id string, p proof) Result {
	e := j.Entry(outcome.Conflict, pass)
	e.Identifier, e.Code = string(p.ident), CodeNotOurs
	if e.Identifier == "" {
		e.Identifier = "legacy_key"
	}
	what := strings.Join(p.differs, ", ") + " of CIAM user " + id + " differ from this row and from what the ledger last synced"
	if strings.HasPrefix(p.differs[0], "IndexedAttribute") {
		what = "CIAM user " + id + "'s " + p.differs[0] + " (the legacy id) holds another key than this row's"
	}
	e.Message = "the user the ledger records for this key is not ours: " + what +
		"; not updated (is the ledger shared with another source under the same --source-name, or was the user changed in CIAM?)"
	return Settle(e)
}
