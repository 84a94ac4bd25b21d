package apply_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"
	"github.com/cpsim/cpsim/apply"
	"github.com/cpsim/cpsim/internal/moto"
	"github.com/cpsim/cpsim/plan"
	"github.com/google/go-cmp/cmp"
)

// snapshot is what Describe* says about the workshop's resources.
type snapshot struct {
	ClusterProviders []string
	DefaultStrategy  []string
	Providers        map[string]apply.Settings
	ServiceStrategy  []string
}

func items(s []ecstypes.CapacityProviderStrategyItem) []string {
	var r []string
	for _, it := range s {
		r = append(r, item(aws.ToString(it.CapacityProvider), it.Base, it.Weight))
	}
	slices.Sort(r)
	return r
}

func item(p string, base, weight int32) string {
	return fmt.Sprintf("%s base=%d weight=%d", p, base, weight)
}

func describe(t *testing.T, c apply.Clients) snapshot {
	t.Helper()
	ctx := context.Background()
	cl, err := c.ECS.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{moto.WorkshopCluster}})
	if err != nil {
		t.Fatal(err)
	}
	s := snapshot{ClusterProviders: slices.Sorted(slices.Values(cl.Clusters[0].CapacityProviders)), DefaultStrategy: items(cl.Clusters[0].DefaultCapacityProviderStrategy), Providers: map[string]apply.Settings{}}
	cps, err := c.ECS.DescribeCapacityProviders(ctx, &ecs.DescribeCapacityProvidersInput{CapacityProviders: []string{"od", "spot", "legacy"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range cps.CapacityProviders {
		a := p.AutoScalingGroupProvider
		m := a.ManagedScaling
		s.Providers[aws.ToString(p.Name)] = apply.Settings{
			AutoScalingGroupArn: aws.ToString(a.AutoScalingGroupArn), ManagedScalingStatus: string(m.Status),
			TargetCapacity: int(aws.ToInt32(m.TargetCapacity)), MinimumScalingStepSize: int(aws.ToInt32(m.MinimumScalingStepSize)),
			MaximumScalingStepSize: int(aws.ToInt32(m.MaximumScalingStepSize)), InstanceWarmupPeriod: int(aws.ToInt32(m.InstanceWarmupPeriod)),
			ManagedTerminationProtection: string(a.ManagedTerminationProtection), ManagedDraining: string(a.ManagedDraining),
		}
	}
	sv, err := c.ECS.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(moto.WorkshopCluster), Services: []string{moto.WorkshopService}})
	if err != nil {
		t.Fatal(err)
	}
	s.ServiceStrategy = items(sv.Services[0].CapacityProviderStrategy)
	return s
}

// want is the snapshot a plan file describes.
func want(sc *plan.Scenario) snapshot {
	s := snapshot{ClusterProviders: slices.Sorted(slices.Values(sc.Cluster.CapacityProviders)), Providers: map[string]apply.Settings{}}
	for _, it := range sc.Cluster.DefaultCapacityProviderStrategy {
		s.DefaultStrategy = append(s.DefaultStrategy, item(it.CapacityProvider, int32(it.Base), int32(it.Weight)))
	}
	slices.Sort(s.DefaultStrategy)
	for _, it := range sc.Services[0].CapacityProviderStrategy {
		s.ServiceStrategy = append(s.ServiceStrategy, item(it.CapacityProvider, int32(it.Base), int32(it.Weight)))
	}
	slices.Sort(s.ServiceStrategy)
	for i := range sc.CapacityProviders {
		s.Providers[sc.CapacityProviders[i].Name] = apply.SettingsOf(&sc.CapacityProviders[i])
	}
	return s
}

func planFor(t *testing.T, c apply.Clients, sc *plan.Scenario, opt apply.DiffOptions) *apply.Plan {
	t.Helper()
	ctx := context.Background()
	if err := apply.ValidateOnline(ctx, c, sc); err != nil {
		t.Fatalf("ValidateOnline: %v", err)
	}
	st, err := apply.Read(ctx, c, sc, apply.ReadOptions{Prune: opt.Prune})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	p, err := apply.Diff(sc, st, opt)
	if err != nil {
		t.Fatalf("Diff: %v", err)
	}
	return p
}

func TestMain(m *testing.M) {
	code := m.Run()
	moto.StopShared()
	os.Exit(code)
}

var fast = apply.Options{PollInterval: 10 * time.Millisecond, ActiveTimeout: 5 * time.Second}

// TestMotoWorkshop walks the workshop through plan, apply, a second plan,
// and an update of a targetCapacity and a weight, against moto_server.
func TestMotoWorkshop(t *testing.T) {
	srv := moto.Shared(t)
	moto.Workshop(t, srv)
	c := apply.NewClients(srv.Config())
	ctx := context.Background()

	sc := workshop(t)
	p := planFor(t, c, sc, apply.DiffOptions{})
	if d := cmp.Diff(apply.Summary{Create: 2, Update: 2}, p.Summary()); d != "" {
		t.Fatalf("first plan summary mismatch (-want +got):\n%s", d)
	}
	res, err := apply.Apply(ctx, c, p, fast)
	if err != nil {
		t.Fatalf("Apply: %v (%+v)", err, res)
	}
	if len(res.Applied) != 4 || len(res.NotApplied) != 0 {
		t.Errorf("Apply result %+v, want 4 steps applied", res)
	}
	if d := cmp.Diff(want(sc), describe(t, c)); d != "" {
		t.Errorf("after apply, Describe* mismatch (-want +got):\n%s", d)
	}
	if p := planFor(t, c, sc, apply.DiffOptions{}); !p.Empty() {
		t.Errorf("second plan has changes: %+v", p.Changes)
	}

	*sc.CapacityProviders[1].AutoScalingGroupProvider.ManagedScaling.TargetCapacity = 90
	sc.Services[0].CapacityProviderStrategy[1].Weight = 3
	p = planFor(t, c, sc, apply.DiffOptions{})
	if d := cmp.Diff(apply.Summary{Update: 2}, p.Summary()); d != "" {
		t.Fatalf("update plan summary mismatch (-want +got):\n%s", d)
	}
	if _, err := apply.Apply(ctx, c, p, fast); err != nil {
		t.Fatalf("Apply update: %v", err)
	}
	if d := cmp.Diff(want(sc), describe(t, c)); d != "" {
		t.Errorf("after the update, Describe* mismatch (-want +got):\n%s", d)
	}
	if p := planFor(t, c, sc, apply.DiffOptions{}); !p.Empty() {
		t.Errorf("plan after the update has changes: %+v", p.Changes)
	}
}

// TestMotoInvalidChangesNothing checks that plans that fail the online
// checks, or that would prune a provider in use, make no change.
func TestMotoInvalidChangesNothing(t *testing.T) {
	srv := moto.Shared(t)
	moto.Workshop(t, srv)
	c := apply.NewClients(srv.Config())
	ctx := context.Background()
	before := describe(t, c)

	tests := []struct {
		name string
		edit func(sc *plan.Scenario)
		want string
	}{
		{"missing group", func(sc *plan.Scenario) {
			sc.CapacityProviders[0].AutoScalingGroupProvider.AutoScalingGroupArn = "no-such-group"
		}, `capacityProviders[0].autoScalingGroupProvider.autoScalingGroupArn: Auto Scaling group "no-such-group" was not found`},
		{"termination protection without scale-in protection", func(sc *plan.Scenario) {
			sc.CapacityProviders[0].AutoScalingGroupProvider.ManagedTerminationProtection = "ENABLED"
		}, `capacityProviders[0].autoScalingGroupProvider.managedTerminationProtection: Auto Scaling group "ecsworkshop-base-ECSEC2Capacity" does not protect new instances from scale in`},
		{"task does not fit", func(sc *plan.Scenario) {
			sc.Services[0].TaskDefinition.Memory = 4096
		}, `services[0].taskDefinition.memory: the task's 4096 MiB do not fit instance type t3.small`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := workshop(t)
			tt.edit(sc)
			err := apply.ValidateOnline(ctx, c, sc)
			var fe *plan.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("ValidateOnline = %v, want a *plan.FieldError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\ndoes not contain %q", err, tt.want)
			}
		})
	}
	if d := cmp.Diff(before, describe(t, c)); d != "" {
		t.Errorf("state changed (-before +after):\n%s", d)
	}
}

// TestMotoPrune checks that --prune refuses while a service uses the
// provider, changing nothing, and deletes it last once nothing does.
func TestMotoPrune(t *testing.T) {
	srv := moto.Shared(t)
	moto.Workshop(t, srv)
	c := apply.NewClients(srv.Config())
	ctx := context.Background()
	_, err := c.ECS.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderInput{
		Name:                     aws.String("legacy"),
		AutoScalingGroupProvider: &ecstypes.AutoScalingGroupProvider{AutoScalingGroupArn: aws.String(moto.WorkshopODGroup)},
	})
	if err != nil {
		t.Fatal(err)
	}
	legacy := []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String("legacy"), Weight: 1}}
	if _, err := c.ECS.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String(moto.WorkshopCluster), CapacityProviders: []string{"legacy"}, DefaultCapacityProviderStrategy: legacy}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ECS.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String(moto.WorkshopCluster), Service: aws.String(moto.WorkshopService), CapacityProviderStrategy: legacy, ForceNewDeployment: true}); err != nil {
		t.Fatal(err)
	}
	before := describe(t, c)

	sc := workshop(t)
	st, err := apply.Read(ctx, c, sc, apply.ReadOptions{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = apply.Diff(sc, st, apply.DiffOptions{Prune: true})
	if w := `capacity provider "legacy" can't be removed from cluster "container-demo" while it is in use: service "ecsdemo-capacityproviders-ec2" names it in its capacity provider strategy`; err == nil || !strings.Contains(err.Error(), w) {
		t.Fatalf("Diff with --prune = %v, want an error containing %q", err, w)
	}
	if d := cmp.Diff(before, describe(t, c)); d != "" {
		t.Errorf("refused prune changed the state (-before +after):\n%s", d)
	}

	// Without --prune: legacy is kept, the service moves to od and spot.
	p := planFor(t, c, sc, apply.DiffOptions{})
	if d := cmp.Diff([]string{"legacy"}, p.Kept); d != "" {
		t.Errorf("kept mismatch (-want +got):\n%s", d)
	}
	if _, err := apply.Apply(ctx, c, p, fast); err != nil {
		t.Fatal(err)
	}
	// Now nothing uses legacy: --prune disassociates it, then deletes it.
	p = planFor(t, c, sc, apply.DiffOptions{Prune: true})
	if d := cmp.Diff(apply.Summary{Update: 1, Delete: 1}, p.Summary()); d != "" {
		t.Fatalf("prune plan summary mismatch (-want +got):\n%s", d)
	}
	res, err := apply.Apply(ctx, c, p, fast)
	if err != nil {
		t.Fatal(err)
	}
	if last := res.Applied[len(res.Applied)-1]; last != `delete capacity provider "legacy"` {
		t.Errorf("last step %q, want the delete", last)
	}
	if d := cmp.Diff(want(sc), describe(t, c)); d != "" {
		t.Errorf("after prune, Describe* mismatch (-want +got):\n%s", d)
	}
}

// failingECS answers PutClusterCapacityProviders with an ECS error.
type failingECS struct{ apply.ECS }

func (failingECS) PutClusterCapacityProviders(context.Context, *ecs.PutClusterCapacityProvidersInput, ...func(*ecs.Options)) (*ecs.PutClusterCapacityProvidersOutput, error) {
	return nil, &smithy.GenericAPIError{Code: "ResourceInUseException", Message: "The specified capacity provider is in use and cannot be removed."}
}

// TestMotoApplyStops checks that an API error stops the run, reports what
// was applied and what was not with ECS's error name and message, and that
// applying again converges.
func TestMotoApplyStops(t *testing.T) {
	srv := moto.Shared(t)
	moto.Workshop(t, srv)
	c := apply.NewClients(srv.Config())
	ctx := context.Background()
	sc := workshop(t)

	broken := c
	broken.ECS = failingECS{c.ECS}
	res, err := apply.Apply(ctx, broken, planFor(t, c, sc, apply.DiffOptions{}), fast)
	var se *apply.StepError
	if !errors.As(err, &se) || se.Code != "ResourceInUseException" {
		t.Fatalf("Apply error = %v, want a *StepError with code ResourceInUseException", err)
	}
	wantRes := &apply.Result{
		Applied: []string{`create capacity provider "od"`, `create capacity provider "spot"`},
		NotApplied: []string{
			`put cluster "container-demo" capacity providers [od spot] and default strategy [od base=1 weight=1, spot weight=4]`,
			`update service "ecsdemo-capacityproviders-ec2" strategy [od base=1 weight=1, spot weight=4] with a new deployment`,
		},
	}
	if d := cmp.Diff(wantRes, res); d != "" {
		t.Errorf("result mismatch (-want +got):\n%s", d)
	}

	p := planFor(t, c, sc, apply.DiffOptions{})
	if d := cmp.Diff(apply.Summary{Update: 2}, p.Summary()); d != "" {
		t.Errorf("plan after the failure mismatch (-want +got):\n%s", d)
	}
	if _, err := apply.Apply(ctx, c, p, fast); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want(sc), describe(t, c)); d != "" {
		t.Errorf("after the second apply, Describe* mismatch (-want +got):\n%s", d)
	}
}

// busyECS reports a running task on the provider "legacy" and services
// whose running count has reached their desired count; moto runs no tasks.
type busyECS struct{ apply.ECS }

func (busyECS) ListTasks(context.Context, *ecs.ListTasksInput, ...func(*ecs.Options)) (*ecs.ListTasksOutput, error) {
	return &ecs.ListTasksOutput{TaskArns: []string{"arn:aws:ecs:us-west-2:123456789012:task/container-demo/1"}}, nil
}

func (busyECS) DescribeTasks(context.Context, *ecs.DescribeTasksInput, ...func(*ecs.Options)) (*ecs.DescribeTasksOutput, error) {
	return &ecs.DescribeTasksOutput{Tasks: []ecstypes.Task{{CapacityProviderName: aws.String("legacy")}}}, nil
}

func (b busyECS) DescribeServices(ctx context.Context, in *ecs.DescribeServicesInput, opts ...func(*ecs.Options)) (*ecs.DescribeServicesOutput, error) {
	out, err := b.ECS.DescribeServices(ctx, in, opts...)
	if err == nil {
		for i := range out.Services {
			out.Services[i].RunningCount = out.Services[i].DesiredCount
		}
	}
	return out, err
}

// TestMotoTasksAndWait checks that a task running on a provider blocks its
// pruning, and that --wait waits for the services to be stable.
func TestMotoTasksAndWait(t *testing.T) {
	srv := moto.Shared(t)
	moto.Workshop(t, srv)
	c := apply.NewClients(srv.Config())
	c.ECS = busyECS{c.ECS}
	ctx := context.Background()
	if _, err := c.ECS.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderInput{
		Name:                     aws.String("legacy"),
		AutoScalingGroupProvider: &ecstypes.AutoScalingGroupProvider{AutoScalingGroupArn: aws.String(moto.WorkshopODGroup)},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ECS.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String(moto.WorkshopCluster), CapacityProviders: []string{"legacy"}, DefaultCapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{}}); err != nil {
		t.Fatal(err)
	}
	sc := workshop(t)
	st, err := apply.Read(ctx, c, sc, apply.ReadOptions{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = apply.Diff(sc, st, apply.DiffOptions{Prune: true})
	if w := `capacity provider "legacy" can't be removed from cluster "container-demo" while it is in use: 1 task(s) run on it`; err == nil || !strings.Contains(err.Error(), w) {
		t.Fatalf("Diff with --prune = %v, want an error containing %q", err, w)
	}

	opt := fast
	opt.WaitStable = 5 * time.Second
	res, err := apply.Apply(ctx, c, planFor(t, c, sc, apply.DiffOptions{}), opt)
	if err != nil {
		t.Fatal(err)
	}
	if got, w := res.Applied[len(res.Applied)-1], `wait for services [ecsdemo-capacityproviders-ec2] to be stable`; got != w {
		t.Errorf("last step %q, want %q", got, w)
	}
}
