package scaling

import (
	"fmt"
	"slices"

	"github.com/cpsim/cpsim/catalog"
)

// SpotPool is one Spot capacity pool of a group: an instance type in an
// Availability Zone, with its price, spare capacity and interruption rate.
type SpotPool struct {
	InstanceType string
	AZ           string
	Price        float64 // USD per hour
	// Spare is how many more instances the pool can launch now.
	Spare    int
	Bucket   catalog.AdvisorBucket
	Priority int // position of the type in the overrides, 0 first
	// Launched counts this group's instances launched from the pool.
	Launched int
}

// Allocation is a Spot allocation strategy of EC2 Auto Scaling.
type Allocation int

// The four spotAllocationStrategy values.
const (
	LowestPrice Allocation = iota
	CapacityOptimized
	CapacityOptimizedPrioritized
	PriceCapacityOptimized
)

var allocationNames = [...]string{"lowest-price", "capacity-optimized", "capacity-optimized-prioritized", "price-capacity-optimized"}

func (a Allocation) String() string { return allocationNames[a] }

// ParseAllocation reads a spotAllocationStrategy value.
func ParseAllocation(s string) (Allocation, error) {
	for i, n := range allocationNames {
		if n == s {
			return Allocation(i), nil
		}
	}
	return 0, fmt.Errorf("unknown spotAllocationStrategy %q", s)
}

// SpotPools is a group's Spot pools and how it picks among them.
type SpotPools struct {
	Pools      []SpotPool
	Allocation Allocation
	// InstancePools is spotInstancePools for lowest-price: launches spread
	// over this many cheapest pools per AZ.
	InstancePools int
}

// Choose picks the pool for one Spot launch in az and counts the launch
// (Spare−1, Launched+1). It returns the pool's index, or -1 when no pool
// in the AZ has spare capacity.
//
// EC2 Auto Scaling documents the strategies (InstancesDistribution,
// SpotAllocationStrategy): lowest-price "requests Spot Instances using the
// lowest priced pools within an Availability Zone, across the number of Spot
// pools that you specify"; capacity-optimized uses "pools that are
// optimally chosen based on the available Spot capacity";
// capacity-optimized-prioritized "honors the instance type priorities on a
// best effort basis but optimizes for capacity first"; price-capacity-
// optimized "looks at both price and capacity to select the Spot Instance
// pools that are the least likely to be interrupted and have the lowest
// possible price". How EC2 weighs them is not published; cpsim models:
//
//   - lowest-price: among the InstancePools cheapest pools with capacity,
//     the one this group launched least from (then the cheaper).
//   - capacity-optimized: the pool with the most spare capacity, so a batch
//     of launches spreads over the deepest pools (then priority).
//   - capacity-optimized-prioritized: the highest-priority pool among those
//     with at least half the deepest pool's spare capacity. EC2 says it
//     "honors the instance type priorities on a best effort basis but
//     optimizes for capacity first"; the one-half threshold is cpsim's model.
//   - price-capacity-optimized: the cheapest pool among the deeper half
//     (spare capacity at least the median of the AZ's pools). EC2 says it
//     "looks at both price and capacity"; the median cut is cpsim's model.
func (sp *SpotPools) Choose(az string) int {
	var cand []int
	for i := range sp.Pools {
		if sp.Pools[i].AZ == az && sp.Pools[i].Spare > 0 {
			cand = append(cand, i)
		}
	}
	if len(cand) == 0 {
		return -1
	}
	p := sp.Pools
	byPrice := func(a, b int) int {
		if p[a].Price != p[b].Price {
			if p[a].Price < p[b].Price {
				return -1
			}
			return 1
		}
		return p[a].Priority - p[b].Priority
	}
	best := -1
	switch sp.Allocation {
	case LowestPrice:
		slices.SortStableFunc(cand, byPrice)
		n := max(sp.InstancePools, 1)
		for _, i := range cand[:min(n, len(cand))] {
			if best < 0 || p[i].Launched < p[best].Launched {
				best = i
			}
		}
	case CapacityOptimized:
		for _, i := range cand {
			if best < 0 || p[i].Spare > p[best].Spare || (p[i].Spare == p[best].Spare && p[i].Priority < p[best].Priority) {
				best = i
			}
		}
	case CapacityOptimizedPrioritized:
		deepest := 0
		for _, i := range cand {
			deepest = max(deepest, p[i].Spare)
		}
		for _, i := range cand {
			if 2*p[i].Spare >= deepest && (best < 0 || p[i].Priority < p[best].Priority) {
				best = i
			}
		}
	case PriceCapacityOptimized:
		spares := make([]int, len(cand))
		for k, i := range cand {
			spares[k] = p[i].Spare
		}
		slices.Sort(spares)
		median := spares[(len(spares)-1)/2]
		for _, i := range cand {
			if p[i].Spare >= median && (best < 0 || byPrice(i, best) < 0) {
				best = i
			}
		}
	}
	p[best].Spare--
	p[best].Launched++
	return best
}

// Find returns the index of the pool of that type and AZ, or -1.
func (sp *SpotPools) Find(instanceType, az string) int {
	for i := range sp.Pools {
		if sp.Pools[i].InstanceType == instanceType && sp.Pools[i].AZ == az {
			return i
		}
	}
	return -1
}
