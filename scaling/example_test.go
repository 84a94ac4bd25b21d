package scaling_test

import (
	"fmt"
	"time"

	"github.com/cpsim/cpsim/scaling"
)

// Pending tasks and no instances: reservation 200 and a first step of two.
func ExampleManagedScaling_Evaluate() {
	ms := scaling.ManagedScaling{Enabled: true, TargetCapacity: 80, MinimumScalingStepSize: 1,
		MaximumScalingStepSize: 10000, InstanceWarmupPeriod: 300 * time.Second}
	var alarm scaling.Alarm
	d := ms.Evaluate(&alarm, 4, 0, 0, 10, false)
	fmt.Println(d.Reservation, d.Action, d.Desired)
	// Output: 200 ScaleOut 2
}
