package sim_test

import (
	"slices"
	"testing"
	"time"

	"github.com/cpsim/cpsim/internal/fixture"
	"github.com/cpsim/cpsim/plan"
	"github.com/cpsim/cpsim/scenarios"
	"github.com/cpsim/cpsim/sim"
)

func loadWorkshop(t testing.TB) *plan.Scenario {
	t.Helper()
	return fixture.Scenario(t, scenarios.Default)
}

func run(t testing.TB, s *sim.Sim) *sim.Result {
	t.Helper()
	r, err := s.Run()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestWorkshop40(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		sc := loadWorkshop(t)
		sc.Seed = seed
		s, err := sim.New(sc, sim.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetDesiredCount("ecsdemo-capacityproviders-ec2", 40); err != nil {
			t.Fatal(err)
		}
		r := run(t, s)
		if !r.Steady || r.Stuck {
			t.Fatalf("seed %d: run ended steady=%v stuck=%v at %v", seed, r.Steady, r.Stuck, r.End)
		}
		od, spot := r.Providers[0], r.Providers[1]
		t.Logf("seed %d: od %+v spot %+v steady after %v", seed, od, spot, r.SteadyAfter)
		check := func(p sim.ProviderSummary, tasks int, per []int, res float64) {
			if p.Tasks != tasks || p.Instances != len(per) || p.Reservation != res || !slices.Equal(p.TasksPerInstance, per) {
				t.Errorf("seed %d: %s = %d tasks on %d instances %v, reservation %v; want %d on %d %v, reservation %v",
					seed, p.Name, p.Tasks, p.Instances, p.TasksPerInstance, p.Reservation, tasks, len(per), per, res)
			}
		}
		check(od, 9, []int{3, 3, 3, 0}, 75)
		check(spot, 31, []int{8, 8, 8, 7, 0}, 80)
	}
}

// spec/workshop.md: scaling back to 1 task, managed scaling scales both
// groups in after its 15-minute alarm until od keeps ceil(1/0.8) = 2
// instances and spot none.
func TestWorkshopBackToOne(t *testing.T) {
	sc := loadWorkshop(t)
	s, err := sim.New(sc, sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s.SetDesiredCount("ecsdemo-capacityproviders-ec2", 40)
	r := run(t, s)
	at40 := r.End
	s.SetDesiredCount("ecsdemo-capacityproviders-ec2", 1)
	r = run(t, s)
	if !r.Steady {
		t.Fatalf("not steady at %v", r.End)
	}
	od, spot := r.Providers[0], r.Providers[1]
	if od.Tasks != 1 || od.Instances != 2 || spot.Tasks != 0 || spot.Instances != 0 {
		t.Errorf("after scale-in: od %d tasks on %d instances, spot %d on %d; want od 1 on 2, spot 0 on 0",
			od.Tasks, od.Instances, spot.Tasks, spot.Instances)
	}
	// Spot sat exactly at its target (80) at 40 tasks, so its first
	// scale-in waits for 15 datapoints below target. (od sat at 75, below
	// its target already, so its alarm had been counting.)
	var first time.Duration = -1
	for _, e := range r.Timeline {
		if e.Kind == sim.ScaleIn && r.ProviderName(e.Provider) == "spot" {
			if first < 0 {
				first = e.T
			}
			if e.T < at40+15*time.Minute {
				t.Errorf("scale-in at %v, less than 15 minutes after the change at %v", e.T, at40)
			}
		}
	}
	if first < 0 {
		t.Fatal("no ScaleIn event")
	}
	// At most 50 % a step: spot goes 5 → 3 → 2 → 1 → 0.
	var spotSizes []int
	for _, e := range r.Timeline {
		if e.Kind == sim.ScaleIn && r.ProviderName(e.Provider) == "spot" {
			spotSizes = append(spotSizes, e.Count)
		}
	}
	if !slices.Equal(spotSizes, []int{3, 2, 1, 0}) {
		t.Errorf("spot scale-in steps %v, want [3 2 1 0]", spotSizes)
	}
}

// ecs-facts.md §6.2: pending tasks with zero instances → reservation 200,
// and the first scale-out launches two instances.
func TestScaleFromZero(t *testing.T) {
	sc := loadWorkshop(t)
	sc.CapacityProviders[0].AutoScalingGroup.DesiredCapacity = 0
	sc.Services[0].DesiredCount = 0
	s, err := sim.New(sc, sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s.SetDesiredCount("ecsdemo-capacityproviders-ec2", 10)
	r := run(t, s)
	var outs []sim.Event
	for _, e := range r.Timeline {
		if e.Kind == sim.ScaleOut {
			outs = append(outs, e)
		}
	}
	firstOf := map[string]sim.Event{}
	for _, e := range outs {
		if _, ok := firstOf[r.ProviderName(e.Provider)]; !ok {
			firstOf[r.ProviderName(e.Provider)] = e
		}
	}
	for _, p := range []string{"od", "spot"} {
		e, ok := firstOf[p]
		if !ok {
			t.Fatalf("%s never scaled out", p)
		}
		if e.Reservation != 200 || e.Count != 2 {
			t.Errorf("%s first scale-out: reservation %v to %d instances, want 200 to 2", p, e.Reservation, e.Count)
		}
	}
	if !r.Steady || r.Services[0].Running != 10 {
		t.Errorf("steady=%v running=%d, want steady with 10", r.Steady, r.Services[0].Running)
	}
}

func TestTooLargeTaskIsAReason(t *testing.T) {
	sc := loadWorkshop(t)
	sc.Services[0].TaskDefinition.Memory = 16384
	sc.Services[0].DesiredCount = 0
	s, err := sim.New(sc, sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s.SetDesiredCount("ecsdemo-capacityproviders-ec2", 3)
	r := run(t, s)
	if !r.Stuck {
		t.Fatalf("want a stuck run, got steady=%v stuck=%v", r.Steady, r.Stuck)
	}
	if len(r.Services[0].Unplaced) == 0 {
		t.Fatal("no unplaced reasons")
	}
	for _, u := range r.Services[0].Unplaced {
		if u.Reason.String() != "the task does not fit the smallest instance type of the Auto Scaling group" {
			t.Errorf("unplaced %+v: reason %q", u, u.Reason)
		}
	}
}
