package report

import (
	"bytes"
	"encoding/csv"
	"strings"

	"github.com/gocarina/gocsv"
)

// headers holds each report's header line, as written at the top of the file.
var headers = map[string][]byte{
	CreatedFile:   headerOf[Created](),
	ConflictsFile: headerOf[Conflict](),
	RetryableFile: headerOf[Retryable](),
	RejectedFile:  headerOf[Rejected](),
	SkippedFile:   headerOf[Skipped](),
}

// headerOf returns the CSV header line gocsv writes for T.
func headerOf[T any]() []byte {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	if err := gocsv.MarshalCSV([]T{}, cw); err != nil {
		panic("report: header: " + err.Error()) // T is one of this package's row types
	}
	return b.Bytes()
}

// columns returns the column names of the header of report name.
func columns(name string) string {
	return strings.TrimSuffix(string(headers[name]), "\n")
}
