// Package checkpoint is the durable progress of a state directory: it opens
// a directory fresh or resumes it (snapshot, then the journal after it,
// replayed into the reports), journals each row "begin" before anything is
// sent for it, settles rows in input order into the journal, the reports
// and the snapshot, rotates the journal, and turns the retryable report
// into the queue of a retry pass.
//
// It knows nothing of sinks, the CIAM client or the ledger's storage: the
// pipeline hands it positions and settle entries (state.Entry), and the
// ledger through a two-method interface.
package checkpoint
