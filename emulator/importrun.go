package emulator

import (
	"fmt"
	"strconv"
	"time"
)

// sourceImport is UserDataSourceEnum of an imported user. The reference
// shows only 管理员添加 (admin-added); this value is the emulator's own.
const sourceImport = "接口导入"

// runJob processes j: StartDelay PENDING, then PROCESSING at
// Import.UsersPerSecond, then COMPLETED, or FAILED after failAt users. It
// returns early, leaving the job as it is, when the server closes.
func (s *Server) runJob(j *importJob) {
	if !s.sleep(s.cfg.Import.StartDelay) {
		return
	}
	s.setJobStatus(j, JobProcessing)
	limit := len(j.users)
	if j.failAt >= 0 {
		limit = j.failAt
	}
	start := time.Now()
	for i := range limit {
		if rate := s.cfg.Import.UsersPerSecond; rate > 0 {
			due := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
			if !s.sleep(time.Until(due)) {
				return
			}
		}
		s.importOne(j, i)
	}
	s.finishJob(j, limit)
	j.users, j.raw = nil, nil // a big migration must not keep every request
}

func (s *Server) setJobStatus(j *importJob, status string) {
	s.mu.Lock()
	j.job.Status = status
	s.mu.Unlock()
}

func (s *Server) finishJob(j *importJob, processed int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if j.job.FailedUsers == nil {
		j.job.FailedUsers = []FailedUsers{}
	}
	j.job.Status = JobCompleted
	if j.failAt >= 0 {
		j.job.Status = JobFailed
		j.job.ErrorDetails = append(j.job.ErrorDetails, ErrorDetails{
			Error: fmt.Sprintf("%s: the job failed after processing %d of %d users", CodeInternalError, processed, len(j.users))})
	}
}

// importOne checks and stores user i of j, recording a failure in
// Job.FailedUsers as "<code>: <message>", or as the Chinese message alone
// under StoreSettings.FreeTextReasons.
func (s *Server) importOne(j *importJob, i int) {
	u := &j.users[i]
	rec, aerr := s.prepareImport(u, j.raw[i], j.store)
	s.mu.Lock()
	defer s.mu.Unlock()
	if aerr == nil {
		aerr = s.storeImported(j.store, rec)
	}
	switch {
	case aerr != nil:
		j.job.FailedUsers = append(j.job.FailedUsers, FailedUsers{
			FailedUserIdentification: u.identification(), FailedReason: s.cfg.Store.reason(aerr)})
	case s.cfg.Import.ListSucceeded:
		j.job.FailedUsers = append(j.job.FailedUsers, FailedUsers{FailedUserIdentification: u.identification()})
	}
}

// storeImported checks uniqueness against every stored user (earlier users
// of the same job included) and the store quota, then stores rec. Call
// with s.mu held.
func (s *Server) storeImported(store string, rec *record) *apiError {
	st := s.stores[store]
	u := &rec.user
	if aerr := st.checkUnique(deref(u.UserName), deref(u.PhoneNumber), deref(u.Email), -1); aerr != nil {
		return aerr
	}
	if aerr := s.checkRoom(st); aerr != nil {
		return aerr
	}
	u.UserId = newUserID(s.idRNG)
	st.add(rec)
	s.stats.created.Add(1)
	return nil
}

// prepareImport runs the checks that need no stored user, in order: an
// identifier (FailedOperation.ImportUserIsEmpty), the CreateUser field
// checks, identity verification, Birthdate, the password; and builds the
// record without its UserId.
func (s *Server) prepareImport(u *importUser, raw map[string]any, store string) (*record, *apiError) {
	if u.identification() == "" {
		return nil, newError(CodeImportUserIsEmpty)
	}
	aerr := s.checkFields(fields{
		userName: u.UserName, phone: u.PhoneNumber, email: u.Email,
		attrs: u.CustomizationAttributes, rawAttrs: raw["CustomizationAttributes"],
		indexed: [5]string{u.IndexedAttribute1, u.IndexedAttribute2, u.IndexedAttribute3,
			u.IndexedAttribute4, u.IndexedAttribute5},
		groups: u.UserGroup,
	})
	if aerr == nil {
		aerr = checkVerification(u)
	}
	if aerr != nil {
		return nil, aerr
	}
	birth, aerr := parseBirthdate(u.Birthdate, s.cfg.Store.DateOnlyBirthdate)
	if aerr != nil {
		return nil, aerr
	}
	pw, aerr := s.cfg.Store.importedCredential(u)
	if aerr != nil {
		return nil, aerr
	}
	return &record{user: s.importedUser(u, store, birth), pw: pw}, nil
}

// checkVerification applies rule 3 of ImportUser (§2.8): IdentityVerified
// true needs IdentityVerificationMethod; nameAndIdCard needs Name and
// ResidentIdentityCard; nameIdCardAndPhone needs PhoneNumber too.
func checkVerification(u *importUser) *apiError {
	if u.IdentityVerified == nil || !*u.IdentityVerified {
		return nil
	}
	type required struct{ key, value string }
	need := []required{{"IdentityVerificationMethod", u.IdentityVerificationMethod}}
	switch u.IdentityVerificationMethod {
	case "nameAndIdCard":
		need = append(need, required{"Name", u.Name}, required{"ResidentIdentityCard", u.ResidentIdentityCard})
	case "nameIdCardAndPhone":
		need = append(need, required{"Name", u.Name}, required{"PhoneNumber", u.PhoneNumber},
			required{"ResidentIdentityCard", u.ResidentIdentityCard})
	}
	for _, n := range need {
		if n.value == "" {
			return errMissing(n.key)
		}
	}
	return nil
}

// parseBirthdate reads ImportUser.Birthdate, a string: a date "2006-01-02"
// (the official request example, taken as UTC midnight) or, unless
// dateOnly, epoch milliseconds (the field's example). Anything else:
// InvalidParameterValue.
func parseBirthdate(v string, dateOnly bool) (*int64, *apiError) {
	if v == "" {
		return nil, nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return ptr(t.UnixMilli()), nil
	}
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil && !dateOnly {
		return &ms, nil
	}
	return nil, errParamValue("Birthdate")
}

// importedUser builds the stored user of an ImportUser: every field given,
// nulls for the rest, the defaults of CreateUser otherwise.
func (s *Server) importedUser(u *importUser, store string, birth *int64) User {
	now := s.cfg.Now().UnixMilli()
	return User{
		UserName: nonEmpty(u.UserName), PhoneNumber: nonEmpty(u.PhoneNumber), Email: nonEmpty(u.Email),
		CreatedDate: ptr(now), LastModifiedDate: ptr(now),
		Status: ptr(s.cfg.Store.createdStatus()), UserDataSourceEnum: ptr(sourceImport),
		Nickname: nonEmpty(u.Nickname), Address: nonEmpty(u.Address), Birthdate: birth,
		UserGroups:           append([]string{}, u.UserGroup...),
		CustomAttributes:     append([]MemberMap{}, u.CustomizationAttributes...),
		ResidentIdentityCard: nonEmpty(u.ResidentIdentityCard),
		QqOpenId:             nonEmpty(u.QqOpenId), QqUnionId: nonEmpty(u.QqUnionId),
		WechatOpenId: nonEmpty(u.WechatOpenId), WechatUnionId: nonEmpty(u.WechatUnionId),
		AlipayUserId: nonEmpty(u.AlipayUserId), WeComUserId: nonEmpty(u.WeComUserId),
		Description: nonEmpty(u.Description), Name: nonEmpty(u.Name), Locale: nonEmpty(u.Locale),
		Gender: nonEmpty(u.Gender), IdentityVerificationMethod: nonEmpty(u.IdentityVerificationMethod),
		IdentityVerified: ptr(u.IdentityVerified != nil && *u.IdentityVerified),
		Job:              nonEmpty(u.Job), Nationality: nonEmpty(u.Nationality), Zone: nonEmpty(u.Zone),
		Primary: ptr(true), AlreadyFirstLogin: ptr(false),
		TenantId: ptr(s.cfg.TenantID), UserStoreId: ptr(store),
		IndexedAttribute1: nonEmpty(u.IndexedAttribute1), IndexedAttribute2: nonEmpty(u.IndexedAttribute2),
		IndexedAttribute3: nonEmpty(u.IndexedAttribute3), IndexedAttribute4: nonEmpty(u.IndexedAttribute4),
		IndexedAttribute5: nonEmpty(u.IndexedAttribute5),
		UserOrgs:          []string{},
	}
}
