package mapping

// Row is one source record: field name -> value. CSV rows hold strings; JSONL
// rows hold decoded JSON (string, json.Number, float64, bool, nil, []any,
// map[string]any).
type Row = map[string]any

// User holds validated CreateUser parameters for one row, except UserStoreId,
// which the importer adds. Empty strings, nil slices and a nil Birthdate mean
// "not sent".
//
// A row takes one of two paths: when [User.HasPasswordHash] is true, its
// PasswordHash holds a legacy hash and Password is empty, and the row belongs
// to CreateApiImportUserJob; otherwise Password holds the plaintext (mapped or
// generated) and the row goes to CreateUser.
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
	Birthdate               *int64
	CustomizationAttributes []Attribute
	// IndexedAttributes[0] is IndexedAttribute1.
	IndexedAttributes [5]string
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
