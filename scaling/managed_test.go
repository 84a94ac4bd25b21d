package scaling

import (
	"testing"
	"time"
)

var workshop = ManagedScaling{Enabled: true, TargetCapacity: 80, MinimumScalingStepSize: 1, MaximumScalingStepSize: 10000, InstanceWarmupPeriod: 300 * time.Second}

func TestReservation(t *testing.T) {
	tests := []struct {
		name string
		m, n int
		want float64
	}{
		{"empty cluster, nothing pending (SPOTWS)", 0, 0, 100},
		{"pending tasks, zero instances (SPOTWS)", 3, 0, 200},
		{"workshop od at 40 tasks: M=3 N=4", 3, 4, 75},
		{"workshop spot at 40 tasks: M=4 N=5", 4, 5, 80},
		{"Platy M=2 N=3", 2, 3, 200.0 / 3},
	}
	for _, tt := range tests {
		if got := Reservation(tt.m, tt.n); got != tt.want {
			t.Errorf("%s: Reservation(%d, %d) = %v, want %v", tt.name, tt.m, tt.n, got, tt.want)
		}
	}
}

func TestEvaluateScaleOut(t *testing.T) {
	tests := []struct {
		name        string
		ms          ManagedScaling
		m, n, max   int
		warming     bool
		wantAction  Action
		wantDesired int
	}{
		{"first scale-out from zero is two instances", workshop, 4, 0, 10, false, ScaleOut, 2},
		{"first step is two even for one task", workshop, 1, 0, 10, false, ScaleOut, 2},
		{"od at 9 tasks: M=3 N=2 → ceil(3/0.8)=4", workshop, 3, 2, 10, false, ScaleOut, 4},
		{"spot after warm-up: M=4 N=2 → 5", workshop, 4, 2, 10, false, ScaleOut, 5},
		{"warm-up blocks", workshop, 4, 2, 10, true, Hold, 2},
		{"capped by maxSize", workshop, 40, 2, 10, false, ScaleOut, 10},
		{"minimum step", ManagedScaling{Enabled: true, TargetCapacity: 100, MinimumScalingStepSize: 5, MaximumScalingStepSize: 10000}, 3, 2, 100, false, ScaleOut, 7},
		{"maximum step", ManagedScaling{Enabled: true, TargetCapacity: 100, MinimumScalingStepSize: 1, MaximumScalingStepSize: 3}, 30, 2, 100, false, ScaleOut, 5},
		{"Platy M=2 N=3 target 50 adds one", ManagedScaling{Enabled: true, TargetCapacity: 50, MinimumScalingStepSize: 1, MaximumScalingStepSize: 10000}, 2, 3, 10, false, ScaleOut, 4},
		{"empty provider does not scale out by default", workshop, 0, 0, 10, false, Hold, 0},
		{"disabled", ManagedScaling{TargetCapacity: 80}, 4, 0, 10, false, Hold, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a Alarm
			d := tt.ms.Evaluate(&a, tt.m, tt.n, 0, tt.max, tt.warming)
			if d.Action != tt.wantAction || d.Desired != tt.wantDesired {
				t.Errorf("Evaluate(M=%d, N=%d) = %v to %d, want %v to %d", tt.m, tt.n, d.Action, d.Desired, tt.wantAction, tt.wantDesired)
			}
		})
	}
}

func TestScaleInNeeds15DatapointsAndHalvesAtMost(t *testing.T) {
	var a Alarm
	// Spot after the service drops to one task: M=0, N=5.
	n := 5
	for i := 1; i < ScaleInDatapoints; i++ {
		if d := workshop.Evaluate(&a, 0, n, 0, 10, false); d.Action != Hold {
			t.Fatalf("datapoint %d: %v, want Hold before 15 datapoints", i, d.Action)
		}
	}
	var sizes []int
	for n > 0 {
		d := workshop.Evaluate(&a, 0, n, 0, 10, false)
		if d.Action != ScaleIn {
			t.Fatalf("at N=%d: %v, want ScaleIn", n, d.Action)
		}
		if n-d.Desired > max(1, n/2) {
			t.Fatalf("removed %d of %d, more than 50%%", n-d.Desired, n)
		}
		n = d.Desired
		sizes = append(sizes, n)
	}
	want := []int{3, 2, 1, 0}
	if len(sizes) != len(want) {
		t.Fatalf("scale-in sizes %v, want %v", sizes, want)
	}
	for i := range want {
		if sizes[i] != want[i] {
			t.Fatalf("scale-in sizes %v, want %v", sizes, want)
		}
	}
	// od with one task keeps ceil(1/0.8) = 2 instances.
	a = Alarm{Below: ScaleInDatapoints}
	if d := workshop.Evaluate(&a, 1, 4, 0, 10, false); d.Action != ScaleIn || d.Desired != 2 {
		t.Errorf("od M=1 N=4: %v to %d, want ScaleIn to 2", d.Action, d.Desired)
	}
	if workshop.Due(1, 2, 0, 10) {
		t.Errorf("od M=1 N=2 should be steady at target 80")
	}
	if workshop.Due(3, 4, 0, 10) || workshop.Due(4, 5, 0, 10) {
		t.Errorf("the workshop's 40-task state should be steady")
	}
}

func TestScaleOutResetsScaleIn(t *testing.T) {
	a := Alarm{Below: 14}
	workshop.Evaluate(&a, 5, 2, 0, 10, true)
	if a.Below != 0 {
		t.Errorf("Below = %d after a datapoint above target, want 0", a.Below)
	}
}
