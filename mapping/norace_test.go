//go:build !race

package mapping

// allocSlack multiplies the allocation bounds of tests (8 under -race).
const allocSlack = 1
