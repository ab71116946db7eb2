package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"regexp"

	"github.com/ciam-import/ciam-import/emulator"
)

// storeFile is the --store-config file: a JSON object, every key optional.
// "strict": true starts from the strict settings; the other keys override
// them one by one.
type storeFile struct {
	Strict             bool              `json:"strict"`
	CustomAttributes   *[]string         `json:"customAttributes"`
	UserNamePattern    *string           `json:"userNamePattern"`
	PhonePattern       *string           `json:"phonePattern"`
	EmailPattern       *string           `json:"emailPattern"`
	PasswordPolicy     *passwordPolicy   `json:"passwordPolicy"`
	UpdateMode         *string           `json:"updateMode"`
	FreeTextReasons    *bool             `json:"freeTextReasons"`
	DateOnlyBirthdate  *bool             `json:"dateOnlyBirthdate"`
	ExactHexCase       *bool             `json:"exactHexCase"`
	PlaintextEnum      *string           `json:"plaintextEnum"`
	RequireEncryptType *bool             `json:"requireEncryptType"`
	CreatedStatus      *string           `json:"createdStatus"`
	UserGroupNames     map[string]string `json:"userGroupNames"`
}

type passwordPolicy struct {
	MinLength     int  `json:"minLength"`
	RequireUpper  bool `json:"requireUpper"`
	RequireLower  bool `json:"requireLower"`
	RequireDigit  bool `json:"requireDigit"`
	RequireSymbol bool `json:"requireSymbol"`
}

// storeValues are the flags of the store settings.
type storeValues struct {
	strict                                    bool
	file, updateMode, plaintext, createdState string
}

func defineStoreFlags(fs *flag.FlagSet, o *options) *storeValues {
	v := &storeValues{}
	fs.BoolVar(&v.strict, "strict", false, "model a real store: no custom attribute defined, strong password policy, replacing UpdateUser, "+
		"Chinese free-text FailedReasons, Birthdate yyyy-MM-dd only, case-sensitive MD5/SHA1 hex, a Password needs its PasswordEncryptTypeEnum")
	fs.StringVar(&v.file, "store-config", "", "`FILE` of store settings (JSON, see the examples above); applied after --strict; --update-mode, --plaintext-enum, --created-status and the pattern flags override it")
	fs.StringVar(&v.updateMode, "update-mode", "", "UpdateUser `MODE`: merge (an absent field is kept) or replace (cleared) (default merge, replace with --strict)")
	fs.StringVar(&v.plaintext, "plaintext-enum", emulator.DefaultPlaintextEnum, "the PasswordEncryptTypeEnum `VALUE` of a plaintext import password (undocumented: a guess)")
	fs.StringVar(&v.createdState, "created-status", "", "`STATUS` of created and imported users: NOT_ENABLED or NORMAL (default NOT_ENABLED)")
	fs.Float64Var(&o.cfg.Import.VanishRate, "import-vanish-rate", 0, "fraction of import jobs that vanish from ListJobs at once (seeded); they still store their users")
	return v
}

// apply builds o.cfg.Store (and the patterns and group names of a file):
// lenient or strict, then the file, then the flags set on the command line.
func (v *storeValues) apply(o *options, set map[string]bool) error {
	if v.strict {
		o.cfg.Store = emulator.StrictSettings()
	}
	if v.file != "" {
		if err := loadStoreFile(v.file, &o.cfg, set); err != nil {
			return fmt.Errorf("--store-config: %w", err)
		}
	}
	st := &o.cfg.Store
	if set["update-mode"] {
		st.UpdateMode = v.updateMode
	}
	if set["plaintext-enum"] {
		st.PlaintextEnum = v.plaintext
	}
	if set["created-status"] {
		st.CreatedStatus = v.createdState
	}
	return nil
}

// loadStoreFile applies the settings file at path to cfg; a pattern whose
// flag is in set stays as the flag gave it.
func loadStoreFile(path string, cfg *emulator.Config, set map[string]bool) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var f storeFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("parse %s: %w", path, err)
	}
	if f.Strict {
		cfg.Store = emulator.StrictSettings()
	}
	f.applySettings(&cfg.Store)
	if f.UserGroupNames != nil {
		cfg.UserGroupNames = f.UserGroupNames
	}
	return f.applyPatterns(&cfg.Patterns, set)
}

func (f *storeFile) applySettings(st *emulator.StoreSettings) {
	if f.CustomAttributes != nil {
		st.CustomAttributes = append([]string{}, *f.CustomAttributes...)
	}
	if p := f.PasswordPolicy; p != nil {
		st.PasswordPolicy = emulator.PasswordPolicy{MinLength: p.MinLength, RequireUpper: p.RequireUpper,
			RequireLower: p.RequireLower, RequireDigit: p.RequireDigit, RequireSymbol: p.RequireSymbol}
	}
	setIf(&st.UpdateMode, f.UpdateMode)
	setIf(&st.FreeTextReasons, f.FreeTextReasons)
	setIf(&st.DateOnlyBirthdate, f.DateOnlyBirthdate)
	setIf(&st.ExactHexCase, f.ExactHexCase)
	setIf(&st.PlaintextEnum, f.PlaintextEnum)
	setIf(&st.RequireEncryptType, f.RequireEncryptType)
	setIf(&st.CreatedStatus, f.CreatedStatus)
}

func (f *storeFile) applyPatterns(p *emulator.Patterns, set map[string]bool) error {
	var errs []error
	for _, x := range []struct {
		key, flag string
		src       *string
		dst       **regexp.Regexp
	}{{"userNamePattern", "username-pattern", f.UserNamePattern, &p.UserName},
		{"phonePattern", "phone-pattern", f.PhonePattern, &p.PhoneNumber},
		{"emailPattern", "email-pattern", f.EmailPattern, &p.Email}} {
		if x.src == nil || set[x.flag] {
			continue
		}
		re, err := regexp.Compile(*x.src)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", x.key, err))
		}
		*x.dst = re
	}
	return errors.Join(errs...)
}

func setIf[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}
