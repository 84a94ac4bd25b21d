package sim_test

import (
	"testing"
	"time"

	"github.com/cpsim/cpsim/plan"
	"github.com/cpsim/cpsim/sim"
)

// FuzzRun drives the workshop cluster through random desired counts, target
// capacities and interruptions, and checks the invariants: every group
// stays within [minSize, maxSize], the run ends, and the service's tasks
// split as the strategy says once steady.
func FuzzRun(f *testing.F) {
	f.Add(uint64(1), uint8(40), uint8(1), uint8(80), uint8(20), true)
	f.Add(uint64(2), uint8(200), uint8(3), uint8(100), uint8(5), false)
	f.Fuzz(func(t *testing.T, seed uint64, d1, d2, target, interruptAt uint8, random bool) {
		sc := loadWorkshop(t)
		sc.Seed = seed
		sc.Options.RandomSpotInterruptions = random
		tc := int(target)%100 + 1
		for i := range sc.CapacityProviders {
			sc.CapacityProviders[i].AutoScalingGroupProvider.ManagedScaling.TargetCapacity = &tc
		}
		svc := "ecsdemo-capacityproviders-ec2"
		sc.Events = []plan.Event{
			{At: 0, SetDesiredCount: &plan.SetDesiredCount{Service: svc, DesiredCount: int(d1)}},
			{At: plan.Duration(time.Duration(interruptAt) * time.Minute), InterruptInstances: &plan.InterruptInstances{Provider: "spot", Count: 1}},
			{At: plan.Duration(time.Duration(interruptAt)*time.Minute + 10*time.Minute), SetDesiredCount: &plan.SetDesiredCount{Service: svc, DesiredCount: int(d2)}},
		}
		if err := sc.Validate(); err != nil {
			t.Fatal(err)
		}
		s, err := sim.New(sc, sim.Config{MaxTime: 3 * 24 * time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.Run()
		if err != nil {
			t.Fatal(err)
		}
		for _, smp := range r.Series {
			for p, ps := range smp.Providers {
				g := sc.CapacityProviders[p].AutoScalingGroup
				// Instances being drained by a scale-in are no longer in
				// service; the group's members never exceed maxSize.
				if ps.InService > g.MaxSize || ps.InService < 0 {
					t.Fatalf("at %v provider %d has %d instances in service, max %d", smp.T, p, ps.InService, g.MaxSize)
				}
			}
		}
		if !r.Steady {
			t.Fatalf("not steady by %v", r.End)
		}
		for p, ps := range r.Providers {
			if g := sc.CapacityProviders[p].AutoScalingGroup; ps.Instances < g.MinSize || ps.Instances > g.MaxSize {
				t.Fatalf("end: provider %s has %d instances outside [%d, %d]", ps.Name, ps.Instances, g.MinSize, g.MaxSize)
			}
		}
		sv := r.Services[0]
		if sv.Running+sv.Provisioning != int(d2) {
			t.Fatalf("end: %d running + %d provisioning, want desired %d", sv.Running, sv.Provisioning, d2)
		}
		want := sc.Services[0].CapacityProviderStrategy.Split(int(d2))
		for i, it := range sc.Services[0].CapacityProviderStrategy {
			got := sv.TasksPerProvider[it.CapacityProvider]
			for _, u := range sv.Unplaced {
				if u.Provider == it.CapacityProvider {
					got += u.Count
				}
			}
			if got != want[i] {
				t.Fatalf("end: %s has %d tasks, split says %d", it.CapacityProvider, got, want[i])
			}
		}
	})
}
