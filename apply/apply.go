package apply

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"
)

// Options tune Apply. The zero value means: poll every 5 s, wait up to
// 10 minutes for a provider to be ACTIVE, do not wait for services, log
// nothing.
type Options struct {
	// PollInterval is the wait between Describe calls while waiting.
	PollInterval time.Duration
	// ActiveTimeout bounds the wait for a provider to become ACTIVE.
	ActiveTimeout time.Duration
	// WaitStable, when above zero, waits up to that long for the updated
	// services to be stable (ecs ServicesStableWaiter).
	WaitStable time.Duration
	// Log receives one line per step as it completes.
	Log io.Writer
}

// Result lists the steps Apply made and the ones it did not make.
type Result struct {
	Applied    []string `json:"applied"`
	NotApplied []string `json:"notApplied"`
}

// StepError is the error that stopped Apply: the step and, for an API
// error, ECS's error name and message.
type StepError struct {
	Step    string
	Code    string // the API error name, e.g. ResourceInUseException
	Message string
	Err     error
}

func (e *StepError) Error() string {
	if e.Code != "" {
		return fmt.Sprintf("%s: %s: %s", e.Step, e.Code, e.Message)
	}
	return fmt.Sprintf("%s: %v", e.Step, e.Err)
}

func (e *StepError) Unwrap() error { return e.Err }

type step struct {
	desc string
	run  func(context.Context) error
}

// Apply makes the plan's changes in a safe order: providers created or
// updated, each waited for until ACTIVE; one PutClusterCapacityProviders
// with the complete list and default strategy; UpdateService with the new
// strategy and forceNewDeployment; optionally a wait for the services to be
// stable; pruned providers deleted last, after checking again that nothing
// uses them. Throttling and transient errors are retried by the SDK's
// retryer. Any other error stops the run: the Result then says what was
// applied and what was not, and the error is a *StepError. Applying the
// same file again converges.
func Apply(ctx context.Context, c Clients, p *Plan, opt Options) (*Result, error) {
	if opt.PollInterval <= 0 {
		opt.PollInterval = 5 * time.Second
	}
	if opt.ActiveTimeout <= 0 {
		opt.ActiveTimeout = 10 * time.Minute
	}
	var steps []step
	var services []string
	for _, ch := range p.Changes {
		ch := ch
		switch {
		case ch.Kind == KindCapacityProvider && ch.Action == Create:
			steps = append(steps, step{fmt.Sprintf("create capacity provider %q", ch.Name), func(ctx context.Context) error {
				if _, err := c.ECS.CreateCapacityProvider(ctx, createInput(ch)); err != nil {
					return err
				}
				return waitActive(ctx, c.ECS, ch.Name, opt)
			}})
		case ch.Kind == KindCapacityProvider && ch.Action == Update:
			steps = append(steps, step{fmt.Sprintf("update capacity provider %q", ch.Name), func(ctx context.Context) error {
				if _, err := c.ECS.UpdateCapacityProvider(ctx, updateInput(ch)); err != nil {
					return err
				}
				return waitActive(ctx, c.ECS, ch.Name, opt)
			}})
		case ch.Kind == KindCluster:
			steps = append(steps, step{fmt.Sprintf("put cluster %q capacity providers %v and default strategy %s", ch.Name, ch.providers, StrategyText(ch.strategy)), func(ctx context.Context) error {
				_, err := c.ECS.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{
					Cluster:                         aws.String(p.Cluster),
					CapacityProviders:               append([]string{}, ch.providers...),
					DefaultCapacityProviderStrategy: toSDK(ch.strategy),
				})
				return err
			}})
		case ch.Kind == KindService:
			services = append(services, ch.Name)
			steps = append(steps, step{fmt.Sprintf("update service %q strategy %s with a new deployment", ch.Name, StrategyText(ch.strategy)), func(ctx context.Context) error {
				_, err := c.ECS.UpdateService(ctx, &ecs.UpdateServiceInput{
					Cluster:                  aws.String(p.Cluster),
					Service:                  aws.String(ch.Name),
					CapacityProviderStrategy: toSDK(ch.strategy),
					// ECS requires a new deployment for a strategy change.
					ForceNewDeployment: true,
				})
				return err
			}})
		}
	}
	if opt.WaitStable > 0 && len(services) > 0 {
		steps = append(steps, step{fmt.Sprintf("wait for services %v to be stable", services), func(ctx context.Context) error {
			w := ecs.NewServicesStableWaiter(c.ECS, func(o *ecs.ServicesStableWaiterOptions) {
				o.MinDelay = opt.PollInterval
				o.MaxDelay = max(opt.PollInterval, 15*time.Second)
			})
			for chunk := range slices.Chunk(services, 10) {
				if err := w.Wait(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(p.Cluster), Services: chunk}, opt.WaitStable); err != nil {
					return err
				}
			}
			return nil
		}})
	}
	for _, ch := range p.Changes {
		if ch.Kind != KindCapacityProvider || ch.Action != Delete {
			continue
		}
		name := ch.Name
		steps = append(steps, step{fmt.Sprintf("delete capacity provider %q", name), func(ctx context.Context) error {
			use, err := Usage(ctx, c.ECS, p.Cluster, []string{name})
			if err != nil {
				return err
			}
			if why := use[name]; len(why) > 0 {
				return fmt.Errorf("refusing to delete it while it is in use: %s", joinSemi(why))
			}
			_, err = c.ECS.DeleteCapacityProvider(ctx, &ecs.DeleteCapacityProviderInput{CapacityProvider: aws.String(name)})
			return err
		}})
	}

	res := &Result{Applied: []string{}, NotApplied: []string{}}
	for i, s := range steps {
		if err := s.run(ctx); err != nil {
			for _, r := range steps[i:] {
				res.NotApplied = append(res.NotApplied, r.desc)
			}
			se := &StepError{Step: s.desc, Err: err}
			var ae smithy.APIError
			if errors.As(err, &ae) {
				se.Code, se.Message = ae.ErrorCode(), ae.ErrorMessage()
			}
			return res, se
		}
		res.Applied = append(res.Applied, s.desc)
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, "done: %s\n", s.desc)
		}
	}
	return res, nil
}

func createInput(ch Change) *ecs.CreateCapacityProviderInput {
	s := ch.settings
	in := &ecs.CreateCapacityProviderInput{
		Name: aws.String(ch.Name),
		AutoScalingGroupProvider: &ecstypes.AutoScalingGroupProvider{
			AutoScalingGroupArn:          aws.String(s.AutoScalingGroupArn),
			ManagedScaling:               managedScaling(s),
			ManagedTerminationProtection: ecstypes.ManagedTerminationProtection(s.ManagedTerminationProtection),
			ManagedDraining:              ecstypes.ManagedDraining(s.ManagedDraining),
		},
	}
	for _, k := range slices.Sorted(maps.Keys(ch.tags)) {
		in.Tags = append(in.Tags, ecstypes.Tag{Key: aws.String(k), Value: aws.String(ch.tags[k])})
	}
	return in
}

func updateInput(ch Change) *ecs.UpdateCapacityProviderInput {
	s := ch.settings
	return &ecs.UpdateCapacityProviderInput{
		Name: aws.String(ch.Name),
		AutoScalingGroupProvider: &ecstypes.AutoScalingGroupProviderUpdate{
			ManagedScaling:               managedScaling(s),
			ManagedTerminationProtection: ecstypes.ManagedTerminationProtection(s.ManagedTerminationProtection),
			ManagedDraining:              ecstypes.ManagedDraining(s.ManagedDraining),
		},
	}
}

func managedScaling(s Settings) *ecstypes.ManagedScaling {
	return &ecstypes.ManagedScaling{
		Status:                 ecstypes.ManagedScalingStatus(s.ManagedScalingStatus),
		TargetCapacity:         aws.Int32(int32(s.TargetCapacity)),
		MinimumScalingStepSize: aws.Int32(int32(s.MinimumScalingStepSize)),
		MaximumScalingStepSize: aws.Int32(int32(s.MaximumScalingStepSize)),
		InstanceWarmupPeriod:   aws.Int32(int32(s.InstanceWarmupPeriod)),
	}
}

// waitActive polls until the provider is ACTIVE with no update in
// progress, and fails when its update failed.
func waitActive(ctx context.Context, e ECS, name string, opt Options) error {
	deadline := time.Now().Add(opt.ActiveTimeout)
	for {
		out, err := e.DescribeCapacityProviders(ctx, &ecs.DescribeCapacityProvidersInput{CapacityProviders: []string{name}})
		if err != nil {
			return err
		}
		if len(out.CapacityProviders) == 1 {
			p := providerFromSDK(out.CapacityProviders[0])
			switch p.UpdateStatus {
			case "CREATE_FAILED", "UPDATE_FAILED", "DELETE_FAILED":
				return fmt.Errorf("capacity provider %q is %s: %s", name, p.UpdateStatus, p.UpdateStatusReason)
			}
			if p.Status == "ACTIVE" && p.UpdateStatus != "CREATE_IN_PROGRESS" && p.UpdateStatus != "UPDATE_IN_PROGRESS" {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("capacity provider %q is not ACTIVE after %v", name, opt.ActiveTimeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(opt.PollInterval):
		}
	}
}

// WriteResult writes what was applied and what was not.
func WriteResult(w io.Writer, r *Result) {
	for _, s := range r.Applied {
		fmt.Fprintf(w, "  applied:     %s\n", s)
	}
	for _, s := range r.NotApplied {
		fmt.Fprintf(w, "  not applied: %s\n", s)
	}
}
