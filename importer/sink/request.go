package sink

import (
	"strconv"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/mapping"
)

// buildRequest turns a mapped row into the CreateUser body.
func buildRequest(storeID string, u *mapping.User) *ciam.CreateUserRequest {
	req := &ciam.CreateUserRequest{
		UserStoreId:       storeID,
		PhoneNumber:       u.PhoneNumber,
		Email:             u.Email,
		Password:          u.Password.Reveal(),
		UserName:          u.UserName,
		Nickname:          u.Nickname,
		Address:           u.Address,
		UserGroup:         u.UserGroup,
		Birthdate:         u.Birthdate,
		IndexedAttribute1: u.IndexedAttributes[0],
		IndexedAttribute2: u.IndexedAttributes[1],
		IndexedAttribute3: u.IndexedAttributes[2],
		IndexedAttribute4: u.IndexedAttributes[3],
		IndexedAttribute5: u.IndexedAttributes[4],
		UserOrg:           u.UserOrg,
	}
	for _, a := range u.CustomizationAttributes {
		req.CustomizationAttributes = append(req.CustomizationAttributes, ciam.MemberMap{Name: a.Name, Value: a.Value, Type: a.Type})
	}
	return req
}

// buildImportUser turns a mapped row with a password hash into an
// ImportUser of CreateApiImportUserJob. ImportUser has no UserOrg: rows that
// map one are rejected before they get here (importUserProblem).
func buildImportUser(u *mapping.User) ciam.ImportUser {
	iu := ciam.ImportUser{
		UserName:                u.UserName,
		PhoneNumber:             u.PhoneNumber,
		Email:                   u.Email,
		Nickname:                u.Nickname,
		Address:                 u.Address,
		UserGroup:               u.UserGroup,
		Password:                u.PasswordHash.Hash.Reveal(),
		PasswordEncryptTypeEnum: u.PasswordHash.Algorithm,
		IndexedAttribute1:       u.IndexedAttributes[0],
		IndexedAttribute2:       u.IndexedAttributes[1],
		IndexedAttribute3:       u.IndexedAttributes[2],
		IndexedAttribute4:       u.IndexedAttributes[3],
		IndexedAttribute5:       u.IndexedAttributes[4],
	}
	if u.Birthdate != nil {
		// ImportUser.Birthdate is a string; the reference's example value is
		// milliseconds since the epoch, like CreateUser's number.
		iu.Birthdate = strconv.FormatInt(*u.Birthdate, 10)
	}
	if h := u.PasswordHash; !h.Salt.IsZero() {
		loc := &ciam.SaltLocation{SaltLocationTypeEnum: h.SaltPosition}
		if h.SaltRegex != "" {
			loc.SaltLocationRule = &ciam.SaltLocationRule{Regex: h.SaltRegex}
		}
		iu.Salt = &ciam.Salt{SaltValue: h.Salt.Reveal(), SaltLocation: loc}
	}
	for _, a := range u.CustomizationAttributes {
		iu.CustomizationAttributes = append(iu.CustomizationAttributes, ciam.MemberMap{Name: a.Name, Value: a.Value, Type: a.Type})
	}
	return iu
}

// importUserProblem says why a row with a password hash cannot go through
// the import job, or "" when it can.
func ImportUserProblem(u *mapping.User) (field, reason string) {
	if len(u.UserOrg) > 0 {
		return "UserOrg", "UserOrg: CreateApiImportUserJob has no UserOrg, and rows with a password hash go through it; map UserOrg only for rows with a plaintext password"
	}
	return "", ""
}
