package emulator

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// exportColumn is one column of an export with ExportPropertyMaps: the
// column's JSON key (quoted, with its colon) and the User field it holds.
type exportColumn struct {
	key   []byte
	field int
}

// userFieldIndex is the index in User of each JSON key.
var userFieldIndex = func() map[string]int {
	t := reflect.TypeFor[User]()
	m := make(map[string]int, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		m[name] = i
	}
	return m
}()

// exportColumnsOf compiles ExportPropertyMaps (checked by checkExport):
// one column per ColumnName, the last map of a name winning, as a JSON
// object would.
func exportColumnsOf(maps []exportPropertyMap) []exportColumn {
	var cols []exportColumn
	at := map[string]int{}
	for _, m := range maps {
		key, _ := json.Marshal(m.ColumnName) // a string cannot fail
		c := exportColumn{key: append(key, ':'), field: userFieldIndex[userKey(m.UserPropertyCode)]}
		if i, ok := at[m.ColumnName]; ok {
			cols[i] = c
			continue
		}
		at[m.ColumnName] = len(cols)
		cols = append(cols, c)
	}
	return cols
}

// appendExportLine appends u's NDJSON line to b: every User key (as
// DescribeUserById answers it unmasked) without columns, else an object
// of the columns. One encoding per user, straight from the User's fields.
func appendExportLine(b []byte, u *User, cols []exportColumn) []byte {
	if len(cols) == 0 {
		line, _ := json.Marshal(u) // a User cannot fail
		return append(append(b, line...), '\n')
	}
	v := reflect.ValueOf(u).Elem()
	b = append(b, '{')
	for i, c := range cols {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONValue(append(b, c.key...), v.Field(c.field))
	}
	return append(b, '}', '\n')
}

// appendJSONValue appends v as encoding/json writes it, for the kinds of
// User's fields; another kind goes through json.Marshal.
func appendJSONValue(b []byte, v reflect.Value) []byte {
	switch v.Kind() {
	case reflect.Pointer, reflect.Slice:
		if v.IsNil() {
			return append(b, "null"...)
		}
	}
	switch x := v.Interface().(type) {
	case string:
		return appendJSONString(b, x)
	case *string:
		return appendJSONString(b, *x)
	case *int64:
		return strconv.AppendInt(b, *x, 10)
	case *bool:
		return strconv.AppendBool(b, *x)
	case []string:
		b = append(b, '[')
		for i, s := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, s)
		}
		return append(b, ']')
	case []MemberMap:
		b = append(b, '[')
		for i, m := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(append(b, `{"Name":`...), m.Name)
			b = appendJSONString(append(b, `,"Value":`...), m.Value)
			if m.Type != "" {
				b = appendJSONString(append(b, `,"Type":`...), m.Type)
			}
			b = append(b, '}')
		}
		return append(b, ']')
	}
	out, _ := json.Marshal(v.Interface()) // User's fields cannot fail
	return append(b, out...)
}

// appendJSONString appends s quoted as encoding/json quotes it (HTML
// characters, U+2028 and U+2029 escaped, invalid UTF-8 as U+FFFD).
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			switch {
			case r == utf8.RuneError:
				b = append(b, `\ufffd`...)
			default:
				b = append(b, `\u202`...)
				b = append(b, hex[r&0xf])
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(append(b, s[start:]...), '"')
}
