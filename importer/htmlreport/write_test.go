package htmlreport

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestWriteSample renders the sample; with HTMLREPORT_OUT=path it also
// keeps the page there, to look at.
func TestWriteSample(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, sampleData()); err != nil {
		t.Fatal(err)
	}
	if p := os.Getenv("HTMLREPORT_OUT"); p != "" {
		if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	page := buf.String()
	for _, bad := range []string{"<script", "<prod>", "http://", "https://", "//cdn", "ZgotmplZ"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
}
