package strategy

import (
	"errors"
	"fmt"
)

// ECS limits on a capacity provider strategy (ECS API reference,
// CapacityProviderStrategyItem and CreateService).
const (
	MaxItems  = 20     // providers per strategy (6 before December 2024)
	MaxBase   = 100000 // CapacityProviderStrategyItemBase maximum
	MaxWeight = 1000   // CapacityProviderStrategyItemWeight maximum
)

// Item is one entry of a capacity provider strategy, as in the ECS API.
type Item struct {
	CapacityProvider string `yaml:"capacityProvider" json:"capacityProvider"`
	Base             int    `yaml:"base,omitempty" json:"base"`
	Weight           int    `yaml:"weight,omitempty" json:"weight"`
}

// Strategy is an ordered capacity provider strategy. The zero value is an
// empty strategy, which Validate refuses.
type Strategy []Item

// Error is one rule a strategy breaks. Item is the index of the offending
// item, or -1 when the rule is about the whole strategy.
type Error struct {
	Item  int
	Field string // "base", "weight", "capacityProvider" or ""
	Rule  string
}

// Path is the error's location relative to the strategy, such as "[1].base".
func (e *Error) Path() string {
	if e.Item < 0 {
		return ""
	}
	if e.Field == "" {
		return fmt.Sprintf("[%d]", e.Item)
	}
	return fmt.Sprintf("[%d].%s", e.Item, e.Field)
}

func (e *Error) Error() string {
	if p := e.Path(); p != "" {
		return p + ": " + e.Rule
	}
	return e.Rule
}

// Validate checks the rules ECS enforces on every strategy: 1–20 items, each
// provider named once, base 0–100000 on at most one item, weight 0–1000 with
// at least one weight above zero. It returns nil or the errors joined with
// errors.Join, each an *Error. Whether the providers exist and are associated
// with the cluster is the caller's check.
func (s Strategy) Validate() error {
	var errs []error
	add := func(item int, field, format string, args ...any) {
		errs = append(errs, &Error{Item: item, Field: field, Rule: fmt.Sprintf(format, args...)})
	}
	if len(s) == 0 {
		add(-1, "", "a capacity provider strategy needs at least one capacity provider")
	}
	if len(s) > MaxItems {
		add(-1, "", "a capacity provider strategy can contain at most %d capacity providers, got %d", MaxItems, len(s))
	}
	seen := make(map[string]int, len(s))
	baseAt := -1
	positive := false
	for i, it := range s {
		if it.CapacityProvider == "" {
			add(i, "capacityProvider", "is required")
		} else if j, dup := seen[it.CapacityProvider]; dup {
			add(i, "capacityProvider", "%q is already item %d: each capacity provider may appear once", it.CapacityProvider, j)
		} else {
			seen[it.CapacityProvider] = i
		}
		switch {
		case it.Base < 0 || it.Base > MaxBase:
			add(i, "base", "must be between 0 and %d, got %d", MaxBase, it.Base)
		case it.Base > 0 && baseAt >= 0:
			add(i, "base", "only one capacity provider in a strategy may have a base (also set on %q)", s[baseAt].CapacityProvider)
		case it.Base > 0:
			baseAt = i
		}
		if it.Weight < 0 || it.Weight > MaxWeight {
			add(i, "weight", "must be between 0 and %d, got %d", MaxWeight, it.Weight)
		}
		if it.Weight > 0 {
			positive = true
		}
	}
	if len(s) > 0 && !positive {
		add(-1, "", "at least one capacity provider must have a weight greater than zero (ECS: \"There are no capacity providers with a weight value greater than zero\")")
	}
	return errors.Join(errs...)
}

// Index returns the position of the named provider, or -1.
func (s Strategy) Index(provider string) int {
	for i, it := range s {
		if it.CapacityProvider == provider {
			return i
		}
	}
	return -1
}

// baseItem returns the index of the item with a base, or -1.
func (s Strategy) baseItem() int {
	for i, it := range s {
		if it.Base > 0 {
			return i
		}
	}
	return -1
}

// Split returns how many of desired tasks run on each item, in item order.
// The counts always sum to desired. It runs in O(len(s)²), independent of
// desired. Split assumes a valid strategy; for an invalid one (no positive
// weight) tasks beyond the base are given to no one, so the sum falls short.
func (s Strategy) Split(desired int) []int {
	counts := make([]int, len(s))
	s.SplitInto(counts, desired)
	return counts
}

// SplitInto is Split writing into counts, which must have len(s) elements.
func (s Strategy) SplitInto(counts []int, desired int) {
	clear(counts)
	if desired <= 0 {
		return
	}
	rest := desired
	b := s.baseItem()
	if b >= 0 {
		counts[b] = min(s[b].Base, desired)
		rest -= counts[b]
	}
	var totalW int64
	for _, it := range s {
		totalW += int64(it.Weight)
	}
	if rest == 0 || totalW == 0 {
		return
	}
	// Every item's D'Hondt allocation is at least the floor of its quota,
	// and D'Hondt is house-monotone, so the floors lie on the path the
	// one-task-at-a-time rule takes; fewer than len(s) tasks remain after.
	above := make([]int, len(s))
	given := 0
	for i, it := range s {
		above[i] = int(int64(rest) * int64(it.Weight) / totalW)
		given += above[i]
	}
	for ; given < rest; given++ {
		above[next(s, above)]++
	}
	for i := range s {
		counts[i] += above[i]
	}
}

// next returns the item that minimises (above+1)/weight, ties to the earlier
// item, among items with a positive weight.
func next(s Strategy, above []int) int {
	best := -1
	for i, it := range s {
		if it.Weight <= 0 {
			continue
		}
		// (above[i]+1)/w[i] < (above[best]+1)/w[best], cross-multiplied.
		if best < 0 || int64(above[i]+1)*int64(s[best].Weight) < int64(above[best]+1)*int64(it.Weight) {
			best = i
		}
	}
	return best
}

// Next returns the item the next new task goes to, given the tasks each item
// runs now (counts, in item order): the base item while it is below its
// base, then the item minimising (n+1)/weight. It returns -1 when no item
// can take a task.
func (s Strategy) Next(counts []int) int {
	b := s.baseItem()
	if b >= 0 && counts[b] < s[b].Base {
		return b
	}
	above := s.above(counts)
	return next(s, above)
}

// ScaleIn returns the item to stop a task on when the desired count drops by
// one: the item maximising n/weight where n counts its tasks above its base
// (a weight-0 item with tasks above its base first), ties to the later item.
// The base item goes below its base only when no item has tasks above base.
// From a split of D it leaves exactly the split of D-1. ECS does not document
// this choice; it is cpsim's model. It returns -1 when counts are all zero.
func (s Strategy) ScaleIn(counts []int) int {
	above := s.above(counts)
	best := -1
	for i, it := range s {
		if above[i] <= 0 {
			continue
		}
		if best < 0 {
			best = i
			continue
		}
		bw, w := int64(s[best].Weight), int64(it.Weight)
		// above[i]/w >= above[best]/bw, with weight 0 as infinity.
		switch {
		case w == 0:
			best = i
		case bw == 0:
		case int64(above[i])*bw >= int64(above[best])*w:
			best = i
		}
	}
	if best >= 0 {
		return best
	}
	if b := s.baseItem(); b >= 0 && counts[b] > 0 {
		return b
	}
	return -1
}

func (s Strategy) above(counts []int) []int {
	above := make([]int, len(s))
	for i, it := range s {
		above[i] = max(counts[i]-it.Base, 0)
	}
	return above
}
