package scaling

import "time"

// ManagedScaling is a capacity provider's resolved managed scaling settings.
type ManagedScaling struct {
	Enabled                bool
	TargetCapacity         int // percent, 1–100
	MinimumScalingStepSize int
	MaximumScalingStepSize int
	InstanceWarmupPeriod   time.Duration
	// EmptyScaleOut lets a provider with M = 0 and N = 0 (reservation 100)
	// scale out when targetCapacity < 100, as the ECS workshop observed.
	// Off by default: cpsim scales out only for tasks. A model choice.
	EmptyScaleOut bool
}

// ScaleInDatapoints is how many consecutive one-minute datapoints below
// target start a scale-in (DG: "CloudWatch scale-in alarms require 15 data
// points").
const ScaleInDatapoints = 15

// MetricPeriod is how often ECS computes the reservation.
const MetricPeriod = time.Minute

// FirstStep is the size of the first scale-out from zero instances.
const FirstStep = 2

// Reservation returns CapacityProviderReservation in percent for M needed
// and N present instances.
func Reservation(m, n int) float64 {
	switch {
	case n == 0 && m == 0:
		return 100
	case n == 0:
		return 200
	}
	return float64(m) * 100 / float64(n)
}

// Desired returns ceil(M × 100 / targetCapacity): the group size at which
// the reservation reaches the target.
func (ms ManagedScaling) Desired(m int) int {
	return (m*100 + ms.TargetCapacity - 1) / ms.TargetCapacity
}

// Action is what one datapoint makes the group do.
type Action int

// The actions.
const (
	Hold Action = iota
	ScaleOut
	ScaleIn
)

func (a Action) String() string { return [...]string{"Hold", "ScaleOut", "ScaleIn"}[a] }

// Alarm is the state of a provider's scaling alarms between datapoints. The
// zero value has seen no datapoint.
type Alarm struct {
	// Below counts consecutive datapoints below target.
	Below int
}

// Decision is the outcome of one datapoint.
type Decision struct {
	Action      Action
	Reservation float64
	// Desired is the group's new desired capacity (for ScaleOut and
	// ScaleIn), within [min, max].
	Desired int
	// Blocked says a scale-out was due but held by the warm-up period or
	// the group's maximum.
	Blocked string
}

// Evaluate takes one datapoint: m and n as defined in the package doc, the
// group's bounds, and whether an instance is still warming up. It updates
// the alarm and returns the decision.
func (ms ManagedScaling) Evaluate(a *Alarm, m, n, minSize, maxSize int, warming bool) Decision {
	r := Reservation(m, n)
	d := Decision{Reservation: r, Desired: n}
	if !ms.Enabled {
		return d
	}
	tc := float64(ms.TargetCapacity)
	switch {
	case r > tc:
		a.Below = 0
		step := ms.outStep(m, n)
		if step <= 0 {
			return d
		}
		if n >= maxSize {
			d.Blocked = "at maxSize"
			return d
		}
		if warming {
			d.Blocked = "instance warm-up"
			return d
		}
		d.Action, d.Desired = ScaleOut, min(n+step, maxSize)
	case r < tc:
		a.Below++
		if a.Below < ScaleInDatapoints {
			return d
		}
		if to := ms.inTarget(m, n, minSize); to < n {
			d.Action, d.Desired = ScaleIn, to
		}
	default:
		a.Below = 0
	}
	return d
}

// outStep is the number of instances a scale-out adds, 0 when none is due.
func (ms ManagedScaling) outStep(m, n int) int {
	if n == 0 {
		if m > 0 || ms.EmptyScaleOut {
			return FirstStep
		}
		return 0
	}
	calc := ms.Desired(m) - n
	if calc <= 0 && !(ms.EmptyScaleOut && m == 0) {
		return 0
	}
	if calc < ms.MinimumScalingStepSize {
		return ms.MinimumScalingStepSize
	}
	return min(ms.MaximumScalingStepSize, calc)
}

// inTarget is the group size after one scale-in step: toward Desired(m),
// removing at least one and at most half of n, never below minSize.
func (ms ManagedScaling) inTarget(m, n, minSize int) int {
	to := max(ms.Desired(m), minSize)
	if to >= n {
		return n
	}
	remove := min(n-to, max(1, n/2))
	return n - remove
}

// Due reports whether, with nothing else changing, a datapoint of these
// values would ever move the group: the test for a steady cluster.
func (ms ManagedScaling) Due(m, n, minSize, maxSize int) bool {
	if !ms.Enabled {
		return false
	}
	r, tc := Reservation(m, n), float64(ms.TargetCapacity)
	switch {
	case r > tc:
		return ms.outStep(m, n) > 0 && n < maxSize
	case r < tc:
		return ms.inTarget(m, n, minSize) < n
	}
	return false
}
