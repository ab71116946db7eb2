package report

import (
	"bytes"
	"encoding/csv"

	"github.com/ciam-import/ciam-import/importer/outcome"
)

// headers holds each report's header line, as written at the top of the file.
var headers = func() map[string][]byte {
	m := map[string][]byte{}
	for _, o := range outcome.All {
		var b bytes.Buffer
		cw := csv.NewWriter(&b)
		_ = cw.Write(o.Header()) // into a bytes.Buffer: cannot fail
		cw.Flush()
		m[o.File] = b.Bytes()
	}
	return m
}()
