// Package source reads legacy user exports, CSV or JSON Lines, as a stream
// of records in constant memory, whatever the size of the file.
//
// Every Record carries its position: the line it starts on (for reports),
// the byte offset of its first byte, and End and EndLine, the position just
// past it. A checkpoint that stores End and EndLine can reopen the file with
// Options.Offset and Options.Line and go on exactly where it stopped: the
// records that follow, their Line numbers included, are the same as in a
// read from the start.
//
// A malformed record is data, not a failure: Next returns it with Err set to
// a *RecordError that names the file, line, column and field, and the stream
// goes on with the next record. Next returns an error only when the input
// itself cannot be read.
//
// Both formats are framed by this package before they are decoded: a CSV
// record ends at a newline outside quotes, a JSONL record at a newline. The
// framer knows the offset and line of every byte, skips blank lines, stops a
// record at Options.MaxRecordBytes, and after a malformed or oversized record
// resumes at the line after the record's first line, so one stray quote
// costs one record, not the rest of the file. encoding/json then decodes a
// JSONL line, and encoding/csv a CSV record with quotes in it; a CSV record
// of one line with no quote is cut at its delimiters, which is all that
// encoding/csv would do with it (FuzzCSV checks that the two agree).
//
// A Reader is not safe for concurrent use; the records it returns are the
// caller's to keep.
package source
