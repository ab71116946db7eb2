package emulator_test

import (
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func sha1hex(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func bcryptOf(t *testing.T, s string) string {
	h, err := bcrypt.GenerateFromPassword([]byte(s), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return string(h)
}

func saltAt(location, value, rule string) map[string]any {
	loc := map[string]any{"SaltLocationTypeEnum": location}
	if rule != "" {
		loc["SaltLocationRule"] = map[string]any{"Regex": rule}
	}
	return map[string]any{"SaltValue": value, "SaltLocation": loc}
}

// TestImportedPasswordsVerify: a migrated user's old password verifies,
// a wrong one does not, for every algorithm and salt position.
func TestImportedPasswordsVerify(t *testing.T) {
	const pw = "0ld-Secret!"
	tests := []struct {
		name string
		set  []any // extra ImportUser fields
	}{
		{"plaintext", []any{"Password", pw}},
		{"MD5", []any{"Password", md5hex(pw), "PasswordEncryptTypeEnum", "MD5"}},
		{"MD5 uppercase hex", []any{"Password", strings.ToUpper(md5hex(pw)), "PasswordEncryptTypeEnum", "MD5"}},
		{"MD5 salt HEAD", []any{"Password", md5hex("NaCl" + pw), "PasswordEncryptTypeEnum", "MD5", "Salt", saltAt("HEAD", "NaCl", "")}},
		{"MD5 salt TAIL", []any{"Password", md5hex(pw + "NaCl"), "PasswordEncryptTypeEnum", "MD5", "Salt", saltAt("TAIL", "NaCl", "")}},
		{"MD5 salt OTHER", []any{"Password", md5hex("NaCl:" + pw + ":NaCl"), "PasswordEncryptTypeEnum", "MD5", "Salt", saltAt("OTHER", "NaCl", "{salt}:{password}:{salt}")}},
		{"SHA1", []any{"Password", sha1hex(pw), "PasswordEncryptTypeEnum", "SHA1"}},
		{"SHA1 uppercase salt HEAD", []any{"Password", strings.ToUpper(sha1hex("NaCl" + pw)), "PasswordEncryptTypeEnum", "SHA1", "Salt", saltAt("HEAD", "NaCl", "")}},
		{"SHA1 salt TAIL", []any{"Password", sha1hex(pw + "NaCl"), "PasswordEncryptTypeEnum", "SHA1", "Salt", saltAt("TAIL", "NaCl", "")}},
		{"SHA1 salt OTHER", []any{"Password", sha1hex("x" + pw + "NaCl"), "PasswordEncryptTypeEnum", "SHA1", "Salt", saltAt("OTHER", "NaCl", "x{password}{salt}")}},
		{"BCRYPT", []any{"Password", bcryptOf(t, pw), "PasswordEncryptTypeEnum", "BCRYPT"}},
		{"BCRYPT salt HEAD", []any{"Password", bcryptOf(t, "NaCl"+pw), "PasswordEncryptTypeEnum", "BCRYPT", "Salt", saltAt("HEAD", "NaCl", "")}},
		{"BCRYPT salt TAIL", []any{"Password", bcryptOf(t, pw+"NaCl"), "PasswordEncryptTypeEnum", "BCRYPT", "Salt", saltAt("TAIL", "NaCl", "")}},
		{"BCRYPT salt OTHER", []any{"Password", bcryptOf(t, pw+"|NaCl"), "PasswordEncryptTypeEnum", "BCRYPT", "Salt", saltAt("OTHER", "NaCl", "{password}|{salt}")}},
	}
	r := start(t)
	c := demoClient(r)
	users := make([]map[string]any, len(tests))
	for i, tt := range tests {
		users[i] = with(importUser(i), tt.set...)
	}
	if job, _ := waitJob(t, c, importUsers(t, c, users...)); len(job.FailedUsers) != 0 {
		t.Fatalf("FailedUsers %+v", job.FailedUsers)
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			who := map[string]any{"UserName": users[i]["UserName"]}
			if !verifyPassword(t, r, who, pw) {
				t.Error("the old password does not verify")
			}
			for _, wrong := range []string{"", "0ld-secret!", pw + "NaCl", "NaCl" + pw} {
				if verifyPassword(t, r, who, wrong) {
					t.Errorf("wrong password %q verifies", wrong)
				}
			}
		})
	}
}

func TestImportedUserWithoutPassword(t *testing.T) {
	r := start(t)
	c := demoClient(r)
	waitJob(t, c, importUsers(t, c, importUser(1)))
	if verifyPassword(t, r, map[string]any{"UserName": "imp1"}, "") {
		t.Error("a user without a password verifies the empty one")
	}
}
