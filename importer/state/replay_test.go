package state

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

func TestReplayJournal_Ends(t *testing.T) {
	path := filepath.Join(t.TempDir(), JournalFile)
	writeFile(t, path, "{\"op\":\"begin\",\"line\":1}\n{\"op\":\"settle\",\"out\":\"created\"}\n")
	var ends []int64
	if _, err := ReplayJournal(path, 0, func(_ Entry, end int64) error {
		ends = append(ends, end)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(ends) != "[24 56]" {
		t.Errorf("ends = %v, want [24 56]", ends)
	}
}

// A crash can leave the last line half written; replay stops before it,
// TruncateFile drops it, and the journal opens and appends cleanly.
func TestJournal_TornTail(t *testing.T) {
	good := "{\"op\":\"begin\",\"line\":1,\"id\":\"0\"}\n{\"op\":\"settle\",\"line\":1,\"id\":\"0\",\"out\":\"created\"}\n"
	tests := []struct{ name, tail string }{
		{"partial json", `{"op":"begin","li`},
		{"valid json without newline", `{"op":"begin","line":2}`},
		{"invalid last line with newline", "{\"op\":\"beg\x00\x00\n"},
		{"zeroed block", "\x00\x00\x00\x00\x00\x00\x00\x00"},
		{"unknown op last", `{"op":"bogus"}` + "\n"},
		{"just a newline", "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), JournalFile)
			writeFile(t, path, good+tt.tail)
			got, end := replayAll(t, path, 0)
			if len(got) != 2 || end != int64(len(good)) {
				t.Fatalf("replayed %d entries to %d, want 2 to %d", len(got), end, len(good))
			}
			if tt.tail[len(tt.tail)-1] != '\n' {
				if _, err := OpenJournal(path); !errors.Is(err, ErrTornTail) {
					t.Errorf("OpenJournal on a torn tail: %v, want ErrTornTail", err)
				}
			}
			if err := TruncateFile(path, end); err != nil {
				t.Fatal(err)
			}
			j, err := OpenJournal(path)
			if err != nil {
				t.Fatal(err)
			}
			j.Append(Entry{Op: OpBegin, Line: 2})
			if err := j.Close(); err != nil {
				t.Fatal(err)
			}
			if got, _ := replayAll(t, path, 0); len(got) != 3 {
				t.Errorf("after truncate and append: %d entries, want 3", len(got))
			}
		})
	}
}

func TestReplayJournal_CorruptMiddle(t *testing.T) {
	lines := []string{`{"op":"begin","line":1}`, `{"op":"settle","out":"created"}`}
	tests := []struct{ name, bad string }{
		{"garbage", "garbage"},
		{"torn line then more", `{"op":"begin","li`},
		{"unknown op", `{"op":"bogus"}`},
		{"empty line", ""},
		{"null", "null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), JournalFile)
			writeFile(t, path, lines[0]+"\n"+lines[1]+"\n"+tt.bad+"\n"+lines[0]+"\n")
			n := 0
			end, err := ReplayJournal(path, 0, func(Entry, int64) error { n++; return nil })
			ce := assertCorrupt(t, err)
			off := int64(len(lines[0]) + len(lines[1]) + 2)
			if ce.Offset != off || ce.Line != 3 || ce.Path != path || end != off || n != 2 {
				t.Errorf("got %v (offset %d line %d), end %d after %d entries; want offset %d line 3 after 2",
					err, ce.Offset, ce.Line, end, n, off)
			}
		})
	}
}

func TestReplayJournal_From(t *testing.T) {
	path := filepath.Join(t.TempDir(), JournalFile)
	writeFile(t, path, "{\"op\":\"begin\",\"line\":1}\n{\"op\":\"settle\",\"out\":\"created\"}\n")
	if got, end := replayAll(t, path, 24); len(got) != 1 || got[0].Op != OpSettle || end != 56 {
		t.Errorf("from 24: %+v to %d", got, end)
	}
	if got, end := replayAll(t, path, 56); len(got) != 0 || end != 56 {
		t.Errorf("from the end: %+v to %d", got, end)
	}
	for _, from := range []int64{10, 50, -1} {
		_, err := ReplayJournal(path, from, func(Entry, int64) error { return nil })
		assertCorrupt(t, err)
	}
	missing := filepath.Join(t.TempDir(), JournalFile)
	if got, end := replayAll(t, missing, 0); len(got) != 0 || end != 0 {
		t.Errorf("missing journal from 0: %+v to %d", got, end)
	}
	_, err := ReplayJournal(missing, 24, func(Entry, int64) error { return nil })
	assertCorrupt(t, err)

	stop := errors.New("stop")
	end, err := ReplayJournal(path, 0, func(Entry, int64) error { return stop })
	if err != stop || end != 0 {
		t.Errorf("fn error: got %v at %d, want it unchanged at 0", err, end)
	}
}

func TestTruncateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	writeFile(t, path, "0123456789")
	if err := TruncateFile(path, 4); err != nil || readFile(t, path) != "0123" {
		t.Fatalf("truncate: %v, %q", err, readFile(t, path))
	}
	if err := TruncateFile(path, 5); err == nil {
		t.Error("growing a file must fail")
	}
	if err := TruncateFile(path+"x", 0); err == nil {
		t.Error("a missing file must fail")
	}
}

// FuzzReplayJournal: whatever bytes follow a valid entry, replay never
// panics, stops at a line boundary, and fails only with a *CorruptError.
func FuzzReplayJournal(f *testing.F) {
	f.Add([]byte(`{"op":"settle","line":3,"out":"rejected"}` + "\n"))
	f.Add([]byte(`{"op":"begin","li`))
	f.Add([]byte("garbage\n{\"op\":\"begin\"}\n"))
	f.Add([]byte("\x00\x00\n\n"))
	f.Fuzz(func(t *testing.T, tail []byte) {
		head := `{"op":"begin","line":1}` + "\n"
		path := filepath.Join(t.TempDir(), JournalFile)
		writeFile(t, path, head+string(tail))
		end, err := ReplayJournal(path, 0, func(Entry, int64) error { return nil })
		if err != nil {
			assertCorrupt(t, err)
			return
		}
		data := head + string(tail)
		if end < int64(len(head)) || end > int64(len(data)) || data[end-1] != '\n' {
			t.Fatalf("validEnd %d is not a line end in %q", end, data)
		}
	})
}

// FuzzJournalRoundTrip: any (valid UTF-8) key and message survive the
// journal unchanged and stay on one line.
func FuzzJournalRoundTrip(f *testing.F) {
	f.Add("legacy-1", "plain")
	f.Add("k,\"q\"", "line1\nline2\r\n\u2028\x00")
	f.Fuzz(func(t *testing.T, key, msg string) {
		if !utf8.ValidString(key) || !utf8.ValidString(msg) {
			t.Skip("encoding/json replaces invalid UTF-8")
		}
		path := filepath.Join(t.TempDir(), JournalFile)
		j, err := OpenJournal(path)
		if err != nil {
			t.Fatal(err)
		}
		want := Entry{Op: OpSettle, Key: key, Message: msg, Outcome: "rejected"}
		j.Append(want)
		if err := j.Close(); err != nil {
			t.Fatal(err)
		}
		var got []Entry
		if _, err := ReplayJournal(path, 0, func(e Entry, _ int64) error { got = append(got, e); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0] != want {
			t.Fatalf("round trip: got %+v, want %+v", got, want)
		}
	})
}
