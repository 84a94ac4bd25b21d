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

// DefaultSpotFraction is the Spot price as a fraction of On-Demand when a
// scenario gives none. AWS publishes no fixed ratio (Spot prices move with
// long-term supply and demand; the Spot page says "up to 90%" off). 0.35 —
// a 65 % saving — is cpsim's placeholder, a model choice; set spotPools
// for real prices.
const DefaultSpotFraction = 0.35
