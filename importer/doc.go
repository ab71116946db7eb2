// Package importer moves rows of a legacy user export into CIAM.
//
// The pipeline has one shape (see run.go): a reader goroutine reads the
// input, maps and checks each row, and hands the rows that need an API call
// to a pool of workers through a bounded channel. Every row, called or not,
// also enters an ordered queue as a future; one settler goroutine takes the
// futures in input order, so outcomes are journaled, reported and
// checkpointed in input order and the resume position only ever moves across
// contiguous settled rows.
//
// Exactly-once creation rests on three rules:
//   - before a CreateUser is sent, the row is journaled "begin" and the
//     journal is fsynced (group commit);
//   - an answer that leaves the outcome unknown (in-doubt) is reconciled by
//     looking the user up, never by a blind resend;
//   - after a crash, every row that was begun but not settled is looked up
//     before anything is sent for it.
//
// Rate limiting and retries live in one wrapper, paced (on pace.Pacer); errors are classified
// once, at the client edge, by package ciam.
package importer
