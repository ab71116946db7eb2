// Package groups resolves the CIAM user group names a mapping's
// UserGroup holds (by: name) to group ids, once per run: [List] pages
// through ListUserGroups into a [Table] (a mapping.GroupIDs), [Names]
// collects the names an input uses, and [Ensure] creates the missing ones
// with CreateUserGroup (missing: create) before any row is sent.
//
// CreateUserGroup is not idempotent, so Ensure never sends it for a name
// the store has: it lists first, and after an answer that may hide a
// success (in doubt, a retryable error, "name already exists") it lists
// again and takes the group found. A crash after a create leaves the
// group in the store, where the next run's List finds it: a group is never
// created twice. Nothing here is journaled.
package groups
