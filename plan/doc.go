// Package plan is the YAML schema shared by cpsim scenarios and cpapply plans.
//
// One file describes a cluster the way ECS and EC2 Auto Scaling describe it:
// the capacity providers (each with its Auto Scaling group provider settings and,
// for simulation, the group itself), the cluster's default capacity provider
// strategy, the services with their strategies, placement and deployment
// settings, and — for cpsim only — latencies, prices, a seed and timed events.
// cpapply ignores the simulation-only parts.
//
// Field names follow the ECS API and CloudFormation (targetCapacity,
// minimumScalingStepSize, onDemandBaseCapacity, spotAllocationStrategy, …) so
// users can paste from their infrastructure code. Decoding is strict: an
// unknown field is an error that names the line.
//
// Validate checks every rule that can be checked offline and reports each
// violation with the field path and the rule, for example
//
//	services[0].capacityProviderStrategy[1].base: only one capacity provider in a strategy may have a base (also set on "od")
package plan
