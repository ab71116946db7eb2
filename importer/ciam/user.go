package ciam

// Value is *p, or "" when p is nil: the optional text fields of a User.
func Value(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// Indexed returns u's IndexedAttribute n (1 to 5), "" when unset.
func Indexed(u *User, n int) string {
	return Value([...]*string{u.IndexedAttribute1, u.IndexedAttribute2, u.IndexedAttribute3, u.IndexedAttribute4, u.IndexedAttribute5}[n-1])
}
