package main

import (
	"crypto/md5"
	"crypto/sha1"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"

	"golang.org/x/crypto/bcrypt"
)

// hashedRows is the number of users in hashed.csv.
const hashedRows = 60

// hashedUser is a row of hashed.csv and the password it was made from.
type hashedUser struct {
	user
	algo, hash, salt, plain string
}

// writeHashed writes hashed.csv, a legacy export whose passwords are bcrypt,
// salted SHA-1 and salted MD5 hashes (and a few plaintext ones), and
// hashed-passwords.csv, the plaintext each user's hash was made from, so
// that a migrated user can be signed in with the old password against the
// emulator. bcrypt salts are random: the file is regenerated, not compared.
func writeHashed(dir string) error {
	users := hashedPopulation()
	if err := writeFile(filepath.Join(dir, "hashed.csv"), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"legacy_id", "login", "email", "mobile", "display_name", "pw_algo", "pw_hash", "pw_salt", "password"})
		for _, u := range users {
			_ = cw.Write([]string{u.id, u.login, u.email, u.phone.text, u.display, u.algo, u.hash, u.salt, u.plain})
		}
		cw.Flush()
		return cw.Error()
	}); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, "hashed-passwords.csv"), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"legacy_id", "old_password"})
		for _, u := range users {
			_ = cw.Write([]string{u.id, u.password})
		}
		cw.Flush()
		return cw.Error()
	})
}

// hashedPopulation gives each user a hash by row number: bcrypt, SHA-1 and
// MD5 (salted at the head), a plaintext password every tenth row, and two
// rows whose hash does not fit its algorithm.
func hashedPopulation() []hashedUser {
	base := population(3, "LEG-%05d", 1)[:hashedRows]
	out := make([]hashedUser, 0, len(base))
	for i, u := range base {
		if u.badField != "" || u.dupOf != "" {
			u.badField, u.dupOf = "", ""
		}
		h := hashedUser{user: u}
		salt := fmt.Sprintf("s%04x", i*7919%65536)
		switch {
		case i%10 == 9:
			h.plain = u.password
		case i == 4:
			h.algo, h.hash = "md5", "not-a-hash"
		case i == 7:
			h.algo, h.hash = "bcrypt", "$2a$10$tooshort"
		case i%3 == 0:
			b, err := bcrypt.GenerateFromPassword([]byte(u.password), 8)
			if err != nil {
				panic(err)
			}
			h.algo, h.hash = "bcrypt", string(b)
		case i%3 == 1:
			sum := sha1.Sum([]byte(salt + u.password))
			h.algo, h.hash, h.salt = "sha1", hex.EncodeToString(sum[:]), salt
		default:
			sum := md5.Sum([]byte(salt + u.password))
			h.algo, h.hash, h.salt = "md5", hex.EncodeToString(sum[:]), salt
		}
		out = append(out, h)
	}
	return out
}
