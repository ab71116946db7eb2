// Package samples holds the sample legacy exports and their mappings, and
// embeds the demo's pair so that `ciam-import demo` runs from any directory.
package samples

import "embed"

// Demo holds users.csv and mapping-csv.yaml, the demo's default input.
//
//go:embed users.csv mapping-csv.yaml
var Demo embed.FS

// Demo file names in Demo.
const (
	DemoInput   = "users.csv"
	DemoMapping = "mapping-csv.yaml"
)
