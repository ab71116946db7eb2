package emulator

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// TestAppendJSONString: strings are quoted byte for byte as
// encoding/json quotes them.
func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uo\te`, "tab\tnl\ncr\r\x00\x1f\x7f", "<a&b>", "李雷 ü 😀",
		"line\u2028sep\u2029", "bad\xffutf8\xc3", "end\\"} {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
}

// referenceLine is the export line of u by encoding/json alone: the User
// marshalled, decoded and the selected keys marshalled again.
func referenceLine(u *User, maps []exportPropertyMap) map[string]any {
	b, _ := json.Marshal(u)
	var all map[string]json.RawMessage
	_ = json.Unmarshal(b, &all)
	out := map[string]json.RawMessage{}
	for _, m := range maps {
		out[m.ColumnName] = all[userKey(m.UserPropertyCode)]
	}
	b, _ = json.Marshal(out)
	var v map[string]any
	_ = json.Unmarshal(b, &v)
	return v
}

// TestExportLineColumns: a line of selected columns holds what
// encoding/json makes of the same user, for every User key, set and
// unset, and a repeated column name keeps its last code.
func TestExportLineColumns(t *testing.T) {
	s, b, n := "Lei <李> \"x\"\n", true, int64(-1234567890123)
	full := User{UserId: "u-1", UserName: &s, PhoneNumber: &s, Email: &s, Birthdate: &n, IdentityVerified: &b,
		UserGroups: []string{"g2", "g1"}, UserOrgs: []string{},
		CustomAttributes:  []MemberMap{{Name: "tier", Value: "gold"}, {Name: "t", Value: "", Type: "string"}},
		IndexedAttribute1: &s, IndexedAttribute5: &s}
	var every []exportPropertyMap
	for _, k := range userKeys {
		every = append(every, exportPropertyMap{UserPropertyCode: k, ColumnName: "col " + k})
	}
	for name, tc := range map[string]struct {
		u    User
		maps []exportPropertyMap
	}{
		"every key, set":   {full, every},
		"every key, unset": {User{UserId: "u-2"}, every},
		"repeated name": {full, []exportPropertyMap{{UserPropertyCode: "userName", ColumnName: "X"},
			{UserPropertyCode: "birthdate", ColumnName: "X"}, {UserPropertyCode: "EMAIL", ColumnName: `odd "name"`}}},
	} {
		line := appendExportLine(nil, &tc.u, exportColumnsOf(tc.maps))
		if line[len(line)-1] != '\n' || bytes.Count(line, []byte("\n")) != 1 {
			t.Errorf("%s: line %q is not one line", name, line)
		}
		var got map[string]any
		if err := json.Unmarshal(line, &got); err != nil {
			t.Fatalf("%s: line %s: %v", name, line, err)
		}
		if want := referenceLine(&tc.u, tc.maps); !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %v\nwant %v", name, got, want)
		}
	}
}
