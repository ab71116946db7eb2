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
		c := s[i]
		switch {
		case c < 0x20 && freeText && (c == '\t' || c == '\n' || c == '\r'):
		case c < 0x20 || c == 0x7f:
			return controlReason(c, freeText)
		case c == 0xc2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9f:
			return "contains a C1 control character (U+0080-U+009F)"
		case c == 0xef && i+2 < len(s) && s[i+1] == 0xbf && s[i+2] == 0xbd:
			return "contains U+FFFD, the replacement character left by a bad encoding conversion"
		}
	}
	return ""
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
