package apply

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/cpsim/cpsim/plan"
	"github.com/cpsim/cpsim/strategy"
)

// State is what ECS reports now for the cluster, the capacity providers
// the plan names or the cluster uses, and the plan's services.
type State struct {
	Cluster Cluster
	// Providers holds the capacity providers that exist (status not
	// INACTIVE), by name. Fargate providers are not described.
	Providers map[string]Provider
	// Services holds the plan's services found ACTIVE in the cluster.
	Services map[string]Service
	// Usage says, for each provider the cluster uses and the plan does not
	// define, what still uses it (read only with ReadOptions.Prune).
	Usage map[string][]string
}

// Cluster is an ECS cluster's capacity provider settings.
type Cluster struct {
	Name              string
	CapacityProviders []string
	DefaultStrategy   strategy.Strategy
}

// Provider is an existing capacity provider.
type Provider struct {
	Name               string
	Status             string
	UpdateStatus       string
	UpdateStatusReason string
	Settings           Settings
}

// Settings are the capacity provider fields cpapply manages, flattened so
// two of them compare with ==.
type Settings struct {
	AutoScalingGroupArn          string
	ManagedScalingStatus         string
	TargetCapacity               int
	MinimumScalingStepSize       int
	MaximumScalingStepSize       int
	InstanceWarmupPeriod         int
	ManagedTerminationProtection string
	ManagedDraining              string
}

// Service is an ECS service's capacity provider strategy.
type Service struct {
	Name       string
	LaunchType string
	Strategy   strategy.Strategy
}

// ReadOptions say what Read reads.
type ReadOptions struct {
	// Cluster overrides the plan's cluster.clusterName.
	Cluster string
	// Prune also reads what uses the providers the plan does not define
	// (every service of the cluster and its tasks).
	Prune bool
}

// ErrClusterNotFound is returned by Read when the cluster does not exist
// or is not ACTIVE: cpapply manages an existing cluster, it does not create
// one.
var ErrClusterNotFound = errors.New("cluster not found")

// ClusterName is the cluster a run acts on: the override, else the plan's.
func ClusterName(sc *plan.Scenario, override string) string {
	if override != "" {
		return override
	}
	return sc.Cluster.ClusterName
}

// Read reads the current state with Describe calls only.
func Read(ctx context.Context, c Clients, sc *plan.Scenario, opt ReadOptions) (*State, error) {
	name := ClusterName(sc, opt.Cluster)
	if name == "" {
		return nil, fmt.Errorf("read state: no cluster: set cluster.clusterName or --cluster")
	}
	st := &State{Providers: map[string]Provider{}, Services: map[string]Service{}, Usage: map[string][]string{}}
	out, err := c.ECS.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{name}})
	if err != nil {
		return nil, fmt.Errorf("read cluster %s: %w", name, err)
	}
	var cl *ecstypes.Cluster
	for i := range out.Clusters {
		if aws.ToString(out.Clusters[i].Status) == "ACTIVE" {
			cl = &out.Clusters[i]
		}
	}
	if cl == nil {
		return nil, fmt.Errorf("%w: %q is not ACTIVE in this account and region (cpapply manages an existing cluster; it does not create one)", ErrClusterNotFound, name)
	}
	st.Cluster = Cluster{Name: aws.ToString(cl.ClusterName), CapacityProviders: cl.CapacityProviders, DefaultStrategy: fromSDK(cl.DefaultCapacityProviderStrategy)}

	var names []string
	for _, cp := range sc.CapacityProviders {
		names = append(names, cp.Name)
	}
	for _, n := range st.Cluster.CapacityProviders {
		if !slices.Contains(names, n) && !plan.IsFargate(n) {
			names = append(names, n)
		}
	}
	for chunk := range slices.Chunk(names, 100) {
		out, err := c.ECS.DescribeCapacityProviders(ctx, &ecs.DescribeCapacityProvidersInput{CapacityProviders: chunk})
		if err != nil {
			return nil, fmt.Errorf("read capacity providers: %w", err)
		}
		for _, p := range out.CapacityProviders {
			if p.Status == ecstypes.CapacityProviderStatusInactive {
				continue
			}
			st.Providers[aws.ToString(p.Name)] = providerFromSDK(p)
		}
	}

	var svcNames []string
	for _, sv := range sc.Services {
		svcNames = append(svcNames, sv.ServiceName)
	}
	svcs, err := describeServices(ctx, c.ECS, name, svcNames)
	if err != nil {
		return nil, err
	}
	for _, s := range svcs {
		st.Services[s.Name] = s
	}

	if opt.Prune {
		var unmanaged []string
		for _, n := range st.Cluster.CapacityProviders {
			if !slices.Contains(sc.Cluster.CapacityProviders, n) {
				unmanaged = append(unmanaged, n)
			}
		}
		if len(unmanaged) > 0 {
			st.Usage, err = Usage(ctx, c.ECS, name, unmanaged)
			if err != nil {
				return nil, err
			}
		}
	}
	return st, nil
}

// describeServices describes services by name, 10 per call (the API's
// limit), and returns the ACTIVE ones.
func describeServices(ctx context.Context, e ECS, cluster string, names []string) ([]Service, error) {
	var res []Service
	for chunk := range slices.Chunk(names, 10) {
		out, err := e.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: chunk})
		if err != nil {
			return nil, fmt.Errorf("read services: %w", err)
		}
		for _, s := range out.Services {
			if aws.ToString(s.Status) != "ACTIVE" {
				continue
			}
			res = append(res, Service{Name: aws.ToString(s.ServiceName), LaunchType: string(s.LaunchType), Strategy: fromSDK(s.CapacityProviderStrategy)})
		}
	}
	return res, nil
}

// Usage reports, for each of the named providers, what in the cluster
// still uses it: services whose strategy names it, and tasks that run on
// it. A provider missing from the result is unused. ECS refuses to
// disassociate a provider that tasks use (ResourceInUseException);
// cpapply checks first so it can say why.
func Usage(ctx context.Context, e ECS, cluster string, providers []string) (map[string][]string, error) {
	use := map[string][]string{}
	var arns []string
	p := &ecs.ListServicesInput{Cluster: aws.String(cluster)}
	for {
		out, err := e.ListServices(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("list services: %w", err)
		}
		arns = append(arns, out.ServiceArns...)
		if out.NextToken == nil {
			break
		}
		p.NextToken = out.NextToken
	}
	svcs, err := describeServices(ctx, e, cluster, arns)
	if err != nil {
		return nil, err
	}
	for _, s := range svcs {
		for _, it := range s.Strategy {
			if slices.Contains(providers, it.CapacityProvider) {
				use[it.CapacityProvider] = append(use[it.CapacityProvider], fmt.Sprintf("service %q names it in its capacity provider strategy", s.Name))
			}
		}
	}
	var tasks []string
	lt := &ecs.ListTasksInput{Cluster: aws.String(cluster)}
	for {
		out, err := e.ListTasks(ctx, lt)
		if err != nil {
			return nil, fmt.Errorf("list tasks: %w", err)
		}
		tasks = append(tasks, out.TaskArns...)
		if out.NextToken == nil {
			break
		}
		lt.NextToken = out.NextToken
	}
	count := map[string]int{}
	for chunk := range slices.Chunk(tasks, 100) {
		out, err := e.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: chunk})
		if err != nil {
			return nil, fmt.Errorf("read tasks: %w", err)
		}
		for _, t := range out.Tasks {
			if n := aws.ToString(t.CapacityProviderName); slices.Contains(providers, n) {
				count[n]++
			}
		}
	}
	for _, p := range providers {
		if n := count[p]; n > 0 {
			use[p] = append(use[p], fmt.Sprintf("%d task(s) run on it", n))
		}
	}
	return use, nil
}

func providerFromSDK(p ecstypes.CapacityProvider) Provider {
	r := Provider{Name: aws.ToString(p.Name), Status: string(p.Status), UpdateStatus: string(p.UpdateStatus), UpdateStatusReason: aws.ToString(p.UpdateStatusReason)}
	if a := p.AutoScalingGroupProvider; a != nil {
		r.Settings.AutoScalingGroupArn = aws.ToString(a.AutoScalingGroupArn)
		r.Settings.ManagedTerminationProtection = string(a.ManagedTerminationProtection)
		r.Settings.ManagedDraining = string(a.ManagedDraining)
		if m := a.ManagedScaling; m != nil {
			r.Settings.ManagedScalingStatus = string(m.Status)
			r.Settings.TargetCapacity = int(aws.ToInt32(m.TargetCapacity))
			r.Settings.MinimumScalingStepSize = int(aws.ToInt32(m.MinimumScalingStepSize))
			r.Settings.MaximumScalingStepSize = int(aws.ToInt32(m.MaximumScalingStepSize))
			r.Settings.InstanceWarmupPeriod = int(aws.ToInt32(m.InstanceWarmupPeriod))
		}
	}
	return r
}

// SettingsOf returns the settings the plan wants for a provider (after
// plan's Defaults, every pointer is set).
func SettingsOf(cp *plan.CapacityProvider) Settings {
	p := cp.AutoScalingGroupProvider
	m := p.ManagedScaling
	return Settings{
		AutoScalingGroupArn:          p.AutoScalingGroupArn,
		ManagedScalingStatus:         m.Status,
		TargetCapacity:               deref(m.TargetCapacity, plan.DefaultTargetCapacity),
		MinimumScalingStepSize:       deref(m.MinimumScalingStepSize, plan.DefaultMinimumScalingStepSize),
		MaximumScalingStepSize:       deref(m.MaximumScalingStepSize, plan.DefaultMaximumScalingStepSize),
		InstanceWarmupPeriod:         deref(m.InstanceWarmupPeriod, plan.DefaultInstanceWarmupPeriod),
		ManagedTerminationProtection: p.ManagedTerminationProtection,
		ManagedDraining:              p.ManagedDraining,
	}
}

func deref(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}

func fromSDK(items []ecstypes.CapacityProviderStrategyItem) strategy.Strategy {
	var s strategy.Strategy
	for _, it := range items {
		s = append(s, strategy.Item{CapacityProvider: aws.ToString(it.CapacityProvider), Base: int(it.Base), Weight: int(it.Weight)})
	}
	return s
}

func toSDK(s strategy.Strategy) []ecstypes.CapacityProviderStrategyItem {
	items := []ecstypes.CapacityProviderStrategyItem{} // never nil: ECS wants [] to mean "none"
	for _, it := range s {
		items = append(items, ecstypes.CapacityProviderStrategyItem{CapacityProvider: aws.String(it.CapacityProvider), Base: int32(it.Base), Weight: int32(it.Weight)})
	}
	return items
}

// GroupName returns the Auto Scaling group name of a name or an ARN
// (arn:aws:autoscaling:…:autoScalingGroupName/NAME).
func GroupName(nameOrARN string) string {
	if _, n, ok := strings.Cut(nameOrARN, ":autoScalingGroupName/"); ok && strings.HasPrefix(nameOrARN, "arn:") {
		return n
	}
	return nameOrARN
}
