package main

import (
	"github.com/ciam-import/ciam-import/importer/source"
)

// openInput builds the source the job reads, from --input and its options.
func (j *jobFlags) openInput() (source.Input, error) {
	delim, err := j.delimiter()
	if err != nil {
		return nil, err
	}
	return source.NewFile(j.Input, source.Options{Format: j.Format, Delimiter: delim})
}
