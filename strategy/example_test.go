package strategy_test

import (
	"fmt"

	"github.com/cpsim/cpsim/strategy"
)

// The ECS workshop's strategy at 40 tasks: one base task on od, then one
// od task for every four Spot tasks.
func ExampleStrategy_Split() {
	s := strategy.Strategy{
		{CapacityProvider: "od", Base: 1, Weight: 1},
		{CapacityProvider: "spot", Weight: 4},
	}
	fmt.Println(s.Split(40))
	// Output: [9 31]
}

func ExampleStrategy_Validate() {
	s := strategy.Strategy{
		{CapacityProvider: "od", Base: 1, Weight: 1},
		{CapacityProvider: "spot", Base: 2, Weight: 4},
	}
	fmt.Println(s.Validate())
	// Output: [1].base: only one capacity provider in a strategy may have a base (also set on "od")
}
