package sim_test

import (
	"testing"

	"github.com/cpsim/cpsim/plan"
	"github.com/cpsim/cpsim/sim"
)

// A Spot group with known pools in every AZ: prices rise and spare
// capacity falls with the override order, except m4.large and t3.large,
// the deepest pools, which are dear.
func knownPools(t *testing.T, allocation string, pools *int) *plan.Scenario {
	t.Helper()
	sc := loadWorkshop(t)
	g := &sc.Provider("spot").AutoScalingGroup
	g.MaxSize = 30
	d := &g.MixedInstancesPolicy.InstancesDistribution
	d.SpotAllocationStrategy = allocation
	d.SpotInstancePools = pools
	spare := map[string]int{"m5.large": 4, "m5d.large": 3, "m5a.large": 3, "m5ad.large": 2, "m5n.large": 2,
		"m5dn.large": 1, "m3.large": 1, "m4.large": 40, "t3.large": 30, "t2.large": 1}
	price := map[string]float64{"m5.large": 0.030, "m5d.large": 0.031, "m5a.large": 0.020, "m5ad.large": 0.033, "m5n.large": 0.034,
		"m5dn.large": 0.035, "m3.large": 0.036, "m4.large": 0.050, "t3.large": 0.045, "t2.large": 0.021}
	for typ, n := range spare {
		sc.SpotPools = append(sc.SpotPools, plan.SpotPool{InstanceType: typ, SpareCapacity: &n, SpotPrice: price[typ]})
	}
	sc.Defaults()
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	return sc
}

func spotTypes(t *testing.T, sc *plan.Scenario, desired int) map[string]int {
	t.Helper()
	s, err := sim.New(sc, sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s.SetDesiredCount("ecsdemo-capacityproviders-ec2", desired)
	r := run(t, s)
	if !r.Steady {
		t.Fatalf("not steady")
	}
	return r.Providers[1].InstanceTypes
}

func TestAllocationOnKnownPools(t *testing.T) {
	// 121 tasks: spot gets 97 → 13 instances at 8 tasks each, then ceil(13/0.8)=17.
	two := 2
	low := spotTypes(t, knownPools(t, "lowest-price", &two), 121)
	for typ := range low {
		if typ != "m5a.large" && typ != "t2.large" && typ != "m5.large" {
			t.Errorf("lowest-price, 2 pools launched %s; want only the two cheapest per AZ (m5a.large, t2.large) and, once t2.large's single spare instance per AZ is gone, the next cheapest (m5.large)", typ)
		}
	}
	if low["m5a.large"] == 0 || low["t2.large"] == 0 {
		t.Errorf("lowest-price, 2 pools: %v, want both cheapest pools used", low)
	}
	co := spotTypes(t, knownPools(t, "capacity-optimized", nil), 121)
	for typ := range co {
		if typ != "m4.large" && typ != "t3.large" {
			t.Errorf("capacity-optimized launched %s; want only the deepest pools (m4.large 40, t3.large 30 per AZ)", typ)
		}
	}
	if co["m4.large"] == 0 {
		t.Errorf("capacity-optimized: %v, want the deepest pool used", co)
	}
	t.Logf("lowest-price: %v, capacity-optimized: %v", low, co)
	pco := spotTypes(t, knownPools(t, "price-capacity-optimized", nil), 121)
	t.Logf("price-capacity-optimized: %v", pco)
	for typ := range pco {
		if typ == "t2.large" || typ == "m5dn.large" || typ == "m3.large" {
			t.Errorf("price-capacity-optimized launched %s from a shallow pool: %v", typ, pco)
		}
	}
}

// onDemandBaseCapacity and onDemandPercentageAboveBaseCapacity split the
// group: base 2, then 50 % of the rest On-Demand (rounded up).
func TestMixedOnDemandAndSpot(t *testing.T) {
	sc := loadWorkshop(t)
	d := &sc.Provider("spot").AutoScalingGroup.MixedInstancesPolicy.InstancesDistribution
	base, pct := 2, 50
	d.OnDemandBaseCapacity, d.OnDemandPercentageAboveBaseCapacity = &base, &pct
	s, err := sim.New(sc, sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s.SetDesiredCount("ecsdemo-capacityproviders-ec2", 40)
	r := run(t, s)
	p := r.Providers[1]
	// Five instances: 2 base + ceil(3 × 50 %) = 4 On-Demand, 1 Spot; the
	// first On-Demand type is the first override (prioritized).
	if p.Instances != 5 || p.Spot != 1 {
		t.Errorf("spot group: %d instances, %d Spot; want 5 with 1 Spot", p.Instances, p.Spot)
	}
	var od int
	for _, in := range r.Instances {
		if in.Provider == "spot" && !in.Spot {
			od++
			if in.InstanceType != "m5.large" {
				t.Errorf("On-Demand instance of type %s, want the first override m5.large", in.InstanceType)
			}
		}
	}
	if od != 4 {
		t.Errorf("%d On-Demand instances, want 4", od)
	}
	if p.CostPerHour <= p.OnDemandPerHour*0.35 || p.CostPerHour >= p.OnDemandPerHour {
		t.Errorf("cost %v/h against all On-Demand %v/h: want between", p.CostPerHour, p.OnDemandPerHour)
	}
}
