package mapping

// The control character rule, for every text value Map produces (the key,
// every text parameter, list elements, custom attributes, Password,
// PasswordHash and its salt): a value containing NUL or another C0 control
// (U+0000-U+001F), DEL (U+007F), a C1 control (U+0080-U+009F) or U+FFFD (the
// replacement character, which marks text already damaged by a bad encoding
// conversion) fails the row with ErrInvalid, naming the parameter and never
// the value. Tab, line feed and carriage return are allowed in free text
// only: Nickname, Address and CustomizationAttributes. Nothing is stripped
// silently; a regex_replace transform can remove such characters on purpose.

// controlProblem explains why s breaks the control character rule, or
// returns "". freeText allows tab, line feed and carriage return.
func controlProblem(s string, freeText bool) string {
	for i := 0; i < len(s); i++ {
		for i+8 <= len(s) && plainASCII(s[i:i+8]) { // most text: eight bytes a step
			i += 8
		}
		if i == len(s) || i+8 > len(s) && len(s) >= 8 && plainASCII(s[len(s)-8:]) { // the rest lies in the last eight bytes
			break
		}
		if reason := controlAt(s, i, freeText); reason != "" {
			return reason
		}
	}
	return ""
}

// controlAt is the rule at byte i of s: why the character there breaks
// it, or "".
func controlAt(s string, i int, freeText bool) string {
	switch c := s[i]; {
	case c < 0x20 && freeText && (c == '\t' || c == '\n' || c == '\r'):
	case c < 0x20 || c == 0x7f:
		return controlReason(c, freeText)
	case c == 0xc2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9f:
		return "contains a C1 control character (U+0080-U+009F)"
	case c == 0xef && i+2 < len(s) && s[i+1] == 0xbf && s[i+2] == 0xbd:
		return "contains U+FFFD, the replacement character left by a bad encoding conversion"
	}
	return ""
}

// plainASCII says the eight bytes of b are printable ASCII (0x20-0x7e),
// none of which the rule looks at, testing all eight at once: a byte
// below 0x20 or at 0x80 and above, or a DEL (0x7f, the byte where
// b+1 reaches 0x80), sets the top bit of its lane in one of the terms.
func plainASCII(b string) bool {
	w := word8(b)
	below := (w - 0x20*ones) &^ w // a lane below 0x20 (exact when no lane has its top bit set)
	del := (w + ones) &^ w        // a lane at 0x7f becomes 0x80 (exact when no lane has its top bit set)
	return (w|below|del)&highs == 0
}

// controlReason describes a C0 control or DEL.
func controlReason(c byte, freeText bool) string {
	switch {
	case c == 0:
		return "contains a NUL character"
	case (c == '\t' || c == '\n' || c == '\r') && !freeText:
		return "contains a tab or line break"
	}
	return "contains a control character"
}

// Lanes of a word of eight bytes (word8), for the tests of eight bytes at
// once here and in Lower.
const ones, highs = 0x0101010101010101, 0x8080808080808080

// word8 is the first eight bytes of s as a little-endian word.
func word8(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}
