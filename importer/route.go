package importer

import "github.com/ciam-import/ciam-import/importer/sink"

// sinks makes the sinks of a run and the route that picks one for each row:
// CreateUser for plaintext passwords, the import job for password hashes,
// and under ConflictUpdate the update sink for changed rows the ledger
// knows. queue is how many rows may be between the reader and the settler.
func sinks(c *sink.Control, api pacedAPI, opt Options) (all []sink.Sink, route func(*sink.Row) int, queue int) {
	find := sink.NewFinder(api, opt.UserStoreID, opt.Spec.LegacyIDAttribute())
	var update *sink.Update
	if opt.OnConflict == ConflictUpdate {
		update = sink.NewUpdate(c, api, find, opt.UserStoreID, opt.Workers, opt.Spec.UpdatesPassword())
	}
	// Rows whose fields changed while in flight: their users are this
	// state directory's own, created from the row as it was.
	refresh := sink.NewUpdate(c, api, find, opt.UserStoreID, 1, false)
	create := sink.NewCreate(c, api, find, opt.UserStoreID, opt.Workers, update)
	job := sink.NewImportJob(c, api, find, opt.UserStoreID, opt.Job, opt.Now)
	create.Refresh, job.Refresh = refresh, refresh
	all = []sink.Sink{create, job}
	route = routeByPassword
	if update != nil {
		all = append(all, update)
		route = routeUpdates(len(all)-1, routeByPassword)
	}
	return all, route, max(queueSize, opt.Job.BatchBuffer())
}

// routeByPassword sends rows with a password hash, and plaintext rows the
// mapping routes there (--plaintext-via-import-job,
// mapping.WithPlaintextViaImportJob), to the import job (1) and the others
// to CreateUser (0); a row left in doubt goes back to the sink that began
// it.
func routeByPassword(j *sink.Row) int {
	if j.Reconcile && j.Sink != "" {
		if j.Sink == sink.NameJob {
			return 1
		}
		return 0
	}
	if j.User.ViaImportJob() {
		return 1
	}
	return 0
}

// routeUpdates sends the rows the ledger knows to the update sink at index
// i, the others as next says.
func routeUpdates(i int, next func(*sink.Row) int) func(*sink.Row) int {
	return func(j *sink.Row) int {
		if j.Known != nil && !j.Reconcile {
			return i
		}
		return next(j)
	}
}
