package ciam

import (
	"errors"
	"fmt"
	"unicode/utf8"

	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
)

// Bounds of what an *Error keeps of the server's words: a code or message
// of hundreds of KiB would otherwise be copied whole into every report, the
// timeline, metrics and the HTML page.
const (
	maxCodeBytes    = 256
	maxMessageBytes = 4 << 10
)

// bound cuts e's Code and Message to their bounds, marking each cut; the
// SDK error it wraps is cut the same way.
func bound(e *Error) *Error {
	code, msg := cut(e.Code, maxCodeBytes), cut(e.Message, maxMessageBytes)
	if code == e.Code && msg == e.Message {
		return e
	}
	e.Code, e.Message = code, msg
	var te *tcerr.TencentCloudSDKError
	if errors.As(e.Err, &te) {
		e.Err = tcerr.NewTencentCloudSDKError(code, msg, te.RequestId)
	}
	return e
}

// cut returns s when it fits in limit bytes, else its first bytes (whole
// UTF-8 characters) followed by a marker saying how much was cut.
func cut(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	n := limit
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return fmt.Sprintf("%s…[cut: %d more bytes]", s[:n], len(s)-n)
}
