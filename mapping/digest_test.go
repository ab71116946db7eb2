package mapping

import (
	"errors"
	"slices"
	"testing"
)

// digestUser is a user with every synced field set.
func digestUser() *User {
	b := int64(642870000000)
	return &User{Key: "U1", UserName: "wei", Email: "wei@example.com", PhoneNumber: "+86-13800138000",
		Password: NewSecret(testPassword), Nickname: "Wei", Address: "Road 1",
		UserGroup: []string{"g1", "g2"}, UserOrg: []string{"o1"}, Birthdate: &b,
		CustomizationAttributes: []Attribute{{Name: "dept", Value: "R&D", Type: "STRING"}, {Name: "vip", Value: "1", Type: "NUMBER"}},
		IndexedAttributes:       [5]string{"U1", "E1"}}
}

func TestChangedFields(t *testing.T) {
	tests := []struct {
		name   string
		change func(u *User)
		want   []string
	}{
		{"nothing", func(*User) {}, nil},
		{"password and key are not synced fields", func(u *User) {
			u.Password, u.Key = NewSecret("other"), "U2"
			u.PasswordHash = PasswordHash{Algorithm: HashMD5, Hash: NewSecret(testMD5)}
		}, nil},
		{"group order and duplicates", func(u *User) { u.UserGroup = []string{"g2", "g1", "g2"} }, nil},
		{"attribute order", func(u *User) { a := u.CustomizationAttributes; a[0], a[1] = a[1], a[0] }, nil},
		{"email", func(u *User) { u.Email = "w@example.com" }, []string{"Email"}},
		{"nickname cleared", func(u *User) { u.Nickname = "" }, []string{"Nickname"}},
		{"birthdate", func(u *User) { b := *u.Birthdate + 1; u.Birthdate = &b }, []string{"Birthdate"}},
		{"birthdate cleared", func(u *User) { u.Birthdate = nil }, []string{"Birthdate"}},
		{"group added", func(u *User) { u.UserGroup = append(u.UserGroup, "g3") }, []string{"UserGroup"}},
		{"indexed set", func(u *User) { u.IndexedAttributes[4] = "x" }, []string{"IndexedAttribute5"}},
		{"attribute type", func(u *User) { u.CustomizationAttributes[1].Type = "STRING" }, []string{"CustomizationAttributes[vip]"}},
		{"attribute added and removed", func(u *User) { u.CustomizationAttributes[0].Name = "team" },
			[]string{"CustomizationAttributes[dept]", "CustomizationAttributes[team]"}},
		{"value moved between fields", func(u *User) { u.Nickname, u.Address = u.Address, u.Nickname }, []string{"Address", "Nickname"}},
		{"two fields", func(u *User) { u.UserName, u.PhoneNumber = "w", "+86-13900139000" }, []string{"PhoneNumber", "UserName"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old, u := digestUser(), digestUser()
			tt.change(u)
			got, err := ChangedFields(old.FieldDigests(), u.FieldDigests())
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("ChangedFields = %q, want %q", got, tt.want)
			}
			if (old.Digest() == u.Digest()) != (len(tt.want) == 0) {
				t.Fatalf("Digest equal = %v with changes %q", old.Digest() == u.Digest(), tt.want)
			}
		})
	}
}

func TestFieldDigestsStable(t *testing.T) {
	u := digestUser()
	d := u.FieldDigests()
	// Golden: the encoding is stored in ledgers and must not drift.
	const wantDigest = "c7e7023e7f6d3af23768f4d566a92eb3"
	if got := u.Digest(); got != wantDigest {
		t.Fatalf("Digest = %s, want %s", got, wantDigest)
	}
	m, err := d.Fields()
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 12 || len(d) > 12*9+2*(1+1+4)+1 {
		t.Fatalf("%d fields in %d bytes: %v", len(m), len(d), m)
	}
	if len(u.Digest()) != 32 {
		t.Fatalf("Digest %q", u.Digest())
	}
	empty := (&User{Key: "k"}).FieldDigests()
	if len(empty) != 1 {
		t.Fatalf("empty user digests %v", empty)
	}
}

func TestFieldDigestsMalformed(t *testing.T) {
	good := digestUser().FieldDigests()
	for _, bad := range []FieldDigests{nil, {}, {2}, good[:len(good)-1], append(FieldDigests{1, 14}, make([]byte, 8)...),
		{1, attributeCode, 50, 'a'}, {1, attributeCode}} {
		if _, err := ChangedFields(good, bad); !errors.Is(err, ErrBadDigests) {
			t.Errorf("ChangedFields(good, %v) = %v, want ErrBadDigests", bad, err)
		}
	}
}
