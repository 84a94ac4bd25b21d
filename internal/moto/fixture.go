package moto

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// The names of scenarios/workshop.yaml, which Workshop creates.
const (
	WorkshopCluster   = "container-demo"
	WorkshopService   = "ecsdemo-capacityproviders-ec2"
	WorkshopODGroup   = "ecsworkshop-base-ECSEC2Capacity"
	WorkshopSpotGroup = "ecsworkshop-base-ECSEC2SpotCapacity"
)

// Workshop creates what the workshop's plan expects to find, the way the
// workshop's CDK stack leaves it before the capacity providers exist: the
// two Auto Scaling groups (On-Demand t3.small from a launch configuration;
// Spot with a mixed instances policy over a launch template), the cluster
// container-demo with no providers, and the service
// ecsdemo-capacityproviders-ec2 (launch type EC2, 1 task).
func Workshop(t testing.TB, s *Server) {
	t.Helper()
	if err := CreateWorkshop(context.Background(), s.Config()); err != nil {
		t.Fatalf("moto fixture: %v", err)
	}
}

// CreateWorkshop creates Workshop's resources through cfg (any endpoint;
// cmd/motoworkshop uses it to seed a moto_server by hand).
func CreateWorkshop(ctx context.Context, cfg aws.Config) error {
	as := autoscaling.NewFromConfig(cfg)
	e2 := ec2.NewFromConfig(cfg)
	e := ecs.NewFromConfig(cfg)
	azs := []string{"us-west-2a", "us-west-2b", "us-west-2c"}
	_, err := as.CreateLaunchConfiguration(ctx, &autoscaling.CreateLaunchConfigurationInput{
		LaunchConfigurationName: aws.String("ecsworkshop-od"), ImageId: aws.String("ami-12c6146b"), InstanceType: aws.String("t3.small"),
	})
	if err != nil {
		return fmt.Errorf("create launch configuration: %w", err)
	}
	_, err = as.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{
		AutoScalingGroupName: aws.String(WorkshopODGroup), LaunchConfigurationName: aws.String("ecsworkshop-od"),
		MinSize: aws.Int32(0), MaxSize: aws.Int32(10), DesiredCapacity: aws.Int32(0), AvailabilityZones: azs,
	})
	if err != nil {
		return fmt.Errorf("create On-Demand Auto Scaling group: %w", err)
	}
	lt, err := e2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{
		LaunchTemplateName: aws.String("ecsworkshop-spot"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String("ami-12c6146b"), InstanceType: ec2types.InstanceTypeM5Large},
	})
	if err != nil {
		return fmt.Errorf("create launch template: %w", err)
	}
	var ov []astypes.LaunchTemplateOverrides
	for _, it := range []string{"m5.large", "m5d.large", "m5a.large", "m5ad.large", "m5n.large", "m5dn.large", "m3.large", "m4.large", "t3.large", "t2.large"} {
		ov = append(ov, astypes.LaunchTemplateOverrides{InstanceType: aws.String(it)})
	}
	_, err = as.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{
		AutoScalingGroupName: aws.String(WorkshopSpotGroup),
		MinSize:              aws.Int32(0), MaxSize: aws.Int32(10), DesiredCapacity: aws.Int32(0), AvailabilityZones: azs,
		MixedInstancesPolicy: &astypes.MixedInstancesPolicy{
			InstancesDistribution: &astypes.InstancesDistribution{
				OnDemandBaseCapacity: aws.Int32(0), OnDemandPercentageAboveBaseCapacity: aws.Int32(0),
				SpotAllocationStrategy: aws.String("capacity-optimized"),
			},
			LaunchTemplate: &astypes.LaunchTemplate{
				LaunchTemplateSpecification: &astypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId, Version: aws.String("$Latest")},
				Overrides:                   ov,
			},
		},
	})
	if err != nil {
		return fmt.Errorf("create Spot Auto Scaling group: %w", err)
	}
	_, err = e.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(WorkshopCluster)})
	if err != nil {
		return fmt.Errorf("create cluster: %w", err)
	}
	td, err := e.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String(WorkshopService),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{
			Name: aws.String("web"), Image: aws.String("public.ecr.aws/aws-containers/ecsdemo-capacityproviders:latest"), Cpu: 256, Memory: aws.Int32(512),
		}},
	})
	if err != nil {
		return fmt.Errorf("register task definition: %w", err)
	}
	_, err = e.CreateService(ctx, &ecs.CreateServiceInput{
		Cluster: aws.String(WorkshopCluster), ServiceName: aws.String(WorkshopService),
		TaskDefinition: td.TaskDefinition.TaskDefinitionArn, DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeEc2,
	})
	if err != nil {
		return fmt.Errorf("create service: %w", err)
	}
	return nil
}
