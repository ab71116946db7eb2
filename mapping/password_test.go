package mapping

import (
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
)

func TestGeneratedPasswords(t *testing.T) {
	s := mustSpec(t, "  Password: {generate: true}\n")
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		u, err := s.Map(Row{"id": "1"})
		if err != nil {
			t.Fatal(err)
		}
		pw := u.Password.Reveal()
		if len(pw) != passwordLen {
			t.Fatalf("password length %d", len(pw))
		}
		for _, class := range passwordClasses {
			if !strings.ContainsAny(pw, class) {
				t.Fatalf("password lacks a character from %q", class)
			}
		}
		if seen[pw] {
			t.Fatal("password repeated")
		}
		seen[pw] = true
	}
}

func TestGeneratedPasswordsDeterministic(t *testing.T) {
	gen := func() []string {
		s := mustSpec(t, "  Password: {generate: true}\n", WithRandom(rand.NewChaCha8([32]byte{1})))
		var out []string
		for i := 0; i < 3; i++ {
			u, err := s.Map(Row{"id": "1"})
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, u.Password.Reveal())
		}
		return out
	}
	a, b := gen(), gen()
	if strings.Join(a, ",") != strings.Join(b, ",") || a[0] == a[1] {
		t.Fatalf("seeded passwords %q and %q", a, b)
	}
}

func TestGeneratedPasswordPositionsVary(t *testing.T) {
	s := mustSpec(t, "  Password: {generate: true}\n", WithRandom(rand.NewChaCha8([32]byte{2})))
	firstIsUpper := 0
	for i := 0; i < 100; i++ {
		u, _ := s.Map(Row{"id": "1"})
		if c := u.Password.Reveal()[0]; c >= 'A' && c <= 'Z' {
			firstIsUpper++
		}
	}
	if firstIsUpper > 60 {
		t.Fatalf("first character upper case in %d of 100 passwords: not shuffled", firstIsUpper)
	}
}

func TestGeneratedPasswordRandomFailure(t *testing.T) {
	boom := errors.New("boom")
	s := mustSpec(t, "  Password: {generate: true}\n", WithRandom(iotest.ErrReader(boom)))
	u, err := s.Map(Row{"id": "1"})
	var fe *FieldError
	if u != nil || !errors.Is(err, boom) || errors.As(err, &fe) {
		t.Fatalf("Map = %v, %v; want the random source's error, not a FieldError", u, err)
	}
}

func TestGeneratedPasswordNotStored(t *testing.T) {
	s := mustSpec(t, "  Password: {generate: true}\n")
	u, _ := s.Map(Row{"id": "1"})
	if strings.Contains(s.Hash(), u.Password.Reveal()) {
		t.Fatal("password in spec")
	}
}

func TestMapConcurrent(t *testing.T) {
	s := mustSpec(t, "  Password: {generate: true}\n  PhoneNumber: {from: p, phone: {default_region: CN}}\n",
		WithRandom(rand.NewChaCha8([32]byte{3})))
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[string]bool{}
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				u, err := s.Map(Row{"id": "1", "p": "+44 7400 123456"})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				seen[u.Password.Reveal()] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != 8*200 {
		t.Fatalf("%d distinct passwords, want %d", len(seen), 8*200)
	}
}
