package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cpsim/cpsim/plan"
)

type quickJSON struct {
	SteadyAfterSeconds float64 `json:"steadyAfterSeconds"`
	Providers          []struct {
		Name             string         `json:"name"`
		Base             int            `json:"base"`
		Weight           int            `json:"weight"`
		TargetCapacity   int            `json:"targetCapacity"`
		Tasks            int            `json:"tasks"`
		Instances        int            `json:"instances"`
		TasksPerInstance []int          `json:"tasksPerInstance"`
		Reservation      float64        `json:"reservation"`
		InstanceTypes    map[string]int `json:"instanceTypes"`
	} `json:"providers"`
}

func cpsim(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return o.String(), e.String(), code
}

// The README's first command, on the built-in default (spec/workshop.md).
func TestQuickWorkshop(t *testing.T) {
	out, errOut, code := cpsim(t, "--desired", "40", "--weights", "od=1,spot=4", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got quickJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, out)
	}
	if got.SteadyAfterSeconds <= 0 {
		t.Errorf("steadyAfterSeconds = %v, want > 0", got.SteadyAfterSeconds)
	}
	want := []struct {
		name           string
		base, weight   int
		tasks          int
		per            []int
		reservation    float64
		instanceTotals int
	}{
		{"od", 1, 1, 9, []int{3, 3, 3, 0}, 75, 4},
		{"spot", 0, 4, 31, []int{8, 8, 8, 7, 0}, 80, 5},
	}
	if len(got.Providers) != 2 {
		t.Fatalf("%d providers, want 2", len(got.Providers))
	}
	for i, w := range want {
		p := got.Providers[i]
		n := 0
		for _, c := range p.InstanceTypes {
			n += c
		}
		if p.Name != w.name || p.Base != w.base || p.Weight != w.weight || p.TargetCapacity != 80 || p.Tasks != w.tasks ||
			p.Instances != len(w.per) || p.Reservation != w.reservation || n != w.instanceTotals || !slices.Equal(p.TasksPerInstance, w.per) {
			t.Errorf("provider %d = %+v, want %s base %d weight %d: %d tasks %v reservation %v", i, p, w.name, w.base, w.weight, w.tasks, w.per, w.reservation)
		}
	}
	table, _, code := cpsim(t, "--desired", "40", "--weights", "od=1,spot=4")
	if code != 0 || !strings.Contains(table, "3,3,3,0") || !strings.Contains(table, "8,8,8,7,0") || !strings.Contains(table, "steady after") {
		t.Errorf("table output (exit %d) lacks the workshop numbers:\n%s", code, table)
	}
}

func TestQuickBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"two providers with a base", []string{"--base", "od=1,spot=2"}, 1, "only one capacity provider in a strategy may have a base"},
		{"weight above 1000", []string{"--weights", "od=1001,spot=1"}, 1, "--weights od=1001: weight must be between 0 and 1000"},
		{"all weights zero", []string{"--weights", "od=0,spot=0"}, 1, "at least one capacity provider must have a weight greater than zero"},
		{"base above 100000", []string{"--base", "od=100001"}, 1, "--base od=100001: base must be between 0 and 100000"},
		{"unknown provider", []string{"--weights", "od=1,fargate=4"}, 1, `--weights: unknown capacity provider "fargate"`},
		{"target capacity 0", []string{"--target-capacity", "0"}, 1, "targetCapacity must be between 1 and 100"},
		{"target capacity 101", []string{"--target-capacity", "spot=101"}, 1, "targetCapacity must be between 1 and 100"},
		{"malformed weights", []string{"--weights", "od:1"}, 2, "want provider=number"},
		{"malformed desired", []string{"--desired", "forty"}, 2, `invalid argument "forty"`},
		{"bad output", []string{"-o", "yaml"}, 2, `-o "yaml"`},
		{"task larger than every type", []string{"--task-memory", "16384", "--desired", "3"}, 1, "the task does not fit the smallest instance type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := cpsim(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errOut)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr %q, want it to contain %q", errOut, tt.want)
			}
			if out != "" {
				t.Errorf("printed as if it worked:\n%s", out)
			}
		})
	}
}

func TestUnknownYAMLField(t *testing.T) {
	f := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(f, []byte("name: x\nseed: 1\nclustr: {}\n"), 0o644)
	out, errOut, code := cpsim(t, "--scenario", f)
	if code != 1 || !strings.Contains(errOut, "unknown field clustr") || out != "" {
		t.Errorf("exit %d stderr %q stdout %q; want exit 1 naming the unknown field", code, errOut, out)
	}
}

// --write-plan writes what was simulated; it parses back with the change.
func TestWritePlan(t *testing.T) {
	f := filepath.Join(t.TempDir(), "plan.yaml")
	_, errOut, code := cpsim(t, "--desired", "40", "--weights", "od=1,spot=3", "--target-capacity", "spot=90", "--write-plan", f)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := plan.Parse(f, b)
	if err != nil {
		t.Fatal(err)
	}
	sv := sc.Services[0]
	if sv.DesiredCount != 40 || sv.CapacityProviderStrategy[1].Weight != 3 || sv.CapacityProviderStrategy[0].Base != 1 ||
		*sc.Provider("spot").AutoScalingGroupProvider.ManagedScaling.TargetCapacity != 90 {
		t.Errorf("written plan: desired %d strategy %+v spot target %d", sv.DesiredCount, sv.CapacityProviderStrategy,
			*sc.Provider("spot").AutoScalingGroupProvider.ManagedScaling.TargetCapacity)
	}
}
