package importer

import (
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

// rejectedField names the request field a rejection code points at.
func rejectedField(code string) string {
	switch code {
	case "FailedOperation.EmailIsNull":
		return "Email"
	case "FailedOperation.PhoneNumberIsNull":
		return "PhoneNumber"
	case "FailedOperation.PasswordIsNull":
		return "Password"
	case "FailedOperation.UserNameIsNull":
		return "UserName"
	case "FailedOperation.IndexedAttributeTooLong":
		return "IndexedAttribute"
	case "FailedOperation.UserGroupNotFound":
		return "UserGroup"
	case "FailedOperation.OrgNotFound":
		return "UserOrg"
	case "FailedOperation.AttributeFormatError":
		return "CustomizationAttributes"
	}
	return ""
}
