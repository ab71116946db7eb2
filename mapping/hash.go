package mapping

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// hashPrefix versions the canonical form.
const hashPrefix = "ciam-import/mapping/v1\n"

// hashNode returns the hex SHA-256 of the canonical form of n: JSON-like,
// mapping keys sorted, scalars by value, comments and layout ignored.
func hashNode(n *yaml.Node) string {
	var b bytes.Buffer
	b.WriteString(hashPrefix)
	canonical(&b, n)
	sum := sha256.Sum256(b.Bytes())
	return hex.EncodeToString(sum[:])
}

// canonical writes the canonical form of n to b.
func canonical(b *bytes.Buffer, n *yaml.Node) {
	switch n.Kind {
	case yaml.MappingNode:
		canonicalMapping(b, n)
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			canonical(b, c)
		}
		b.WriteByte(']')
	default:
		b.WriteString(strconv.Quote(n.Value))
	}
}

// canonicalMapping writes a mapping with keys in sorted order.
func canonicalMapping(b *bytes.Buffer, n *yaml.Node) {
	idx := make([]int, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		idx = append(idx, i)
	}
	sort.Slice(idx, func(x, y int) bool { return n.Content[idx[x]].Value < n.Content[idx[y]].Value })
	b.WriteByte('{')
	for j, i := range idx {
		if j > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(n.Content[i].Value))
		b.WriteByte(':')
		canonical(b, n.Content[i+1])
	}
	b.WriteByte('}')
}
