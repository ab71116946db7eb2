package mapping

// Row is one source record: field name -> value. CSV rows hold strings; JSONL
// rows hold decoded JSON (string, json.Number, float64, bool, nil, []any,
// map[string]any).
type Row = map[string]any

// User holds validated CreateUser parameters for one row, except UserStoreId,
// which the importer adds. Empty strings, nil slices and a nil Birthdate mean
// "not sent".
//
// A row takes one of two paths: when [User.ViaImportJob] is true it belongs
// to CreateApiImportUserJob, else to CreateUser. A row with a legacy hash
// ([User.HasPasswordHash]: PasswordHash set, Password empty) always goes
// through the import job; a row with a plaintext Password (mapped or
// generated) goes through CreateUser, or through the import job when the
// mapping was parsed with [WithPlaintextViaImportJob] (PlaintextEnum set).
// The ImportUser-only fields (the social identifiers, Gender ... Zone,
// ResidentIdentityCard, identity verification) are only ever set on rows
// that go through the import job: Map refuses them on the others.
type User struct {
	// Key is the trimmed value of the mapping's key field; never empty.
	Key         string
	UserName    string
	Email       string
	PhoneNumber string
	Password    Secret
	// PasswordHash is the legacy hash for CreateApiImportUserJob; its zero
	// value means "no hash".
	PasswordHash PasswordHash
	Nickname     string
	Address      string
	UserGroup    []string
	UserOrg      []string
	// Birthdate is milliseconds since the Unix epoch.
	Birthdate *int64
	// BirthDay is Birthdate as the calendar date (yyyy-MM-dd) in the
	// mapping's date timezone (UTC without one): what the import job's
	// date-typed Birthdate carries, with no shift to UTC.
	BirthDay                string
	CustomizationAttributes []Attribute
	// IndexedAttributes[0] is IndexedAttribute1.
	IndexedAttributes [5]string

	// The ImportUser-only fields, sent as written (CreateUser and UpdateUser
	// have none of them). WechatOpenId ... WeComUserId are identifiers: a
	// row through the import job needs one of the nine (with UserName,
	// PhoneNumber and Email).
	WechatOpenId, WechatUnionId, AlipayUserId, QqOpenId, QqUnionId, WeComUserId string
	Gender, Name, Description, Locale, Job, Nationality, Zone                   string
	ResidentIdentityCard, IdentityVerificationMethod                            string
	IdentityVerified                                                            *bool

	// PlaintextEnum is the PasswordEncryptTypeEnum a plaintext Password is
	// imported with when the row goes through the import job; "" for a row
	// with a hash or one that goes through CreateUser.
	PlaintextEnum string
}

// ViaImportJob reports whether the row goes through CreateApiImportUserJob
// (a password hash, or a plaintext password routed there) rather than
// CreateUser.
func (u *User) ViaImportJob() bool { return u.HasPasswordHash() || u.PlaintextEnum != "" }

// Identifiers returns the nine identifiers of ImportUser, in the
// reference's order, as name/value pairs (values may be empty).
func (u *User) Identifiers() [9][2]string {
	return [9][2]string{{"UserName", u.UserName}, {"PhoneNumber", u.PhoneNumber}, {"Email", u.Email},
		{"WechatOpenId", u.WechatOpenId}, {"WechatUnionId", u.WechatUnionId}, {"AlipayUserId", u.AlipayUserId},
		{"QqOpenId", u.QqOpenId}, {"QqUnionId", u.QqUnionId}, {"WeComUserId", u.WeComUserId}}
}

// HasPasswordHash reports whether the row carries a password hash, and so
// must be imported with CreateApiImportUserJob rather than CreateUser.
func (u *User) HasPasswordHash() bool { return !u.PasswordHash.Hash.IsZero() }

// Attribute is one CIAM custom attribute (MemberMap). Value is always a
// string, whatever Type says.
type Attribute struct {
	Name  string
	Value string
	Type  string
}
