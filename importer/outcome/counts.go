package outcome

// ReadKey is the Counts key of the rows read from the input (main pass).
const ReadKey = "read"

// Counts are row counters by outcome name, plus ReadKey. The zero value (a
// nil map) reads as all zeros; use Add to count.
type Counts map[string]int64

// Add counts delta rows for key (an outcome name or ReadKey).
func (c *Counts) Add(key string, delta int64) {
	if *c == nil {
		*c = Counts{}
	}
	(*c)[key] += delta
}

// Of returns the count of outcome o.
func (c Counts) Of(o Outcome) int64 { return c[o.Name] }

// Read returns the rows read.
func (c Counts) Read() int64 { return c[ReadKey] }

// Settled returns the rows settled, over every outcome.
func (c Counts) Settled() int64 {
	var n int64
	for _, o := range All {
		n += c[o.Name]
	}
	return n
}

// Verdict is the most urgent verdict of the outcomes counted.
func (c Counts) Verdict() Verdict {
	v := Done
	for _, o := range All {
		if c[o.Name] > 0 {
			v = max(v, o.Verdict)
		}
	}
	return v
}

// Clone returns a copy that shares nothing with c.
func (c Counts) Clone() Counts {
	out := make(Counts, len(c))
	for k, v := range c {
		out[k] = v
	}
	return out
}
