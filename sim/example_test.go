package sim_test

import (
	"fmt"

	"github.com/cpsim/cpsim/plan"
	"github.com/cpsim/cpsim/scenarios"
	"github.com/cpsim/cpsim/sim"
)

// The ECS workshop: the service goes from 1 to 40 tasks.
func Example() {
	b, _ := scenarios.Read("workshop")
	sc, err := plan.Parse("workshop.yaml", b)
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := sim.New(sc, sim.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	s.SetDesiredCount("ecsdemo-capacityproviders-ec2", 40)
	r, err := s.Run()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range r.Providers {
		fmt.Printf("%s: %d tasks on %d instances %v, reservation %v\n", p.Name, p.Tasks, p.Instances, p.TasksPerInstance, p.Reservation)
	}
	// Output:
	// od: 9 tasks on 4 instances [3 3 3 0], reservation 75
	// spot: 31 tasks on 5 instances [8 8 8 7 0], reservation 80
}
