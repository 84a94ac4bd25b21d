package moto

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Server is a running moto_server.
type Server struct {
	// URL is the endpoint, http://127.0.0.1:PORT, for the SDK's BaseEndpoint.
	URL string

	cmd *exec.Cmd
	out *lockedBuffer
}

// StartTimeout bounds how long Start waits for moto_server to answer.
const StartTimeout = 30 * time.Second

// errNotInstalled is returned by start when moto_server is not on PATH.
var errNotInstalled = errors.New("moto_server is not on PATH; install it with: pip install 'moto[server]>=5'")

// Start runs moto_server on a free loopback port and returns once it
// answers HTTP. The server is stopped by t.Cleanup. Start skips the test
// when moto_server is not on PATH and fails it when the server does not
// come up within StartTimeout.
func Start(t testing.TB) *Server {
	t.Helper()
	s, stop, err := start()
	if errors.Is(err, errNotInstalled) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return s
}

var shared struct {
	mu   sync.Mutex
	s    *Server
	stop func()
	err  error
}

// Shared returns the package's one moto_server, started on first use, with
// every resource dropped (Reset): the first ECS, EC2 and Auto Scaling calls
// of a new server are slow, so tests that run one after another share it.
// Tests using it must not run in parallel. Call StopShared from TestMain
// after m.Run. Shared skips and fails as Start does.
func Shared(t testing.TB) *Server {
	t.Helper()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.s == nil && shared.err == nil {
		shared.s, shared.stop, shared.err = start()
	}
	if errors.Is(shared.err, errNotInstalled) {
		t.Skip(shared.err)
	}
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	shared.s.Reset(t)
	return shared.s
}

// StopShared stops the server Shared started, if any.
func StopShared() {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.stop != nil {
		shared.stop()
		shared.s, shared.stop = nil, nil
	}
}

func start() (*Server, func(), error) {
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		return nil, nil, errNotInstalled
	}
	port, err := freePort()
	if err != nil {
		return nil, nil, fmt.Errorf("moto: find a free port: %w", err)
	}
	out := &lockedBuffer{}
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Stdout, cmd.Stderr = out, out
	// moto reads AWS_* variables (an empty AWS_DEFAULT_REGION breaks it);
	// the server needs none of the test's.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	// Its own process group, so stopping it also stops the Python process
	// behind a pyenv shim.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("moto: start %s: %w", bin, err)
	}
	s := &Server{URL: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd, out: out}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	}
	deadline := time.Now().Add(StartTimeout)
	for {
		select {
		case err := <-exited:
			return nil, nil, fmt.Errorf("moto: moto_server exited before answering (%v):\n%s", err, out.String())
		default:
		}
		if s.ping() {
			return s, stop, nil
		}
		if time.Now().After(deadline) {
			stop()
			return nil, nil, fmt.Errorf("moto: moto_server did not answer on %s within %v:\n%s", s.URL, StartTimeout, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *Server) ping() bool {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/moto-api/", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return true
}

// Reset drops every resource of every service (moto's /moto-api/reset), so
// tests can share one server.
func (s *Server) Reset(t testing.TB) {
	t.Helper()
	resp, err := http.Post(s.URL+"/moto-api/reset", "application/json", nil)
	if err != nil {
		t.Fatalf("moto: reset: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("moto: reset: %s", resp.Status)
	}
}

// Log returns what moto_server printed so far (one line per request).
func (s *Server) Log() string { return s.out.String() }

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
