package main

import (
	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/mapping"
)

// openInput builds the source the job reads, from --input and its options.
func (j *jobFlags) openInput() (source.Input, error) {
	delim, err := j.delimiter()
	if err != nil {
		return nil, err
	}
	return source.NewFile(j.Input, source.Options{Format: j.Format, Delimiter: delim})
}

// checkInput builds the input and opens it once: a missing file, a bad
// header or columns the mapping needs and the input lacks are usage errors
// before any state is written.
func (j *jobFlags) checkInput(spec *mapping.Spec) (source.Input, error) {
	in, err := j.openInput()
	if err != nil {
		return nil, err
	}
	r, err := in.Open("")
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if h := r.Header(); h != nil {
		if err := spec.CheckHeader(h); err != nil {
			return nil, err
		}
	}
	return in, nil
}
