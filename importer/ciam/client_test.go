package ciam

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func sp(s string) *string { return &s }
func ip(n int64) *int64   { return &n }
func bp(b bool) *bool     { return &b }

// serveFile answers every request with a testdata file.
func serveFile(t *testing.T, name string) *fakeCIAM {
	body, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return newFake(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) { answer(w, 200, string(body)) })
}

func TestCreateUserDecodesOfficialExample(t *testing.T) {
	t.Parallel()
	srv := serveFile(t, "create_user_response.json")
	resp, err := newTestClient(t, srv.URL, 0).CreateUser(testContext(t), sampleCreate())
	if err != nil {
		t.Fatal(err)
	}
	want := &User{
		UserId: "b8c22a1e34e94b7899626b1f5ed1a33b", UserName: sp("testuser006"),
		PhoneNumber: sp("+86-19877755556"), Email: sp("testuser006@test.com"),
		CreatedDate: ip(1776252106112), Status: sp("NOT_ENABLED"), UserDataSourceEnum: sp("管理员添加"),
		UserGroups: []string{}, LastModifiedDate: ip(1776252106112), CustomAttributes: []MemberMap{},
		IdentityVerified: bp(false), Primary: bp(true), AlreadyFirstLogin: bp(false),
		TenantId: sp("100000090126"), UserStoreId: sp("d733b65803284091a998ab707d820726"),
		UserOrgs: []string{"8bee9039509c4c3c80b26fbb8cacedb9"},
		// Every other field is JSON null (or, for UserGroupNames and
		// WeComUserOrgs, absent) in the example and stays nil.
	}
	if !reflect.DeepEqual(resp.User, want) {
		t.Errorf("User =\n%+v\nwant\n%+v", *resp.User, *want)
	}
	if resp.RequestId != "59f481be-c906-4675-8f2e-7a8d49d49a9b" {
		t.Errorf("RequestId = %q", resp.RequestId)
	}
}

func TestCreateUserDecodesIntlExampleEveryField(t *testing.T) {
	t.Parallel()
	srv := serveFile(t, "create_user_response_intl.json")
	resp, err := newTestClient(t, srv.URL, 0).CreateUser(testContext(t), sampleCreate())
	if err != nil {
		t.Fatal(err)
	}
	want := &User{
		UserId: "53e25c3****************e4eb5bd1", UserName: sp("zhangsan"), PhoneNumber: sp("132****0000"),
		Email: sp("132****@qq.com"), LastSignOn: ip(1711002933442), CreatedDate: ip(1718332940956),
		Status: sp("NORMAL"), UserDataSourceEnum: sp("ADMIN"), Nickname: sp("nick name"), Address: sp("address"),
		Birthdate: ip(1706682491339), UserGroups: []string{"6cd22e51****************f6f7cb81"},
		LastModifiedDate: ip(1722420973329), CustomAttributes: []MemberMap{{Name: "k", Value: "v", Type: "STRING"}},
		ResidentIdentityCard: sp("123456789012345678"), QqOpenId: sp("qqopenid"), QqUnionId: sp("qqunionid"),
		WechatOpenId: sp("wechatopenid"), WechatUnionId: sp("wechatunionid"), AlipayUserId: sp("alipayuserid"),
		WeComUserId: sp("wecomuserid"), Description: sp("user1"), Name: sp("name"), Locale: sp("locale"),
		Gender: sp("male"), IdentityVerificationMethod: sp("-"), IdentityVerified: bp(true), Job: sp("employee"),
		Nationality: sp("nationality"), Primary: bp(true), Zone: sp("zone"), AlreadyFirstLogin: bp(true),
		TenantId: sp("tenantId"), UserStoreId: sp("2c3aca3b****************a7efe88e"), Version: ip(0),
		LockType: sp("-"), LockTime: ip(0), IndexedAttribute1: sp("value1"), IndexedAttribute2: sp("value2"),
		IndexedAttribute3: sp("value3"), IndexedAttribute4: sp("value4"), IndexedAttribute5: sp("value5"),
	}
	if !reflect.DeepEqual(resp.User, want) {
		t.Errorf("User =\n%+v\nwant\n%+v", *resp.User, *want)
	}
	if resp.RequestId != "e2e9e8aa********************9ab34c6e" {
		t.Errorf("RequestId = %q", resp.RequestId)
	}
}

func TestRequestWireFormat(t *testing.T) {
	t.Parallel()
	srv := serveFile(t, "create_user_response.json")
	req := sampleCreate()
	req.Nickname, req.UserGroup = "", []string{} // empty optionals must not be sent
	if _, err := newTestClient(t, srv.URL, 0).CreateUser(testContext(t), req); err != nil {
		t.Fatal(err)
	}
	got := srv.requests()
	if len(got) != 1 {
		t.Fatalf("server got %d requests, want 1", len(got))
	}
	r := got[0]
	for header, want := range map[string]string{"X-TC-Action": "CreateUser", "X-TC-Version": "2022-03-31",
		"X-TC-Region": "ap-guangzhou", "Content-Type": "application/json", "X-TC-Language": "en-US"} {
		if v := r.header.Get(header); v != want {
			t.Errorf("%s = %q, want %q", header, v, want)
		}
	}
	if !strings.Contains(r.header.Get("X-TC-RequestClient"), requestClient) {
		t.Errorf("X-TC-RequestClient = %q", r.header.Get("X-TC-RequestClient"))
	}
	if r.method != http.MethodPost || r.path != "/" || r.host != strings.TrimPrefix(srv.URL, "http://") {
		t.Errorf("request line %s %s host %s", r.method, r.path, r.host)
	}
	if err := verifyTC3(r, testSecretID, testSecretKey, time.Now()); err != nil {
		t.Errorf("TC3 signature: %v", err)
	}
	if err := verifyTC3(r, testSecretID, "wrong-key", time.Now()); err == nil {
		t.Error("TC3 verifier accepted a wrong key")
	}
	var body map[string]any
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatalf("body %s: %v", r.body, err)
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range body {
			if !yield(k) {
				return
			}
		}
	})
	if want := []string{"Email", "Password", "PhoneNumber", "UserName", "UserStoreId"}; !slices.Equal(keys, want) {
		t.Errorf("body keys %v, want %v (body %s)", keys, want, r.body)
	}
	if body["Password"] != testPassword {
		t.Errorf("password did not survive the encoding: %q", body["Password"])
	}
}

func TestRequestWireFormatAllFields(t *testing.T) {
	t.Parallel()
	srv := serveFile(t, "create_user_response.json")
	birth := int64(1706682491339)
	req := &CreateUserRequest{UserStoreId: "s", PhoneNumber: "p", Email: "e", Password: "pw", UserName: "u",
		Nickname: "昵称1", Address: "a", UserGroup: []string{"g1"}, Birthdate: &birth,
		CustomizationAttributes: []MemberMap{{Name: "k", Value: "v", Type: "STRING"}, {Name: "k2", Value: ""}},
		IndexedAttribute1:       "i1", IndexedAttribute2: "i2", IndexedAttribute3: "i3", IndexedAttribute4: "i4",
		IndexedAttribute5: "i5", UserOrg: []string{"o1", "o2"}}
	if _, err := newTestClient(t, srv.URL, 0).CreateUser(testContext(t), req); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(srv.requests()[0].body))
	dec.UseNumber()
	var got map[string]any
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"UserStoreId": "s", "PhoneNumber": "p", "Email": "e", "Password": "pw", "UserName": "u",
		"Nickname": "昵称1", "Address": "a", "UserGroup": []any{"g1"}, "Birthdate": json.Number("1706682491339"),
		"CustomizationAttributes": []any{map[string]any{"Name": "k", "Value": "v", "Type": "STRING"},
			map[string]any{"Name": "k2", "Value": ""}},
		"IndexedAttribute1": "i1", "IndexedAttribute2": "i2", "IndexedAttribute3": "i3", "IndexedAttribute4": "i4",
		"IndexedAttribute5": "i5", "UserOrg": []any{"o1", "o2"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("body =\n%v\nwant\n%v", got, want)
	}
}

func TestLookups(t *testing.T) {
	t.Parallel()
	srv := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		switch r.Header.Get("X-TC-Action") {
		case ActionListUserByProperty:
			answer(w, 200, `{"Response":{"Users":[{"UserId":"u1","Email":"a@b.com"}],"RequestId":"r1"}}`)
		case ActionDescribeUser:
			answer(w, 200, `{"Response":{"Total":1,"Pageable":{"PageSize":10,"PageNumber":1},"Content":[{"UserId":"u2"}],"RequestId":"r2"}}`)
		case ActionDescribeUserByID:
			answer(w, 200, `{"Response":{"User":null,"RequestId":"r3"}}`)
		}
	})
	c, ctx := newTestClient(t, srv.URL, 0), testContext(t)
	yes := true
	list, err := c.ListUserByProperty(ctx, &ListUserByPropertyRequest{UserStoreId: "s", PropertyCode: PropertyEmail,
		PropertyValue: "a@b.com", Original: &yes})
	if err != nil || len(list.Users) != 1 || list.Users[0].UserId != "u1" || list.RequestId != "r1" {
		t.Errorf("ListUserByProperty = %+v, %v", list, err)
	}
	desc, err := c.DescribeUser(ctx, &DescribeUserRequest{UserStoreId: "s", Pageable: Pageable{PageSize: 10, PageNumber: 1},
		Filters: []QueryUserFilter{{PropertyKey: "userName", PropertyValue: "zhangsan", Logic: &yes, OperateLogic: "="}}})
	if err != nil || desc.Total != 1 || desc.Content[0].UserId != "u2" || desc.Pageable.PageSize != 10 {
		t.Errorf("DescribeUser = %+v, %v", desc, err)
	}
	byID, err := c.DescribeUserById(ctx, &DescribeUserByIdRequest{UserStoreId: "s", UserId: "none"})
	if err != nil || byID.User != nil || byID.RequestId != "r3" {
		t.Errorf("DescribeUserById = %+v, %v", byID, err)
	}
	wantBodies := []string{
		`{"Original":true,"PropertyCode":"email","PropertyValue":"a@b.com","UserStoreId":"s"}`,
		`{"Filters":[{"Logic":true,"OperateLogic":"=","PropertyKey":"userName","PropertyValue":"zhangsan"}],"Pageable":{"PageNumber":1,"PageSize":10},"UserStoreId":"s"}`,
		`{"UserId":"none","UserStoreId":"s"}`,
	}
	for i, r := range srv.requests() {
		if string(r.body) != wantBodies[i] {
			t.Errorf("request %d body %s, want %s", i, r.body, wantBodies[i])
		}
		if err := verifyTC3(r, testSecretID, testSecretKey, time.Now()); err != nil {
			t.Errorf("request %d: TC3: %v", i, err)
		}
	}
}

func TestNilRequest(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, "http://127.0.0.1:1", 0)
	_, err := c.CreateUser(testContext(t), nil)
	wantError(t, err, Fatal, CodeInvalidRequest, false)
}
