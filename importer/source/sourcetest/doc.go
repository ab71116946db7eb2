// Package sourcetest generates realistic, valid legacy user exports, as CSV
// or JSON Lines, for tests, benchmarks and crash tests.
//
// Row i of the export made with a seed depends on nothing else, so a test
// can tell what any row of a 10-million-row file holds without reading it.
// legacy_id, login, email and mobile are unique across rows (for up to a
// billion rows). Some values need CSV quoting (a department with a comma,
// one with quotes) and some are not ASCII (names).
package sourcetest
