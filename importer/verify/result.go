package verify

// Verdicts of a row (or of a CIAM user no row has) in verify.csv.
const (
	Same      = "same"      // CIAM holds every mapped field as the row says
	Different = "different" // CIAM's user differs in the fields named
	Missing   = "missing"   // CIAM holds no user that is the row's
	Extra     = "extra"     // a user of this source (legacy id set) that no row has
	Invalid   = "invalid"   // the row does not map (a run rejected it too): not compared
)

// Result is one line of verify.csv. Fields names the differing fields for
// Different and the mapping's complaint (field and class, never a value)
// for Invalid.
type Result struct {
	Line    int64
	Key     string
	Verdict string
	Fields  string
	UserID  string
}

// Counts are the verdicts of a verify.
type Counts struct {
	Same      int64 `json:"same"`
	Different int64 `json:"different"`
	Missing   int64 `json:"missing"`
	Extra     int64 `json:"extra"`
	Invalid   int64 `json:"invalid"`
}

func (c *Counts) add(verdict string) {
	switch verdict {
	case Same:
		c.Same++
	case Different:
		c.Different++
	case Missing:
		c.Missing++
	case Extra:
		c.Extra++
	case Invalid:
		c.Invalid++
	}
}

// Differences is how many rows or users are not the same on both sides
// (invalid rows are not: the run rejected them).
func (c Counts) Differences() int64 { return c.Different + c.Missing + c.Extra }
