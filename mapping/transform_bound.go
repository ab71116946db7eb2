package mapping

import "fmt"

// transformMaxOutput bounds what a transform may make of a value: the
// templates' output bound. A value already longer may pass through a
// transform that does not lengthen it; the source bounds those.
const transformMaxOutput = templateMaxOutput

// errTransformOutput is the reason of a row whose transform passed the bound.
var errTransformOutput = fmt.Errorf("output exceeds the bound of %d bytes", transformMaxOutput)

// outputBound is the longest output a transform may make of in.
func outputBound(in string) int { return max(transformMaxOutput, len(in)) }

// applyStep runs the i-th transform st on s; an output past outputBound(s)
// fails the row, naming the transform (never the value).
func (r *rule) applyStep(i int, st step, s string) (string, *FieldError) {
	out := st.apply(s)
	if len(out) > outputBound(s) {
		return "", r.fail(ErrTooLong, fmt.Sprintf("transform %s (transforms[%d]) failed: %v", st.name(), i, errTransformOutput))
	}
	return out, nil
}
