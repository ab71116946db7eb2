//go:build race

package mapping

// allocSlack multiplies the allocation bounds of tests: the race detector
// keeps no sync.Pool items and instruments every allocation.
const allocSlack = 8
