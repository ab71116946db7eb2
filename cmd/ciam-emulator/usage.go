package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
)

// version is the release; a build may set it with
// -ldflags "-X main.version=v1.2.3". "dev" adds the VCS revision if known.
var version = "dev"

// errVersion is parseFlags' answer to --version.
var errVersion = errors.New("version requested")

const help = `ciam-emulator serves a local emulator of the Tencent Cloud CIAM API 2022-03-31 over plain HTTP.

Usage:
  ciam-emulator [flags]

Prints "listening on http://HOST:PORT" as its first stdout line; logs go to stderr;
SIGINT/SIGTERM stops it (exit 0). Bad flags exit 2.
Actions: CreateUser, ListUserByProperty, DescribeUser, DescribeUserById, ListUser,
UpdateUser, SetPassword, CreateApiImportUserJob, ListJobs, CreateFileExportUserJob,
DeleteUsers, ListUserGroups, CreateUserGroup (see package emulator's doc).
Debug endpoints: GET /_emulator/users[?store=ID], /_emulator/stats,
/_emulator/calls?identity=X, /_emulator/admitted?action=A, /_emulator/jobs[?store=ID];
POST /_emulator/verify-password {"UserStoreId","UserId" or "UserName","Password"} -> {"ok":bool}.
Export files: GET /_emulator/exports/<job id>.ndjson (the export job's Location).

Examples:
  ciam-emulator --listen 127.0.0.1:0
      the lenient demo store on a free port (demo credentials, 20 requests/s)
  ciam-emulator --strict --listen 127.0.0.1:9000
      a store as strict as a real one (see --strict)
  ciam-emulator --strict --store-config store.json
      with store.json such as
      {"customAttributes": ["tier"], "emailPattern": "^[^@]+@[^@]+$",
       "passwordPolicy": {"minLength": 8, "requireDigit": true},
       "updateMode": "replace", "plaintextEnum": "PLAINTEXT", "createdStatus": "NORMAL",
       "userGroupNames": {"6cd22e51a1b24c0f9d8e7f6a5b4c3d21": "staff"}}
      (other keys: "strict", "userNamePattern", "phonePattern", "freeTextReasons",
       "dateOnlyBirthdate", "exactHexCase", "requireEncryptType")
  ciam-emulator --rate 5 --error-rate 0.1 --import-vanish-rate 0.5 --import-list-succeeded
      faults: a low quota, injected errors, jobs lost from ListJobs

Flags:
`

// usage prints help and every flag as "--name VALUE  text (default X)".
func usage(fs *flag.FlagSet, w io.Writer) func() {
	return func() {
		fmt.Fprint(w, help)
		fs.VisitAll(func(f *flag.Flag) {
			value, text := flag.UnquoteUsage(f)
			line := "  --" + f.Name
			if value != "" {
				line += " " + value
			}
			fmt.Fprintf(w, "%-34s %s", line, text)
			if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" && f.DefValue != "0s" {
				fmt.Fprintf(w, " (default %s)", f.DefValue)
			}
			fmt.Fprintln(w)
		})
	}
}

// versionString is "ciam-emulator <version>", with the VCS revision of a
// "dev" build when the binary records one.
func versionString() string {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok && v == "dev" {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
	}
	return "ciam-emulator " + v + " (CIAM API 2022-03-31)"
}
