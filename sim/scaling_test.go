package sim_test

import (
	"testing"
	"time"

	"github.com/cpsim/cpsim/plan"
	"github.com/cpsim/cpsim/sim"
	"github.com/cpsim/cpsim/strategy"
)

// With managed termination protection, scale-in terminates only instances
// without tasks (ECS-MODEL: "Amazon ECS prevents the Amazon EC2 instances
// in an Auto Scaling group that contain tasks from being terminated during
// a scale-in action"), so no task is drained by a scale-in.
func TestManagedTerminationProtection(t *testing.T) {
	sc := loadWorkshop(t)
	for i := range sc.CapacityProviders {
		cp := &sc.CapacityProviders[i]
		cp.AutoScalingGroupProvider.ManagedTerminationProtection = "ENABLED"
		cp.AutoScalingGroup.NewInstancesProtectedFromScaleIn = true
	}
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(sc, sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s.SetDesiredCount("ecsdemo-capacityproviders-ec2", 40)
	run(t, s)
	s.SetDesiredCount("ecsdemo-capacityproviders-ec2", 1)
	r := run(t, s)
	for _, e := range r.Timeline {
		if e.Kind == sim.InstanceDraining {
			t.Errorf("instance %s drained at %v: protected instances with tasks must not be scaled in", r.InstanceID(e.Instance), e.T)
		}
	}
	if od := r.Providers[0]; od.Tasks != 1 || od.Instances != 2 {
		t.Errorf("od: %d tasks on %d instances, want 1 on 2", od.Tasks, od.Instances)
	}
}

// The PROVISIONING quota holds tasks beyond it back (Waiting), so managed
// scaling sees only the quota's worth at first.
func TestProvisioningQuota(t *testing.T) {
	sc := loadWorkshop(t)
	limit := 10
	sc.Options.MaxProvisioningTasks = &limit
	s, err := sim.New(sc, sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s.SetDesiredCount("ecsdemo-capacityproviders-ec2", 40)
	r := run(t, s)
	if !r.Steady || r.Services[0].Running != 40 {
		t.Fatalf("steady=%v running=%d, want all 40 in the end", r.Steady, r.Services[0].Running)
	}
	if r.Series[1].Providers[0].Provisioning+r.Series[1].Providers[1].Provisioning != 40-6 {
		t.Errorf("unplaced tasks at the first minute: %+v", r.Series[1])
	}
	// With the quota, the first spot scale-out sees 10 tasks (2 instances'
	// worth), not 31.
	for _, e := range r.Timeline {
		if e.Kind == sim.ScaleOut && r.ProviderName(e.Provider) == "spot" {
			if e.Count != 2 {
				t.Errorf("first spot scale-out to %d, want 2", e.Count)
			}
			break
		}
	}
}

// A task that waits longer than the provisioning timeout stops, and the
// service launches another.
func TestProvisioningTimeout(t *testing.T) {
	sc := loadWorkshop(t)
	sc.Provider("spot").AutoScalingGroup.MaxSize = 1 // 8 tasks of 31 fit
	sc.Options.RunFor = nil
	s, err := sim.New(sc, sim.Config{Until: 45 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	s.SetDesiredCount("ecsdemo-capacityproviders-ec2", 40)
	r := run(t, s)
	timeouts := 0
	for _, e := range r.Timeline {
		if e.Kind == sim.TaskStopped && e.Instance < 0 && e.Detail != "" {
			timeouts++
			if e.T < 30*time.Minute {
				t.Errorf("task stopped for provisioning timeout at %v, before 30 minutes", e.T)
			}
		}
	}
	if timeouts != 31-8 {
		t.Errorf("%d provisioning timeouts, want 23", timeouts)
	}
	if !r.Stuck || r.Services[0].Provisioning != 23 {
		t.Errorf("stuck=%v provisioning=%d, want stuck with 23 waiting (group at maxSize)", r.Stuck, r.Services[0].Provisioning)
	}
	if u := r.Services[0].Unplaced; len(u) != 1 || u[0].Provider != "spot" || u[0].Blocked != "the Auto Scaling group is at its maxSize (1)" {
		t.Errorf("unplaced = %+v, want 23 on spot blocked by maxSize 1", u)
	}
}

// A strategy change is a forced new deployment within the deployment
// configuration: with maximumPercent 100 no new task starts before an old
// one stops; with 200 all start at once.
func TestStrategyChangeDeployment(t *testing.T) {
	for _, tt := range []struct {
		maxPercent   int
		firstNewTask time.Duration // after the change
	}{
		{200, 0},
		{100, 90 * time.Second}, // the old tasks' deregistration delay
	} {
		sc := loadWorkshop(t)
		sc.Services[0].DesiredCount = 4
		sc.Services[0].DeploymentConfiguration.MaximumPercent = &tt.maxPercent
		sc.Events = []plan.Event{{At: plan.Duration(10 * time.Minute), SetStrategy: &plan.SetStrategy{
			Service:                  "ecsdemo-capacityproviders-ec2",
			CapacityProviderStrategy: strategy.Strategy{{CapacityProvider: "od", Weight: 1}},
		}}}
		if err := sc.Validate(); err != nil {
			t.Fatal(err)
		}
		s, err := sim.New(sc, sim.Config{})
		if err != nil {
			t.Fatal(err)
		}
		r := run(t, s)
		first := time.Duration(-1)
		peak, running := 0, 4
		for _, e := range r.Timeline {
			if e.T < 10*time.Minute {
				continue
			}
			switch e.Kind {
			case sim.TaskPlaced:
				if first < 0 {
					first = e.T - 10*time.Minute
				}
			case sim.TaskRunning:
				running++
			case sim.TaskStopped:
				if e.Instance >= 0 {
					running--
				}
			}
			peak = max(peak, running)
		}
		if first != tt.firstNewTask {
			t.Errorf("maximumPercent %d: first new task placed %v after the change, want %v", tt.maxPercent, first, tt.firstNewTask)
		}
		if limit := 4 * tt.maxPercent / 100; peak > limit {
			t.Errorf("maximumPercent %d: %d tasks running at once, above %d", tt.maxPercent, peak, limit)
		}
		if sv := r.Services[0]; !r.Steady || sv.Running != 4 || sv.TasksPerProvider["od"] != 4 {
			t.Errorf("maximumPercent %d: end steady=%v running=%d per provider %v; want 4 on od", tt.maxPercent, r.Steady, sv.Running, sv.TasksPerProvider)
		}
	}
}
