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
//	  -> checks (required, length, email/phone/user name shape, attribute type)
package mapping
