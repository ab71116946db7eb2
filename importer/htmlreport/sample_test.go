package htmlreport

import (
	"math/rand/v2"
	"time"

	"github.com/ciam-import/ciam-import/importer/timeline"
)

// sampleData is a realistic report: a first run that met the rate limit
// and was interrupted, and a resume half an hour later. Its keys carry
// markup, as user data may.
func sampleData() Data {
	rng := rand.New(rand.NewPCG(1, 2))
	t1 := time.Date(2026, 12, 2, 14, 0, 0, 0, time.UTC)
	t2 := t1.Add(33 * time.Minute)
	var tl []timeline.Bucket
	totals := map[string]int64{}
	add := func(start time.Time, secs int, trouble func(int) bool) {
		rate := 20.0
		for s := range secs {
			b := timeline.Bucket{Time: start.Add(time.Duration(s) * time.Second), Rate: rate,
				Sent: map[string]int64{}, Settled: map[string]int64{}, Answers: map[string]map[string]int64{"CreateUser": {}}}
			sent := int64(18 + rng.IntN(3))
			if trouble(s) {
				b.Refused = int64(3 + rng.IntN(5))
				b.Retries = b.Refused
				rate = max(rate*0.9, 10)
			} else {
				rate = min(rate+0.5, 20)
			}
			b.Rate = rate
			b.Sent["CreateUser"] = sent
			ok := sent - b.Refused
			b.Answers["CreateUser"][timeline.CodeOK] = ok - 1
			b.Answers["CreateUser"]["FailedOperation.UserAlreadyExists"] = 1
			if b.Refused > 0 {
				b.Answers["CreateUser"]["RequestLimitExceeded"] = b.Refused
			}
			b.Settled["created"] = ok - 1
			b.Settled["conflict"] = 1
			if s%7 == 0 {
				b.Settled["rejected"] = 2
			}
			for range sent {
				ms := 40 + rng.ExpFloat64()*30
				if s >= 100 && s < 110 {
					ms *= 6
				}
				observe(&b.Latency, time.Duration(ms*float64(time.Millisecond)))
			}
			for k, n := range b.Settled {
				totals[k] += n
			}
			tl = append(tl, b)
		}
	}
	add(t1, 180, func(s int) bool { return s >= 60 && s < 80 })
	add(t2, 120, func(s int) bool { return s%40 == 39 })
	// rows settle in bursts (answers come back out of order): every other
	// second settles two seconds' rows, above the quota the requests keep
	for i := 0; i+1 < len(tl); i += 2 {
		tl[i+1].Settled["created"] += tl[i].Settled["created"]
		tl[i].Settled["created"] = 0
	}
	var read int64
	for _, n := range totals {
		read += n
	}
	return Data{
		StateDir:  "/var/lib/ciam-import/<prod> & eu",
		Generated: t2.Add(3 * time.Hour),
		RowsRead:  read, Totals: totals, Quota: 20, Timeline: tl,
		Runs: []Run{
			{Started: t1, Ended: t1.Add(180 * time.Second), Command: "import", Outcome: "interrupted", ExitCode: 130,
				Counts: map[string]int64{"created": 3200, "conflict": 180}},
			{Started: t2, Ended: t2.Add(120 * time.Second), Command: "resume", Outcome: "partial", ExitCode: 3,
				Counts: map[string]int64{"created": 2000, "conflict": 120, "rejected": 40}},
		},
		Codes: []CodeCount{
			{Outcome: "conflict", Code: "FailedOperation.UserAlreadyExists", Rows: totals["conflict"]},
			{Outcome: "rejected", Code: "InvalidParameter.<script>alert(1)</script>", Rows: 30},
			{Outcome: "rejected", Code: "", Rows: totals["rejected"] - 30},
		},
		Reports: []ReportFile{{Name: "created.csv", Rows: totals["created"]}, {Name: "conflicts.csv", Rows: totals["conflict"]},
			{Name: "retryable.csv"}, {Name: "rejected.csv", Rows: totals["rejected"]}, {Name: "skipped.csv"},
			{Name: "odd name #1.csv", Rows: 1}, {Name: "../escape.csv", Rows: 2}},
	}
}

// observe adds one latency to l through the exported merge.
func observe(l *timeline.Latency, d time.Duration) {
	ms := float64(d) / float64(time.Millisecond)
	one := timeline.Latency{Count: 1, Max: ms, Hist: timeline.Histogram{binFor(ms): 1}}
	l.Merge(one)
}

// binFor mirrors the timeline's bins closely enough for test data.
func binFor(ms float64) int {
	i := 0
	for up := 0.5; up < ms && i < 63; up *= 1.189207115 {
		i++
	}
	return i
}
