package mapping

import (
	"testing"
	"time"
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

// TestDateOnlyAsTimeParses checks parseDateOnly and formatDateOnly against
// the time package over every day of 1600-2400 in two zones, and
// parseDateOnly over malformed and out-of-range text.
func TestDateOnlyAsTimeParses(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	same := func(s string, loc *time.Location) {
		t.Helper()
		want, err := time.ParseInLocation(time.DateOnly, s, loc)
		got, ok := parseDateOnly(s, loc)
		if ok != (err == nil) || !got.Equal(want) || got.Location() != want.Location() {
			t.Fatalf("parseDateOnly(%q) = %v, %v; time.ParseInLocation: %v, %v", s, got, ok, want, err)
		}
	}
	for _, loc := range []*time.Location{time.UTC, shanghai} {
		for d := time.Date(1600, 1, 1, 0, 0, 0, 0, loc); d.Year() < 2400; d = d.AddDate(0, 0, 1) {
			s := d.Format(time.DateOnly)
			if got := formatDateOnly(d); got != s {
				t.Fatalf("formatDateOnly(%v) = %q, want %q", d, got, s)
			}
			same(s, loc)
		}
	}
	for _, s := range []string{"", "2024-02-29", "2023-02-29", "1900-02-29", "2000-02-29", "2024-04-31", "2024-13-01",
		"2024-00-10", "2024-01-00", "2024-1-01", "2024-01-1 ", "2024/01/01", "+024-01-01", "-024-01-01", "20240101",
		"2024-01-01T00:00:00Z", "2024-0a-01", "0000-01-01", "9999-12-31", "２０２４-01-01", "2024-01-0\x00"} {
		same(s, time.UTC)
	}
	for _, y := range []int{-1, 0, 10000, 123456} {
		d := time.Date(y, 3, 4, 0, 0, 0, 0, time.UTC)
		if got, want := formatDateOnly(d), d.Format(time.DateOnly); got != want {
			t.Fatalf("formatDateOnly(%v) = %q, want %q", d, got, want)
		}
	}
}
