package sim

import (
	"testing"

	"github.com/cpsim/cpsim/plan"
	"github.com/cpsim/cpsim/scenarios"
)

// The per-provider counts that setState keeps must equal a scan of every
// task, at the end of every embedded scenario.
func TestStateCountsMatchAScan(t *testing.T) {
	for _, name := range scenarios.Names() {
		b, _ := scenarios.Read(name)
		sc, err := plan.Parse(name, b)
		if err != nil {
			t.Fatal(err)
		}
		sc.Options.RandomSpotInterruptions = true
		s, err := New(sc, Config{})
		if err != nil {
			t.Fatal(err)
		}
		check := func(when string) {
			scan := make([]stateCounts, len(s.prov))
			for i := range s.tasks {
				tk := &s.tasks[i]
				scan[tk.prov].n[tk.state]++
				if tk.state == Stopping && tk.ran {
					scan[tk.prov].drainingRan++
				}
			}
			for p := range s.prov {
				if scan[p] != s.prov[p].counts {
					t.Fatalf("%s %s: provider %s counts %+v, scan %+v", name, when, s.prov[p].name, s.prov[p].counts, scan[p])
				}
			}
		}
		check("at start")
		for s.q.len() > 0 && !s.ended {
			it := s.q.pop()
			s.now = it.t
			if err := s.handle(it); err != nil {
				t.Fatal(err)
			}
			check(it.t.String())
		}
	}
}
