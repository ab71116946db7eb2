//go:build race

package main

// raceEnabled says the tests run under -race; the crash tests then build the
// binaries they run with -race too, so a data race in a killed import shows.
const raceEnabled = true
