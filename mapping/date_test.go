package mapping

import (
	"testing"
)

func TestBirthdate(t *testing.T) {
	tests := []struct {
		name, date string
		in         any
		want       int64
	}{
		{"go layout utc", "{layout: \"2006-01-02\"}", "2024-01-31", 1706659200000},
		{"named date", "{layout: date}", "2024-01-31", 1706659200000},
		{"timezone", "{layout: date, timezone: Asia/Shanghai}", "2024-01-31", 1706630400000},
		{"second layout", "{layout: [\"2006-01-02\", \"02/01/2006\"]}", "31/01/2024", 1706659200000},
		{"rfc3339", "{layout: rfc3339}", "2024-01-31T06:28:11Z", 1706682491000},
		{"unix", "{layout: unix}", "1706682491", 1706682491000},
		{"unix_ms", "{layout: unix_ms}", "1706682491339", 1706682491339},
		{"json number ms", "{layout: date}", jsonNumber("1706682491339"), 1706682491339},
		{"json number seconds", "{layout: unix}", jsonNumber("1706682491"), 1706682491000},
		{"float ms", "{layout: date}", float64(1706682491339), 1706682491339},
		{"int ms", "{layout: date}", 1706682491339, 1706682491339},
		{"default layout is unix_ms", "", "1706682491339", 1706682491339},
		{"with time", "{layout: \"2006-01-02 15:04\", timezone: UTC}", "2024-01-31 06:28", 1706682480000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rule := "{from: b}"
			if tt.date != "" {
				rule = "{from: b, date: " + tt.date + "}"
			}
			s := mustSpec(t, "  Birthdate: "+rule+"\n")
			u, err := s.Map(Row{"id": "1", "b": tt.in})
			if err != nil {
				t.Fatalf("Map: %v", err)
			}
			if u.Birthdate == nil || *u.Birthdate != tt.want {
				t.Fatalf("Birthdate = %v, want %d", u.Birthdate, tt.want)
			}
		})
	}
}

func TestBirthdateRejects(t *testing.T) {
	tests := []struct {
		name, date string
		in         any
	}{
		{"wrong layout", "{layout: date}", "31/01/2024"},
		{"impossible day", "{layout: date}", "2023-02-29"},
		{"digits with go layout", "{layout: date}", "1706682491339"},
		{"text with unix", "{layout: unix}", "yesterday"},
		{"unix overflow", "{layout: unix}", "9223372036854775807"},
		{"far future ms", "{layout: date}", jsonNumber("99999999999999")},
		{"number not integer", "{layout: date}", jsonNumber("1.5e3")},
		{"bool", "{layout: date}", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSpec(t, "  Birthdate: {from: b, date: "+tt.date+"}\n")
			if u, err := s.Map(Row{"id": "1", "b": tt.in}); err == nil {
				t.Fatalf("Map = %v, want error", *u.Birthdate)
			}
		})
	}
}
