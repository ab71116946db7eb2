package sqlsrc

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ciam-import/ciam-import/importer/source"
	"github.com/ciam-import/ciam-import/importer/source/sourcetest"
	"github.com/ciam-import/ciam-import/importer/source/sqlsrc/sqltest"
)

// benchRows is the size of the benchmark table: SQLSRC_BENCH_ROWS, or 1e6.
func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("SQLSRC_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// benchData writes the generated export once as CSV and loads the same
// rows into a PostgreSQL table keyed by legacy_id (bigint).
var benchData struct {
	once  sync.Once
	csv   string
	table string
	err   error
	// the same rows in MariaDB
	myOnce sync.Once
	myErr  error
}

func loadBench(b *testing.B, s *server) (csvPath, table string) {
	benchData.once.Do(func() {
		dir := filepath.Join(testDir, "bench")
		if err := os.Mkdir(dir, 0o700); err != nil {
			benchData.err = err
			return
		}
		benchData.csv = filepath.Join(dir, "users.csv")
		benchData.table, benchData.err = "bench_users", writeBench(benchData.csv, s)
	})
	if benchData.err != nil {
		b.Fatal(benchData.err)
	}
	return benchData.csv, benchData.table
}

// writeBench writes the CSV and copies it into the table.
func writeBench(path string, s *server) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := sourcetest.WriteCSV(f, benchRows(), 1); err != nil {
		return err
	}
	cols := "legacy_id bigint, login text, email text, mobile text, first_name text, last_name text, " +
		"birthday text, groups text, dept text, password text"
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if err := sqltest.PGExec(s.dsn, "DROP TABLE IF EXISTS bench_users"); err != nil {
		return err
	}
	if err := sqltest.LoadCSV(sqltest.Server{Name: s.name, DSN: s.dsn}, "bench_users", cols, f); err != nil {
		return err
	}
	// A second table holds the rows in key order, as a table keyed by a
	// serial id is: an index scan then reads the heap in order.
	return sqltest.PGExec(s.dsn, "ALTER TABLE bench_users ADD PRIMARY KEY (legacy_id)", "VACUUM ANALYZE bench_users",
		"DROP TABLE IF EXISTS bench_sorted", "CREATE TABLE bench_sorted AS SELECT * FROM bench_users ORDER BY legacy_id",
		"ALTER TABLE bench_sorted ADD PRIMARY KEY (legacy_id)", "VACUUM ANALYZE bench_sorted")
}

// BenchmarkRead reads the same rows from PostgreSQL (by bigint key, in
// pages of 1000 and 10000) and from a CSV file with source.Open, and
// reports rows/s and the peak heap in use, sampled every 10000 rows.
func BenchmarkRead(b *testing.B) {
	s := servers["postgres"]
	if s.missing != "" {
		b.Skip(s.missing)
	}
	csvPath, table := loadBench(b, s)
	b.Run("csv", func(b *testing.B) {
		benchReader(b, func() (source.Reader, error) { return source.Open(csvPath, source.Options{}) }, nil)
	})
	for _, table := range []string{table, "bench_sorted"} {
		for _, size := range []int{1000, 5000} {
			b.Run(table+"-page"+strconv.Itoa(size), func(b *testing.B) {
				app := "bench-" + table + strconv.Itoa(size)
				src := s.open(b, Config{DSN: s.dsn + "&application_name=" + app, Table: table, Key: "legacy_id", PageSize: size})
				var pid string
				benchReader(b, func() (source.Reader, error) { pid = ""; return src.Open("") }, func() time.Duration {
					return backendCPU(b, s, app, &pid)
				})
			})
		}
	}
	if my := servers["mariadb"]; my.missing == "" {
		b.Run("mariadb-page1000", func(b *testing.B) {
			loadMariaDB(b, my, csvPath)
			src := my.open(b, Config{Table: "bench_users", Key: "legacy_id"})
			benchReader(b, func() (source.Reader, error) { return src.Open("") }, nil)
		})
	}
}

// loadMariaDB loads the CSV into the table bench_users of s, once.
func loadMariaDB(b *testing.B, s *server, csvPath string) {
	benchData.myOnce.Do(func() {
		f, err := os.Open(csvPath)
		if err != nil {
			benchData.myErr = err
			return
		}
		defer f.Close()
		cols := "legacy_id bigint NOT NULL, login text, email text, mobile text, first_name text, last_name text, " +
			"birthday text, groups text, dept text, password text"
		if benchData.myErr = sqltest.LoadCSV(sqltest.Server{Name: s.name, DSN: s.dsn}, "bench_users", cols, f); benchData.myErr == nil {
			benchData.myErr = sqltest.MyExec(s.dsn, "ALTER TABLE bench_users ADD PRIMARY KEY (legacy_id)")
		}
	})
	if benchData.myErr != nil {
		b.Fatal(benchData.myErr)
	}
}

// benchReader reads every record of each reader open returns. It reports
// rows/s, the peak heap, and the CPU time per row of this process and, if
// server is set, of the server: server returns the CPU time of the read's
// server session so far, and is sampled with the heap every 10000 rows (the
// session ends with the read, so the last rows' share is not counted).
func benchReader(b *testing.B, open func() (source.Reader, error), server func() time.Duration) {
	runtime.GC()
	var ms runtime.MemStats
	peak, rows := uint64(0), 0
	var serverCPU, session time.Duration
	cpu0 := processCPU()
	start := time.Now()
	for b.Loop() {
		r, err := open()
		if err != nil {
			b.Fatal(err)
		}
		for n := 0; ; n++ {
			rec, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil || rec.Err != nil {
				b.Fatal(err, rec.Err)
			}
			if n%10000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
				if server != nil {
					session = server()
				}
			}
			rows++
		}
		serverCPU += session
		r.Close()
	}
	b.ReportMetric(float64(rows)/time.Since(start).Seconds(), "rows/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64((processCPU()-cpu0).Nanoseconds())/float64(rows), "client-cpu-ns/row")
	if server != nil {
		b.ReportMetric(float64(serverCPU.Nanoseconds())/float64(rows), "server-cpu-ns/row")
	}
}

// processCPU returns this process's user and system CPU time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// backendCPU returns the CPU time of the PostgreSQL backend serving the
// session named app (which started with the read), from /proc.
func backendCPU(b *testing.B, s *server, app string, pid *string) time.Duration {
	if *pid == "" {
		err := sqltest.PGQuery(s.dsn, "SELECT pid FROM pg_stat_activity WHERE application_name = '"+app+"'",
			func(v [][]byte) { *pid = string(v[0]) })
		if err != nil || *pid == "" {
			b.Fatalf("backend of %s: %q %v", app, *pid, err)
		}
	}
	stat, err := os.ReadFile("/proc/" + *pid + "/stat")
	if err != nil {
		b.Fatal(err)
	}
	f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+2:])) // fields from 3 on
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond // USER_HZ is 100 on Linux
}
