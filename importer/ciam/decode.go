package ciam

import (
	"compress/flate"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
)

// decodeBody returns the answer's body decompressed when it is still
// compressed (a Transport that does not decompress, or an encoding the
// client did not ask for), and removes Content-Encoding so the SDK does not
// decompress again. Decompressing here, below the size cap, keeps a small
// compressed answer from expanding past the cap. Go's http.Transport already
// decompresses the gzip it asked for; other encodings are left for the SDK
// to refuse.
func decodeBody(resp *http.Response) io.ReadCloser {
	enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	if enc != "gzip" && enc != "deflate" {
		return resp.Body
	}
	resp.Header.Del("Content-Encoding")
	resp.ContentLength = -1
	return &lazyDecoder{src: resp.Body, enc: enc}
}

// lazyDecoder opens its decompressor on the first Read, so that reading the
// compression header happens on the reader's goroutine and under its
// context, not in RoundTrip.
type lazyDecoder struct {
	src io.ReadCloser
	enc string
	r   io.Reader
	err error
}

func (d *lazyDecoder) Read(p []byte) (int, error) {
	if d.r == nil && d.err == nil {
		if d.enc == "gzip" {
			d.r, d.err = gzip.NewReader(d.src)
		} else {
			d.r = flate.NewReader(d.src)
		}
	}
	if d.err != nil {
		return 0, d.err
	}
	return d.r.Read(p)
}

func (d *lazyDecoder) Close() error { return d.src.Close() }
