package apply

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
	"github.com/cpsim/cpsim/plan"
)

// ValidateOnline checks the rules that need AWS, with read-only calls:
// each provider's Auto Scaling group exists, has MaxSize > 0, has no
// instance weighting, and protects new instances from scale-in when the
// provider uses managed termination protection; every instance type of the
// file exists in the region (ec2 DescribeInstanceTypes) and every service's
// task fits the smallest type of each provider it can be placed on. It
// returns nil, the broken rules joined (each a *plan.FieldError), or the
// error of a call that failed.
func ValidateOnline(ctx context.Context, c Clients, sc *plan.Scenario) error {
	var errs []error
	add := func(field, format string, args ...any) {
		errs = append(errs, &plan.FieldError{Field: field, Rule: fmt.Sprintf(format, args...)})
	}

	var names []string
	for _, cp := range sc.CapacityProviders {
		names = append(names, GroupName(cp.AutoScalingGroupProvider.AutoScalingGroupArn))
	}
	groups := map[string]astypes.AutoScalingGroup{}
	for chunk := range slices.Chunk(names, 50) {
		in := &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: chunk}
		for {
			out, err := c.AutoScaling.DescribeAutoScalingGroups(ctx, in)
			if err != nil {
				return fmt.Errorf("read Auto Scaling groups: %w", err)
			}
			for _, g := range out.AutoScalingGroups {
				groups[aws.ToString(g.AutoScalingGroupName)] = g
			}
			if out.NextToken == nil {
				break
			}
			in.NextToken = out.NextToken
		}
	}
	for i, cp := range sc.CapacityProviders {
		f := fmt.Sprintf("capacityProviders[%d].autoScalingGroupProvider", i)
		arn := cp.AutoScalingGroupProvider.AutoScalingGroupArn
		g, ok := groups[GroupName(arn)]
		if !ok {
			add(f+".autoScalingGroupArn", "Auto Scaling group %q was not found in this account and region", arn)
			continue
		}
		if aws.ToInt32(g.MaxSize) <= 0 {
			add(f+".autoScalingGroupArn", "Auto Scaling group %q has MaxSize %d: it must be greater than zero to scale out", GroupName(arn), aws.ToInt32(g.MaxSize))
		}
		if m := g.MixedInstancesPolicy; m != nil && m.LaunchTemplate != nil {
			for j, o := range m.LaunchTemplate.Overrides {
				if o.WeightedCapacity != nil {
					add(f+".autoScalingGroupArn", "Auto Scaling group %q has instance weighting (overrides[%d] %s weightedCapacity %s): instance weighting isn't supported when used with an Amazon ECS capacity provider", GroupName(arn), j, aws.ToString(o.InstanceType), aws.ToString(o.WeightedCapacity))
				}
			}
		}
		if cp.AutoScalingGroupProvider.ManagedTerminationProtection == "ENABLED" && !aws.ToBool(g.NewInstancesProtectedFromScaleIn) {
			add(f+".managedTerminationProtection", "Auto Scaling group %q does not protect new instances from scale in (NewInstancesProtectedFromScaleIn): to enable managed termination protection for a capacity provider, the Auto Scaling group must have instance protection from scale in enabled", GroupName(arn))
		}
	}

	// Instance types: the file's, per provider.
	types := map[string][]string{}
	var all []string
	for _, cp := range sc.CapacityProviders {
		g := cp.AutoScalingGroup
		var ts []string
		if g.InstanceType != "" {
			ts = append(ts, g.InstanceType)
		}
		if m := g.MixedInstancesPolicy; m != nil {
			for _, o := range m.LaunchTemplate.Overrides {
				ts = append(ts, o.InstanceType)
			}
		}
		types[cp.Name] = ts
		for _, t := range ts {
			if !slices.Contains(all, t) {
				all = append(all, t)
			}
		}
	}
	known, missing, err := describeTypes(ctx, c.EC2, all)
	if err != nil {
		return err
	}
	for i, cp := range sc.CapacityProviders {
		g := cp.AutoScalingGroup
		f := fmt.Sprintf("capacityProviders[%d].autoScalingGroup", i)
		if slices.Contains(missing, g.InstanceType) {
			add(f+".instanceType", "instance type %q does not exist in this region (ec2 DescribeInstanceTypes)", g.InstanceType)
		}
		if m := g.MixedInstancesPolicy; m != nil {
			for j, o := range m.LaunchTemplate.Overrides {
				if slices.Contains(missing, o.InstanceType) {
					add(fmt.Sprintf("%s.mixedInstancesPolicy.launchTemplate.overrides[%d].instanceType", f, j), "instance type %q does not exist in this region (ec2 DescribeInstanceTypes)", o.InstanceType)
				}
			}
		}
	}
	cat := sc.Catalog()
	for i := range sc.Services {
		sv := &sc.Services[i]
		td := sv.TaskDefinition
		for _, it := range sc.EffectiveStrategy(sv) {
			if it.Weight == 0 && it.Base == 0 {
				continue // ECS places nothing on it
			}
			for _, t := range types[it.CapacityProvider] {
				k, ok := known[t]
				if !ok {
					continue
				}
				cpu := k.cpu
				mem := k.mem
				// The agent registers less memory than the nominal size.
				if ct, ok := cat.Lookup(t); ok && ct.RegisteredMemory > 0 && ct.RegisteredMemory < mem {
					mem = ct.RegisteredMemory
				}
				if td.CPU > cpu {
					add(fmt.Sprintf("services[%d].taskDefinition.cpu", i), "the task's %d CPU units do not fit instance type %s (%d units) of capacity provider %q: every type of a provider in the service's strategy must fit the task", td.CPU, t, cpu, it.CapacityProvider)
				}
				if r := td.ReservedMemory(); r > mem {
					add(fmt.Sprintf("services[%d].taskDefinition.memory", i), "the task's %d MiB do not fit instance type %s (%d MiB registered) of capacity provider %q: every type of a provider in the service's strategy must fit the task", r, t, mem, it.CapacityProvider)
				}
			}
		}
	}
	return errors.Join(errs...)
}

type size struct{ cpu, mem int }

// describeTypes describes the types; when EC2 answers InvalidInstanceType
// for the batch it asks type by type to name the missing ones.
func describeTypes(ctx context.Context, e EC2, names []string) (map[string]size, []string, error) {
	known := map[string]size{}
	if len(names) == 0 {
		return known, nil, nil
	}
	one := func(batch []string) error {
		var ts []ec2types.InstanceType
		for _, n := range batch {
			ts = append(ts, ec2types.InstanceType(n))
		}
		out, err := e.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{InstanceTypes: ts})
		if err != nil {
			return err
		}
		for _, t := range out.InstanceTypes {
			var s size
			if t.VCpuInfo != nil {
				s.cpu = int(aws.ToInt32(t.VCpuInfo.DefaultVCpus)) * 1024
			}
			if t.MemoryInfo != nil {
				s.mem = int(aws.ToInt64(t.MemoryInfo.SizeInMiB))
			}
			known[string(t.InstanceType)] = s
		}
		return nil
	}
	var missing []string
	for chunk := range slices.Chunk(names, 100) {
		err := one(chunk)
		var ae smithy.APIError
		switch {
		case err == nil:
		case errors.As(err, &ae) && ae.ErrorCode() == "InvalidInstanceType":
			for _, n := range chunk {
				if err := one([]string{n}); err != nil {
					if errors.As(err, &ae) && ae.ErrorCode() == "InvalidInstanceType" {
						missing = append(missing, n)
						continue
					}
					return nil, nil, fmt.Errorf("read instance types: %w", err)
				}
			}
		default:
			return nil, nil, fmt.Errorf("read instance types: %w", err)
		}
	}
	return known, missing, nil
}
