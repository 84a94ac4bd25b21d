package scenarios_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cpsim/cpsim/plan"
	"github.com/cpsim/cpsim/report"
	"github.com/cpsim/cpsim/scenarios"
	"github.com/cpsim/cpsim/sim"
)

var update = flag.Bool("update", false, "rewrite the golden summaries")

// Every embedded scenario runs to a steady end whose summary matches its
// golden file (go test ./scenarios -update rewrites them; review the diff).
func TestGoldenSummaries(t *testing.T) {
	for _, name := range scenarios.Names() {
		t.Run(name, func(t *testing.T) {
			b, err := scenarios.Read(name)
			if err != nil {
				t.Fatal(err)
			}
			sc, err := plan.Parse(name, b)
			if err != nil {
				t.Fatal(err)
			}
			s, err := sim.New(sc, sim.Config{})
			if err != nil {
				t.Fatal(err)
			}
			r, err := s.Run()
			if err != nil {
				t.Fatal(err)
			}
			if !r.Steady || r.Stuck {
				t.Errorf("ended steady=%v stuck=%v at %v", r.Steady, r.Stuck, r.End)
			}
			var got bytes.Buffer
			if err := report.WriteJSON(&got, report.NewSummary(name, r)); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", name+".summary.json")
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got.String()); diff != "" {
				t.Errorf("summary mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
