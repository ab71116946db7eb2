package source

import (
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Formats understood by Options.Format.
const (
	FormatCSV   = "csv"
	FormatJSONL = "jsonl"
)

// DefaultMaxRecordBytes is the default Options.MaxRecordBytes: 1 MiB.
const DefaultMaxRecordBytes = 1 << 20

// Options control how a file is read. The zero value reads from the start,
// with the format taken from the file name.
type Options struct {
	// Format is FormatCSV or FormatJSONL; "" takes it from the extension:
	// .csv and .tsv are CSV, .jsonl and .ndjson are JSONL.
	Format string
	// Delimiter separates CSV fields. It must be an ASCII character other
	// than '"', '\r' and '\n'; 0 means '\t' for .tsv files and ',' otherwise.
	// It is ignored for JSONL.
	Delimiter rune
	// Offset, when not 0, starts reading at this byte offset. It must be a
	// Record.End (to go on after that record) or a Record.Offset (to read
	// that record again) reported for this same file. Open checks that it is
	// at the start of a line (ErrOffset otherwise) but cannot tell a line
	// inside a quoted CSV field. A CSV header is still read from the start
	// of the file.
	Offset int64
	// Line is the line number at Offset: the Record.EndLine that came with
	// Record.End, or the Record.Line that came with Record.Offset. When
	// Offset is not 0 and Line is 0, Open counts the lines before Offset,
	// which reads them. It is ignored when Offset is 0.
	Line int64
	// MaxRecordBytes bounds a record, line terminator included; 0 means
	// DefaultMaxRecordBytes. A longer record is returned with ErrLineTooLong
	// and reading goes on at the line after its first line, so memory stays
	// bounded whatever the input.
	MaxRecordBytes int
	// Encoding is the character encoding of the file: "" or EncodingUTF8,
	// or one of the other Encoding* names (aliases: utf8, cp936, sjis,
	// iso-8859-1, cp1252). A UTF-16 byte order mark sets UTF-16 by itself
	// when Encoding is "", utf-8 or utf-16. Records are decoded to UTF-8;
	// offsets, IDs and cursors stay byte offsets of the file.
	Encoding string

	readSize int // bytes read at a time; 0 means readSize (tests make it small)
}

// resolve checks o and fills in the defaults for the file called name.
func (o Options) resolve(name string) (Options, error) {
	ext := strings.ToLower(filepath.Ext(name))
	if o.Format == "" {
		o.Format = formatOf(ext)
	}
	if o.Format != FormatCSV && o.Format != FormatJSONL {
		return o, fmt.Errorf("%w %q (want %q or %q, or a name ending in .csv, .tsv, .jsonl or .ndjson)",
			ErrFormat, o.Format, FormatCSV, FormatJSONL)
	}
	if o.Delimiter == 0 {
		o.Delimiter = ','
		if ext == ".tsv" {
			o.Delimiter = '\t'
		}
	}
	if d := o.Delimiter; d >= utf8.RuneSelf || d <= 0 || d == '"' || d == '\r' || d == '\n' {
		return o, fmt.Errorf("invalid delimiter %q", d)
	}
	c, err := lookupCodec(o.Encoding)
	if err != nil {
		return o, err
	}
	if err := c.checkDelim(o); err != nil {
		return o, err
	}
	if o.readSize <= 0 {
		o.readSize = readSize
	}
	if o.MaxRecordBytes == 0 {
		o.MaxRecordBytes = DefaultMaxRecordBytes
	}
	if o.MaxRecordBytes < 0 || o.Offset < 0 || o.Line < 0 {
		return o, fmt.Errorf("negative option: MaxRecordBytes %d, Offset %d, Line %d",
			o.MaxRecordBytes, o.Offset, o.Line)
	}
	return o, nil
}

// formatOf returns the format for a lower-case file extension, or "".
func formatOf(ext string) string {
	switch ext {
	case ".csv", ".tsv":
		return FormatCSV
	case ".jsonl", ".ndjson":
		return FormatJSONL
	}
	return ""
}
