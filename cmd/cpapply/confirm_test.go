package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/cpsim/cpsim/internal/moto"
)

// TestConfirm answers apply's question on a (pretended) terminal.
func TestConfirm(t *testing.T) {
	srv := moto.Shared(t)
	moto.Workshop(t, srv)
	isTerminal = func() bool { return true }
	t.Cleanup(func() { isTerminal = func() bool { return false } })
	args := []string{"apply", "--poll-interval", "10ms", "--region", moto.Region, "--endpoint-url", srv.URL, "../../scenarios/workshop.yaml"}
	for _, tt := range []struct {
		answer, want string
		code         int
	}{
		{"no\n", "cpapply: apply cancelled\n", 1},
		{"yes\n", "Apply complete: 2 created, 2 updated, 0 deleted.", 0},
		{"", "No changes.", 0}, // nothing to ask
	} {
		stdin = strings.NewReader(tt.answer)
		var out, errOut bytes.Buffer
		code := exitCode(run(args, &out, &errOut), &errOut)
		if code != tt.code || !strings.Contains(out.String()+errOut.String(), tt.want) {
			t.Errorf("answer %q: exit %d, output:\n%s%s\nwant exit %d and %q", tt.answer, code, out.String(), errOut.String(), tt.code, tt.want)
		}
	}
}
