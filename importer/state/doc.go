// Package state stores what an import run has done, so that a run killed at
// any instant (kill -9, power loss) resumes without creating a user twice or
// losing a row. It provides the storage mechanics only; what a resume does
// with them is the pipeline's business.
//
// # State directory format, version 1
//
// A state directory (OpenDir; mode 0700) belongs to one import: one input,
// one mapping, one user store. All files are created with mode 0600. Only the
// process holding the lock writes to it.
//
//	lock            flock(2)ed by the running process (Lock); JSON LockInfo of
//	                the current or last holder. Never deleted. A dead holder's
//	                lock is released by the kernel and simply taken over.
//	snapshot.json   the checkpoint (Snapshot, "version": 1), pretty JSON.
//	                Replaced atomically by WriteSnapshot: write
//	                snapshot.json.tmp, fsync, close, rename, fsync the
//	                directory. Missing means a fresh start (ErrNoSnapshot);
//	                unreadable, unknown fields or another version is an error
//	                (*CorruptError), never a silent restart. Its in_flight
//	                lists rows begun but not settled when it was taken: with
//	                the journal's begins after journal_size, the rows a
//	                resume must reconcile before sending anything.
//	journal.jsonl   generation 0 of the journal; journal.N.jsonl is
//	                generation N (Dir.JournalGen, Snapshot.JournalGen).
//	                Append-only, one JSON Entry per line, group-committed
//	                (Journal). A "begin" entry is committed before a row is
//	                sent; a "settle" entry when the row has its outcome for
//	                the pass. A begin with no settle after it marks a row in
//	                doubt. Only the last line can be torn by a crash;
//	                ReplayJournal stops before it and TruncateFile drops it.
//	                A bad line before the last is a *CorruptError.
//	created.csv     per-row reports (package report): header row, then rows,
//	conflicts.csv   append-only. A snapshot records each file's size; a
//	retryable.csv   resume truncates each file back to that size, dropping
//	rejected.csv    rows written after the snapshot (they are re-reported
//	skipped.csv     from the journal's settle entries).
//	retry-queue.csv the retryable.csv of the pass before the current retry
//	                pass: that pass's queue. Written atomically by
//	                report.Writer.Rotate, read with report.Read.
//	runs.jsonl      run history, one JSON RunRecord per line (AppendRun).
//	summary.json    the last run's summary, written atomically by the caller
//	                with WriteFileAtomic.
//	*.tmp           a WriteFileAtomic cut short by a crash; OpenDir deletes
//	                them (only while no live process holds the lock).
//
// # Guarantees and obligations
//
// Durable means written and fsynced, and for a new or renamed file, its
// directory fsynced too. Journal.Size and report Writer.Sizes only ever
// count durable bytes. The one rule that makes the whole directory
// consistent: a snapshot may only describe work whose journal entries and
// report rows are durable. So, to checkpoint: Sync the journal and the
// report writer, then WriteSnapshot with JournalSize = Journal.Size() and
// Reports = Writer.Sizes(), counting only rows settled by entries appended
// before that Sync.
//
// After a crash, at any instant, the directory holds a snapshot (or none),
// a journal whose durable prefix has every entry committed before the crash
// plus possibly a torn last line, and reports at least as long as the
// snapshot's recorded sizes. Resume in this order:
//
//  1. OpenDir, then Lock (ErrLocked: another run is alive).
//  2. ReadSnapshot; ErrNoSnapshot means fresh start, any other error stops.
//  3. Compare the job's Fingerprint with the snapshot's; refuse to resume if
//     Diff returns anything. The source itself checks, when it opens at the
//     snapshot's cursor, that nothing before the cursor changed.
//  4. ReplayJournal from Snapshot.JournalSize; if it returns validEnd below
//     the file's size, TruncateFile(journal, validEnd).
//  5. report.OpenWriter with Snapshot.Reports (nil on a fresh start).
//  6. OpenJournal, and carry on appending.
//
// The journal is compacted by generations: once it is large, a checkpoint
// opens generation N+1, switches appends to it, writes a snapshot naming it
// (journal_gen N+1, journal_size 0, in_flight holding the begins left in N)
// and only then deletes generation N. Replay therefore starts at the
// snapshot's generation and size and continues through every later
// generation from its start (a crash between the switch and that snapshot
// leaves one); generations below the snapshot's are leftovers to delete.
package state
