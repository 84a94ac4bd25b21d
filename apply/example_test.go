package apply_test

import (
	"fmt"
	"os"

	"github.com/cpsim/cpsim/apply"
	"github.com/cpsim/cpsim/plan"
	"github.com/cpsim/cpsim/scenarios"
	"github.com/cpsim/cpsim/strategy"
)

// ExampleDiff plans the workshop against a cluster where the providers
// exist but spot's targetCapacity is 100 and the service still runs on od
// alone. Diff is pure: the state would come from Read.
func ExampleDiff() {
	data, _ := scenarios.Read("workshop")
	sc, err := plan.Parse("workshop.yaml", data)
	if err != nil {
		panic(err)
	}
	cur := &apply.State{
		Cluster:   apply.Cluster{Name: "container-demo", CapacityProviders: []string{"od", "spot"}, DefaultStrategy: sc.Cluster.DefaultCapacityProviderStrategy},
		Providers: map[string]apply.Provider{},
		Services: map[string]apply.Service{
			"ecsdemo-capacityproviders-ec2": {Name: "ecsdemo-capacityproviders-ec2", Strategy: strategy.Strategy{{CapacityProvider: "od", Weight: 1}}},
		},
	}
	for i := range sc.CapacityProviders {
		s := apply.SettingsOf(&sc.CapacityProviders[i])
		if s.AutoScalingGroupArn == "ecsworkshop-base-ECSEC2SpotCapacity" {
			s.TargetCapacity = 100
		}
		cur.Providers[sc.CapacityProviders[i].Name] = apply.Provider{Name: sc.CapacityProviders[i].Name, Status: "ACTIVE", Settings: s}
	}
	p, err := apply.Diff(sc, cur, apply.DiffOptions{})
	if err != nil {
		panic(err)
	}
	apply.WriteText(os.Stdout, p)
	fmt.Printf("%+v\n", p.Summary())
	// Output:
	// cpapply will perform the following actions on cluster "container-demo":
	//
	//   ~ capacity provider "spot"
	//       ~ managedScaling.targetCapacity:  100 → 80
	//
	//   ~ service "ecsdemo-capacityproviders-ec2"  # forces a new deployment
	//       ~ capacityProviderStrategy:  [od weight=1] → [od base=1 weight=1, spot weight=4]
	//
	// Plan: 0 to create, 2 to update, 0 to delete.
	// {Create:0 Update:2 Delete:0}
}

func ExampleGroupName() {
	fmt.Println(apply.GroupName("arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:0f1e:autoScalingGroupName/ecsworkshop-base-ECSEC2Capacity"))
	fmt.Println(apply.GroupName("ecsworkshop-base-ECSEC2Capacity"))
	// Output:
	// ecsworkshop-base-ECSEC2Capacity
	// ecsworkshop-base-ECSEC2Capacity
}
