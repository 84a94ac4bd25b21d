package sim_test

import (
	"slices"
	"testing"
	"time"

	"github.com/cpsim/cpsim/internal/fixture"
	"github.com/cpsim/cpsim/plan"
	"github.com/cpsim/cpsim/sim"
)

func loadNamed(t testing.TB, name string) *plan.Scenario {
	t.Helper()
	return fixture.Scenario(t, name)
}

func runScenario(t testing.TB, sc *plan.Scenario) *sim.Result {
	t.Helper()
	s, err := sim.New(sc, sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return run(t, s)
}

// interruption returns the notice and the events of the interrupted
// instance's tasks and their replacements.
type interruption struct {
	notice      time.Duration
	instance    int32
	oldTasks    map[int32]bool
	replRunning []time.Duration
	replHealthy []time.Duration
	oldStopped  []time.Duration
	reclaimed   time.Duration
	killed      int // tasks stopped at the reclaim
}

func findInterruption(t *testing.T, r *sim.Result) interruption {
	t.Helper()
	var in interruption
	in.instance = -1
	for _, e := range r.Timeline {
		if e.Kind == sim.SpotInterruptionNotice {
			in.notice, in.instance = e.T, e.Instance
			break
		}
	}
	if in.instance < 0 {
		t.Fatal("no SpotInterruptionNotice")
	}
	in.oldTasks = map[int32]bool{}
	// The interrupted instance's tasks: placed there before the notice, or
	// (for a cluster that started with them) draining or stopped there.
	for _, e := range r.Timeline {
		if e.Instance == in.instance && e.Task >= 0 && (e.T < in.notice && e.Kind == sim.TaskPlaced || e.Kind == sim.TaskDraining || e.Kind == sim.TaskStopped) {
			in.oldTasks[e.Task] = true
		}
	}
	placedAfter := map[int32]bool{}
	for _, e := range r.Timeline {
		switch {
		case e.T < in.notice:
		case e.Kind == sim.TaskPlaced && e.T == in.notice:
			placedAfter[e.Task] = true
		case e.Kind == sim.TaskRunning && placedAfter[e.Task]:
			in.replRunning = append(in.replRunning, e.T-in.notice)
		case e.Kind == sim.TaskHealthy && placedAfter[e.Task]:
			in.replHealthy = append(in.replHealthy, e.T-in.notice)
		case e.Kind == sim.TaskStopped && in.oldTasks[e.Task]:
			in.oldStopped = append(in.oldStopped, e.T-in.notice)
			if e.T-in.notice == sim.SpotNotice {
				in.killed++
			}
		case e.Kind == sim.InstanceTerminated && e.Instance == in.instance:
			in.reclaimed = e.T - in.notice
		}
	}
	return in
}

func allEqual(t *testing.T, what string, got []time.Duration, want time.Duration, n int) {
	t.Helper()
	if len(got) != n {
		t.Errorf("%s: %d events, want %d", what, len(got), n)
	}
	for _, d := range got {
		if d != want {
			t.Errorf("%s at notice+%v, want notice+%v", what, d, want)
			return
		}
	}
}

// spec/workshop.md, "Spot interruption ... with Spot draining on".
func TestWorkshopInterruption(t *testing.T) {
	sc := loadNamed(t, "workshop-interruption")
	r := runScenario(t, sc)
	in := findInterruption(t, r)
	n := len(in.oldTasks)
	if n == 0 {
		t.Fatal("the interrupted instance ran no tasks")
	}
	allEqual(t, "replacement RUNNING", in.replRunning, 13*time.Second, n)
	allEqual(t, "replacement healthy", in.replHealthy, 13*time.Second+2*30*time.Second, n)
	allEqual(t, "old task stopped", in.oldStopped, 90*time.Second, n)
	if in.killed != 0 {
		t.Errorf("%d tasks killed by the reclaim, want 0", in.killed)
	}
	if in.reclaimed != 120*time.Second {
		t.Errorf("instance reclaimed at notice+%v, want +120s", in.reclaimed)
	}
	// Back to steady before the reclaim: everything settled by +90 s.
	for _, e := range r.Timeline {
		if e.T > in.notice && e.T < in.notice+120*time.Second && (e.Kind == sim.TaskPlaced || e.Kind == sim.TaskDraining) {
			t.Errorf("service still changing at notice+%v (%v)", e.T-in.notice, e.Kind)
		}
	}
	sv := r.Services[0]
	if !r.Steady || sv.Running != 1 || r.Providers[0].Instances != 2 || r.Providers[1].Instances != 0 {
		t.Errorf("end: steady=%v running=%d od instances=%d spot instances=%d; want steady, 1, 2, 0",
			r.Steady, sv.Running, r.Providers[0].Instances, r.Providers[1].Instances)
	}
}

// The running count through the interruption never drops below desired−3
// (it does not drop at all: draining tasks keep RUNNING until their
// replacements are up). The cluster starts steady at 40 tasks, so the
// minimum is measured from the interruption on.
func TestInterruptionKeepsRunningCount(t *testing.T) {
	sc := loadNamed(t, "workshop-interruption")
	sc.Services[0].DesiredCount = 40
	sc.Provider("od").AutoScalingGroup.DesiredCapacity = 4
	sc.Provider("spot").AutoScalingGroup.DesiredCapacity = 5
	sc.Events = []plan.Event{{At: plan.Duration(time.Minute), InterruptInstances: &plan.InterruptInstances{Provider: "spot", Count: 1, MostTasks: true}}}
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	r := runScenario(t, sc)
	if n := len(findInterruption(t, r).oldTasks); n < 3 {
		t.Fatalf("the interrupted instance ran %d tasks, want at least 3", n)
	}
	if got := r.Services[0].MinimumRunningSinceStep; got < 40-3 {
		t.Errorf("running count fell to %d during the interruption, want ≥ 37", got)
	}
}

// Spot draining off: the tasks die with the instance at 120 s and the
// service is short until replacements start.
func TestSpotDrainingOff(t *testing.T) {
	r := runScenario(t, loadNamed(t, "spot-draining-off"))
	in := findInterruption(t, r)
	n := len(in.oldTasks)
	if in.killed != n || n == 0 {
		t.Errorf("%d of %d tasks stopped by the reclaim at +120s, want all", in.killed, n)
	}
	for _, e := range r.Timeline {
		if e.Kind == sim.TaskDraining {
			t.Fatalf("a task drained at %v with Spot draining off", e.T)
		}
	}
	// Replacements start after the reclaim: RUNNING at +133 s, healthy +193 s.
	var firstRunning time.Duration = -1
	for _, e := range r.Timeline {
		if e.T > in.notice+sim.SpotNotice && e.Kind == sim.TaskRunning {
			firstRunning = e.T - in.notice
			break
		}
	}
	if firstRunning != 133*time.Second {
		t.Errorf("first replacement RUNNING at notice+%v, want +133s", firstRunning)
	}
	if !r.Steady || r.Services[0].Running != 40 {
		t.Errorf("end steady=%v running=%d, want 40", r.Steady, r.Services[0].Running)
	}
}

func TestSameSeedSameRunDifferentSeedDifferentInterruptions(t *testing.T) {
	notices := func(seed uint64) []time.Duration {
		sc := loadWorkshop(t)
		sc.Seed = seed
		sc.Options.RandomSpotInterruptions = true
		// A risky pool so that a day sees interruptions.
		for i := range sc.CapacityProviders[1].AutoScalingGroup.MixedInstancesPolicy.LaunchTemplate.Overrides {
			o := sc.CapacityProviders[1].AutoScalingGroup.MixedInstancesPolicy.LaunchTemplate.Overrides[i]
			sc.SpotPools = append(sc.SpotPools, plan.SpotPool{InstanceType: o.InstanceType, InterruptionFrequency: ">20%"})
		}
		s, err := sim.New(sc, sim.Config{Until: 30 * 24 * time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		s.SetDesiredCount("ecsdemo-capacityproviders-ec2", 40)
		r := run(t, s)
		var out []time.Duration
		for _, e := range r.Timeline {
			if e.Kind == sim.SpotInterruptionNotice {
				out = append(out, e.T)
			}
		}
		return out
	}
	a, b, c := notices(7), notices(7), notices(8)
	if len(a) == 0 {
		t.Fatal("no random interruption in 30 days at >20%/month on 5 instances")
	}
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different interruptions: %v vs %v", a, b)
	}
	if slices.Equal(a, c) {
		t.Errorf("seeds 7 and 8 gave the same interruptions %v", a)
	}
}
