package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cpsim/cpsim/internal/moto"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/*.txtar")

// TestMain gives every run fake credentials and no shared config files, so
// nothing real is ever used, and makes standard input "not a terminal".
func TestMain(m *testing.M) {
	home, err := os.MkdirTemp("", "cpapply-test")
	if err != nil {
		panic(err)
	}
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "AKIAMOTOTESTING", "AWS_SECRET_ACCESS_KEY": "moto-test-secret", "AWS_SESSION_TOKEN": "",
		"AWS_CONFIG_FILE": filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(home, "credentials"),
		"AWS_PROFILE": "", "AWS_REGION": "", "AWS_DEFAULT_REGION": "", "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": "",
	} {
		os.Setenv(k, v)
	}
	isTerminal = func() bool { return false }
	code := m.Run()
	moto.StopShared()
	os.RemoveAll(home)
	os.Exit(code)
}

// TestScripts runs each testdata/*.txtar: its files are written to a
// temporary directory, then each line of its "cmd" section runs cpapply
// and the transcript ("$ cpapply ARGS", stdout, stderr, "[exit N]") must
// equal its "want" section. A "moto" section starts moto_server with the
// workshop's groups, cluster and service. In commands and output, $DIR is
// the directory, $SCENARIOS the repository's scenarios, $ENDPOINT the
// moto URL.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	scen, _ := filepath.Abs("../../scenarios")
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			ar := parseTxtar(data)
			dir := t.TempDir()
			repl := []string{"$DIR", dir, "$SCENARIOS", scen}
			var cmds, wantOut string
			hasMoto := false
			for _, f := range ar.files {
				switch f.name {
				case "cmd":
					cmds = f.data
				case "want":
					wantOut = f.data
				case "moto":
					hasMoto = true
				default:
					if err := os.WriteFile(filepath.Join(dir, f.name), []byte(f.data), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			if hasMoto {
				srv := moto.Shared(t)
				moto.Workshop(t, srv)
				repl = append(repl, "$ENDPOINT", srv.URL)
			}
			expand := strings.NewReplacer(repl...)
			var unexpand []string
			for i := 0; i < len(repl); i += 2 {
				unexpand = append(unexpand, repl[i+1], repl[i])
			}
			collapse := strings.NewReplacer(unexpand...)

			var got bytes.Buffer
			for _, line := range strings.Split(strings.TrimSpace(cmds), "\n") {
				line = strings.TrimSpace(line)
				if line == "" || strings.HasPrefix(line, "#") {
					continue
				}
				var stdout, stderr bytes.Buffer
				code := exitCode(run(strings.Fields(expand.Replace(line)), &stdout, &stderr), &stderr)
				fmt.Fprintf(&got, "$ cpapply %s\n%s%s[exit %d]\n", line, collapse.Replace(stdout.String()), collapse.Replace(stderr.String()), code)
			}
			if *update {
				ar.set("want", got.String())
				if err := os.WriteFile(file, ar.format(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if d := cmp.Diff(wantOut, got.String()); d != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", file, d)
			}
		})
	}
}

// A minimal txtar (golang.org/x/tools/txtar's format): a comment, then
// files each introduced by a "-- name --" line.
type txtar struct {
	comment string
	files   []txtarFile
}

type txtarFile struct{ name, data string }

func parseTxtar(data []byte) *txtar {
	a := &txtar{}
	cur := &a.comment
	for _, line := range strings.SplitAfter(string(data), "\n") {
		if n, ok := strings.CutPrefix(strings.TrimRight(line, "\n"), "-- "); ok && strings.HasSuffix(n, " --") {
			a.files = append(a.files, txtarFile{name: strings.TrimSuffix(n, " --")})
			cur = &a.files[len(a.files)-1].data
			continue
		}
		*cur += line
	}
	return a
}

func (a *txtar) set(name, data string) {
	for i := range a.files {
		if a.files[i].name == name {
			a.files[i].data = data
			return
		}
	}
	a.files = append(a.files, txtarFile{name, data})
}

func (a *txtar) format() []byte {
	var b strings.Builder
	b.WriteString(a.comment)
	for _, f := range a.files {
		fmt.Fprintf(&b, "-- %s --\n%s", f.name, f.data)
	}
	return []byte(b.String())
}
