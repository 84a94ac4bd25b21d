package catalog

// AdvisorBucket is a Spot Instance Advisor frequency-of-interruption range:
// the share of a pool's instances interrupted in a month.
type AdvisorBucket int

// The Spot Instance Advisor's buckets (spec/ecs-facts.md §4.4).
const (
	Under5 AdvisorBucket = iota
	From5To10
	From10To15
	From15To20
	Over20
)

var bucketLabels = [...]string{"<5%", "5-10%", "10-15%", "15-20%", ">20%"}

func (b AdvisorBucket) String() string { return bucketLabels[b] }

// MonthlyRate is the bucket's midpoint as a monthly interruption
// probability per instance (>20% counts as 25%). The Advisor publishes only
// the ranges; the midpoint is cpsim's model.
func (b AdvisorBucket) MonthlyRate() float64 {
	return [...]float64{0.025, 0.075, 0.125, 0.175, 0.25}[b]
}

// ParseAdvisorBucket reads a label such as "<5%" or "10-15%".
func ParseAdvisorBucket(s string) (AdvisorBucket, bool) {
	for i, l := range bucketLabels {
		if s == l {
			return AdvisorBucket(i), true
		}
	}
	return 0, false
}

// Built-in Spot pool data, used where a scenario's spotPools says nothing.
// AWS publishes no per-pool figures that cpsim could embed: Spot prices move
// with long-term supply and demand, the Spot Instance Advisor is a live page
// (not in the sources cpsim could read, spec/ecs-facts.md §9), and spare
// capacity is never published. The defaults are therefore placeholders,
// chosen and labelled as such (2026-12-04):
//
//   - DefaultSpotFraction 0.35: Spot at 35 % of On-Demand, a 65 % saving.
//     AWS advertises "up to 90%"; third-party reports put typical savings at
//     50–70 % (dev.to, "AWS Spot Instances: Maximize Savings", 2025).
//   - DefaultAdvisorBucket "<5%": AWS states that 95 % of Spot instances are
//     not interrupted (quoted by nOps, "AWS Spot facts"), and the workshop's
//     m5/t3 large types are in the lowest bucket in most regions.
//   - DefaultSpareCapacity 1000 instances per pool: effectively unlimited
//     for the default cluster; set spareCapacity per pool to study
//     allocation strategies and capacity shortages.
const (
	DefaultSpotFraction  = 0.35
	DefaultAdvisorBucket = Under5
	DefaultSpareCapacity = 1000
)
