// Package strategy models ECS capacity provider strategies: which capacity
// provider each task of a service runs on.
//
// A strategy is a list of items, each naming a capacity provider with a base
// and a weight (the ECS API's CapacityProviderStrategyItem). ECS documents:
//
//   - base: "how many tasks, at a minimum, to run on the specified capacity
//     provider"; only one item may have a base; 0–100000.
//   - weight: "the relative percentage of the total number of launched tasks
//     that should use the specified capacity provider", applied after the base
//     is met; 0–1000; at least one weight must be above zero, and a provider
//     with weight 0 is never used to place tasks beyond its base.
//
// ECS does not publish how remainders are rounded. Split implements cpsim's
// model (spec/model.md §1): after the base, each further task goes to the item
// that minimises (n+1)/weight, where n counts the item's tasks above its base,
// ties to the earlier item. This is the D'Hondt (Jefferson) method; it is
// house-monotone, so adding tasks never takes one away from another provider,
// as an incremental scheduler behaves, and it reproduces every published
// example (40 → 9/31, 10 → 4/6, 22 → 7/15, 10 → 3/7).
//
// Glossary:
//
//	base     tasks placed on one provider before any weighting
//	weight   share of the tasks beyond the base
//	split    the number of tasks per item for a desired count
package strategy
