package main

import (
	"os"
	"strconv"
	"strings"
	"time"
)

// stall is how contended the CPU was over one step: the share of wall time
// in which some runnable task waited for a core (Linux PSI, /proc/pressure/
// cpu "some"). Other tenants of this shared machine raise it.
type stall struct {
	name  string
	share float64 // -1 if unknown
}

// cpuStalled returns the cumulative "some" CPU stall time, or -1.
func cpuStalled() time.Duration {
	data, err := os.ReadFile("/proc/pressure/cpu")
	if err != nil {
		return -1
	}
	for _, f := range strings.Fields(strings.SplitN(string(data), "\n", 2)[0]) {
		if v, ok := strings.CutPrefix(f, "total="); ok {
			us, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return -1
			}
			return time.Duration(us) * time.Microsecond
		}
	}
	return -1
}

// measureStall runs fn and reports the CPU stall share over it.
func measureStall(name string, fn func() error) (stall, error) {
	s0, t0 := cpuStalled(), time.Now()
	err := fn()
	s1, wall := cpuStalled(), time.Since(t0)
	st := stall{name: name, share: -1}
	if s0 >= 0 && s1 >= 0 && wall > 0 {
		st.share = float64(s1-s0) / float64(wall)
	}
	return st, err
}
