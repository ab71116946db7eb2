// Package dedup is the durable table of the identifiers the rows of an
// input already hold: legacy key, user name, email (lower-cased) and phone
// number. The pipeline asks it, for each row in input order, whether an
// earlier row holds one of the row's identifiers; the first row keeps it,
// a later row is a duplicate that names the first row's line.
//
// The table has no size limit: it is a log-structured set of 64-bit
// identifier hashes (salted per table) on disk, with the newest records in
// memory and a Bloom filter in front of both the in-memory table and the
// sorted runs on disk (it answers most absent identifiers alone), so memory
// stays bounded (about 1.1 bytes per identifier for the filter, plus a
// fixed in-memory table) whatever the number of rows. The filter is sized
// for the whole input: when it must grow, it grows to what the input will
// need at the rate of the part read so far (Config.Progress), so it is
// rebuilt a few times over an input and rarely answers "maybe" for an
// absent identifier; without a progress it grows by half each time (1 to
// 1.5 bytes per identifier). Runs of about the same size are merged four
// at a time, so a record is rewritten about once per fourfold growth of
// the table. A scratch table (validate's) writes its runs in the
// background, one spill in flight, with a second in-memory table filling
// meanwhile (bg.go).
//
// Durability follows the ledger's rule. A row's identifiers are held in
// memory as soon as it is checked (Check), travel in its settle entry
// (Take, the entry's Seen field), are queued when that entry is settled
// (Settled) and are written at the next checkpoint (Flush), after the
// journal that carries them is durable and before the snapshot that stops
// replaying it. So a crash can neither lose the identifiers of a row whose
// settle is durable (the journal tail is replayed into the table with
// Settled on resume) nor keep the identifiers of a row whose settle was
// lost (they never left memory). Every record also carries a tag of the
// row's source ID and legacy key: a row seen again (a retry pass, a row in
// flight at a crash, a replayed settle entry) finds its own identifiers and
// is not its own duplicate.
package dedup
