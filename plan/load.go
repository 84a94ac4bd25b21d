package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"

	"github.com/cpsim/cpsim/catalog"
	"github.com/cpsim/cpsim/strategy"
	"gopkg.in/yaml.v3"
)

// Parse decodes a scenario strictly (an unknown field is an error), fills
// in the defaults and validates it. name labels errors.
func Parse(name string, data []byte) (*Scenario, error) {
	var s Scenario
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("load scenario %s: the file is empty", name)
		}
		return nil, fmt.Errorf("load scenario %s: %s", name, cleanYAMLError(err))
	}
	s.Defaults()
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("load scenario %s: %w", name, err)
	}
	return &s, nil
}

var yamlTypeRe = regexp.MustCompile(` in type plan\.\w+`)

// cleanYAMLError turns yaml.v3's "field x not found in type plan.Service"
// into "field x is not a known field".
func cleanYAMLError(err error) string {
	msg := err.Error()
	msg = yamlTypeRe.ReplaceAllString(msg, "")
	msg = regexp.MustCompile(`field (\S+) not found`).ReplaceAllString(msg, "unknown field $1")
	return msg
}

// Marshal writes the scenario as YAML, the form Parse reads.
func (s *Scenario) Marshal() ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return b.Bytes(), enc.Close()
}

func ptr[T any](v T) *T { return &v }

func setDefault[T any](p **T, v T) {
	if *p == nil {
		*p = ptr(v)
	}
}

// The defaults of ECS, EC2 Auto Scaling and Elastic Load Balancing that
// Defaults fills in.
const (
	DefaultTargetCapacity         = 100
	DefaultMinimumScalingStepSize = 1
	DefaultMaximumScalingStepSize = 10000
	DefaultInstanceWarmupPeriod   = 300
	DefaultMinimumHealthyPercent  = 100
	DefaultMaximumPercent         = 200
	DefaultDeregistrationDelay    = 300
	DefaultHealthCheckInterval    = 30
	DefaultHealthyThreshold       = 5
	DefaultSpotInstancePools      = 2
)

// Defaults fills every unset optional field with its documented default.
// It is idempotent.
func (s *Scenario) Defaults() {
	if len(s.Cluster.CapacityProviders) == 0 {
		for _, cp := range s.CapacityProviders {
			s.Cluster.CapacityProviders = append(s.Cluster.CapacityProviders, cp.Name)
		}
	}
	for i := range s.CapacityProviders {
		cp := &s.CapacityProviders[i]
		p := &cp.AutoScalingGroupProvider
		if p.ManagedTerminationProtection == "" {
			p.ManagedTerminationProtection = "DISABLED"
		}
		if p.ManagedDraining == "" {
			p.ManagedDraining = "ENABLED"
		}
		ms := &p.ManagedScaling
		if ms.Status == "" {
			ms.Status = "ENABLED"
		}
		setDefault(&ms.TargetCapacity, DefaultTargetCapacity)
		setDefault(&ms.MinimumScalingStepSize, DefaultMinimumScalingStepSize)
		setDefault(&ms.MaximumScalingStepSize, DefaultMaximumScalingStepSize)
		setDefault(&ms.InstanceWarmupPeriod, DefaultInstanceWarmupPeriod)
		g := &cp.AutoScalingGroup
		if len(g.AvailabilityZones) == 0 {
			g.AvailabilityZones = append([]string(nil), s.Cluster.AvailabilityZones...)
		}
		if m := g.MixedInstancesPolicy; m != nil {
			d := &m.InstancesDistribution
			if d.OnDemandAllocationStrategy == "" {
				d.OnDemandAllocationStrategy = "prioritized"
			}
			if d.SpotAllocationStrategy == "" {
				d.SpotAllocationStrategy = "lowest-price"
			}
			setDefault(&d.OnDemandBaseCapacity, 0)
			setDefault(&d.OnDemandPercentageAboveBaseCapacity, 100)
			if d.SpotAllocationStrategy == "lowest-price" {
				setDefault(&d.SpotInstancePools, DefaultSpotInstancePools)
			}
		}
	}
	for i := range s.Services {
		sv := &s.Services[i]
		setDefault(&sv.DeploymentConfiguration.MinimumHealthyPercent, DefaultMinimumHealthyPercent)
		setDefault(&sv.DeploymentConfiguration.MaximumPercent, DefaultMaximumPercent)
		if lb := sv.LoadBalancer; lb != nil {
			setDefault(&lb.DeregistrationDelay, DefaultDeregistrationDelay)
			setDefault(&lb.HealthCheckIntervalSeconds, DefaultHealthCheckInterval)
			setDefault(&lb.HealthyThresholdCount, DefaultHealthyThreshold)
		}
	}
	setDefault(&s.Timings.InstanceLaunch, Range{Min: Duration(60 * time.Second), Max: Duration(120 * time.Second)})
	setDefault(&s.Timings.TaskStart, Duration(13*time.Second))
	setDefault(&s.Options.MaxProvisioningTasks, 100)
	setDefault(&s.Options.ProvisioningTimeout, Duration(30*time.Minute))
}

// Provider returns the named capacity provider, or nil.
func (s *Scenario) Provider(name string) *CapacityProvider {
	for i := range s.CapacityProviders {
		if s.CapacityProviders[i].Name == name {
			return &s.CapacityProviders[i]
		}
	}
	return nil
}

// Service returns the named service, or nil.
func (s *Scenario) Service(name string) *Service {
	for i := range s.Services {
		if s.Services[i].ServiceName == name {
			return &s.Services[i]
		}
	}
	return nil
}

// EffectiveStrategy returns the service's capacity provider strategy, or
// the cluster default when the service sets none.
func (s *Scenario) EffectiveStrategy(sv *Service) strategy.Strategy {
	if len(sv.CapacityProviderStrategy) > 0 {
		return sv.CapacityProviderStrategy
	}
	return s.Cluster.DefaultCapacityProviderStrategy
}

// Catalog returns the built-in instance types with the scenario's
// instanceTypes added or overriding them.
func (s *Scenario) Catalog() *catalog.Catalog {
	c := catalog.Default()
	for _, it := range s.InstanceTypes {
		t, _ := c.Lookup(it.InstanceType)
		t.Name = it.InstanceType
		if it.VCPU > 0 {
			t.VCPU = it.VCPU
			t.RegisteredCPU = 0
		}
		if it.CPU > 0 {
			t.RegisteredCPU = it.CPU
		}
		if it.Memory > 0 {
			t.Memory = it.Memory
			t.RegisteredMemory = 0
		}
		if it.RegisteredMemory > 0 {
			t.RegisteredMemory = it.RegisteredMemory
		}
		if it.MaxTasks > 0 {
			t.MaxTasks = it.MaxTasks
		}
		if it.OnDemandPrice > 0 {
			t.OnDemandPrice = it.OnDemandPrice
		}
		c.Put(t)
	}
	return c
}
