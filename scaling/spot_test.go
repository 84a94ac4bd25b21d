package scaling

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Three pools in one AZ: a cheap shallow one, a mid one, a deep dear one.
func pools() []SpotPool {
	return []SpotPool{
		{InstanceType: "m5.large", AZ: "a", Price: 0.030, Spare: 2, Priority: 0},
		{InstanceType: "m5a.large", AZ: "a", Price: 0.025, Spare: 6, Priority: 1},
		{InstanceType: "m4.large", AZ: "a", Price: 0.040, Spare: 20, Priority: 2},
		{InstanceType: "t3.large", AZ: "a", Price: 0.020, Spare: 1, Priority: 3},
	}
}

func launches(sp *SpotPools, n int) map[string]int {
	got := map[string]int{}
	for range n {
		if i := sp.Choose("a"); i >= 0 {
			got[sp.Pools[i].InstanceType]++
		}
	}
	return got
}

func TestSpotAllocation(t *testing.T) {
	tests := []struct {
		name string
		sp   SpotPools
		n    int
		want map[string]int
	}{
		// lowest-price with spotInstancePools 2: the two cheapest pools
		// with capacity (t3.large 0.020, m5a.large 0.025), balanced; when
		// t3.large runs dry the next cheapest (m5.large 0.030) steps in.
		{"lowest-price, 2 pools", SpotPools{Allocation: LowestPrice, InstancePools: 2}, 4,
			map[string]int{"t3.large": 1, "m5a.large": 2, "m5.large": 1}},
		// capacity-optimized: always the deepest pool at the time; m4.large
		// (20) takes launches until it is no deeper than the others.
		{"capacity-optimized", SpotPools{Allocation: CapacityOptimized}, 16,
			map[string]int{"m4.large": 15, "m5a.large": 1}},
		{"capacity-optimized-prioritized", SpotPools{Allocation: CapacityOptimizedPrioritized}, 3,
			map[string]int{"m4.large": 3}},
		// price-capacity-optimized: the cheapest of the deeper half
		// (m5a.large 6 and m4.large 20).
		{"price-capacity-optimized", SpotPools{Allocation: PriceCapacityOptimized}, 2,
			map[string]int{"m5a.large": 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.sp.Pools = pools()
			if diff := cmp.Diff(tt.want, launches(&tt.sp, tt.n)); diff != "" {
				t.Errorf("launches mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSpotPoolsRunDry(t *testing.T) {
	sp := SpotPools{Allocation: CapacityOptimized, Pools: pools()}
	got := launches(&sp, 100)
	total := 0
	for _, n := range got {
		total += n
	}
	if total != 29 {
		t.Errorf("launched %d, want 29 (all spare capacity)", total)
	}
	if sp.Choose("a") != -1 {
		t.Error("Choose on empty pools should return -1")
	}
}

func TestOnDemandShare(t *testing.T) {
	d := Distribution{OnDemandBaseCapacity: 2, OnDemandPercentageAboveBaseCapacity: 25}
	for total, want := range map[int]int{0: 0, 1: 1, 2: 2, 3: 3, 6: 3, 7: 4, 10: 4} {
		if got := d.OnDemandCount(total); got != want {
			t.Errorf("OnDemandCount(%d) = %d, want %d", total, got, want)
		}
	}
}
