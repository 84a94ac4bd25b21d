package binpack_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/cpsim/cpsim/binpack"
)

// Placing a service of ten tasks with the ECS service default: spread
// across Availability Zones, then across instances.
func ExamplePlacer_Place() {
	nodes := []binpack.Node{
		{InstanceType: "m5.large", AZ: "us-west-2a", FreeCPU: 2048, FreeMemory: 7672, FreeSlots: 1 << 30},
		{InstanceType: "m5.large", AZ: "us-west-2b", FreeCPU: 2048, FreeMemory: 7672, FreeSlots: 1 << 30},
		{InstanceType: "t3.small", AZ: "us-west-2a", FreeCPU: 2048, FreeMemory: 1904, FreeSlots: 1 << 30},
	}
	var p binpack.Placer
	r := p.Place(nodes, binpack.Request{Task: binpack.Task{CPU: 512, Memory: 1024}, Count: 10})
	for _, a := range r.Placed {
		fmt.Printf("%s in %s: %d tasks\n", nodes[a.Node].InstanceType, nodes[a.Node].AZ, a.Count)
	}
	fmt.Printf("unplaced: %d (%v)\n", r.Unplaced, r.Reason)

	// A smaller task of another service, placed at random from a seeded
	// source: only the t3.small has CPU left.
	r = p.Place(nodes, binpack.Request{
		Task: binpack.Task{CPU: 256, Memory: 256}, Count: 4,
		Strategies: []binpack.Strategy{{Type: binpack.Random}},
		Rand:       rand.New(rand.NewPCG(1, 2)),
	})
	fmt.Println(r.Placed, r.Unplaced, r.Reason)
	// Output:
	// m5.large in us-west-2a: 4 tasks
	// m5.large in us-west-2b: 4 tasks
	// t3.small in us-west-2a: 1 tasks
	// unplaced: 1 (insufficient CPU units available)
	// [{2 3}] 1 insufficient CPU units available
}

// ECS managed scaling's M for the Kubernetes cluster-autoscaler's benchmark
// shape, and a task too large for the group's smallest instance type.
func ExampleEstimate() {
	shapes := []binpack.Shape{{CPU: 1000, Memory: 1 << 30, Slots: 100}}
	n, excluded := binpack.Estimate(shapes, []binpack.Group{
		{Task: binpack.Task{CPU: 95}, Count: 1000},
		{Task: binpack.Task{CPU: 50}, Count: 50000},
		{Task: binpack.Task{CPU: 2000}, Count: 3},
	})
	fmt.Println(n, "instances,", excluded, "excluded")
	// Output:
	// 2595 instances, 3 excluded
}
