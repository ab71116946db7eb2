package verify

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/ciam-import/ciam-import/importer/ciam"
)

// decodeSeeds are export lines: the whole User, the verify columns, and
// lines that only encoding/json can settle.
func decodeSeeds() []string {
	s, n := "Lei 李", int64(-86400000)
	full, _ := json.Marshal(ciam.User{UserId: "u1", UserName: &s, Email: &s, Birthdate: &n, UserGroups: []string{"b", "a"},
		CustomAttributes: []ciam.MemberMap{{Name: "tier", Value: "gold", Type: "string"}}, IndexedAttribute3: &s, QqOpenId: &s})
	return []string{string(full),
		`{"UserId":"u2","UserName":"ann","Email":"A@X.COM","PhoneNumber":"+86 1","Nickname":null,"Address":"","Birthdate":0,"UserGroups":["g"],"CustomAttributes":[{"Name":"a","Value":"1"},null],"IndexedAttribute1":"L1","IndexedAttribute2":null}`,
		`{"userid":"u3","USERNAME":"x","userName":"y","indexedattribute5":"k","wecomuserid":"w","unknown":{"a":[1,2.5e-3,true,false,null,"s"]}}`,
		` { "UserName" : "esc\u00e9\n" , "Email":"bad` + "\xff" + `" } `,
		`{"UserGroups":["a"],"UserGroups":[null]}`,
		`{"CustomAttributes":[{"Name":"a","Value":"1"}],"CustomAttributes":[{"Name":"b"}]}`,
		`{"UserGroups":["a",null,"b"],"Birthdate":null}`,
		`{"Birthdate":1.5}`, `{"Birthdate":"12"}`, `{"Birthdate":01}`, `{"Birthdate":99999999999999999999}`, `{"Birthdate":-0}`,
		`{"UserName":5}`, `{"UserGroups":"a"}`, `{"CustomAttributes":[{"Name":1}]}`, `{"UserId":null}`,
		`null`, `[]`, `{}`, `{"a":1}x`, `{"a":1,}`, `{"a" 1}`, `{"UserName":"a"` + "\t" + `}`, "{\"UserName\":\"a\x01\"}",
		`{"Kelvin\u212a":1,"UserNam` + "\u212a" + `":"k"}`, `{"ſ":1}`, `{"a":[[[[[[[]]]]]]]}`, `{"a":-}`, `{"a":1e}`, `{"a":.5}`, `{"a":+1}`,
	}
}

// TestDecodeHeld: the fast decoder answers exactly as encoding/json does
// (values and whether it is an error) on every seed.
func TestDecodeHeld(t *testing.T) {
	for _, line := range decodeSeeds() {
		checkDecode(t, line)
	}
}

// FuzzDecodeHeld: the same on any line.
func FuzzDecodeHeld(f *testing.F) {
	for _, s := range decodeSeeds() {
		f.Add(s)
	}
	f.Fuzz(checkDecode)
}

func checkDecode(t *testing.T, line string) {
	want, werr := decodeJSON(line)
	got, err := decodeHeld(line)
	if (err != nil) != (werr != nil) {
		t.Fatalf("%q: error %v, encoding/json: %v", line, err, werr)
	}
	d := decoder{s: line}
	fast, ferr := d.object()
	if ferr == nil && werr != nil {
		t.Fatalf("%q: the fast decoder accepts what encoding/json refuses (%v)", line, werr)
	}
	if ferr == nil {
		got = fast
	}
	if werr == nil && !reflect.DeepEqual(normal(got), normal(want)) {
		t.Fatalf("%q:\n got %+v\nwant %+v", line, got, want)
	}
}

// normal makes empty and nil slices alike (Compare does not tell them
// apart).
func normal(h held) held {
	if len(h.groups) == 0 {
		h.groups = nil
	}
	if len(h.attrs) == 0 {
		h.attrs = nil
	}
	return h
}

// TestHeldCanon: the digest and key of what is held agree with those of
// the same user as ciam.User, which Compare and sink.Ours read.
func TestHeldCanon(t *testing.T) {
	for _, line := range decodeSeeds() {
		h, err := decodeHeld(line)
		if err != nil {
			continue
		}
		u := h.user()
		if !reflect.DeepEqual(h.canon(), canonCIAM(u)) {
			t.Errorf("%q: canon %+v, of the user %+v", line, h.canon(), canonCIAM(u))
		}
		for legacy := range 6 {
			if h.key(legacy) != keyOf(u, legacy) {
				t.Errorf("%q: key(%d) %q, of the user %q", line, legacy, h.key(legacy), keyOf(u, legacy))
			}
		}
	}
}
