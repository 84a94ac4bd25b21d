package plan

import (
	"github.com/cpsim/cpsim/binpack"
	"github.com/cpsim/cpsim/strategy"
)

// Scenario is one cluster, its capacity providers and services, and — for
// simulation only — timings, model options, a seed and timed events.
// After Load (or Defaults) every optional pointer field is set.
type Scenario struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description,omitempty"`
	// Seed seeds every random draw of a simulation (latencies, random
	// placement, Spot interruptions). Same seed, same output.
	Seed   uint64 `yaml:"seed"`
	Region string `yaml:"region,omitempty"`

	Cluster           Cluster            `yaml:"cluster"`
	CapacityProviders []CapacityProvider `yaml:"capacityProviders"`
	Services          []Service          `yaml:"services"`

	// InstanceTypes adds instance types to the built-in catalogue or
	// overrides fields of built-in ones (simulation only).
	InstanceTypes []InstanceType `yaml:"instanceTypes,omitempty"`
	// SpotPools overrides the built-in data of Spot capacity pools
	// (simulation only).
	SpotPools []SpotPool `yaml:"spotPools,omitempty"`
	Timings   Timings    `yaml:"timings,omitempty"`
	Options   Options    `yaml:"options,omitempty"`
	Events    []Event    `yaml:"events,omitempty"`
}

// Cluster is the ECS cluster: its name, its Availability Zones, the capacity
// providers associated with it and its default capacity provider strategy.
type Cluster struct {
	ClusterName       string   `yaml:"clusterName"`
	AvailabilityZones []string `yaml:"availabilityZones,omitempty"`
	// CapacityProviders lists the providers associated with the cluster
	// (PutClusterCapacityProviders). Empty means every provider of the file.
	CapacityProviders               []string          `yaml:"capacityProviders,omitempty"`
	DefaultCapacityProviderStrategy strategy.Strategy `yaml:"defaultCapacityProviderStrategy,omitempty"`
}

// CapacityProvider is an ECS capacity provider. FARGATE and FARGATE_SPOT are
// reserved names and need no definition.
type CapacityProvider struct {
	Name                     string                   `yaml:"name"`
	AutoScalingGroupProvider AutoScalingGroupProvider `yaml:"autoScalingGroupProvider"`
	// AutoScalingGroup describes the group behind the provider, for the
	// simulation and for cpapply's online checks. cpapply never changes it.
	AutoScalingGroup AutoScalingGroup  `yaml:"autoScalingGroup"`
	Tags             map[string]string `yaml:"tags,omitempty"`
}

// AutoScalingGroupProvider is ECS's AutoScalingGroupProvider.
type AutoScalingGroupProvider struct {
	// AutoScalingGroupArn is the group's ARN or name, as ECS accepts both.
	AutoScalingGroupArn string         `yaml:"autoScalingGroupArn"`
	ManagedScaling      ManagedScaling `yaml:"managedScaling"`
	// ManagedTerminationProtection is ENABLED or DISABLED (default).
	ManagedTerminationProtection string `yaml:"managedTerminationProtection,omitempty"`
	// ManagedDraining is ENABLED (default) or DISABLED.
	ManagedDraining string `yaml:"managedDraining,omitempty"`
}

// ManagedScaling is ECS's ManagedScaling. Nil pointers take ECS's defaults:
// targetCapacity 100, minimumScalingStepSize 1, maximumScalingStepSize 10000,
// instanceWarmupPeriod 300.
type ManagedScaling struct {
	// Status is ENABLED (default in cpsim) or DISABLED.
	Status                 string `yaml:"status,omitempty"`
	TargetCapacity         *int   `yaml:"targetCapacity,omitempty"`
	MinimumScalingStepSize *int   `yaml:"minimumScalingStepSize,omitempty"`
	MaximumScalingStepSize *int   `yaml:"maximumScalingStepSize,omitempty"`
	InstanceWarmupPeriod   *int   `yaml:"instanceWarmupPeriod,omitempty"`
}

// AutoScalingGroup is the EC2 Auto Scaling group behind a provider.
type AutoScalingGroup struct {
	MinSize int `yaml:"minSize"`
	MaxSize int `yaml:"maxSize"`
	// DesiredCapacity is the group's size when the scenario starts.
	DesiredCapacity int `yaml:"desiredCapacity"`
	// AvailabilityZones defaults to the cluster's.
	AvailabilityZones []string `yaml:"availabilityZones,omitempty"`
	// InstanceType is the launch template's type, for a group without a
	// mixed instances policy (all On-Demand).
	InstanceType         string                `yaml:"instanceType,omitempty"`
	MixedInstancesPolicy *MixedInstancesPolicy `yaml:"mixedInstancesPolicy,omitempty"`
	// NewInstancesProtectedFromScaleIn must be true when the provider uses
	// managed termination protection.
	NewInstancesProtectedFromScaleIn bool `yaml:"newInstancesProtectedFromScaleIn,omitempty"`
	// ECSAgent is the agent configuration of the group's instances.
	ECSAgent ECSAgent `yaml:"ecsAgent,omitempty"`
}

// ECSAgent holds the ECS agent settings (/etc/ecs/ecs.config) that change
// what cpsim computes.
type ECSAgent struct {
	// EnableSpotInstanceDraining sets the instance DRAINING at the Spot
	// interruption notice. The agent's default is false.
	EnableSpotInstanceDraining bool `yaml:"ECS_ENABLE_SPOT_INSTANCE_DRAINING,omitempty"`
	// ReservedMemory (MiB) is subtracted from the registered memory.
	ReservedMemory int `yaml:"ECS_RESERVED_MEMORY,omitempty"`
}

// MixedInstancesPolicy is EC2 Auto Scaling's MixedInstancesPolicy.
type MixedInstancesPolicy struct {
	InstancesDistribution InstancesDistribution `yaml:"instancesDistribution"`
	LaunchTemplate        LaunchTemplate        `yaml:"launchTemplate"`
}

// InstancesDistribution is EC2 Auto Scaling's InstancesDistribution. Nil
// pointers and empty strings take the documented defaults:
// onDemandBaseCapacity 0, onDemandPercentageAboveBaseCapacity 100,
// onDemandAllocationStrategy prioritized, spotAllocationStrategy lowest-price,
// spotInstancePools 2.
type InstancesDistribution struct {
	OnDemandAllocationStrategy          string `yaml:"onDemandAllocationStrategy,omitempty"`
	OnDemandBaseCapacity                *int   `yaml:"onDemandBaseCapacity,omitempty"`
	OnDemandPercentageAboveBaseCapacity *int   `yaml:"onDemandPercentageAboveBaseCapacity,omitempty"`
	SpotAllocationStrategy              string `yaml:"spotAllocationStrategy,omitempty"`
	SpotInstancePools                   *int   `yaml:"spotInstancePools,omitempty"`
	SpotMaxPrice                        string `yaml:"spotMaxPrice,omitempty"`
}

// LaunchTemplate holds the overrides of a mixed instances policy, in
// priority order.
type LaunchTemplate struct {
	Overrides []Override `yaml:"overrides"`
}

// Override is one instance type of a mixed instances policy.
type Override struct {
	InstanceType string `yaml:"instanceType"`
	// WeightedCapacity is refused: ECS capacity providers do not support it.
	WeightedCapacity string `yaml:"weightedCapacity,omitempty"`
}

// Service is an ECS service using the replica scheduling strategy.
type Service struct {
	ServiceName    string         `yaml:"serviceName"`
	DesiredCount   int            `yaml:"desiredCount"`
	TaskDefinition TaskDefinition `yaml:"taskDefinition"`
	// CapacityProviderStrategy empty means the cluster default.
	CapacityProviderStrategy strategy.Strategy    `yaml:"capacityProviderStrategy,omitempty"`
	PlacementStrategy        []binpack.Strategy   `yaml:"placementStrategy,omitempty"`
	PlacementConstraints     []binpack.Constraint `yaml:"placementConstraints,omitempty"`
	DeploymentConfiguration  DeploymentConfig     `yaml:"deploymentConfiguration,omitempty"`
	LoadBalancer             *LoadBalancer        `yaml:"loadBalancer,omitempty"`
}

// TaskDefinition holds the task size: CPU units (1024 per vCPU) and memory
// in MiB. The task reserves memoryReservation when set, else memory.
type TaskDefinition struct {
	Family            string `yaml:"family,omitempty"`
	CPU               int    `yaml:"cpu"`
	Memory            int    `yaml:"memory"`
	MemoryReservation int    `yaml:"memoryReservation,omitempty"`
}

// ReservedMemory is the memory the task reserves on an instance.
func (t TaskDefinition) ReservedMemory() int {
	if t.MemoryReservation > 0 {
		return t.MemoryReservation
	}
	return t.Memory
}

// DeploymentConfig is ECS's DeploymentConfiguration. Nil takes the API
// defaults for a replica service: 100 and 200.
type DeploymentConfig struct {
	MinimumHealthyPercent *int `yaml:"minimumHealthyPercent,omitempty"`
	MaximumPercent        *int `yaml:"maximumPercent,omitempty"`
}

// LoadBalancer is the target group in front of the service. Nil fields take
// the Elastic Load Balancing defaults: deregistration delay 300 s, health
// check interval 30 s, healthy threshold 5.
type LoadBalancer struct {
	TargetGroupName            string `yaml:"targetGroupName,omitempty"`
	DeregistrationDelay        *int   `yaml:"deregistrationDelay,omitempty"`
	HealthCheckIntervalSeconds *int   `yaml:"healthCheckIntervalSeconds,omitempty"`
	HealthyThresholdCount      *int   `yaml:"healthyThresholdCount,omitempty"`
}

// InstanceType adds or overrides a catalogue instance type.
type InstanceType struct {
	InstanceType string `yaml:"instanceType"`
	VCPU         int    `yaml:"vcpu,omitempty"`
	// CPU is the registered CPU units; default vcpu × 1024.
	CPU int `yaml:"cpu,omitempty"`
	// Memory is the nominal memory in MiB.
	Memory int `yaml:"memory,omitempty"`
	// RegisteredMemory is what the ECS agent registers; default
	// memory × 0.975 rounded down.
	RegisteredMemory int `yaml:"registeredMemory,omitempty"`
	// MaxTasks caps tasks per instance (ENIs, or a pod-style limit); 0 is
	// no cap.
	MaxTasks      int     `yaml:"maxTasks,omitempty"`
	OnDemandPrice float64 `yaml:"onDemandPrice,omitempty"`
}

// SpotPool overrides the built-in data of one Spot capacity pool.
type SpotPool struct {
	InstanceType     string `yaml:"instanceType"`
	AvailabilityZone string `yaml:"availabilityZone"`
	// SpotPrice in USD per hour; default a fraction of On-Demand.
	SpotPrice float64 `yaml:"spotPrice,omitempty"`
	// SpareCapacity is how many instances the pool can still launch.
	SpareCapacity *int `yaml:"spareCapacity,omitempty"`
	// InterruptionFrequency is a Spot Instance Advisor bucket:
	// "<5%", "5-10%", "10-15%", "15-20%" or ">20%" (per month).
	InterruptionFrequency string `yaml:"interruptionFrequency,omitempty"`
}

// Timings are the latencies of the simulation, in seconds.
type Timings struct {
	// InstanceLaunch is the time from launch to the container instance
	// registering with the cluster, drawn uniformly in [min, max].
	// Default 60–120 s.
	InstanceLaunch *Range `yaml:"instanceLaunch,omitempty"`
	// TaskStart is the time from placement to RUNNING. Default 13 s (the
	// workshop's figure).
	TaskStart *Duration `yaml:"taskStart,omitempty"`
}

// Range is a closed interval of seconds.
type Range struct {
	Min Duration `yaml:"min"`
	Max Duration `yaml:"max"`
}

// Options are the model's choices where ECS publishes no rule. Each is
// documented as a model, not an ECS rule.
type Options struct {
	// MaxProvisioningTasks caps PROVISIONING tasks per cluster. The AWS
	// blog "Deep Dive on Amazon ECS Cluster Auto Scaling" (2020) gave 100;
	// the current quota value is not published. Default 100.
	MaxProvisioningTasks *int `yaml:"maxProvisioningTasks,omitempty"`
	// ProvisioningTimeout stops a task that stayed PROVISIONING this long.
	// The same blog gave "between 10 and 30 minutes". Default 30m.
	ProvisioningTimeout *Duration `yaml:"provisioningTimeout,omitempty"`
	// EmptyProviderScaleOut makes a provider with no instances and no tasks
	// (reservation 100) scale out when targetCapacity < 100, as the ECS
	// workshop observed (two idle Spot instances). Default false: cpsim
	// scales out only for tasks (M > N). A model choice.
	EmptyProviderScaleOut bool `yaml:"emptyProviderScaleOut,omitempty"`
	// RandomSpotInterruptions draws interruptions for every Spot instance
	// from its pool's Spot Instance Advisor bucket (an exponential time to
	// interruption with the bucket's monthly rate), from the seeded source.
	// Off by default, so a quick answer is never perturbed by chance.
	RandomSpotInterruptions bool `yaml:"randomSpotInterruptions,omitempty"`
	// RunFor keeps a run going at least this long even when the cluster is
	// steady, such as 24h to see random interruptions. Default: stop at the
	// first steady datapoint after the last event.
	RunFor *Duration `yaml:"runFor,omitempty"`
}

// Event is something that happens at a time in a simulation. Exactly one
// action field is set.
type Event struct {
	At Duration `yaml:"at"`

	SetDesiredCount      *SetDesiredCount      `yaml:"setDesiredCount,omitempty"`
	SetStrategy          *SetStrategy          `yaml:"setStrategy,omitempty"`
	InterruptInstances   *InterruptInstances   `yaml:"interruptInstances,omitempty"`
	LoseAvailabilityZone *LoseAvailabilityZone `yaml:"loseAvailabilityZone,omitempty"`
}

// SetDesiredCount is UpdateService with a new desired count.
type SetDesiredCount struct {
	Service      string `yaml:"service"`
	DesiredCount int    `yaml:"desiredCount"`
}

// SetStrategy is UpdateService with a new capacity provider strategy and
// forceNewDeployment.
type SetStrategy struct {
	Service                  string            `yaml:"service"`
	CapacityProviderStrategy strategy.Strategy `yaml:"capacityProviderStrategy"`
}

// InterruptInstances reclaims Spot instances with the two-minute notice:
// one instance by id, Count instances of a provider (optionally of one pool
// or AZ), or all of a pool (Count 0 with a pool given).
type InterruptInstances struct {
	Provider         string `yaml:"provider,omitempty"`
	InstanceID       string `yaml:"instanceId,omitempty"`
	InstanceType     string `yaml:"instanceType,omitempty"`
	AvailabilityZone string `yaml:"availabilityZone,omitempty"`
	// Count is how many; 0 with a pool or AZ named means all of them.
	Count int `yaml:"count,omitempty"`
	// MostTasks picks the instances running the most tasks first (default:
	// the ones launched first).
	MostTasks bool `yaml:"mostTasks,omitempty"`
	// RunningTasks, when set, picks only instances running exactly that
	// many tasks.
	RunningTasks *int `yaml:"runningTasks,omitempty"`
	// Pool makes the reclaim pool-wide: the pool's spare capacity drops to
	// zero, so replacements must come from other pools.
	Pool bool `yaml:"pool,omitempty"`
}

// LoseAvailabilityZone takes an Availability Zone away: its instances stop
// without notice and no instance launches there until the end of the run.
type LoseAvailabilityZone struct {
	AvailabilityZone string `yaml:"availabilityZone"`
}
