// Package canary reads back the users the first rows of a run wrote, on
// each path (CreateUser, the import job, UpdateUser), and lists every field
// CIAM holds otherwise than the row says: the mapped fields verify compares
// (verify.Compare), the ImportUser-only fields where CIAM returns them, and
// the user's Status. It is the cheapest way to learn, before a million
// users, that the service reads a field otherwise than the emulator did
// (docs/real-service.md). Passwords, hashes and salts are never compared or
// shown; a resident identity card number is shown masked.
//
// Quota decides which rows a canary run sends: at most N per path, in input
// order. Intake ends at the first row whose path already had its N rows, so
// the resume position never passes an unsent row and a later run continues
// there; a path whose first row lies beyond that point is reported as not
// covered (Summary of a canary run, CoveredPaths).
package canary
