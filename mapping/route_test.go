package mapping

import (
	"errors"
	"strings"
	"testing"
)

// importYAML is a mapping whose rows go through the import job (a hash) or
// CreateUser (a plaintext password), with every ImportUser-only field.
const importYAML = `version: 1
key: id
fields:
  UserName: {from: login}
  Email: {from: email}
  PhoneNumber: {from: phone}
  Password: {from: password}
  PasswordHash: {from: hash, algorithm: sha1}
  WechatOpenId: {from: wx}
  WeComUserId: {from: wecom}
  Gender: {from: gender}
  Name: {from: name}
  ResidentIdentityCard: {from: idcard}
  IdentityVerificationMethod: {from: method}
  IdentityVerified: {from: verified}
`

const sha1Hex = "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8"

func TestMapRoutes(t *testing.T) {
	s, err := Parse("import.yaml", []byte(importYAML))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	cases := []struct {
		name      string
		row       Row
		wantField string // "" = mapped
		wantErr   error
		wantWhy   string
	}{
		{name: "hash with only a WeChat id", row: Row{"id": "1", "hash": sha1Hex, "wx": "o6_bmjrPTlm6_2sgVt7hMZOPfL2M"}},
		{name: "hash with only an email", row: Row{"id": "2", "hash": sha1Hex, "email": "a@example.com"}},
		{name: "hash without any identifier", row: Row{"id": "3", "hash": sha1Hex, "gender": "MALE"},
			wantField: "UserName", wantErr: ErrEmpty, wantWhy: "needs one of them"},
		{name: "hash with only a WeCom id, no legacy attribute", row: Row{"id": "4", "hash": sha1Hex, "wecom": "zhangsan"},
			wantField: "WeComUserId", wantErr: ErrEmpty, wantWhy: "no CIAM lookup finds"},
		{name: "plaintext with a WeChat id goes through CreateUser", row: Row{"id": "5", "password": "S3cret!pw", "login": "u5",
			"email": "u5@example.com", "phone": "+8613800138005", "wx": "o6_x"},
			wantField: "WechatOpenId", wantErr: ErrInvalid, wantWhy: "CreateUser has no WechatOpenId"},
		{name: "plaintext with a Gender goes through CreateUser", row: Row{"id": "6", "password": "S3cret!pw", "login": "u6",
			"email": "u6@example.com", "phone": "+8613800138006", "gender": "FEMALE"},
			wantField: "Gender", wantErr: ErrInvalid, wantWhy: "--plaintext-via-import-job"},
		{name: "plaintext without a phone goes through CreateUser", row: Row{"id": "7", "password": "S3cret!pw", "login": "u7",
			"email": "u7@example.com"},
			wantField: "PhoneNumber", wantErr: ErrEmpty, wantWhy: "CreateUser, which needs"},
		{name: "verified without a method", row: Row{"id": "8", "hash": sha1Hex, "email": "a8@example.com", "verified": "true"},
			wantField: "IdentityVerificationMethod", wantErr: ErrEmpty, wantWhy: "IdentityVerified true"},
		{name: "nameAndIdCard without the card", row: Row{"id": "9", "hash": sha1Hex, "email": "a9@example.com",
			"method": "nameAndIdCard", "name": "张三"},
			wantField: "ResidentIdentityCard", wantErr: ErrEmpty, wantWhy: "nameAndIdCard"},
		{name: "nameIdCardAndPhone without the phone", row: Row{"id": "10", "hash": sha1Hex, "email": "a10@example.com",
			"method": "nameIdCardAndPhone", "name": "张三", "idcard": "110101199003070000"},
			wantField: "PhoneNumber", wantErr: ErrEmpty, wantWhy: "nameIdCardAndPhone"},
		{name: "IdentityVerified not a boolean", row: Row{"id": "11", "hash": sha1Hex, "email": "a11@example.com", "verified": "yes"},
			wantField: "IdentityVerified", wantErr: ErrInvalid, wantWhy: "true"},
		{name: "verified in full", row: Row{"id": "12", "hash": sha1Hex, "email": "a12@example.com", "verified": "true",
			"method": "nameAndIdCard", "name": "张三", "idcard": "110101199003070000"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u, err := s.Map(tc.row)
			if tc.wantField == "" {
				if err != nil {
					t.Fatalf("Map: %v", err)
				}
				if !u.ViaImportJob() {
					t.Errorf("ViaImportJob() = false for a row with a hash")
				}
				return
			}
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Map = %v, want a FieldError on %s", err, tc.wantField)
			}
			if fe.Field != tc.wantField || !errors.Is(err, tc.wantErr) || !strings.Contains(fe.Reason, tc.wantWhy) {
				t.Errorf("Map = %+v, want field %s, %v, reason with %q", fe, tc.wantField, tc.wantErr, tc.wantWhy)
			}
		})
	}
}

// TestMapImportFields checks that every ImportUser-only field is carried.
func TestMapImportFields(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\nkey: id\nfields:\n  PasswordHash: {from: hash, algorithm: sha1}\n")
	row := Row{"id": "1", "hash": sha1Hex}
	names := []string{"WechatOpenId", "WechatUnionId", "AlipayUserId", "QqOpenId", "QqUnionId", "WeComUserId",
		"Gender", "Name", "Description", "Locale", "Job", "Nationality", "Zone", "ResidentIdentityCard"}
	for _, n := range names {
		b.WriteString("  " + n + ": {from: f_" + n + "}\n")
		row["f_"+n] = "v_" + n
	}
	b.WriteString("  IdentityVerified: {from: verified}\n  IdentityVerificationMethod: {from: method}\n")
	row["verified"], row["method"] = true, "nameAndIdCard"
	s, err := Parse("all.yaml", []byte(b.String()))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	u, err := s.Map(row)
	if err != nil {
		t.Fatalf("Map: %v", err)
	}
	got := map[string]string{"WechatOpenId": u.WechatOpenId, "WechatUnionId": u.WechatUnionId, "AlipayUserId": u.AlipayUserId,
		"QqOpenId": u.QqOpenId, "QqUnionId": u.QqUnionId, "WeComUserId": u.WeComUserId, "Gender": u.Gender, "Name": u.Name,
		"Description": u.Description, "Locale": u.Locale, "Job": u.Job, "Nationality": u.Nationality, "Zone": u.Zone,
		"ResidentIdentityCard": u.ResidentIdentityCard}
	for _, n := range names {
		if got[n] != "v_"+n {
			t.Errorf("%s = %q, want %q", n, got[n], "v_"+n)
		}
	}
	if u.IdentityVerified == nil || !*u.IdentityVerified {
		t.Errorf("IdentityVerified = %v, want true", u.IdentityVerified)
	}
}

func TestParseRoutes(t *testing.T) {
	cases := []struct {
		name      string
		yaml      string
		opts      []Option
		wantField string // "" = parses
		wantMsg   string
	}{
		{name: "hash only, one social identifier",
			yaml: "  PasswordHash: {from: h, algorithm: bcrypt}\n  QqOpenId: {from: qq}\n"},
		{name: "hash only, no identifier",
			yaml: "  PasswordHash: {from: h, algorithm: bcrypt}\n  Nickname: {from: n}\n", wantField: "fields", wantMsg: "map at least one of UserName"},
		{name: "plaintext only, a WeChat id",
			yaml:      "  UserName: {from: u}\n  Email: {from: e}\n  PhoneNumber: {from: p}\n  Password: {from: pw}\n  WechatOpenId: {from: wx}\n",
			wantField: "fields.WechatOpenId", wantMsg: "CreateUser has no WechatOpenId"},
		{name: "plaintext only, no phone",
			yaml: "  UserName: {from: u}\n  Email: {from: e}\n  Password: {from: pw}\n", wantField: "fields.PhoneNumber", wantMsg: "required by CreateUser"},
		{name: "plaintext via the import job, only an email",
			yaml: "  Email: {from: e}\n  Password: {from: pw}\n  Gender: {from: g}\n", opts: []Option{WithPlaintextViaImportJob("PLAINTEXT")}},
		{name: "plaintext via the import job, no password",
			yaml: "  Email: {from: e}\n", opts: []Option{WithPlaintextViaImportJob("PLAINTEXT")}, wantField: "fields.Password", wantMsg: "is required"},
		{name: "hash and plaintext, no phone",
			yaml:      "  UserName: {from: u}\n  Email: {from: e}\n  Password: {from: pw}\n  PasswordHash: {from: h, algorithm: md5}\n",
			wantField: "fields.PhoneNumber", wantMsg: "required by CreateUser"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("r.yaml", []byte("version: 1\nkey: id\nfields:\n"+tc.yaml), tc.opts...)
			if tc.wantField == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			errs := specErrors(t, err)
			if len(errs) != 1 || errs[0].Field != tc.wantField || !strings.Contains(errs[0].Msg, tc.wantMsg) {
				t.Errorf("Parse = %v, want one error on %s with %q", err, tc.wantField, tc.wantMsg)
			}
		})
	}
}

func TestPlaintextViaImportJob(t *testing.T) {
	s, err := Parse("p.yaml", []byte("version: 1\nkey: id\nfields:\n  WechatOpenId: {from: wx}\n  Email: {from: e}\n  Password: {from: pw}\n"),
		WithPlaintextViaImportJob("PLAINTEXT"))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	u, err := s.Map(Row{"id": "1", "wx": "o6_abc", "pw": "S3cret!pw"})
	if err != nil {
		t.Fatalf("Map: %v", err)
	}
	if !u.ViaImportJob() || u.PlaintextEnum != "PLAINTEXT" || u.Password.Reveal() != "S3cret!pw" {
		t.Errorf("got ViaImportJob %v, PlaintextEnum %q, want true, PLAINTEXT and the password", u.ViaImportJob(), u.PlaintextEnum)
	}
	if _, err := s.Map(Row{"id": "2", "pw": "S3cret!pw"}); err == nil || !strings.Contains(err.Error(), "needs one of them") {
		t.Errorf("Map of a row without an identifier = %v, want the nine-identifiers error", err)
	}
}

// TestDigestsLeaveOutImportOnlyFields: UpdateUser cannot send them, so a
// change to one of them alone is not a change for a sync.
func TestDigestsLeaveOutImportOnlyFields(t *testing.T) {
	base := User{Email: "a@example.com"}
	changed := base
	changed.WechatOpenId, changed.Gender, changed.Name, changed.Zone = "o6_x", "MALE", "张三", "Asia/Shanghai"
	verified := true
	changed.IdentityVerified = &verified
	if d, err := ChangedFields(base.FieldDigests(), changed.FieldDigests()); err != nil || len(d) != 0 {
		t.Errorf("ChangedFields = %v, %v; want none", d, err)
	}
	changed.Email = "b@example.com"
	if d, _ := ChangedFields(base.FieldDigests(), changed.FieldDigests()); len(d) != 1 || d[0] != "Email" {
		t.Errorf("ChangedFields = %v, want [Email]", d)
	}
}
