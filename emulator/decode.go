package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
)

// params is the request body as a generic JSON object, kept to tell an
// absent key from a zero value.
type params map[string]any

// has reports whether key is present with a non-null value.
func (p params) has(key string) bool {
	v, ok := p[key]
	return ok && v != nil
}

// decodeParams decodes a JSON request body into dst (a pointer to a struct
// with json tags). Keys must match the tags exactly, case included, at
// every depth: anything else is UnknownParameter (reference §4). A value of
// the wrong JSON type is InvalidParameter.
func decodeParams(body []byte, dst any) (params, *apiError) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil || dec.More() {
		return nil, errBody()
	}
	obj, ok := raw.(map[string]any)
	if !ok {
		return nil, errBody()
	}
	if aerr := checkKeys(obj, reflect.TypeOf(dst).Elem(), ""); aerr != nil {
		return nil, aerr
	}
	if err := json.Unmarshal(body, dst); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, errParamType(te.Field)
		}
		return nil, errBody()
	}
	return params(obj), nil
}

// checkKeys walks v against type t and rejects object keys t does not name.
func checkKeys(v any, t reflect.Type, path string) *apiError {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return nil // type errors are reported by the typed decode
		}
		return checkObject(obj, t, path)
	case reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			return nil
		}
		for i, e := range arr {
			if aerr := checkKeys(e, t.Elem(), join(path, strconv.Itoa(i))); aerr != nil {
				return aerr
			}
		}
	}
	return nil
}

func checkObject(obj map[string]any, t reflect.Type, path string) *apiError {
	fields := jsonFields(t)
	for k, val := range obj {
		ft, ok := fields[k]
		if !ok {
			return errUnknownParam(join(path, k))
		}
		if aerr := checkKeys(val, ft, join(path, k)); aerr != nil {
			return aerr
		}
	}
	return nil
}

// jsonFields maps the exact JSON names of t's exported fields to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := make(map[string]reflect.Type, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
