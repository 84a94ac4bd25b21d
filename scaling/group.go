package scaling

import (
	"cmp"
	"slices"
	"time"
)

// Pool is a capacity pool: an instance type in an Availability Zone, bought
// On-Demand or as Spot.
type Pool struct {
	InstanceType string
	AZ           string
	Spot         bool
}

// Distribution is the part of a mixed instances policy that splits a group
// between On-Demand and Spot (EC2 Auto Scaling InstancesDistribution).
type Distribution struct {
	OnDemandBaseCapacity                int
	OnDemandPercentageAboveBaseCapacity int // 100 for a group without a mixed policy
}

// OnDemandCount is how many of total instances are On-Demand: the base,
// then the percentage of the rest, rounded up (EC2 Auto Scaling rounds the
// On-Demand share up, favouring On-Demand).
func (d Distribution) OnDemandCount(total int) int {
	if total <= d.OnDemandBaseCapacity {
		return total
	}
	above := total - d.OnDemandBaseCapacity
	return d.OnDemandBaseCapacity + (above*d.OnDemandPercentageAboveBaseCapacity+99)/100
}

// Member is an instance of the group as launch and termination see it.
type Member struct {
	AZ       string
	Spot     bool
	Launched time.Duration
	// Protected instances are not terminated on scale-in (managed
	// termination protection on an instance with tasks).
	Protected bool
}

// SpotChooser picks the instance type for a Spot launch in an AZ, given the
// group's types in priority order. It is the seam for Spot allocation
// strategies; nil picks the first type.
type SpotChooser func(az string, types []string) string

// Group is an EC2 Auto Scaling group: its bounds, AZs, instance types in
// priority order and purchase-option split.
type Group struct {
	MinSize, MaxSize int
	AZs              []string
	Types            []string
	Distribution     Distribution
	// OnDemandLowestPrice chooses the cheapest type for On-Demand launches
	// (onDemandAllocationStrategy lowest-price) using Price; otherwise the
	// first type (prioritized).
	OnDemandLowestPrice bool
	Price               func(instanceType string) float64
	ChooseSpot          SpotChooser
}

// Launch returns the pools of k new instances given the group's current
// members: each goes to the AZ with the fewest instances (ties to the AZ
// listed first), On-Demand while the On-Demand share is below the
// distribution's, Spot otherwise. Unavailable AZs are skipped.
func (g *Group) Launch(k int, members []Member, unavailable func(az string) bool) []Pool {
	perAZ := make([]int, len(g.AZs))
	od := 0
	for _, m := range members {
		if i := slices.Index(g.AZs, m.AZ); i >= 0 {
			perAZ[i]++
		}
		if !m.Spot {
			od++
		}
	}
	total := len(members)
	out := make([]Pool, 0, k)
	for range k {
		best := -1
		for i, az := range g.AZs {
			if unavailable != nil && unavailable(az) {
				continue
			}
			if best < 0 || perAZ[i] < perAZ[best] {
				best = i
			}
		}
		if best < 0 {
			break
		}
		az := g.AZs[best]
		spot := od >= g.Distribution.OnDemandCount(total+1)
		p := Pool{AZ: az, Spot: spot}
		switch {
		case spot && g.ChooseSpot != nil:
			p.InstanceType = g.ChooseSpot(az, g.Types)
		case !spot && g.OnDemandLowestPrice && g.Price != nil:
			p.InstanceType = slices.MinFunc(g.Types, func(a, b string) int { return cmp.Compare(g.Price(a), g.Price(b)) })
		default:
			p.InstanceType = g.Types[0]
		}
		if p.InstanceType == "" {
			break // no Spot capacity anywhere
		}
		perAZ[best]++
		total++
		if !spot {
			od++
		}
		out = append(out, p)
	}
	return out
}

// Victims returns the indexes of k members to terminate by the default
// termination policy: repeatedly the AZ with the most instances, then in it
// the oldest launch (ties to the lower index). Protected members are
// skipped; fewer than k come back when too many are protected.
func (g *Group) Victims(k int, members []Member) []int {
	perAZ := map[string]int{}
	for _, m := range members {
		perAZ[m.AZ]++
	}
	taken := make([]bool, len(members))
	var out []int
	for range k {
		best := -1
		for i, m := range members {
			if taken[i] || m.Protected {
				continue
			}
			if best < 0 {
				best = i
				continue
			}
			b := members[best]
			if c := cmp.Compare(perAZ[m.AZ], perAZ[b.AZ]); c > 0 || (c == 0 && m.Launched < b.Launched) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		taken[best] = true
		perAZ[members[best].AZ]--
		out = append(out, best)
	}
	return out
}
