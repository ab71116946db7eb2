package sink

import (
	"time"

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

// buildImportUser turns a mapped row that goes through the import job
// into an ImportUser of CreateApiImportUserJob: its legacy hash, or its
// plaintext password with the operator's PasswordEncryptTypeEnum
// (u.PlaintextEnum, from --plaintext-via-import-job: the reference says
// plaintext is accepted but not the value that says so). ImportUser has no
// UserOrg: rows that map one are rejected before they get here
// (ImportUserProblem).
func buildImportUser(u *mapping.User) ciam.ImportUser {
	iu := ciam.ImportUser{
		UserName:                   u.UserName,
		PhoneNumber:                u.PhoneNumber,
		Email:                      u.Email,
		Nickname:                   u.Nickname,
		Address:                    u.Address,
		UserGroup:                  u.UserGroup,
		Password:                   u.PasswordHash.Hash.Reveal(),
		PasswordEncryptTypeEnum:    u.PasswordHash.Algorithm,
		IndexedAttribute1:          u.IndexedAttributes[0],
		IndexedAttribute2:          u.IndexedAttributes[1],
		IndexedAttribute3:          u.IndexedAttributes[2],
		IndexedAttribute4:          u.IndexedAttributes[3],
		IndexedAttribute5:          u.IndexedAttributes[4],
		WechatOpenId:               u.WechatOpenId,
		WechatUnionId:              u.WechatUnionId,
		AlipayUserId:               u.AlipayUserId,
		QqOpenId:                   u.QqOpenId,
		QqUnionId:                  u.QqUnionId,
		WeComUserId:                u.WeComUserId,
		Gender:                     u.Gender,
		Name:                       u.Name,
		Description:                u.Description,
		Locale:                     u.Locale,
		Job:                        u.Job,
		Nationality:                u.Nationality,
		Zone:                       u.Zone,
		ResidentIdentityCard:       u.ResidentIdentityCard,
		IdentityVerificationMethod: u.IdentityVerificationMethod,
		IdentityVerified:           u.IdentityVerified,
	}
	if !u.HasPasswordHash() {
		iu.Password, iu.PasswordEncryptTypeEnum = u.Password.Reveal(), u.PlaintextEnum
	}
	if u.Birthdate != nil {
		iu.Birthdate = importBirthdate(u)
	}
	if h := u.PasswordHash; !h.Salt.IsZero() {
		loc := &ciam.SaltLocation{SaltLocationTypeEnum: h.SaltPosition}
		if h.SaltRegex != "" {
			// The OTHER rule, passed exactly as the operator wrote it.
			// Unverified: the reference does not define its syntax
			// (silent-points.md "SaltLocation"); only the emulator's
			// reading ({salt} and {password} standing for the two) was
			// tested.
			loc.SaltLocationRule = &ciam.SaltLocationRule{Regex: h.SaltRegex}
		}
		iu.Salt = &ciam.Salt{SaltValue: h.Salt.Reveal(), SaltLocation: loc}
	}
	for _, a := range u.CustomizationAttributes {
		iu.CustomizationAttributes = append(iu.CustomizationAttributes, ciam.MemberMap{Name: a.Name, Value: a.Value, Type: a.Type})
	}
	return iu
}

// importBirthdate is ImportUser.Birthdate for a mapped birthdate of ms
// milliseconds since the epoch: its UTC calendar date, yyyy-MM-dd.
//
// Safe reading (issue 20, silent-points.md "ImportUser.Birthdate"): the
// reference types the field *string, the CLI's spec gives its member type
// as date (Tencent's type for yyyy-MM-dd), and every official request
// example sends "2020-09-22" or "2022-10-20". Only the field's own example
// value, 1722420973329, looks like milliseconds, and it is copied from
// User.LastModifiedDate. Nothing says milliseconds are accepted, so they
// are never sent. CreateUser's and UpdateUser's Birthdate stay int64 ms.
// The date is the one the export holds, in the mapping's date timezone
// (mapping.User.BirthDay): a zone east of UTC would otherwise turn
// midnight into the evening before (a birthday a day early, seen by the
// canary on the strict emulator). Without BirthDay, the UTC date.
func importBirthdate(u *mapping.User) string {
	if u.BirthDay != "" {
		return u.BirthDay
	}
	return time.UnixMilli(*u.Birthdate).UTC().Format(time.DateOnly)
}

// ImportUserProblem says why a row that goes through the import job (a
// password hash, or plaintext routed there) cannot, or "" when it can.
func ImportUserProblem(u *mapping.User) (field, reason string) {
	if len(u.UserOrg) > 0 {
		return "UserOrg", "UserOrg: CreateApiImportUserJob has no UserOrg, and this row goes through it (a password hash, or --plaintext-via-import-job); map UserOrg only for rows that go through CreateUser"
	}
	return "", ""
}
