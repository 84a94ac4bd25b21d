package plan

import (
	"fmt"
	"slices"
)

// SpotCapable reports whether the provider's group can launch Spot
// instances (a mixed instances policy with less than 100 % On-Demand above
// its base).
func (cp *CapacityProvider) SpotCapable() bool {
	m := cp.AutoScalingGroup.MixedInstancesPolicy
	if m == nil {
		return false
	}
	p := m.InstancesDistribution.OnDemandPercentageAboveBaseCapacity
	return p == nil || *p < 100
}

// instanceTypes lists the provider's instance types.
func (cp *CapacityProvider) instanceTypes() []string {
	g := cp.AutoScalingGroup
	if g.MixedInstancesPolicy == nil {
		return []string{g.InstanceType}
	}
	var out []string
	for _, o := range g.MixedInstancesPolicy.LaunchTemplate.Overrides {
		out = append(out, o.InstanceType)
	}
	return out
}

// Warnings lists settings that work but that an ECS user should know about
// before trusting Spot with a service (ECS Developer Guide, "Container
// instance draining" and "Spot Instances"). Call it on a valid scenario.
func (s *Scenario) Warnings() []string {
	var out []string
	cat := s.Catalog()
	for _, cp := range s.CapacityProviders {
		if !cp.SpotCapable() {
			continue
		}
		if !cp.AutoScalingGroup.ECSAgent.EnableSpotInstanceDraining {
			out = append(out, fmt.Sprintf("capacity provider %s: Spot draining is off (ECS_ENABLE_SPOT_INSTANCE_DRAINING is false, the agent's default): tasks die with the instance at the end of the 2-minute notice instead of being replaced first", cp.Name))
		}
		types := cp.instanceTypes()
		azs := cp.AutoScalingGroup.AvailabilityZones
		if len(types) == 1 || len(azs) == 1 {
			out = append(out, fmt.Sprintf("capacity provider %s: only %d Spot pool(s) (%d instance type(s) × %d Availability Zone(s)); be instance-type and AZ flexible so interrupted capacity can come back from other pools", cp.Name, len(types)*len(azs), len(types), len(azs)))
		}
	}
	for i := range s.Services {
		sv := &s.Services[i]
		usesSpot := false
		for _, it := range s.EffectiveStrategy(sv) {
			cp := s.Provider(it.CapacityProvider)
			if cp == nil {
				continue
			}
			if cp.SpotCapable() && (it.Weight > 0 || it.Base > 0) {
				usesSpot = true
			}
			small, fits := smallest(cat, cp.instanceTypes(), cp.AutoScalingGroup.ECSAgent.ReservedMemory)
			td := sv.TaskDefinition
			if fits && (td.CPU > small.cpu || td.ReservedMemory() > small.mem) {
				out = append(out, fmt.Sprintf("service %s: its task (%d CPU units, %d MiB) does not fit the smallest instance type of capacity provider %s (%d CPU units, %d MiB registered): ECS will not scale out for it", sv.ServiceName, td.CPU, td.ReservedMemory(), cp.Name, small.cpu, small.mem))
			}
		}
		if !usesSpot {
			continue
		}
		if lb := sv.LoadBalancer; lb != nil && lb.DeregistrationDelay != nil && *lb.DeregistrationDelay > 120 {
			out = append(out, fmt.Sprintf("service %s: deregistration delay %d s is longer than the 120 s Spot interruption notice: in-flight requests will be cut when the instance is reclaimed (the workshop uses 90 s)", sv.ServiceName, *lb.DeregistrationDelay))
		}
		if mh := sv.DeploymentConfiguration.MinimumHealthyPercent; mh != nil && *mh >= 100 {
			out = append(out, fmt.Sprintf("service %s: minimumHealthyPercent %d on Spot: \"the service will not have enough time to replace the task before the Spot Instance terminates\" (ECS Developer Guide)", sv.ServiceName, *mh))
		}
	}
	return slices.Compact(out)
}

type size struct{ cpu, mem int }

// smallest returns the smallest registered CPU and memory over the types.
func smallest(cat interface {
	LookupSize(string) (int, int, bool)
}, types []string, reserved int) (size, bool) {
	var s size
	ok := false
	for _, t := range types {
		cpu, mem, found := cat.LookupSize(t)
		if !found {
			continue
		}
		mem -= reserved
		if !ok || cpu < s.cpu {
			s.cpu = cpu
		}
		if !ok || mem < s.mem {
			s.mem = mem
		}
		ok = true
	}
	return s, ok
}
