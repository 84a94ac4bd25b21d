package apply

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/cpsim/cpsim/plan"
	"github.com/cpsim/cpsim/strategy"
)

// Action is what a change does to a resource or a field.
type Action string

// The actions, with Terraform's signs.
const (
	Create Action = "create" // +
	Update Action = "update" // ~
	Delete Action = "delete" // - (delete a provider, or disassociate it from the cluster)
)

// Sign is Terraform's sign for the action: +, ~ or -.
func (a Action) Sign() string {
	switch a {
	case Create:
		return "+"
	case Delete:
		return "-"
	}
	return "~"
}

// Resource kinds.
const (
	KindCapacityProvider = "capacityProvider"
	KindCluster          = "cluster"
	KindService          = "service"
)

// Plan is the list of changes that make ECS match the plan file, in the
// order Apply makes them: providers created or updated, then the cluster's
// providers and default strategy, then services, then pruned providers
// deleted.
type Plan struct {
	Cluster string   `json:"cluster"`
	Changes []Change `json:"changes"`
	// Kept lists the providers associated with the cluster that the file
	// does not list; they stay associated (use --prune to remove them).
	Kept []string `json:"kept,omitempty"`
	// Notes are things the plan leaves alone, and why.
	Notes []string `json:"notes,omitempty"`
}

// Change is one API call's worth of change to one resource.
type Change struct {
	Action Action  `json:"action"`
	Kind   string  `json:"kind"`
	Name   string  `json:"name"`
	Fields []Field `json:"fields,omitempty"`
	// ForceNewDeployment is set on service updates: ECS requires a new
	// deployment when a service's capacity provider strategy changes, so
	// the service's tasks are replaced.
	ForceNewDeployment bool `json:"forceNewDeployment,omitempty"`

	// The values Apply sends.
	settings  Settings
	tags      map[string]string
	providers []string
	strategy  strategy.Strategy
}

// Field is one field's change. Old is nil for a new value, New is nil for
// a removed one.
type Field struct {
	Action Action `json:"action"`
	Name   string `json:"name"`
	Old    any    `json:"old"`
	New    any    `json:"new"`
}

// Summary counts the changes by action.
type Summary struct {
	Create int `json:"create"`
	Update int `json:"update"`
	Delete int `json:"delete"`
}

// Summary counts the plan's changes.
func (p *Plan) Summary() Summary {
	var s Summary
	for _, c := range p.Changes {
		switch c.Action {
		case Create:
			s.Create++
		case Update:
			s.Update++
		case Delete:
			s.Delete++
		}
	}
	return s
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return len(p.Changes) == 0 }

// DiffOptions change what Diff plans.
type DiffOptions struct {
	// Prune disassociates the providers the file does not list from the
	// cluster and deletes the ones it does not define (not Fargate's).
	Prune bool
}

// Diff computes the changes that make cur match sc. It is pure. It returns
// an error, with every reason joined, when the plan can't be applied safely
// as it stands: a service the cluster does not have, a provider whose Auto
// Scaling group would have to change (ECS can't update it), or a provider
// to prune that is still in use.
func Diff(sc *plan.Scenario, cur *State, opt DiffOptions) (*Plan, error) {
	p := &Plan{Cluster: cur.Cluster.Name}
	var errs []error

	for i := range sc.CapacityProviders {
		cp := &sc.CapacityProviders[i]
		want := SettingsOf(cp)
		have, ok := cur.Providers[cp.Name]
		if !ok {
			p.Changes = append(p.Changes, Change{Action: Create, Kind: KindCapacityProvider, Name: cp.Name, Fields: settingsFields(nil, &want), settings: want, tags: cp.Tags})
			continue
		}
		if GroupName(have.Settings.AutoScalingGroupArn) != GroupName(want.AutoScalingGroupArn) {
			errs = append(errs, &plan.FieldError{
				Field: fmt.Sprintf("capacityProviders[%d].autoScalingGroupProvider.autoScalingGroupArn", i),
				Rule:  fmt.Sprintf("capacity provider %q uses Auto Scaling group %q, and ECS can't change a provider's group (UpdateCapacityProvider has no such field): give the provider a new name, or delete it first", cp.Name, have.Settings.AutoScalingGroupArn),
			})
			continue
		}
		want.AutoScalingGroupArn = have.Settings.AutoScalingGroupArn // name and ARN are the same group
		if f := settingsFields(&have.Settings, &want); len(f) > 0 {
			p.Changes = append(p.Changes, Change{Action: Update, Kind: KindCapacityProvider, Name: cp.Name, Fields: f, settings: want})
		}
	}

	// The cluster: the file's providers, plus the ones it does not list
	// unless pruning, and the default strategy.
	list := slices.Clone(sc.Cluster.CapacityProviders)
	var pruned []string
	for _, n := range cur.Cluster.CapacityProviders {
		if slices.Contains(list, n) {
			continue
		}
		if opt.Prune {
			pruned = append(pruned, n)
		} else {
			list = append(list, n)
			p.Kept = append(p.Kept, n)
		}
	}
	var cf []Field
	for _, n := range list {
		if !slices.Contains(cur.Cluster.CapacityProviders, n) {
			cf = append(cf, Field{Action: Create, Name: "capacityProviders", New: n})
		}
	}
	for _, n := range pruned {
		cf = append(cf, Field{Action: Delete, Name: "capacityProviders", Old: n})
	}
	if !sameStrategy(cur.Cluster.DefaultStrategy, sc.Cluster.DefaultCapacityProviderStrategy) {
		cf = append(cf, Field{Action: Update, Name: "defaultCapacityProviderStrategy", Old: strategyValue(cur.Cluster.DefaultStrategy), New: strategyValue(sc.Cluster.DefaultCapacityProviderStrategy)})
	}
	if len(cf) > 0 {
		p.Changes = append(p.Changes, Change{Action: Update, Kind: KindCluster, Name: cur.Cluster.Name, Fields: cf, providers: list, strategy: sc.Cluster.DefaultCapacityProviderStrategy})
	}

	for i := range sc.Services {
		sv := &sc.Services[i]
		have, ok := cur.Services[sv.ServiceName]
		if !ok {
			errs = append(errs, &plan.FieldError{
				Field: fmt.Sprintf("services[%d].serviceName", i),
				Rule:  fmt.Sprintf("service %q is not ACTIVE in cluster %q: cpapply changes the strategy of existing services, it does not create them", sv.ServiceName, cur.Cluster.Name),
			})
			continue
		}
		if len(sv.CapacityProviderStrategy) == 0 {
			p.Notes = append(p.Notes, fmt.Sprintf("service %q sets no capacityProviderStrategy: cpapply leaves its strategy as it is", sv.ServiceName))
			continue
		}
		if sameStrategy(have.Strategy, sv.CapacityProviderStrategy) {
			continue
		}
		var old any = strategyValue(have.Strategy)
		if len(have.Strategy) == 0 && have.LaunchType != "" {
			old = Label("launchType " + have.LaunchType)
		}
		p.Changes = append(p.Changes, Change{
			Action: Update, Kind: KindService, Name: sv.ServiceName, ForceNewDeployment: true,
			Fields:   []Field{{Action: Update, Name: "capacityProviderStrategy", Old: old, New: strategyValue(sv.CapacityProviderStrategy)}},
			strategy: sv.CapacityProviderStrategy,
		})
	}

	// Pruning: refuse when something still uses the provider, since ECS
	// would answer ResourceInUseException halfway through the run.
	for _, n := range pruned {
		why := slices.Clone(cur.Usage[n])
		for i, it := range sc.Cluster.DefaultCapacityProviderStrategy {
			if it.CapacityProvider == n {
				why = append(why, fmt.Sprintf("cluster.defaultCapacityProviderStrategy[%d] names it", i))
			}
		}
		for i := range sc.Services {
			for j, it := range sc.Services[i].CapacityProviderStrategy {
				if it.CapacityProvider == n {
					why = append(why, fmt.Sprintf("services[%d].capacityProviderStrategy[%d] names it", i, j))
				}
			}
		}
		if len(why) > 0 {
			errs = append(errs, fmt.Errorf("--prune: capacity provider %q can't be removed from cluster %q while it is in use: %s (apply without --prune, let the services' deployments move their tasks, then prune)", n, cur.Cluster.Name, joinSemi(why)))
			continue
		}
		if plan.IsFargate(n) || sc.Provider(n) != nil {
			continue // Fargate's can't be deleted; the file's own are kept
		}
		if _, ok := cur.Providers[n]; ok {
			p.Changes = append(p.Changes, Change{Action: Delete, Kind: KindCapacityProvider, Name: n})
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return p, nil
}

func joinSemi(xs []string) string {
	s := ""
	for i, x := range xs {
		if i > 0 {
			s += "; "
		}
		s += x
	}
	return s
}

// settingsFields lists the fields that differ; old nil means all are new.
func settingsFields(old, want *Settings) []Field {
	type f struct {
		name string
		o, n any
	}
	row := func(s *Settings) []any {
		return []any{s.AutoScalingGroupArn, s.ManagedScalingStatus, s.TargetCapacity, s.MinimumScalingStepSize, s.MaximumScalingStepSize, s.InstanceWarmupPeriod, s.ManagedTerminationProtection, s.ManagedDraining}
	}
	names := []string{"autoScalingGroupArn", "managedScaling.status", "managedScaling.targetCapacity", "managedScaling.minimumScalingStepSize", "managedScaling.maximumScalingStepSize", "managedScaling.instanceWarmupPeriod", "managedTerminationProtection", "managedDraining"}
	w := row(want)
	var res []Field
	if old == nil {
		for i, n := range names {
			res = append(res, Field{Action: Create, Name: n, New: w[i]})
		}
		return res
	}
	o := row(old)
	for i, n := range names {
		if o[i] != w[i] {
			res = append(res, Field{Action: Update, Name: n, Old: o[i], New: w[i]})
		}
	}
	return res
}

// sameStrategy compares strategies as sets of items: ECS gives the order
// no meaning.
func sameStrategy(a, b strategy.Strategy) bool {
	sort := func(s strategy.Strategy) strategy.Strategy {
		s = slices.Clone(s)
		slices.SortFunc(s, func(x, y strategy.Item) int { return cmp.Compare(x.CapacityProvider, y.CapacityProvider) })
		return s
	}
	return slices.Equal(sort(a), sort(b))
}

// strategyValue is a strategy as a plan value: a non-nil list, so JSON
// shows [] rather than null.
func strategyValue(s strategy.Strategy) strategy.Strategy {
	if s == nil {
		return strategy.Strategy{}
	}
	return s
}
