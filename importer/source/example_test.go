package source_test

import (
	"fmt"
	"io"
	"strings"

	"github.com/ciam-import/ciam-import/importer/source"
)

// A reader reports malformed records and goes on; a checkpoint of one
// record's End and EndLine resumes right after it.
func Example() {
	const data = "id,email\n1,a@example.com\n2,\"b@example.com\n3,c@example.com\n"
	open := func(opt source.Options) source.Reader {
		r, err := source.OpenReader("users.csv", strings.NewReader(data), int64(len(data)), opt)
		if err != nil {
			panic(err)
		}
		return r
	}
	r := open(source.Options{})
	var checkpoint source.Options
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
		if rec.Err != nil {
			fmt.Println("bad:", rec.Err)
		} else {
			fmt.Println("line", rec.Line, rec.Fields["email"])
		}
		if rec.Line == 2 {
			checkpoint = source.Options{Offset: rec.End, Line: rec.EndLine}
		}
	}
	r.Close()

	r = open(checkpoint)
	rec, _ := r.Next()
	fmt.Println("resumed at line", rec.Line)
	// Output:
	// line 2 a@example.com
	// bad: users.csv:3:3: bad quote: quoted field not closed by the end of the file (the quoted field opened here spans lines)
	// line 4 c@example.com
	// resumed at line 3
}
