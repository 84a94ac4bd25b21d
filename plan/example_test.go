package plan_test

import (
	"fmt"

	"github.com/cpsim/cpsim/plan"
)

func ExampleParse() {
	_, err := plan.Parse("bad.yaml", []byte(`
name: bad
cluster:
  availabilityZones: [us-east-1a]
capacityProviders:
  - name: ecs-od
    autoScalingGroupProvider:
      autoScalingGroupArn: od-asg
      managedScaling: {targetCapacity: 120}
    autoScalingGroup: {minSize: 0, maxSize: 4, desiredCapacity: 0, instanceType: m5.large}
`))
	fmt.Println(err)
	// Output:
	// load scenario bad.yaml: capacityProviders[0].name: "ecs-od" is not a valid capacity provider name: it can't be prefixed with "aws", "ecs" or "fargate" (in any case)
	// capacityProviders[0].autoScalingGroupProvider.managedScaling.targetCapacity: must be between 1 and 100, got 120
}
