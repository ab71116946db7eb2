package mapping

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

const (
	testBcrypt = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
	testMD5    = "5f4dcc3b5aa765d61d8327deb882cf99"
	testSHA1   = "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8"
	testSalt   = "NaCl-s4lt"
)

// hashYAML is a mapping with the three required non-password parameters
// and the given password rules.
func hashYAML(fields string) string {
	return "version: 1\nkey: id\nfields:\n" + requiredFields["UserName"] + requiredFields["Email"] +
		requiredFields["PhoneNumber"] + fields
}

// mustHashSpec parses hashYAML(fields).
func mustHashSpec(t *testing.T, fields string) *Spec {
	t.Helper()
	s, err := Parse("test.yaml", []byte(hashYAML(fields)))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return s
}

func TestMapPasswordHash(t *testing.T) {
	tests := []struct {
		name, fields string
		row          Row
		want         PasswordHash // Hash and Salt compared by value
		plain        string       // expected Password when no hash
	}{
		{"bcrypt", "  PasswordHash: {from: h, algorithm: bcrypt}\n", Row{"h": testBcrypt},
			PasswordHash{Algorithm: HashBCRYPT, Hash: NewSecret(testBcrypt)}, ""},
		{"algorithm any case", "  PasswordHash: {from: h, algorithm: BCrypt}\n", Row{"h": testBcrypt},
			PasswordHash{Algorithm: HashBCRYPT, Hash: NewSecret(testBcrypt)}, ""},
		{"md5 salt head", "  PasswordHash: {from: h, algorithm: md5, salt: {from: s, position: head}}\n", Row{"h": testMD5, "s": testSalt},
			PasswordHash{Algorithm: HashMD5, Hash: NewSecret(testMD5), Salt: NewSecret(testSalt), SaltPosition: SaltHead}, ""},
		{"sha1 upper hex lower-cased, salt tail", "  PasswordHash: {from: h, algorithm: sha1, salt: {from: s, position: TAIL}}\n", Row{"h": testSHA1, "s": testSalt},
			PasswordHash{Algorithm: HashSHA1, Hash: NewSecret(strings.ToLower(testSHA1)), Salt: NewSecret(testSalt), SaltPosition: SaltTail}, ""},
		{"md5 mixed-case hex lower-cased", "  PasswordHash: {from: h, algorithm: md5}\n", Row{"h": "5F4DCC3B5aa765d61d8327deb882CF99"},
			PasswordHash{Algorithm: HashMD5, Hash: NewSecret(testMD5)}, ""},
		{"bcrypt case kept", "  PasswordHash: {from: h, algorithm: bcrypt}\n", Row{"h": testBcrypt},
			PasswordHash{Algorithm: HashBCRYPT, Hash: NewSecret(testBcrypt)}, ""},
		{"salt regex", "  PasswordHash: {from: h, algorithm: md5, salt: {const: pepper, regex: \"^(.{2})\"}}\n", Row{"h": testMD5},
			PasswordHash{Algorithm: HashMD5, Hash: NewSecret(testMD5), Salt: NewSecret("pepper"), SaltPosition: SaltOther, SaltRegex: "^(.{2})"}, ""},
		{"empty salt is unsalted", "  PasswordHash: {from: h, algorithm: md5, salt: {from: s, position: head}}\n", Row{"h": testMD5, "s": ""},
			PasswordHash{Algorithm: HashMD5, Hash: NewSecret(testMD5)}, ""},
		{"algorithm from column", "  PasswordHash: {from: h, algorithm_from: t, salt: {from: s, position: head}}\n", Row{"h": testSHA1, "t": " SHA1 ", "s": testSalt},
			PasswordHash{Algorithm: HashSHA1, Hash: NewSecret(strings.ToLower(testSHA1)), Salt: NewSecret(testSalt), SaltPosition: SaltHead}, ""},
		{"algorithm from column, bcrypt, empty salt", "  PasswordHash: {from: h, algorithm_from: t, salt: {from: s, position: head}}\n", Row{"h": testBcrypt, "t": "bcrypt"},
			PasswordHash{Algorithm: HashBCRYPT, Hash: NewSecret(testBcrypt)}, ""},
		{"algorithm through a lookup", "  PasswordHash: {from: h, algorithm_from: {from: t, lookup: {table: {\"1\": md5, \"2\": bcrypt}}}}\n", Row{"h": testMD5, "t": "1"},
			PasswordHash{Algorithm: HashMD5, Hash: NewSecret(testMD5)}, ""},
		{"hash trimmed", "  PasswordHash: {from: h, algorithm: md5, transforms: [trim]}\n", Row{"h": " " + testMD5 + " "},
			PasswordHash{Algorithm: HashMD5, Hash: NewSecret(testMD5)}, ""},
		{"hash wins over plaintext", "  Password: pw\n  PasswordHash: {from: h, algorithm: bcrypt}\n", Row{"h": testBcrypt, "pw": testPassword},
			PasswordHash{Algorithm: HashBCRYPT, Hash: NewSecret(testBcrypt)}, ""},
		{"no hash: plaintext", "  Password: pw\n  PasswordHash: {from: h, algorithm: bcrypt}\n", Row{"h": "", "pw": testPassword},
			PasswordHash{}, testPassword},
		{"no hash, no algorithm column: plaintext", "  Password: pw\n  PasswordHash: {from: h, algorithm_from: t}\n", Row{"pw": testPassword},
			PasswordHash{}, testPassword},
		{"no hash: generated", "  Password: {generate: true}\n  PasswordHash: {from: h, algorithm: md5}\n", Row{},
			PasswordHash{}, "*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustHashSpec(t, tt.fields)
			row := Row{"id": "1"}
			for k, v := range tt.row {
				row[k] = v
			}
			u, err := s.Map(row)
			if err != nil {
				t.Fatalf("Map: %v", err)
			}
			got := u.PasswordHash
			if got.Algorithm != tt.want.Algorithm || got.Hash.Reveal() != tt.want.Hash.Reveal() || got.Salt.Reveal() != tt.want.Salt.Reveal() ||
				got.SaltPosition != tt.want.SaltPosition || got.SaltRegex != tt.want.SaltRegex {
				t.Fatalf("PasswordHash = %s %q %s %q, want %s %q %s %q", got.Algorithm, got.Hash.Reveal(), got.SaltPosition, got.Salt.Reveal(),
					tt.want.Algorithm, tt.want.Hash.Reveal(), tt.want.SaltPosition, tt.want.Salt.Reveal())
			}
			if u.HasPasswordHash() != (tt.plain == "") {
				t.Fatalf("HasPasswordHash = %v", u.HasPasswordHash())
			}
			switch pw := u.Password.Reveal(); {
			case tt.plain == "*" && len(pw) != passwordLen, tt.plain != "*" && pw != tt.plain:
				t.Fatalf("Password has %d characters, want %q", len(pw), tt.plain)
			}
			if !s.HasPasswordHash() {
				t.Fatal("Spec.HasPasswordHash = false")
			}
		})
	}
}

func TestMapPasswordHashErrors(t *testing.T) {
	tests := []struct {
		name, fields string
		row          Row
		field, src   string
		reason       string
		err          error
	}{
		{"bcrypt short", "  PasswordHash: {from: h, algorithm: bcrypt}\n", Row{"h": testBcrypt[:59]}, "PasswordHash", "h", "not a bcrypt hash", ErrInvalid},
		{"bcrypt bad prefix", "  PasswordHash: {from: h, algorithm: bcrypt}\n", Row{"h": "$2x$" + testBcrypt[4:]}, "PasswordHash", "h", "not a bcrypt hash", ErrInvalid},
		{"bcrypt bad cost", "  PasswordHash: {from: h, algorithm: bcrypt}\n", Row{"h": "$2a$1x$" + testBcrypt[7:]}, "PasswordHash", "h", "not a bcrypt hash", ErrInvalid},
		{"bcrypt bad alphabet", "  PasswordHash: {from: h, algorithm: bcrypt}\n", Row{"h": testBcrypt[:59] + "+"}, "PasswordHash", "h", "not a bcrypt hash", ErrInvalid},
		{"md5 is sha1", "  PasswordHash: {from: h, algorithm: md5}\n", Row{"h": testSHA1}, "PasswordHash", "h", "not an MD5 hash (32 hexadecimal digits)", ErrInvalid},
		{"md5 not hex", "  PasswordHash: {from: h, algorithm: md5}\n", Row{"h": strings.Repeat("g", 32)}, "PasswordHash", "h", "not an MD5 hash", ErrInvalid},
		{"sha1 is md5", "  PasswordHash: {from: h, algorithm: sha1}\n", Row{"h": testMD5}, "PasswordHash", "h", "not a SHA1 hash (40 hexadecimal digits)", ErrInvalid},
		{"algorithm column empty", "  PasswordHash: {from: h, algorithm_from: t}\n", Row{"h": testMD5, "t": ""}, "PasswordHash.algorithm", "t", "is empty but the row has a password hash", ErrEmpty},
		{"algorithm column unknown", "  PasswordHash: {from: h, algorithm_from: t}\n", Row{"h": testMD5, "t": "argon2id"}, "PasswordHash.algorithm", "t", "md5, sha1 or bcrypt", ErrInvalid},
		{"bcrypt row with salt", "  PasswordHash: {from: h, algorithm_from: t, salt: {from: s, position: head}}\n", Row{"h": testBcrypt, "t": "BCRYPT", "s": testSalt}, "PasswordHash.salt", "s", "carries its own salt", ErrInvalid},
		{"salt control", "  PasswordHash: {from: h, algorithm: md5, salt: {from: s, position: head}}\n", Row{"h": testMD5, "s": "ab\x00cd"}, "PasswordHash.salt", "s", "NUL", ErrInvalid},
		{"neither", "  Password: pw\n  PasswordHash: {from: h, algorithm: md5}\n", Row{"h": "", "pw": ""}, "Password", "pw, h", "is empty, and so is PasswordHash", ErrEmpty},
		{"no hash, hash only", "  PasswordHash: {from: h, algorithm: md5}\n", Row{}, "Password", "h", "is empty, and so is PasswordHash", ErrEmpty},
		{"plaintext still checked", "  Password: pw\n  PasswordHash: {from: h, algorithm: md5}\n", Row{"pw": "a\x01b"}, "Password", "pw", "control character", ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustHashSpec(t, tt.fields)
			row := Row{"id": "1"}
			for k, v := range tt.row {
				row[k] = v
			}
			u, err := s.Map(row)
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Map = %+v, %v; want *FieldError", u, err)
			}
			if fe.Field != tt.field || fe.Source != tt.src || !strings.Contains(fe.Reason, tt.reason) || !errors.Is(err, tt.err) {
				t.Fatalf("Map error = %#v, want field %q source %q reason ~%q err %v", fe, tt.field, tt.src, tt.reason, tt.err)
			}
			assertNoValues(t, err, tt.row)
		})
	}
}

func TestPasswordHashRedacted(t *testing.T) {
	u := User{Key: "k", PasswordHash: PasswordHash{Algorithm: HashMD5, Hash: NewSecret(testMD5), Salt: NewSecret(testSalt), SaltPosition: SaltHead}}
	for _, got := range []string{sprintAll(u), sprintAll(&u)} {
		if strings.Contains(got, testMD5) || strings.Contains(got, testSalt) {
			t.Fatalf("hash or salt printed: %s", got)
		}
	}
}

func TestUpdatesPassword(t *testing.T) {
	tests := []struct {
		fields string
		want   bool
	}{
		{"  Password: {from: pw, update: true}\n", true},
		{"  Password: {from: pw, update: false}\n", false},
		{"  Password: pw\n", false},
		{"  Password: {generate: true}\n", false},
	}
	for _, tt := range tests {
		if got := mustHashSpec(t, tt.fields).UpdatesPassword(); got != tt.want {
			t.Errorf("%q: UpdatesPassword = %v, want %v", tt.fields, got, tt.want)
		}
	}
}

// sprintAll renders v with every common fmt verb and as JSON.
func sprintAll(v any) string {
	j, _ := json.Marshal(v)
	return fmt.Sprintf("%v|%+v|%#v|%s", v, v, v, j)
}
