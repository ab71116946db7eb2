package mapping

import (
	"fmt"
	"log/slog"
)

// redacted is what every rendering of a Secret shows.
const redacted = "[REDACTED]"

// Secret holds a password. Every way of printing, logging or marshalling it
// (String, GoString, fmt verbs, JSON, text, slog) yields "[REDACTED]"; only
// [Secret.Reveal] returns the value. The zero Secret holds the empty string.
type Secret struct {
	// p is a pointer so that even reflection-based printing of an enclosing
	// struct shows an address, never the password.
	p *string
}

// NewSecret wraps s.
func NewSecret(s string) Secret { return Secret{p: &s} }

// Reveal returns the password. Call it only where the value is sent.
func (s Secret) Reveal() string {
	if s.p == nil {
		return ""
	}
	return *s.p
}

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.Reveal() == "" }

// String returns "[REDACTED]".
func (s Secret) String() string { return redacted }

// GoString returns "[REDACTED]", so %#v never shows the value.
func (s Secret) GoString() string { return redacted }

// Format writes "[REDACTED]" for every fmt verb.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// MarshalJSON returns the JSON string "[REDACTED]".
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText returns "[REDACTED]".
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// LogValue makes slog print "[REDACTED]".
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }
