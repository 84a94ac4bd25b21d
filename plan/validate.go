package plan

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/cpsim/cpsim/binpack"
	"github.com/cpsim/cpsim/catalog"
	"github.com/cpsim/cpsim/strategy"
)

// FieldError is one broken rule: the field's path in the file and the rule.
type FieldError struct {
	Field string
	Rule  string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Rule }

// ECS limits checked offline.
const (
	MaxProvidersPerCluster = 20 // service quota, not adjustable
	MaxOverrides           = 40 // instance types per Auto Scaling group
)

var nameRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)

// ValidProviderName reports the ECS rule a capacity provider name breaks,
// or "" when it is valid: "Up to 255 characters are allowed, including
// letters (upper and lowercase), numbers, underscores, and hyphens. The name
// cannot be prefixed with "aws", "ecs", or "fargate"" (CreateCapacityProvider;
// the prefix check is case-insensitive).
func ValidProviderName(name string) string {
	if !nameRe.MatchString(name) {
		return fmt.Sprintf("%q is not a valid capacity provider name: 1 to 255 letters, numbers, underscores (_) and hyphens (-)", name)
	}
	l := strings.ToLower(name)
	for _, p := range []string{"aws", "ecs", "fargate"} {
		if strings.HasPrefix(l, p) {
			return fmt.Sprintf("%q is not a valid capacity provider name: it can't be prefixed with \"aws\", \"ecs\" or \"fargate\" (in any case)", name)
		}
	}
	return ""
}

// IsFargate reports whether name is one of the reserved Fargate providers.
func IsFargate(name string) bool { return name == "FARGATE" || name == "FARGATE_SPOT" }

type checker struct{ errs []error }

func (c *checker) add(field, format string, args ...any) {
	c.errs = append(c.errs, &FieldError{Field: field, Rule: fmt.Sprintf(format, args...)})
}

func (c *checker) rangeInt(field string, v *int, lo, hi int) {
	if v != nil && (*v < lo || *v > hi) {
		c.add(field, "must be between %d and %d, got %d", lo, hi, *v)
	}
}

func (c *checker) enum(field, v string, allowed ...string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	c.add(field, "must be one of %s, got %q", strings.Join(allowed, ", "), v)
}

// Validate checks every rule that can be checked without AWS. It returns
// nil or the errors joined, each a *FieldError naming the field and the
// rule. Call it after Defaults.
func (s *Scenario) Validate() error {
	c := &checker{}
	if len(s.Cluster.AvailabilityZones) == 0 {
		c.add("cluster.availabilityZones", "at least one Availability Zone is required")
	}
	if n := s.Cluster.ClusterName; n != "" && !nameRe.MatchString(n) {
		c.add("cluster.clusterName", "%q: up to 255 letters, numbers, hyphens and underscores", n)
	}
	cat := s.Catalog()
	seen := map[string]int{}
	for i, cp := range s.CapacityProviders {
		s.validateProvider(c, fmt.Sprintf("capacityProviders[%d]", i), cp, cat)
		if j, dup := seen[cp.Name]; dup {
			c.add(fmt.Sprintf("capacityProviders[%d].name", i), "%q is already capacityProviders[%d]", cp.Name, j)
		}
		seen[cp.Name] = i
	}
	if n := len(s.Cluster.CapacityProviders); n > MaxProvidersPerCluster {
		c.add("cluster.capacityProviders", "a cluster can have at most %d capacity providers, got %d", MaxProvidersPerCluster, n)
	}
	for i, name := range s.Cluster.CapacityProviders {
		if s.Provider(name) == nil && !IsFargate(name) {
			c.add(fmt.Sprintf("cluster.capacityProviders[%d]", i), "capacity provider %q is not defined in capacityProviders", name)
		}
	}
	if len(s.Cluster.DefaultCapacityProviderStrategy) > 0 {
		s.validateStrategy(c, "cluster.defaultCapacityProviderStrategy", s.Cluster.DefaultCapacityProviderStrategy)
	}
	svcSeen := map[string]int{}
	for i := range s.Services {
		s.validateService(c, fmt.Sprintf("services[%d]", i), &s.Services[i])
		if j, dup := svcSeen[s.Services[i].ServiceName]; dup {
			c.add(fmt.Sprintf("services[%d].serviceName", i), "%q is already services[%d]", s.Services[i].ServiceName, j)
		}
		svcSeen[s.Services[i].ServiceName] = i
	}
	for i, it := range s.InstanceTypes {
		f := fmt.Sprintf("instanceTypes[%d]", i)
		if it.InstanceType == "" {
			c.add(f+".instanceType", "is required")
		}
		if it.CPU < 0 || it.VCPU < 0 || it.Memory < 0 || it.RegisteredMemory < 0 || it.MaxTasks < 0 || it.OnDemandPrice < 0 {
			c.add(f, "sizes and prices must not be negative")
		}
	}
	for i, p := range s.SpotPools {
		f := fmt.Sprintf("spotPools[%d]", i)
		if _, ok := cat.Lookup(p.InstanceType); !ok {
			c.add(f+".instanceType", "unknown instance type %q", p.InstanceType)
		}
		if p.SpotPrice < 0 {
			c.add(f+".spotPrice", "must not be negative")
		}
		if p.SpareCapacity != nil && *p.SpareCapacity < 0 {
			c.add(f+".spareCapacity", "must not be negative")
		}
		if p.InterruptionFrequency != "" {
			if _, ok := catalog.ParseAdvisorBucket(p.InterruptionFrequency); !ok {
				c.add(f+".interruptionFrequency", "must be a Spot Instance Advisor bucket (<5%%, 5-10%%, 10-15%%, 15-20%%, >20%%), got %q", p.InterruptionFrequency)
			}
		}
	}
	if r := s.Timings.InstanceLaunch; r != nil && r.Min > r.Max {
		c.add("timings.instanceLaunch", "min (%v) must not exceed max (%v)", r.Min.Seconds(), r.Max.Seconds())
	}
	if v := s.Options.MaxProvisioningTasks; v != nil && *v < 1 {
		c.add("options.maxProvisioningTasks", "must be at least 1, got %d", *v)
	}
	for i, e := range s.Events {
		s.validateEvent(c, fmt.Sprintf("events[%d]", i), e)
	}
	return errors.Join(c.errs...)
}

func (s *Scenario) validateProvider(c *checker, f string, cp CapacityProvider, cat *catalog.Catalog) {
	if r := ValidProviderName(cp.Name); r != "" {
		c.add(f+".name", "%s", r)
	}
	p := cp.AutoScalingGroupProvider
	pf := f + ".autoScalingGroupProvider"
	if p.AutoScalingGroupArn == "" {
		c.add(pf+".autoScalingGroupArn", "is required (the Auto Scaling group's name or ARN)")
	}
	ms := p.ManagedScaling
	c.enum(pf+".managedScaling.status", ms.Status, "ENABLED", "DISABLED")
	c.rangeInt(pf+".managedScaling.targetCapacity", ms.TargetCapacity, 1, 100)
	c.rangeInt(pf+".managedScaling.minimumScalingStepSize", ms.MinimumScalingStepSize, 1, 10000)
	c.rangeInt(pf+".managedScaling.maximumScalingStepSize", ms.MaximumScalingStepSize, 1, 10000)
	c.rangeInt(pf+".managedScaling.instanceWarmupPeriod", ms.InstanceWarmupPeriod, 0, 10000)
	if ms.MinimumScalingStepSize != nil && ms.MaximumScalingStepSize != nil && *ms.MinimumScalingStepSize > *ms.MaximumScalingStepSize {
		c.add(pf+".managedScaling.minimumScalingStepSize", "must not exceed maximumScalingStepSize (%d > %d)", *ms.MinimumScalingStepSize, *ms.MaximumScalingStepSize)
	}
	c.enum(pf+".managedTerminationProtection", p.ManagedTerminationProtection, "ENABLED", "DISABLED")
	c.enum(pf+".managedDraining", p.ManagedDraining, "ENABLED", "DISABLED")
	if p.ManagedTerminationProtection == "ENABLED" {
		if ms.Status != "ENABLED" {
			c.add(pf+".managedTerminationProtection", "managed termination protection needs managed scaling ENABLED")
		}
		if !cp.AutoScalingGroup.NewInstancesProtectedFromScaleIn {
			c.add(pf+".managedTerminationProtection", "to enable managed termination protection, the Auto Scaling group must have instance protection from scale in enabled (autoScalingGroup.newInstancesProtectedFromScaleIn: true)")
		}
	}
	g := cp.AutoScalingGroup
	gf := f + ".autoScalingGroup"
	if g.MinSize < 0 {
		c.add(gf+".minSize", "must not be negative, got %d", g.MinSize)
	}
	if g.MaxSize <= 0 {
		c.add(gf+".maxSize", "must be greater than zero for the group to scale out, got %d", g.MaxSize)
	}
	if g.MinSize > g.MaxSize {
		c.add(gf+".minSize", "must not exceed maxSize (%d > %d)", g.MinSize, g.MaxSize)
	}
	if g.DesiredCapacity < g.MinSize || g.DesiredCapacity > g.MaxSize {
		c.add(gf+".desiredCapacity", "must be between minSize %d and maxSize %d, got %d", g.MinSize, g.MaxSize, g.DesiredCapacity)
	}
	for i, az := range g.AvailabilityZones {
		if !contains(s.Cluster.AvailabilityZones, az) {
			c.add(fmt.Sprintf("%s.availabilityZones[%d]", gf, i), "%q is not one of the cluster's Availability Zones", az)
		}
	}
	if g.ECSAgent.ReservedMemory < 0 {
		c.add(gf+".ecsAgent.ECS_RESERVED_MEMORY", "must not be negative")
	}
	switch {
	case g.InstanceType != "" && g.MixedInstancesPolicy != nil:
		c.add(gf, "set instanceType or mixedInstancesPolicy, not both")
	case g.InstanceType == "" && g.MixedInstancesPolicy == nil:
		c.add(gf, "set instanceType or mixedInstancesPolicy")
	case g.InstanceType != "":
		if _, ok := cat.Lookup(g.InstanceType); !ok {
			c.add(gf+".instanceType", "unknown instance type %q (add it under instanceTypes)", g.InstanceType)
		}
	default:
		m := g.MixedInstancesPolicy
		mf := gf + ".mixedInstancesPolicy"
		ov := m.LaunchTemplate.Overrides
		if len(ov) == 0 || len(ov) > MaxOverrides {
			c.add(mf+".launchTemplate.overrides", "must list 1 to %d instance types, got %d", MaxOverrides, len(ov))
		}
		for i, o := range ov {
			of := fmt.Sprintf("%s.launchTemplate.overrides[%d]", mf, i)
			if _, ok := cat.Lookup(o.InstanceType); !ok {
				c.add(of+".instanceType", "unknown instance type %q (add it under instanceTypes)", o.InstanceType)
			}
			if o.WeightedCapacity != "" {
				c.add(of+".weightedCapacity", "the Auto Scaling group can't have instance weighting settings: instance weighting isn't supported when used with an Amazon ECS capacity provider")
			}
		}
		d := m.InstancesDistribution
		df := mf + ".instancesDistribution"
		c.enum(df+".onDemandAllocationStrategy", d.OnDemandAllocationStrategy, "prioritized", "lowest-price")
		c.enum(df+".spotAllocationStrategy", d.SpotAllocationStrategy, "lowest-price", "capacity-optimized", "capacity-optimized-prioritized", "price-capacity-optimized")
		c.rangeInt(df+".onDemandBaseCapacity", d.OnDemandBaseCapacity, 0, 1<<30)
		c.rangeInt(df+".onDemandPercentageAboveBaseCapacity", d.OnDemandPercentageAboveBaseCapacity, 0, 100)
		c.rangeInt(df+".spotInstancePools", d.SpotInstancePools, 1, 20)
		if d.SpotInstancePools != nil && d.SpotAllocationStrategy != "lowest-price" {
			c.add(df+".spotInstancePools", "is valid only when spotAllocationStrategy is lowest-price")
		}
	}
}

// validateStrategy checks a strategy's own rules, that its providers are
// associated with the cluster, and that it does not mix Fargate and Auto
// Scaling group providers.
func (s *Scenario) validateStrategy(c *checker, f string, st strategy.Strategy) {
	if err := st.Validate(); err != nil {
		for _, e := range unwrapAll(err) {
			var se *strategy.Error
			if errors.As(e, &se) {
				c.add(f+se.Path(), "%s", se.Rule)
			}
		}
	}
	fargate, asg := false, false
	for i, it := range st {
		if it.CapacityProvider == "" {
			continue
		}
		if IsFargate(it.CapacityProvider) {
			fargate = true
		} else {
			asg = true
		}
		if !contains(s.Cluster.CapacityProviders, it.CapacityProvider) {
			c.add(fmt.Sprintf("%s[%d].capacityProvider", f, i), "the specified capacity provider %q was not found: it must be associated with the cluster (cluster.capacityProviders)", it.CapacityProvider)
		}
	}
	if fargate && asg {
		c.add(f, "a capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers")
	}
}

func (s *Scenario) validateService(c *checker, f string, sv *Service) {
	if sv.ServiceName == "" || !nameRe.MatchString(sv.ServiceName) {
		c.add(f+".serviceName", "%q: 1 to 255 letters, numbers, hyphens and underscores", sv.ServiceName)
	}
	if sv.DesiredCount < 0 {
		c.add(f+".desiredCount", "must not be negative, got %d", sv.DesiredCount)
	}
	td := sv.TaskDefinition
	if td.CPU < 0 {
		c.add(f+".taskDefinition.cpu", "must not be negative, got %d", td.CPU)
	}
	if td.Memory <= 0 && td.MemoryReservation <= 0 {
		c.add(f+".taskDefinition.memory", "a task on EC2 needs memory or memoryReservation (MiB) above zero")
	}
	if td.Memory > 0 && td.MemoryReservation > td.Memory {
		c.add(f+".taskDefinition.memoryReservation", "must not exceed memory (%d > %d)", td.MemoryReservation, td.Memory)
	}
	st := s.EffectiveStrategy(sv)
	if len(sv.CapacityProviderStrategy) > 0 {
		s.validateStrategy(c, f+".capacityProviderStrategy", sv.CapacityProviderStrategy)
	} else if len(st) == 0 {
		c.add(f+".capacityProviderStrategy", "the service sets no strategy and the cluster has no default capacity provider strategy")
	}
	if len(sv.PlacementStrategy) > binpack.MaxStrategies {
		c.add(f+".placementStrategy", "at most %d placement strategies, got %d", binpack.MaxStrategies, len(sv.PlacementStrategy))
	}
	for i, ps := range sv.PlacementStrategy {
		if err := ps.Validate(); err != nil {
			c.add(fmt.Sprintf("%s.placementStrategy[%d].%s", f, i, fieldOf(err)), "%s", ruleOf(err))
		}
	}
	if len(sv.PlacementConstraints) > binpack.MaxConstraints {
		c.add(f+".placementConstraints", "at most %d placement constraints, got %d", binpack.MaxConstraints, len(sv.PlacementConstraints))
	}
	for i, pc := range sv.PlacementConstraints {
		if err := pc.Validate(); err != nil {
			c.add(fmt.Sprintf("%s.placementConstraints[%d].%s", f, i, fieldOf(err)), "%s", ruleOf(err))
		}
	}
	dc := sv.DeploymentConfiguration
	c.rangeInt(f+".deploymentConfiguration.minimumHealthyPercent", dc.MinimumHealthyPercent, 0, 100)
	c.rangeInt(f+".deploymentConfiguration.maximumPercent", dc.MaximumPercent, 100, 200)
	if lb := sv.LoadBalancer; lb != nil {
		c.rangeInt(f+".loadBalancer.deregistrationDelay", lb.DeregistrationDelay, 0, 3600)
		c.rangeInt(f+".loadBalancer.healthCheckIntervalSeconds", lb.HealthCheckIntervalSeconds, 5, 300)
		c.rangeInt(f+".loadBalancer.healthyThresholdCount", lb.HealthyThresholdCount, 2, 10)
	}
}

func (s *Scenario) validateEvent(c *checker, f string, e Event) {
	n := 0
	if e.SetDesiredCount != nil {
		n++
		if s.Service(e.SetDesiredCount.Service) == nil {
			c.add(f+".setDesiredCount.service", "unknown service %q", e.SetDesiredCount.Service)
		}
		if e.SetDesiredCount.DesiredCount < 0 {
			c.add(f+".setDesiredCount.desiredCount", "must not be negative, got %d", e.SetDesiredCount.DesiredCount)
		}
	}
	if e.SetStrategy != nil {
		n++
		if s.Service(e.SetStrategy.Service) == nil {
			c.add(f+".setStrategy.service", "unknown service %q", e.SetStrategy.Service)
		}
		s.validateStrategy(c, f+".setStrategy.capacityProviderStrategy", e.SetStrategy.CapacityProviderStrategy)
	}
	if ii := e.InterruptInstances; ii != nil {
		n++
		g := f + ".interruptInstances"
		if ii.Provider != "" && s.Provider(ii.Provider) == nil {
			c.add(g+".provider", "unknown capacity provider %q", ii.Provider)
		}
		if ii.AvailabilityZone != "" && !contains(s.Cluster.AvailabilityZones, ii.AvailabilityZone) {
			c.add(g+".availabilityZone", "%q is not one of the cluster's Availability Zones", ii.AvailabilityZone)
		}
		if ii.Count < 0 {
			c.add(g+".count", "must not be negative, got %d", ii.Count)
		}
		if ii.InstanceID == "" && ii.Count == 0 && ii.InstanceType == "" && ii.AvailabilityZone == "" {
			c.add(g, "name an instanceId, a count, or a pool (instanceType and/or availabilityZone) to reclaim")
		}
	}
	if la := e.LoseAvailabilityZone; la != nil {
		n++
		if !contains(s.Cluster.AvailabilityZones, la.AvailabilityZone) {
			c.add(f+".loseAvailabilityZone.availabilityZone", "%q is not one of the cluster's Availability Zones", la.AvailabilityZone)
		}
	}
	if n != 1 {
		c.add(f, "an event needs exactly one of setDesiredCount, setStrategy, interruptInstances, loseAvailabilityZone; got %d", n)
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func unwrapAll(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// fieldOf and ruleOf split binpack's "field: rule" validation messages.
func fieldOf(err error) string {
	f, _, _ := strings.Cut(err.Error(), ": ")
	return f
}

func ruleOf(err error) string {
	_, r, _ := strings.Cut(err.Error(), ": ")
	return r
}
