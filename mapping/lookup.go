package mapping

// missingMode says what a lookup does with a value not in its table.
type missingMode uint8

const (
	missingReject missingMode = iota // the row fails with ErrNotInTable
	missingDrop                      // the value (or list element) is dropped
	missingKeep                      // the value passes through unchanged
)

// missingModes maps the YAML spelling to a mode.
var missingModes = map[string]missingMode{
	"reject": missingReject, "drop": missingDrop, "keep": missingKeep,
}

// lookup translates values through a table, e.g. legacy group name -> CIAM
// group id. Keys are compared exactly, after transforms.
type lookup struct {
	table   map[string]string
	missing missingMode
}

// get translates s. ok is false when s is missing and the mode is reject.
// A table value of "" drops the value.
func (l *lookup) get(s string) (string, bool) {
	if v, found := l.table[s]; found {
		return v, true
	}
	switch l.missing {
	case missingDrop:
		return "", true
	case missingKeep:
		return s, true
	}
	return "", false
}
