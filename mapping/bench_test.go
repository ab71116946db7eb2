package mapping

import (
	"testing"
)

// BenchmarkMap maps a realistic CSV-style row through every kind of rule.
func BenchmarkMap(b *testing.B) {
	s, err := ParseFile("testdata/full.yaml")
	if err != nil {
		b.Fatal(err)
	}
	row := fullRow()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Map(row); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMapParallel shows throughput with one Spec shared by all CPUs.
func BenchmarkMapParallel(b *testing.B) {
	s, err := ParseFile("testdata/full.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		row := fullRow()
		for pb.Next() {
			if _, err := s.Map(row); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkMapJSONL maps a nested JSONL-style row with a generated password.
func BenchmarkMapJSONL(b *testing.B) {
	s := mustSpec(b, "  Email: {from: profile.email, transforms: [trim, lower]}\n"+
		"  PhoneNumber: {from: contact.mobile, phone: {default_region: CN}}\n"+
		"  Password: {generate: true}\n"+
		"  UserGroup: {from: groups, lookup: {table: {admins: A, staff: S}}}\n"+
		"  Birthdate: {from: profile.birthday, date: {layout: date}}\n")
	row := Row{"id": jsonNumber("200001"),
		"profile": map[string]any{"email": "Ann@Example.com", "birthday": jsonNumber("642870000000")},
		"contact": map[string]any{"mobile": "+86 139 1234 5678"}, "groups": []any{"admins", "staff"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Map(row); err != nil {
			b.Fatal(err)
		}
	}
}
