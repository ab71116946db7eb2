package mapping

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

const testPassword = "s3cr3t-Pa55!"

func TestSecretRedaction(t *testing.T) {
	s := NewSecret(testPassword)
	u := User{Key: "k", Password: s}
	var logBuf bytes.Buffer
	slog.New(slog.NewTextHandler(&logBuf, nil)).Info("x", "pw", s, "user", u)
	var jsonLog bytes.Buffer
	slog.New(slog.NewJSONHandler(&jsonLog, nil)).Info("x", "pw", s, "user", u)
	jsonUser, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := s.MarshalText()
	tests := []struct{ name, got string }{
		{"%v", fmt.Sprintf("%v", s)},
		{"%+v", fmt.Sprintf("%+v", s)},
		{"%#v", fmt.Sprintf("%#v", s)},
		{"%s", fmt.Sprintf("%s", s)},
		{"%q", fmt.Sprintf("%q", s)},
		{"%x", fmt.Sprintf("%x", s)},
		{"String", s.String()},
		{"GoString", s.GoString()},
		{"user %v", fmt.Sprintf("%v", u)},
		{"user %+v", fmt.Sprintf("%+v", u)},
		{"user %#v", fmt.Sprintf("%#v", u)},
		{"user pointer %+v", fmt.Sprintf("%+v", &u)},
		{"json", string(jsonUser)},
		{"text", string(text)},
		{"slog text", logBuf.String()},
		{"slog json", jsonLog.String()},
		{"unexported holder %#v", fmt.Sprintf("%#v", struct{ s Secret }{s})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.Contains(tt.got, testPassword) {
				t.Fatalf("password leaked: %s", tt.got)
			}
			if !strings.Contains(tt.got, redacted) && !strings.HasPrefix(tt.name, "unexported") {
				t.Fatalf("no %s in %s", redacted, tt.got)
			}
		})
	}
}

func TestSecretReveal(t *testing.T) {
	if got := NewSecret(testPassword).Reveal(); got != testPassword {
		t.Fatalf("Reveal() = %q", got)
	}
	var zero Secret
	if zero.Reveal() != "" || !zero.IsZero() {
		t.Fatal("zero Secret is not empty")
	}
	if NewSecret("x").IsZero() {
		t.Fatal("non-empty Secret reports IsZero")
	}
}
