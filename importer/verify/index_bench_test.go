package verify

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkOpenIndex indexes an export of b.N users as the emulator
// writes the verify columns.
func BenchmarkOpenIndex(b *testing.B) {
	path := filepath.Join(b.TempDir(), ExportFile)
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	for i := range b.N {
		fmt.Fprintf(f, `{"UserId":"%032x","UserName":"user%d","Email":"user%d@example.com","PhoneNumber":"+86 1380000%04d","Nickname":"Nick %d","Address":null,"Birthdate":%d,"UserGroups":["g1"],"CustomAttributes":[{"Name":"tier","Value":"gold"}],"IndexedAttribute1":"L%d","IndexedAttribute2":null,"IndexedAttribute3":null,"IndexedAttribute4":null,"IndexedAttribute5":null}`+"\n",
			i, i, i, i%10000, i, int64(i)*86400000, i)
	}
	f.Close()
	b.ReportAllocs()
	b.ResetTimer()
	ix, err := openIndex(context.Background(), path, 1)
	if err != nil {
		b.Fatal(err)
	}
	if len(ix.entries) != b.N {
		b.Fatalf("%d entries, want %d", len(ix.entries), b.N)
	}
	ix.close()
}
