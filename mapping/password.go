package mapping

import (
	"crypto/rand"
	"fmt"
	"io"
	"sync"
)

// Generated passwords have passwordLen characters with at least one of each
// class.
const passwordLen = 20

// passwordClasses are the character classes; each appears at least once.
var passwordClasses = []string{
	"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
	"abcdefghijklmnopqrstuvwxyz",
	"0123456789",
	"!#$%&*+-=?@^_~",
}

// passwordAlphabet is every class together.
var passwordAlphabet = passwordClasses[0] + passwordClasses[1] + passwordClasses[2] + passwordClasses[3]

// passwordGen makes fresh random passwords. It is safe for concurrent use.
type passwordGen struct {
	mu sync.Mutex // serialises reads from r; nil-safe for crypto/rand
	r  io.Reader
}

// generate returns a new password.
func (g *passwordGen) generate() (Secret, error) {
	if g.r != rand.Reader {
		g.mu.Lock()
		defer g.mu.Unlock()
	}
	src := &randBytes{r: g.r}
	out := make([]byte, passwordLen)
	for i := range out {
		set := passwordAlphabet
		if i < len(passwordClasses) {
			set = passwordClasses[i]
		}
		out[i] = set[src.intn(len(set))]
	}
	for i := len(out) - 1; i > 0; i-- { // Fisher-Yates, so class positions vary
		j := src.intn(i + 1)
		out[i], out[j] = out[j], out[i]
	}
	if src.err != nil {
		return Secret{}, fmt.Errorf("generate password: %w", src.err)
	}
	return NewSecret(string(out)), nil
}

// randBytes draws unbiased small integers from a byte stream, remembering
// the first read error.
type randBytes struct {
	r   io.Reader
	buf [64]byte
	n   int // unread bytes at the end of buf
	err error
}

// intn returns a uniform integer in [0, n), n <= 256, by rejection sampling.
func (b *randBytes) intn(n int) int {
	limit := 256 - 256%n
	for b.err == nil {
		if b.n == 0 {
			if _, b.err = io.ReadFull(b.r, b.buf[:]); b.err != nil {
				break
			}
			b.n = len(b.buf)
		}
		v := int(b.buf[len(b.buf)-b.n])
		b.n--
		if v < limit {
			return v % n
		}
	}
	return 0
}
