package plan

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cpsim/cpsim/strategy"
)

// NamedInt is one "name=value" of a flag such as --weights od=1,spot=4.
type NamedInt struct {
	Name  string
	Value int
}

// Edit is what cpsim's flags change in a scenario. Nil and empty fields
// change nothing.
type Edit struct {
	// Service names the service to change; "" is the first.
	Service string
	Desired *int
	// Weights replaces the strategy's weights: the named providers form the
	// strategy, in the scenario's order and then the order given; a
	// provider the scenario gave a base keeps it (with weight 0 when not
	// named), unless Bases is set.
	Weights []NamedInt
	// Bases replaces every base of the strategy.
	Bases []NamedInt
	// TargetCapacity sets every provider's targetCapacity;
	// TargetCapacities sets named ones.
	TargetCapacity   *int
	TargetCapacities []NamedInt
	TaskCPU          *int
	TaskMemory       *int
	Seed             *uint64
}

// ParseNamedInts reads "a=1,b=2". flag names the flag in errors.
func ParseNamedInts(flag, v string) ([]NamedInt, error) {
	var out []NamedInt
	for _, kv := range strings.Split(v, ",") {
		name, num, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok || name == "" {
			return nil, fmt.Errorf("--%s %q: want provider=number[,provider=number...]", flag, v)
		}
		var n int
		if _, err := fmt.Sscanf(num, "%d", &n); err != nil || fmt.Sprint(n) != strings.TrimPrefix(num, "+") {
			return nil, fmt.Errorf("--%s %q: %q is not a whole number", flag, v, num)
		}
		out = append(out, NamedInt{Name: name, Value: n})
	}
	return out, nil
}

// Apply changes the scenario as the edit says and validates the
// result. Errors name the flag and the rule; on error the scenario may be
// partly changed, so callers discard it.
func (s *Scenario) Apply(o Edit) error {
	sv := &s.Services[0]
	if o.Service != "" {
		if sv = s.Service(o.Service); sv == nil {
			return fmt.Errorf("--service: unknown service %q", o.Service)
		}
	}
	known := func(flag, name string) error {
		if s.Provider(name) != nil {
			return nil
		}
		var names []string
		for _, cp := range s.CapacityProviders {
			names = append(names, cp.Name)
		}
		return fmt.Errorf("--%s: unknown capacity provider %q (the scenario defines %s)", flag, name, strings.Join(names, ", "))
	}
	var errs []error
	if o.Desired != nil {
		if *o.Desired < 0 {
			errs = append(errs, fmt.Errorf("--desired: must not be negative, got %d", *o.Desired))
		}
		sv.DesiredCount = *o.Desired
	}
	if len(o.Weights) > 0 || len(o.Bases) > 0 {
		st := append(strategy.Strategy(nil), s.EffectiveStrategy(sv)...)
		for _, w := range o.Weights {
			if err := known("weights", w.Name); err != nil {
				errs = append(errs, err)
			}
			if w.Value < 0 || w.Value > strategy.MaxWeight {
				errs = append(errs, fmt.Errorf("--weights %s=%d: weight must be between 0 and %d", w.Name, w.Value, strategy.MaxWeight))
			}
		}
		for _, b := range o.Bases {
			if err := known("base", b.Name); err != nil {
				errs = append(errs, err)
			}
			if b.Value < 0 || b.Value > strategy.MaxBase {
				errs = append(errs, fmt.Errorf("--base %s=%d: base must be between 0 and %d", b.Name, b.Value, strategy.MaxBase))
			}
		}
		positive := len(o.Weights) == 0
		for _, w := range o.Weights {
			positive = positive || w.Value > 0
		}
		if !positive {
			errs = append(errs, fmt.Errorf("--weights: at least one capacity provider must have a weight greater than zero"))
		}
		if len(o.Bases) > 1 {
			errs = append(errs, fmt.Errorf("--base: only one capacity provider in a strategy may have a base, got %d", len(o.Bases)))
		}
		if len(o.Weights) > 0 {
			var next strategy.Strategy
			named := map[string]int{}
			for _, w := range o.Weights {
				named[w.Name] = w.Value
			}
			for _, it := range st {
				if w, ok := named[it.CapacityProvider]; ok {
					next = append(next, strategy.Item{CapacityProvider: it.CapacityProvider, Base: it.Base, Weight: w})
					delete(named, it.CapacityProvider)
				} else if it.Base > 0 {
					next = append(next, strategy.Item{CapacityProvider: it.CapacityProvider, Base: it.Base})
				}
			}
			for _, w := range o.Weights {
				if _, ok := named[w.Name]; ok {
					next = append(next, strategy.Item{CapacityProvider: w.Name, Weight: w.Value})
				}
			}
			st = next
		}
		if len(o.Bases) > 0 {
			for i := range st {
				st[i].Base = 0
			}
			for _, b := range o.Bases {
				if i := st.Index(b.Name); i >= 0 {
					st[i].Base = b.Value
				} else {
					st = append(st, strategy.Item{CapacityProvider: b.Name, Base: b.Value})
				}
			}
		}
		sv.CapacityProviderStrategy = st
	}
	tcFlag := func(name string, v int) {
		if v < 1 || v > 100 {
			errs = append(errs, fmt.Errorf("--target-capacity %s%d: targetCapacity must be between 1 and 100", name, v))
		}
	}
	if o.TargetCapacity != nil {
		tcFlag("", *o.TargetCapacity)
		for i := range s.CapacityProviders {
			s.CapacityProviders[i].AutoScalingGroupProvider.ManagedScaling.TargetCapacity = ptr(*o.TargetCapacity)
		}
	}
	for _, tc := range o.TargetCapacities {
		tcFlag(tc.Name+"=", tc.Value)
		if err := known("target-capacity", tc.Name); err != nil {
			errs = append(errs, err)
			continue
		}
		s.Provider(tc.Name).AutoScalingGroupProvider.ManagedScaling.TargetCapacity = ptr(tc.Value)
	}
	if o.TaskCPU != nil {
		if *o.TaskCPU < 0 {
			errs = append(errs, fmt.Errorf("--task-cpu: must not be negative, got %d", *o.TaskCPU))
		}
		sv.TaskDefinition.CPU = *o.TaskCPU
	}
	if o.TaskMemory != nil {
		if *o.TaskMemory <= 0 {
			errs = append(errs, fmt.Errorf("--task-memory: must be above zero MiB, got %d", *o.TaskMemory))
		}
		sv.TaskDefinition.Memory = *o.TaskMemory
		if sv.TaskDefinition.MemoryReservation > *o.TaskMemory {
			sv.TaskDefinition.MemoryReservation = 0
		}
	}
	if o.Seed != nil {
		s.Seed = *o.Seed
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	s.Defaults()
	return s.Validate()
}
