package bench

// Compare two commits with benchstat (go install golang.org/x/perf/cmd/benchstat@latest):
//
//	git stash; go test ./bench -run '^$' -bench . -benchmem -count 6 > old.txt; git stash pop
//	go test ./bench -run '^$' -bench . -benchmem -count 6 > new.txt
//	benchstat old.txt new.txt

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/cpsim/cpsim/binpack"
	"github.com/cpsim/cpsim/internal/fixture"
	"github.com/cpsim/cpsim/plan"
	"github.com/cpsim/cpsim/sim"
	"github.com/cpsim/cpsim/strategy"
)

// BenchmarkSplit splits a service's desired count over the 20 capacity
// providers ECS allows in a strategy.
func BenchmarkSplit(b *testing.B) {
	st := make(strategy.Strategy, strategy.MaxItems)
	for i := range st {
		st[i] = strategy.Item{CapacityProvider: fmt.Sprintf("cp%02d", i), Weight: 1 + i*37%strategy.MaxWeight}
	}
	st[0].Base = 10
	if err := st.Validate(); err != nil {
		b.Fatal(err)
	}
	counts := make([]int, len(st))
	for _, desired := range []int{1000, 100000, 1000000} {
		b.Run(fmt.Sprintf("providers=%d/desired=%d", len(st), desired), func(b *testing.B) {
			for b.Loop() {
				st.SplitInto(counts, desired)
			}
			sum := 0
			for _, c := range counts {
				sum += c
			}
			if sum != desired {
				b.Fatalf("split sums to %d, want %d", sum, desired)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "splits/s")
		})
	}
}

// BenchmarkPlaceClusterAutoscaler is the Kubernetes cluster-autoscaler's
// BenchmarkBinpackingEstimate as ECS placement: 1,000 tasks of 95 CPU units
// and 50,000 of 50 onto empty instances of 1,000 units with a 100-task
// limit, binpack on CPU. It must use exactly 2,595 instances and place
// every task.
func BenchmarkPlaceClusterAutoscaler(b *testing.B) {
	const want = 2595
	empty := make([]binpack.Node, 3000)
	for i := range empty {
		empty[i] = binpack.Node{InstanceType: "ca.node", AZ: fixture.AZs[i%3], FreeCPU: 1000, FreeMemory: 1 << 30, FreeSlots: 100}
	}
	groups := []binpack.Group{{Task: binpack.Task{CPU: 95}, Count: 1000}, {Task: binpack.Task{CPU: 50}, Count: 50000}}
	tasks := groups[0].Count + groups[1].Count
	st := []binpack.Strategy{{Type: binpack.Binpack, Field: "cpu"}}
	b.Run(fmt.Sprintf("tasks=%d", tasks), func(b *testing.B) {
		nodes := slices.Clone(empty)
		var p binpack.Placer
		for b.Loop() {
			copy(nodes, empty)
			for _, g := range groups {
				if r := p.Place(nodes, binpack.Request{Task: g.Task, Count: g.Count, Strategies: st}); r.Unplaced != 0 {
					b.Fatalf("%d tasks of %d CPU unplaced: %v", r.Unplaced, g.Task.CPU, r.Reason)
				}
			}
		}
		used := 0
		for _, n := range nodes {
			if n.FreeSlots < 100 {
				used++
			}
		}
		if used != want {
			b.Fatalf("used %d instances, want %d", used, want)
		}
		b.ReportMetric(float64(tasks)*float64(b.N)/b.Elapsed().Seconds(), "tasks/s")
		b.ReportMetric(float64(used), "instances")
	})
}

// placeTask fits 535 tasks per ten fixture.Types instances: 100,000 tasks
// take a little over a third of 5,000 instances' capacity.
var placeTask = binpack.Task{CPU: 64, Memory: 128}

// BenchmarkPlace places one service on a mixed cluster of ten instance
// types in three AZs, per placement strategy. The sizes trace cost growth:
// tasks at 10k/100k/250k on 5,000 instances, and instances at
// 500/5,000/50,000 for 20,000 tasks.
func BenchmarkPlace(b *testing.B) {
	strategies := []struct {
		name string
		st   []binpack.Strategy
	}{
		{"binpack", []binpack.Strategy{{Type: binpack.Binpack, Field: "memory"}}},
		{"spread", binpack.DefaultService},
		{"random", []binpack.Strategy{{Type: binpack.Random}}},
	}
	sizes := []struct{ tasks, instances int }{
		{100000, 5000},
		{10000, 5000}, {250000, 5000},
		{20000, 500}, {20000, 5000}, {20000, 50000},
	}
	for _, s := range strategies {
		for _, z := range sizes {
			b.Run(fmt.Sprintf("strategy=%s/tasks=%d/instances=%d/types=%d", s.name, z.tasks, z.instances, len(fixture.Types)), func(b *testing.B) {
				empty := fixture.Nodes(b, z.instances, fixture.Types...)
				nodes := slices.Clone(empty)
				var p binpack.Placer
				req := binpack.Request{Task: placeTask, Count: z.tasks, Strategies: s.st, Rand: fixture.Rand(1)}
				for b.Loop() {
					copy(nodes, empty)
					if r := p.Place(nodes, req); r.Unplaced != 0 {
						b.Fatalf("%d tasks unplaced: %v", r.Unplaced, r.Reason)
					}
				}
				b.ReportMetric(float64(z.tasks)*float64(b.N)/b.Elapsed().Seconds(), "tasks/s")
			})
		}
	}
}

// BenchmarkStop scales a 100,000-task service on 5,000 instances in by
// half, per placement strategy.
func BenchmarkStop(b *testing.B) {
	for _, s := range []struct {
		name string
		st   []binpack.Strategy
	}{
		{"binpack", []binpack.Strategy{{Type: binpack.Binpack, Field: "memory"}}},
		{"spread", binpack.DefaultService},
		{"random", []binpack.Strategy{{Type: binpack.Random}}},
	} {
		b.Run(fmt.Sprintf("strategy=%s/tasks=100000/instances=5000/stop=50000", s.name), func(b *testing.B) {
			full := fixture.Nodes(b, 5000, fixture.Types...)
			var p binpack.Placer
			rng := fixture.Rand(1)
			if r := p.Place(full, binpack.Request{Task: placeTask, Count: 100000, Strategies: s.st, Rand: rng}); r.Unplaced != 0 {
				b.Fatalf("%d unplaced", r.Unplaced)
			}
			nodes := slices.Clone(full)
			for b.Loop() {
				copy(nodes, full)
				if got := fixture.Sum(p.Stop(nodes, placeTask, 50000, s.st, rng)); got != 50000 {
					b.Fatalf("stopped %d, want 50000", got)
				}
			}
			b.ReportMetric(50000*float64(b.N)/b.Elapsed().Seconds(), "tasks/s")
		})
	}
}

// BenchmarkEstimate computes M for 100,000 PROVISIONING tasks of five sizes
// on a group of the ten fixture types.
func BenchmarkEstimate(b *testing.B) {
	shapes := make([]binpack.Shape, len(fixture.Types))
	for i, t := range fixture.Types {
		shapes[i] = binpack.Shape{CPU: t.CPU, Memory: t.Memory}
	}
	sizes := []binpack.Task{{CPU: 256, Memory: 512}, {CPU: 512, Memory: 1024}, {CPU: 1024, Memory: 2048}, {CPU: 128, Memory: 1536}, {CPU: 2048, Memory: 512}}
	groups := make([]binpack.Group, len(sizes))
	for i, t := range sizes {
		groups[i] = binpack.Group{Task: t, Count: 20000}
	}
	b.Run(fmt.Sprintf("tasks=%d/sizes=%d", 100000, len(sizes)), func(b *testing.B) {
		var m int
		for b.Loop() {
			m, _ = binpack.Estimate(shapes, groups)
		}
		b.ReportMetric(float64(100000)*float64(b.N)/b.Elapsed().Seconds(), "tasks/s")
		b.ReportMetric(float64(m), "instances")
	})
}

// BenchmarkWorkshopQuick is cpsim's quick mode on the built-in workshop
// scenario, in process: the 1 → 40 task scale-out to steady.
func BenchmarkWorkshopQuick(b *testing.B) {
	sc := fixture.Scenario(b, "workshop")
	for b.Loop() {
		s, err := sim.New(sc, sim.Config{})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.SetDesiredCount("ecsdemo-capacityproviders-ec2", 40); err != nil {
			b.Fatal(err)
		}
		r, err := s.Run()
		if err != nil {
			b.Fatal(err)
		}
		if !r.Steady || r.Services[0].Running != 40 {
			b.Fatalf("steady=%v running=%d, want steady with 40", r.Steady, r.Services[0].Running)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "runs/s")
}

func loadScenario(b *testing.B, name string) *plan.Scenario {
	b.Helper()
	data, err := os.ReadFile("testdata/" + name + ".yaml")
	if err != nil {
		b.Fatal(err)
	}
	return fixture.ParseScenario(b, name+".yaml", data)
}

// runScenario runs sc once per iteration and reports events/s (with the
// timeline), simulated seconds per wall second, and heap bytes allocated
// per task and per instance of the final cluster.
func runScenario(b *testing.B, sc *plan.Scenario, cfg sim.Config, tasks, instances int) {
	var r *sim.Result
	var events int
	var simTime time.Duration
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	for b.Loop() {
		s, err := sim.New(sc, cfg)
		if err != nil {
			b.Fatal(err)
		}
		if r, err = s.Run(); err != nil {
			b.Fatal(err)
		}
		events += len(r.Timeline)
		simTime += r.End
	}
	runtime.ReadMemStats(&ms1)
	if !r.Steady || r.Stuck || r.Services[0].Running != tasks || len(r.Instances) != instances {
		b.Fatalf("steady=%v stuck=%v running=%d instances=%d; want %d tasks on %d instances",
			r.Steady, r.Stuck, r.Services[0].Running, len(r.Instances), tasks, instances)
	}
	sec := b.Elapsed().Seconds()
	if !cfg.NoTimeline {
		b.ReportMetric(float64(events)/sec, "events/s")
	}
	b.ReportMetric(simTime.Seconds()/sec, "simsec/s")
	perRun := float64(ms1.TotalAlloc-ms0.TotalAlloc) / float64(b.N)
	b.ReportMetric(perRun/float64(tasks), "B/task")
	b.ReportMetric(perRun/float64(instances), "B/instance")
}

// BenchmarkScaleOut scales a service from 0 to 100,000 tasks on a group
// with a 5,000-instance ceiling (testdata/scale-out.yaml): every instance
// launches, registers and is filled.
func BenchmarkScaleOut(b *testing.B) {
	sc := loadScenario(b, "scale-out")
	for _, tl := range []bool{true, false} {
		b.Run(fmt.Sprintf("tasks=100000/instances=5000/timeline=%v", tl), func(b *testing.B) {
			runScenario(b, sc, sim.Config{NoTimeline: !tl}, 100000, 5000)
		})
	}
}

// BenchmarkDay runs 24 simulated hours of a 2,000-instance Spot cluster
// with 40,000 tasks (testdata/day.yaml): random Spot interruptions drawn
// from the pools' advisor buckets (options.randomSpotInterruptions) plus a
// scripted reclaim of 20 instances every two hours.
func BenchmarkDay(b *testing.B) {
	sc := loadScenario(b, "day")
	for _, tl := range []bool{true, false} {
		b.Run(fmt.Sprintf("hours=24/instances=2000/tasks=40000/timeline=%v", tl), func(b *testing.B) {
			runScenario(b, sc, sim.Config{NoTimeline: !tl}, 40000, 2000)
		})
	}
}
