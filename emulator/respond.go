package emulator

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
)

// envelope is the API 3.0 wrapper every answer travels in.
type envelope struct {
	Response any `json:"Response"`
}

// errorResponse is {"Error":{"Code","Message"},"RequestId"} (reference §3.4).
type errorResponse struct {
	Error     errorBody `json:"Error"`
	RequestId string    `json:"RequestId"`
}

// writeResponse answers HTTP 200 with {"Response": v}: the real API answers
// 200 for API errors too (reference §3.4, §6.3).
func writeResponse(w http.ResponseWriter, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(envelope{Response: v}); err != nil {
		// Every value passed here is a plain struct; this cannot happen.
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}

func writeError(w http.ResponseWriter, e *apiError, lang, requestID string) {
	writeResponse(w, errorResponse{
		Error:     errorBody{Code: e.code, Message: e.message(lang)},
		RequestId: requestID,
	})
}

// newRequestID returns a random version-4 UUID in its dashed form.
func newRequestID() string {
	var b [16]byte
	putUint64(b[:8], rand.Uint64())
	putUint64(b[8:], rand.Uint64())
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}

// newUserID returns 32 lowercase hex digits drawn from rng.
func newUserID(rng *rand.Rand) string {
	var b [16]byte
	putUint64(b[:8], rng.Uint64())
	putUint64(b[8:], rng.Uint64())
	return hex.EncodeToString(b[:])
}

func putUint64(b []byte, v uint64) {
	for i := range 8 {
		b[i] = byte(v >> (8 * i))
	}
}

// writeGatewayError answers status (502 or 504) with the HTML body a
// gateway sends, not the API's JSON: the SDK cannot parse it.
func writeGatewayError(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, "<html><head><title>%d %s</title></head><body><center><h1>%d %s</h1></center></body></html>\n",
		status, http.StatusText(status), status, http.StatusText(status))
}
