package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"flag"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// timelineScenario is the workshop cluster with scripted events: scale the
// service to 40 tasks, then reclaim the busiest Spot instance at 20m.
const timelineScenario = "testdata/workshop-timeline.yaml"

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/cpsim -run TestRun -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("cpsim run -o %s: mismatch (-want +got):\n%s", strings.TrimPrefix(filepath.Ext(name), "."), diff)
	}
}

func TestRunGolden(t *testing.T) {
	for _, format := range []string{"table", "json", "csv"} {
		t.Run("o="+format, func(t *testing.T) {
			out, errOut, code := cpsim(t, "run", timelineScenario, "-o", format)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			golden(t, "workshop-timeline."+format, out)
		})
	}
}

type runJSON struct {
	Summary struct {
		Scenario   string  `json:"scenario"`
		Steady     bool    `json:"steady"`
		EndSeconds float64 `json:"endSeconds"`
		Providers  []struct {
			Name           string  `json:"name"`
			TargetCapacity int     `json:"targetCapacity"`
			RunCost        float64 `json:"runCost"`
		} `json:"providers"`
		Cost *struct {
			PerHour       float64 `json:"perHour"`
			SavingPercent float64 `json:"savingPercent"`
			Run           float64 `json:"run"`
		} `json:"cost"`
	} `json:"summary"`
	Events []struct {
		T           *float64 `json:"t"`
		Kind        string   `json:"kind"`
		Instance    string   `json:"instance"`
		Task        string   `json:"task"`
		Provider    string   `json:"provider"`
		Service     string   `json:"service"`
		Pool        string   `json:"pool"`
		AZ          string   `json:"az"`
		Count       *int     `json:"count"`
		Reservation *float64 `json:"reservation"`
	} `json:"events"`
}

func TestRunJSON(t *testing.T) {
	out, errOut, code := cpsim(t, "run", timelineScenario, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got runJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, out)
	}
	s := got.Summary
	if s.Scenario != "workshop-timeline" || !s.Steady || len(s.Providers) != 2 || s.Cost == nil || s.Cost.Run <= 0 || s.Cost.SavingPercent <= 0 {
		t.Errorf("summary = %+v, want the steady workshop-timeline run with two providers and a cost", s)
	}
	kinds := map[string]int{}
	last := 0.0
	for i, e := range got.Events {
		kinds[e.Kind]++
		if e.T == nil || *e.T < last {
			t.Fatalf("event %d (%s): t %v missing or before %v", i, e.Kind, e.T, last)
		}
		last = *e.T
		if strings.HasPrefix(e.Kind, "Task") && (e.Task == "" || e.Service == "" || e.Provider == "") {
			t.Errorf("event %d %+v: a task event names its task, service and provider", i, e)
		}
		if strings.HasPrefix(e.Kind, "Instance") || e.Kind == "SpotInterruptionNotice" {
			if e.Instance == "" || e.AZ == "" || !strings.HasSuffix(e.Pool, "/"+e.AZ) || e.Task != "" || e.Service != "" {
				t.Errorf("event %d %+v: an instance event names its instance and pool type/AZ, and no task or service", i, e)
			}
		}
		if (e.Kind == "ScaleOut" || e.Kind == "ScaleIn") && (e.Count == nil || e.Reservation == nil || e.Instance != "") {
			t.Errorf("event %d %+v: a scaling action has the new desired capacity and the reservation", i, e)
		}
	}
	for _, k := range []string{"DesiredCountChanged", "ScaleOut", "InstanceLaunched", "InstanceRegistered", "TaskPlaced", "TaskRunning",
		"TaskHealthy", "SpotInterruptionNotice", "InstanceDraining", "TaskDraining", "TaskStopped", "InstanceTerminated"} {
		if kinds[k] == 0 {
			t.Errorf("no %s event; kinds: %v", k, kinds)
		}
	}
	// Every task event is there, not aggregated: 39 new tasks, each placed,
	// running and healthy at least once.
	if kinds["TaskPlaced"] < 39 || kinds["TaskHealthy"] < 39 {
		t.Errorf("TaskPlaced %d, TaskHealthy %d; want every task's event (>= 39)", kinds["TaskPlaced"], kinds["TaskHealthy"])
	}
}

func TestRunCSV(t *testing.T) {
	out, errOut, code := cpsim(t, "run", timelineScenario, "-o", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("bad CSV: %v\n%s", err, out)
	}
	wantHeader := []string{"t_seconds",
		"od_instances", "od_running", "od_pending", "od_provisioning", "od_reservation", "od_cost_usd",
		"spot_instances", "spot_running", "spot_pending", "spot_provisioning", "spot_reservation", "spot_cost_usd"}
	if diff := cmp.Diff(wantHeader, recs[0]); diff != "" {
		t.Errorf("header: mismatch (-want +got):\n%s", diff)
	}
	js, _, _ := cpsim(t, "run", timelineScenario, "-o", "json")
	var run runJSON
	if err := json.Unmarshal([]byte(js), &run); err != nil {
		t.Fatal(err)
	}
	// One row per simulated minute, from 0 to the end of the run.
	wantRows := int(math.Floor(run.Summary.EndSeconds/60)) + 1
	if len(recs)-1 != wantRows {
		t.Errorf("%d rows, want %d (a row per minute of %vs)", len(recs)-1, wantRows, run.Summary.EndSeconds)
	}
	for i, rec := range recs[1:] {
		if want := []string{"0", "60", "120"}; i < len(want) && rec[0] != want[i] {
			t.Errorf("row %d: t_seconds %s, want %s", i, rec[0], want[i])
		}
	}
}

// The plot is a valid image of the format its name asks for.
func TestRunPlot(t *testing.T) {
	dir := t.TempDir()
	for _, ext := range []string{"svg", "png", "PNG"} {
		t.Run(ext, func(t *testing.T) {
			f := filepath.Join(dir, "run."+ext)
			_, errOut, code := cpsim(t, "run", timelineScenario, "-o", "csv", "--plot", f)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if len(b) < 10_000 {
				t.Errorf("%s is %d bytes, want a real plot", f, len(b))
			}
			if strings.ToLower(ext) == "png" {
				img, err := png.Decode(bytes.NewReader(b))
				if err != nil {
					t.Fatalf("not a PNG: %v", err)
				}
				if r := img.Bounds(); r.Dx() < 400 || r.Dy() < 400 {
					t.Errorf("PNG is %v, want at least 400×400", r)
				}
				return
			}
			var root struct{ XMLName xml.Name }
			if err := xml.Unmarshal(b, &root); err != nil || root.XMLName.Local != "svg" {
				t.Errorf("not an SVG document: root %q, %v", root.XMLName.Local, err)
			}
			for _, s := range []string{"Spot interruption notice", "targetCapacity 80", "spot running"} {
				if !bytes.Contains(b, []byte(s)) {
					t.Errorf("SVG lacks %q", s)
				}
			}
		})
	}
}

// The same scenario and seed give the same bytes, plot included.
func TestRunDeterministic(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{"-o", "table"}, {"-o", "json", "--seed", "7"}, {"-o", "csv", "--seed", "7"}} {
		var outs, plots [2]string
		for i := range 2 {
			plot := filepath.Join(dir, "p.png")
			a := append([]string{"run", timelineScenario, "--plot", plot}, args...)
			out, errOut, code := cpsim(t, a...)
			if code != 0 {
				t.Fatalf("cpsim %v: exit %d: %s", a, code, errOut)
			}
			b, err := os.ReadFile(plot)
			if err != nil {
				t.Fatal(err)
			}
			outs[i], plots[i] = out, string(b)
		}
		if diff := cmp.Diff(outs[0], outs[1]); diff != "" {
			t.Errorf("cpsim run %v twice: mismatch (-want +got):\n%s", args, diff)
		}
		if plots[0] != plots[1] {
			t.Errorf("cpsim run %v twice: the plots differ", args)
		}
	}
}

func TestRunBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"plot extension", []string{"--plot", "out.pdf"}, 2, `--plot "out.pdf": want a file name ending in .svg or .png`},
		{"plot without extension", []string{"--plot", "out"}, 2, "want a file name ending in .svg or .png"},
		{"bad output", []string{"-o", "yaml"}, 2, `-o "yaml": want table, json or csv`},
		{"two scenarios", []string{"a.yaml", "b.yaml"}, 2, "cpsim run takes one scenario, got 2"},
		{"unknown flag", []string{"--desired", "4"}, 2, "unknown flag: --desired"},
		{"missing scenario", []string{"testdata/nonesuch.yaml"}, 1, "load scenario testdata/nonesuch.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := cpsim(t, append([]string{"run"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errOut, tt.want) || out != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit %d, stderr containing %q, no output", code, errOut, out, tt.code, tt.want)
			}
		})
	}
}
