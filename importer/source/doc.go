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
// File is the Input (see input.go) for a CSV or JSONL file: every record
// has an ID, its byte offset, and a cursor, Next, that File.Open takes to
// go on after it. The cursor carries the offset, the line and an xxHash64 of
// every byte before it, kept as the file is read; File.Open hashes those
// bytes again and fails with ErrChanged if any of them changed, not only
// the first MiB. While reading, a reader checks the file every 4 MiB and at
// the end, and Next fails with ErrChanged if it shrank, grew or was
// replaced. Inputs that are not regular files (pipes, /dev/stdin, devices,
// directories) are refused with ErrNotRegular: they cannot be read again.
//
// Options.Encoding reads GBK, GB18030, Big5, Shift_JIS, EUC-KR, UTF-16,
// Latin-1 and Windows-1252 exports (a UTF-16 byte order mark is found by
// itself); records are framed on the file's bytes (UTF-16: on code units)
// and decoded to UTF-8, and offsets stay the file's. A record that is not
// valid UTF-8 says which encoding its bytes fit. Lines that end in a lone
// CR, and a CSV header that is one column holding another delimiter, are
// refused with a message saying what to pass. Lines of only spaces and tabs
// are skipped like blank lines.
//
// A Reader is not safe for concurrent use; the records it returns are the
// caller's to keep.
package source
