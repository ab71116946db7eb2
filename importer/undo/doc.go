// Package undo takes a rehearsal back: it deletes, with DeleteUsers in
// batches, exactly the users one state directory created (the rows of its
// created.csv) and never a user the run found (skipped.csv) or updated
// (updated.csv). It is for staging stores.
//
// # Files in the state directory
//
//	undo.jsonl  the undo journal, append-only, one JSON Entry per line, each
//	            fsynced before the next step: a "begin" with a batch's ids
//	            before DeleteUsers is sent, a "settle" with each id's outcome
//	            once its answer is known. A begin without a settle marks a
//	            batch whose answer was lost (kill -9, timeout): the next Run
//	            looks each of its ids up with DescribeUserById before sending
//	            anything, and a user that is gone counts as deleted. Only the
//	            last line can be torn by a crash; it is cut off. Its presence
//	            marks the directory as undone (Touched): a later import run
//	            must not resume it, only start over (--restart, which calls
//	            Forget).
//	undone.csv  the report: one row per created.csv user (line, key, user_id,
//	            outcome, message), outcome deleted, failed or pending (not
//	            attempted yet). It is a rendering of the journal, rewritten
//	            atomically (0600) at the end of every Run.
//
// The state directory's lock (state.Lock) is held for the whole Run, so no
// import runs meanwhile. Calls are paced by Config.Rate.
package undo
