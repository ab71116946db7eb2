// Package mapping turns legacy user records into validated CIAM CreateUser
// parameters, driven by a declarative YAML mapping file.
//
// A mapping file names, for every CreateUser parameter, where its value comes
// from (a source field, a constant, a text/template, or a generated password)
// and which transforms apply (trim, lower, lookup tables, phone and date
// normalisation, ...). [Parse] checks the whole file up front and reports every
// problem as a [*SpecError] carrying file:line:column. [Spec.Map] then converts
// one [Row] into a [*User], or explains with a [*FieldError] why the row cannot
// be sent; nothing is sent to CIAM by this package.
//
// The package is pure: it performs no network I/O and reads no files except the
// mapping file in [ParseFile] (and the time zone database, through
// time.LoadLocation; a program that must not depend on the host's zoneinfo
// should import time/tzdata). A *Spec is immutable after Parse and safe for
// concurrent use by multiple goroutines.
//
// Per row, values flow through a fixed pipeline:
//
//	source (from | const | template | generate)
//	  -> split (list parameters only)
//	  -> transforms, in the order written
//	  -> lookup table
//	  -> phone / date normalisation
//	  -> checks (required, control characters, length, email/phone/user name
//	     shape, attribute type)
//
// # Password hashes
//
// Legacy hashes cannot go through CreateUser; CIAM takes them in
// CreateApiImportUserJob (ImportUser.Password, PasswordEncryptTypeEnum and
// Salt). The PasswordHash rule maps them:
//
//	PasswordHash:
//	  from: pw_hash                    # or template: "..."; transforms allowed
//	  algorithm: bcrypt                # md5 | sha1 | bcrypt, any case
//	  salt: { from: pw_salt, position: head }   # optional
//
// Keys of the PasswordHash rule:
//
//   - from or template: the hash (required); transforms as in any rule.
//   - algorithm: md5, sha1 or bcrypt (any case) for every row; anything else
//     is a mapping error naming what CIAM accepts.
//   - algorithm_from: instead of algorithm, a rule giving each row's
//     algorithm, for exports mixing algorithms: algorithm_from: hash_type, or
//     algorithm_from: {from: hash_type, lookup: {table: {"1": md5, "2": bcrypt}}}.
//   - salt: optional; a rule (from, const or template, and transforms) plus
//     position: head or tail, or regex: "..." for a salt elsewhere (CIAM's
//     SaltLocationTypeEnum OTHER with SaltLocationRule.Regex, passed to CIAM
//     as written: CIAM does not document its regex dialect).
//
// Rows are checked before anything is sent; a row failing a check is
// rejected, naming the field, never the value: bcrypt is $2a$, $2b$ or $2y$,
// a cost from 04 to 31, $, and 53 characters of bcrypt base64; MD5 is 32 and
// SHA1 40 hexadecimal digits (either case; CIAM does not say which it
// wants: add a lower transform to send lower case). An empty salt means
// unsalted; bcrypt carries its own salt, so salt is refused with algorithm:
// bcrypt and a non-empty salt fails a bcrypt row. With algorithm_from, a row
// with a hash and an empty or unknown algorithm fails
// (PasswordHash.algorithm).
//
// A mapping may have both Password and PasswordHash (Password is then
// optional). Per row, a non-empty hash wins: [User.HasPasswordHash] is true,
// the row belongs to CreateApiImportUserJob and Password stays empty (no
// password is generated); otherwise the mapped or generated Password is used
// (CreateUser). A row with neither fails: "Password (source pw, pw_hash): is
// empty, and so is PasswordHash". [User.PasswordHash] holds the algorithm in
// CIAM's spelling (MD5, SHA1, BCRYPT), the hash and salt as [Secret]s, the
// salt position (HEAD, TAIL, OTHER) and the regex.
//
// # Secrets in errors
//
// Password, PasswordHash and its salt are secrets: they are held as
// [Secret], and no error about any field quotes a row value, on any path.
// Template execution errors, which in text/template can quote values
// ("range can't iterate over ..."), are reduced to the action and a
// value-free message ("template failed at <.pw>: range can't iterate over
// this value"); for secret fields such a rewritten message is withheld too.
//
// # Control characters
//
// Every text value Map produces (key, text parameters, list elements,
// attributes, Password, hash, salt) is checked after transforms and phone
// normalisation: NUL and the other C0 controls, DEL, C1 controls
// (U+0080-U+009F) and U+FFFD (left by a bad encoding conversion) fail the
// row with ErrInvalid, naming the field. Tab, line feed and carriage return
// are allowed in Nickname, Address and CustomizationAttributes only. Nothing
// is stripped silently: to drop such characters on purpose, write
// {regex_replace: {pattern: "[\\x00-\\x1f]", replacement: ""}}.
//
// # Template bounds
//
// Per row, a template may write at most 64 KiB and take at most 10000 steps
// (a step is one piece of output, one range iteration or one {{template}}
// call); a template over either bound fails the row ("template failed: takes
// more than 10000 steps ..."). {{range N}} with a constant N over 10000 is a
// mapping error. The bound counts steps, not the work inside one step.
//
// # Loading errors
//
// [Parse] reports every problem in one pass, sorted by position: unknown keys
// (with "did you mean"), bad transforms, layouts, templates, aliases, and
// with [WithHeader] also source columns missing from a CSV header. A missing
// key is not reported when an unknown key was taken to mean it. Only a YAML
// syntax error stops the reading early.
//
// # Sample rows
//
// [Spec.Preflight] takes the first rows of an input and warns about every
// source field the mapping reads that is missing or empty in all of them,
// naming the closest field names that hold data.
//
// # Sync
//
// For a nightly sync through UpdateUser, [User.FieldDigests] is a compact
// (typically 50-100 bytes), canonical fingerprint of the synced fields
// (never Key, Password, PasswordHash or salt), [User.Digest] a 32-hex-digit
// digest of it, and [ChangedFields] names the fields that differ between two
// fingerprints. Passwords are not updated on sync unless the mapping says
// Password: {from: pw, update: true} ([Spec.UpdatesPassword]; not allowed
// with generate: true).
package mapping
