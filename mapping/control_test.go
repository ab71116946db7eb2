package mapping

import (
	"errors"
	"strings"
	"testing"
)

func TestControlProblem(t *testing.T) {
	tests := []struct {
		in       string
		freeText bool
		want     string // substring of the reason; "" for accepted
	}{
		{"plain ascii", false, ""},
		{"中文 ünïcode ✓", false, ""},
		{"a\tb\nc\r\n", true, ""},
		{"a\tb", false, "tab or line break"},
		{"a\nb", false, "tab or line break"},
		{"a\x00b", true, "NUL"},
		{"a\x00b", false, "NUL"},
		{"a\x1bb", true, "control character"},
		{"a\x7fb", true, "control character"},
		{"a\u0085b", true, "C1 control"},
		{"a\u009fb", true, "C1 control"},
		{"a\u00a0b", true, ""}, // no-break space is text
		{"a\ufffdb", true, "U+FFFD"},
		{"a\ufffe", true, ""},
		{"\xc2", true, ""}, // truncated; UTF-8 validity is checked elsewhere
	}
	for _, tt := range tests {
		got := controlProblem(tt.in, tt.freeText)
		if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("controlProblem(%q, %v) = %q, want ~%q", tt.in, tt.freeText, got, tt.want)
		}
	}
}

func TestMapControlCharacters(t *testing.T) {
	tests := []struct {
		name, fields string
		row          Row
		field        string // "" when the row maps
	}{
		{"nickname NUL", "  Nickname: n\n", Row{"n": "Wei\x00"}, "Nickname"},
		{"nickname newline kept", "  Nickname: n\n", Row{"n": "Wei\nZhang"}, ""},
		{"address tab kept", "  Address: a\n", Row{"a": "Room 1\tBldg 5"}, ""},
		{"address escape", "  Address: a\n", Row{"a": "Room\x1b[31m"}, "Address"},
		{"address replacement char", "  Address: a\n", Row{"a": "Stra\ufffde 5"}, "Address"},
		{"indexed newline", "  IndexedAttribute2: x\n", Row{"x": "E1\n"}, "IndexedAttribute2"},
		{"group element C1", "  UserGroup: {from: g, split: \";\"}\n", Row{"g": "a;b\u0080"}, "UserGroup"},
		{"attribute newline kept", "  CustomizationAttributes:\n    - {name: note, from: n}\n", Row{"n": "line 1\nline 2"}, ""},
		{"attribute NUL", "  CustomizationAttributes:\n    - {name: note, from: n}\n", Row{"n": "x\x00"}, "CustomizationAttributes[note]"},
		{"password DEL", "  Password: p\n", Row{"p": "pa\x7fss"}, "Password"},
		{"key NUL", "", Row{"id": "1\x00"}, "key"},
		{"stripped by regex_replace", "  Nickname: {from: n, transforms: [{regex_replace: {pattern: \"[\\\\x00-\\\\x1f]\", replacement: \"\"}}]}\n", Row{"n": "We\x00i"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row := Row{"id": "1"}
			for k, v := range tt.row {
				row[k] = v
			}
			u, err := mustSpec(t, tt.fields).Map(row)
			var fe *FieldError
			switch {
			case tt.field == "" && err != nil:
				t.Fatalf("Map: %v", err)
			case tt.field == "" && strings.ContainsRune(u.Nickname, 0):
				t.Fatalf("NUL kept: %q", u.Nickname)
			case tt.field != "" && (!errors.As(err, &fe) || fe.Field != tt.field || !errors.Is(err, ErrInvalid)):
				t.Fatalf("Map = %v, want an ErrInvalid on %s", err, tt.field)
			}
		})
	}
}

// controlProblemByByte is the rule a byte at a time: what controlProblem
// must answer, with its eight-byte steps over plain ASCII.
func controlProblemByByte(s string, freeText bool) string {
	for i := range len(s) {
		if reason := controlAt(s, i, freeText); reason != "" {
			return reason
		}
	}
	return ""
}

// eachByteEverywhere calls fn with every prefix of plain up to 20 bytes
// long with one byte replaced, by each of the 256 values in turn (c), at
// each place: every way a word of eight bytes, or the tail after the
// last one, can hold one odd byte.
func eachByteEverywhere(plain string, fn func(s string, c byte)) {
	for n := 1; n <= 20; n++ {
		for at := range n {
			for c := range 256 {
				b := []byte(plain[:n])
				b[at] = byte(c)
				fn(string(b), byte(c))
			}
		}
	}
}

// TestControlProblemEightBytesAtATime puts every byte value at every place
// of plain text of every length up to 20, then adds the multi-byte
// sequences the rule looks for across the eight-byte steps.
func TestControlProblemEightBytesAtATime(t *testing.T) {
	const plain = "abcdefghij@KLMNO.pq-rs"
	eachByteEverywhere(plain, func(s string, _ byte) {
		for _, free := range []bool{false, true} {
			if got, want := controlProblem(s, free), controlProblemByByte(s, free); got != want {
				t.Fatalf("%q (free text %v): %q, byte by byte %q", s, free, got, want)
			}
		}
	})
	for _, seq := range []string{"\xc2\x85", "\xc2\xa0", "\xef\xbf\xbd", "\xef\xbf\xbe", "é", "名字"} {
		for at := range 17 {
			s := plain[:at] + seq + plain[at:]
			if got, want := controlProblem(s, false), controlProblemByByte(s, false); got != want {
				t.Fatalf("%q: %q, byte by byte %q", s, got, want)
			}
		}
	}
}

// TestLowerEightBytesAtATime puts every byte value at every place of
// lower-case text of every length up to 20: Lower must be strings.ToLower,
// and return its argument itself exactly when it is lower-case ASCII.
func TestLowerEightBytesAtATime(t *testing.T) {
	eachByteEverywhere("abcdefghij@klmno.pq-rs", func(s string, c byte) {
		want := c < 0x80 && (c < 'A' || c > 'Z')
		if got := lowerASCII(s); got != want {
			t.Fatalf("lowerASCII(%q) = %v", s, got)
		}
		if got := Lower(s); got != strings.ToLower(s) {
			t.Fatalf("Lower(%q) = %q, strings.ToLower: %q", s, got, strings.ToLower(s))
		}
	})
	for _, s := range []string{"", "ÄBC", "Straße@Example.COM", "İstanbul", "ǅ"} {
		if got := Lower(s); got != strings.ToLower(s) {
			t.Fatalf("Lower(%q) = %q, strings.ToLower: %q", s, got, strings.ToLower(s))
		}
	}
}
