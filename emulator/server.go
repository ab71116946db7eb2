package emulator

import (
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// maxBodyBytes is the largest TC3-signed POST body the API accepts (10 MB).
const maxBodyBytes = 10 << 20

// Server is an in-memory CIAM API. It implements http.Handler and is safe
// for concurrent use.
type Server struct {
	cfg      Config
	log      *slog.Logger
	stores   map[string]*userStore // fixed key set; values guarded by mu
	orgs     map[string]bool       // nil: any org is accepted
	limiters map[string]*slidingWindow
	faults   *faultRNG
	spec     atomic.Pointer[Faults] // current fault configuration
	stats    counters

	closeOnce sync.Once
	closing   chan struct{}

	public  atomic.Pointer[string] // base URL of export Locations
	dirOnce sync.Once
	dir     string // export files; removed by Close
	dirErr  error

	gmu       sync.RWMutex
	groupList []*userGroup // configured, then created groups; guarded by gmu

	mu    sync.Mutex
	calls map[string]int          // CreateUser calls per identity
	idRNG *rand.Rand              // user ids and job ids
	jobs  map[string][]*importJob // per store, in creation order
}

// New returns a server for cfg. It panics if cfg.Validate fails; Start and
// Listen return that error instead.
func New(cfg Config) *Server {
	if err := cfg.Validate(); err != nil {
		panic("emulator.New: " + err.Error())
	}
	cfg = cfg.withDefaults()
	s := &Server{
		cfg:       cfg,
		log:       cfg.Logger,
		stores:    map[string]*userStore{},
		groupList: configGroups(cfg),
		limiters:  map[string]*slidingWindow{},
		faults:    newFaultRNG(cfg.Seed),
		closing:   make(chan struct{}),
		calls:     map[string]int{},
		jobs:      map[string][]*importJob{},
		idRNG:     rand.New(rand.NewPCG(uint64(cfg.Seed), 0x75736572)),
	}
	if cfg.UserOrgs != nil {
		s.orgs = set(cfg.UserOrgs)
	}
	for _, id := range cfg.UserStores {
		s.stores[id] = newUserStore()
	}
	s.spec.Store(&cfg.Faults)
	for _, a := range emulatedActions {
		s.limiters[a] = newSlidingWindow(cfg.Rate, cfg.Now, cfg.QuotaDip)
	}
	return s
}

func set(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// Close makes requests still waiting out an injected latency end without an
// answer. It does not close listeners; see Running.Close. Idempotent.
func (s *Server) Close() error {
	s.closeOnce.Do(func() { close(s.closing) })
	s.dirOnce.Do(func() { s.dirErr = errors.New("server closed") })
	if s.dir != "" {
		return os.RemoveAll(s.dir)
	}
	return nil
}

// SetPublicURL sets the base URL ("http://HOST:PORT") of the Location of
// export jobs; Listen sets it to the bound address. Unset, a Location is a
// path alone ("/_emulator/exports/<id>.ndjson").
func (s *Server) SetPublicURL(u string) { s.public.Store(&u) }

func (s *Server) baseURL() string {
	if u := s.public.Load(); u != nil {
		return strings.TrimSuffix(*u, "/")
	}
	return ""
}

// exportDir creates, once, the directory of export files.
func (s *Server) exportDir() (string, error) {
	s.dirOnce.Do(func() { s.dir, s.dirErr = os.MkdirTemp("", "ciam-emulator-export-") })
	return s.dir, s.dirErr
}

// ServeHTTP answers one API 3.0 request, or a GET under /_emulator/.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, exportPath) {
		s.serveExport(w, r)
		return
	}
	if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, debugPrefix) {
		s.serveDebug(w, r)
		return
	}
	if r.Method == http.MethodPost && r.URL.Path == debugPrefix+"verify-password" {
		s.debugVerifyPassword(w, r)
		return
	}
	s.stats.requests.Add(1)
	rc := &call{lang: r.Header.Get("X-TC-Language"), requestID: newRequestID()}
	action, body, aerr := s.gate(r)
	if aerr != nil {
		if aerr.code == CodeRequestLimitExceeded {
			s.stats.rateLimited.Add(1)
		} else {
			s.stats.rejected.Add(1)
		}
		s.fail(w, rc, aerr)
		return
	}
	s.stats.admitted.Add(1)
	rc.action = action
	s.handle(w, rc, body)
}

// call carries what the answer to one request needs.
type call struct {
	action, lang, requestID string
}

// gate runs the checks the API gateway makes before an action sees the
// request, in this order: method, body size, Action/Version headers,
// Content-Type, signature, Region, quota.
func (s *Server) gate(r *http.Request) (string, []byte, *apiError) {
	if r.Method != http.MethodPost {
		if r.Method == http.MethodGet {
			return "", nil, errUnsupported("the emulator only implements POST with Content-Type application/json")
		}
		return "", nil, newError(CodeUnsupportedProtocol)
	}
	body, aerr := readBody(r)
	if aerr != nil {
		return "", nil, aerr
	}
	action, aerr := checkAction(r)
	if aerr != nil {
		return "", nil, aerr
	}
	if aerr := checkContentType(r); aerr != nil {
		return "", nil, aerr
	}
	if aerr := s.authenticate(r, body, s.cfg.Now()); aerr != nil {
		return "", nil, aerr
	}
	if r.Header.Get("X-TC-Region") == "" {
		return "", nil, errMissing("Region")
	}
	if lim := s.limiters[action]; !lim.admit() {
		return "", nil, errRateLimited(lim.limit+1, lim.limit)
	}
	return action, body, nil
}

func readBody(r *http.Request) ([]byte, *apiError) {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBodyBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, newError(CodeRequestSizeLimitExceeded)
	}
	if err != nil {
		return nil, errBody()
	}
	return body, nil
}

// checkAction validates X-TC-Version, then X-TC-Action.
func checkAction(r *http.Request) (string, *apiError) {
	action, version := r.Header.Get("X-TC-Action"), r.Header.Get("X-TC-Version")
	switch {
	case action == "":
		return "", errMissing("Action")
	case version == "":
		return "", errMissing("Version")
	case version != apiVersion:
		return "", errorf(CodeNoSuchVersion,
			"The specified api version=`%s` does not exist in service=`ciam`.", "接口版本`%s`不存在。", version)
	case slices.Contains(emulatedActions, action):
		return action, nil
	case slices.Contains(otherCIAMActions, action):
		return "", errUnsupported("the emulator does not implement action " + action)
	}
	return "", newError(CodeInvalidAction)
}

func checkContentType(r *http.Request) *apiError {
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
		return errUnsupported("the emulator only implements Content-Type application/json, got `" + ct + "`")
	}
	return nil
}

// fail answers aerr and accounts for it.
func (s *Server) fail(w http.ResponseWriter, rc *call, aerr *apiError) {
	s.stats.countError(aerr.code)
	s.log.Debug("ciam call", "action", rc.action, "code", aerr.code, "request_id", rc.requestID)
	writeError(w, aerr, rc.lang, rc.requestID)
}
