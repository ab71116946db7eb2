package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The metrics file carries --metrics-label (or the stable default, never
// the state directory's dated name) and last_success from the first write;
// a missing directory is named by its path.
func TestMetricsLabelAndFirstWrite(t *testing.T) {
	for _, c := range []struct{ label, want string }{{"nightly-crm", `import="nightly-crm"`}, {"", `import="ciam-import"`}} {
		path := filepath.Join(t.TempDir(), "ciam.prom")
		w, err := newWatch(path, c.label, "/var/lib/ciam/2026-12-06")
		if err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(path)
		if err := w.close(0); err != nil {
			t.Fatal(err)
		}
		text := string(data)
		for _, want := range []string{c.want, "ciam_import_last_success_timestamp_seconds{", "ciam_import_error_streak{"} {
			if !strings.Contains(text, want) {
				t.Errorf("first write lacks %s:\n%s", want, text)
			}
		}
		if strings.Contains(text, `import="2026-12-06"`) {
			t.Errorf("the import label follows the dated state directory")
		}
	}
	missing := filepath.Join(t.TempDir(), "nope", "ciam.prom")
	if _, err := newWatch(missing, "", "s"); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing directory: %v", err)
	}
}
