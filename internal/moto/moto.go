package moto

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strconv"
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

// Start runs moto_server on a free loopback port and returns once it
// answers HTTP. The server is stopped by t.Cleanup. Start skips the test
// when moto_server is not on PATH and fails it when the server does not
// come up within StartTimeout.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		t.Skip("moto_server is not on PATH; install it with: pip install 'moto[server]>=5'")
	}
	port, err := freePort()
	if err != nil {
		t.Fatalf("moto: find a free port: %v", err)
	}
	out := &lockedBuffer{}
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Stdout, cmd.Stderr = out, out
	// Its own process group, so stopping it also stops the Python process
	// behind a pyenv shim.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("moto: start %s: %v", bin, err)
	}
	s := &Server{URL: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd, out: out}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	})
	deadline := time.Now().Add(StartTimeout)
	for {
		select {
		case err := <-exited:
			t.Fatalf("moto: moto_server exited before answering (%v):\n%s", err, out.String())
		default:
		}
		if s.ping() {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("moto: moto_server did not answer on %s within %v:\n%s", s.URL, StartTimeout, out.String())
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
