package sink

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/ciam"
	"github.com/ciam-import/ciam-import/importer/ciam/ciamtest"
	"github.com/ciam-import/ciam-import/importer/internal/fixture"
)

const actJob = ciam.ActionCreateApiImportUserJob

// A batch is cut at BatchSize; each job's rows are begun before it is sent,
// its job is polled until it finishes and its rows are confirmed by one
// listing, each settled once.
func TestImportJobSplitsByBatchSize(t *testing.T) {
	api := newStore()
	api.Script(actJob, job("j1"), job("j2"), job("j3"))
	api.Script(ciam.ActionListJobs, ciamtest.Answer{Jobs: []ciam.Job{{Id: "j1", Status: ciam.JobProcessing, Type: ciam.JobTypeImportUser}}})
	api.Always(ciam.ActionListJobs, finished("j1", "j2", "j3"))
	h := newJobHarness(api, JobOptions{BatchSize: 2}, 1)
	start := h.clock.Now()
	rs := rows("K1", "K2", "K3", "K4", "K5")
	got := h.serve(t, context.Background(), rs)

	want := []string{"created", "created", "created", "created", "created"}
	if o := outcomes(got); !slices.Equal(o, want) {
		t.Fatalf("outcomes %v, want %v (calls %v)", o, want, api.Trace())
	}
	for i, r := range got {
		u := rs[i].User
		if e := r.Entry; e.UserID != "uid-"+u.Key || e.Key != u.Key || e.Line != rs[i].Rec.Line || e.Pass != 1 {
			t.Errorf("row %s: entry %+v", u.Key, e)
		}
	}
	if s := imports(api.Fake); !slices.EqualFunc(s, [][]string{{"K1", "K2"}, {"K3", "K4"}, {"K5"}}, slices.Equal) {
		t.Errorf("job requests %v, want batches of 2", s)
	}
	checkBegunBeforeSent(t, api.Fake)
	var polled []string
	for _, c := range api.Calls() {
		if c.Jobs != nil {
			polled = append(polled, strings.Join(c.Jobs.JobIds, ","))
		}
	}
	if want := []string{"j1", "j1", "j2", "j3"}; !slices.Equal(polled, want) {
		t.Errorf("ListJobs asked for %v, want %v", polled, want)
	}
	if d := h.clock.Now().Sub(start); d != time.Second {
		t.Errorf("slept %v, want one poll interval", d)
	}
	// one listing per job, since a minute before it was sent; no lookup one by one
	l1, l2 := listing(start.Add(-time.Minute)), listing(start.Add(time.Second-time.Minute))
	if got, want := api.Lookups(), []string{l1, l2, l2}; !slices.Equal(got, want) {
		t.Errorf("lookups %v, want %v", got, want)
	}
	h.checkControl(t, []string{"K1", "K2", "K3", "K4", "K5"}, nil, "")
	api.CheckNoLeftovers(t)
}

// Two jobs at a time: every row is still sent once and settled once.
func TestImportJobConcurrentJobs(t *testing.T) {
	api := newStore()
	api.Always(actJob, job("j"))
	api.Always(ciam.ActionListJobs, finished("j"))
	h := newJobHarness(api, JobOptions{BatchSize: 3, MaxJobs: 2}, 1)
	keys := []string{"K1", "K2", "K3", "K4", "K5", "K6", "K7", "K8", "K9", "K10"}
	got := h.serve(t, context.Background(), rows(keys...))
	for i, o := range outcomes(got) {
		if o != "created" {
			t.Errorf("row %s: %q, want created", keys[i], o)
		}
	}
	sent := slices.Concat(imports(api.Fake)...)
	slices.Sort(sent)
	want := slices.Clone(keys)
	slices.Sort(want)
	if !slices.Equal(sent, want) || api.Count(actJob) != 4 {
		t.Errorf("%d job requests sent %v, want 4 sending each row once", api.Count(actJob), sent)
	}
	checkBegunBeforeSent(t, api.Fake)
}

// A row named in FailedUsers, by any of its identifiers, is still looked
// up (the job's word is never enough) and, absent, rejected with the
// reason kept verbatim; the other rows are created only once a lookup
// finds their user, and are retryable when none does.
func TestImportJobFailedUsers(t *testing.T) {
	created := fixture.NewClock().Now().Add(-time.Hour)
	tests := []struct {
		name     string
		failedID func(k string) string // FailedUserIdentification of K1
		reason   string
		status   string
		stranger bool // another user holds K3's email

		want3, code3 string
		lookups3     int // one-by-one lookups of K3
	}{
		{name: "named by user name", failedID: func(k string) string { return user(k).UserName },
			reason: "FailedOperation.UserNameAlreadyExists: user name taken",
			want3:  "retryable", code3: "ImportJob.UserNotFound", lookups3: 4},
		{name: "named by email", failedID: func(k string) string { return user(k).Email },
			reason: "用户邮箱已存在",
			want3:  "retryable", code3: "ImportJob.UserNotFound", lookups3: 4},
		{name: "named by phone, a reason without a code", failedID: func(k string) string { return user(k).PhoneNumber },
			reason: "hash does not match its algorithm",
			want3:  "retryable", code3: "ImportJob.UserNotFound", lookups3: 4},
		{name: "named by key, a reason that looks like a code", failedID: func(k string) string { return k },
			reason: "InvalidParameterValue.PhoneNumber: bad phone",
			want3:  "retryable", code3: "ImportJob.UserNotFound", lookups3: 4},
		{name: "a failed job", failedID: func(k string) string { return k }, reason: "bad", status: ciam.JobFailed,
			want3: "retryable", code3: "ImportJob.Failed", lookups3: 4},
		{name: "a stranger holds a row's email", failedID: func(k string) string { return k }, reason: "bad", stranger: true,
			want3: "conflict", code3: "LocalLookup.AlreadyExists", lookups3: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newStore()
			api.lost["K1"], api.lost["K3"] = true, true
			if tt.stranger {
				api.hold(fixture.Stranger("uid-other", user("K3")))
			}
			status := tt.status
			if status == "" {
				status = ciam.JobCompleted
			}
			api.Script(actJob, job("j1"))
			api.Always(ciam.ActionListJobs, ciamtest.Answer{Jobs: []ciam.Job{{Id: "j1", Status: status, Type: ciam.JobTypeImportUser,
				CreatedDate: created.UnixMilli(),
				FailedUsers: []ciam.FailedUsers{{FailedUserIdentification: tt.failedID("K1"), FailedReason: tt.reason}}}}})
			h := newJobHarness(api, JobOptions{}, 1)
			rs := rows("K1", "K2", "K3")
			got := h.serve(t, context.Background(), rs)

			// K1, named and not found by its lookup: rejected, the job's
			// reason kept verbatim and never parsed for a code.
			if want := []string{"rejected", "created", tt.want3}; !slices.Equal(outcomes(got), want) {
				t.Fatalf("outcomes %v, want %v (calls %v)", outcomes(got), want, api.Trace())
			}
			if e := got[0].Entry; e.Code != "ImportJob.FailedUser" || e.Identifier != "" || !strings.Contains(e.Message, tt.reason) {
				t.Errorf("K1 settled %+v, want code ImportJob.FailedUser and the reason %q verbatim", e, tt.reason)
			}
			if e := got[1].Entry; e.UserID != "uid-K2" {
				t.Errorf("K2 created as %q, want the user the listing found", e.UserID)
			}
			if e := got[2].Entry; e.Code != tt.code3 {
				t.Errorf("K3 settled with %q, want %q (entry %+v)", e.Code, tt.code3, e)
			}
			// the listing since the job's own start, then K1 (named: never
			// believed without a lookup) and K3 one by one
			want := append([]string{listing(created.Add(-time.Second))}, lookupsOf(rs[0].User)...)
			want = append(want, lookupsOf(rs[2].User)[:tt.lookups3]...)
			if got := api.Lookups(); !slices.Equal(got, want) {
				t.Errorf("lookups %v, want %v", got, want)
			}
			if n := api.Count(actJob); n != 1 {
				t.Errorf("%d job requests, want 1", n)
			}
			h.checkControl(t, []string{"K1", "K2", "K3"}, nil, "")
			api.CheckNoLeftovers(t)
		})
	}
}

// Without the legacy id stored, the listing is by user name and a listed
// user is ours only when every identifier matches: a user with our user
// name and another email is a conflict, found by looking the row up.
func TestImportJobListingWithoutLegacyID(t *testing.T) {
	api := newStore()
	api.lost["K2"] = true
	other := fixture.CIAMUserOf("uid-other", user("K2"))
	other.Email = new(string)
	*other.Email = "someone@example.com"
	api.hold(other)
	api.Script(actJob, job("j1"))
	api.Always(ciam.ActionListJobs, finished("j1"))
	h := newJobHarness(api, JobOptions{}, 0)
	rs := rows("K1", "K2")
	start := h.clock.Now()
	got := h.serve(t, context.Background(), rs)

	if want := []string{"created", "conflict"}; !slices.Equal(outcomes(got), want) {
		t.Fatalf("outcomes %v, want %v (calls %v)", outcomes(got), want, api.Trace())
	}
	if e := got[1].Entry; e.Identifier != string(ciam.IdentUserName) {
		t.Errorf("K2 conflict on %q, want the user name", e.Identifier)
	}
	want := []string{listing(start.Add(-time.Minute)), "DescribeUser:userName=" + rs[1].User.UserName}
	if got := api.Lookups(); !slices.Equal(got, want) {
		t.Errorf("lookups %v, want %v", got, want)
	}
}

// A batch rejected as a whole is split in halves until the rejected row is
// alone; the rows are begun once, not per split.
func TestImportJobSplitsRejectedBatch(t *testing.T) {
	rej := ciamtest.Err(actJob, "InvalidParameterValue.PasswordEncryptTypeEnum")
	if rej.Class != ciam.Rejected {
		t.Fatalf("%s is %v, want a rejection", rej.Code, rej.Class)
	}
	no := ciamtest.Answer{Err: rej}
	api := newStore()
	api.Script(actJob, no, job("j1"), no, job("j2"), no)
	api.Always(ciam.ActionListJobs, finished("j1", "j2"))
	h := newJobHarness(api, JobOptions{BatchSize: 4}, 1)
	got := h.serve(t, context.Background(), rows("K1", "K2", "K3", "K4"))

	if want := []string{"created", "created", "created", "rejected"}; !slices.Equal(outcomes(got), want) {
		t.Fatalf("outcomes %v, want %v (calls %v)", outcomes(got), want, api.Trace())
	}
	if e := got[3].Entry; e.Code != rej.Code || e.RequestID != rej.RequestID {
		t.Errorf("K4 rejected with %+v, want the service's code and request id", e)
	}
	want := [][]string{{"K1", "K2", "K3", "K4"}, {"K1", "K2"}, {"K3", "K4"}, {"K3"}, {"K4"}}
	if s := imports(api.Fake); !slices.EqualFunc(s, want, slices.Equal) {
		t.Errorf("job requests %v, want %v", s, want)
	}
	h.checkControl(t, []string{"K1", "K2", "K3", "K4"}, nil, "")
	api.CheckNoLeftovers(t)
}
