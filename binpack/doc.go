// Package binpack decides where ECS places a service's tasks: which container
// instance runs each task, given the instances' free registered resources,
// the placement constraints and the placement strategies.
//
// The pipeline is ECS's own (Developer Guide, "Amazon ECS task placement"):
//
//	instances ──► resources ──► constraints ──► strategies ──► pick
//	             cpu, memory,   distinctInstance  binpack(cpu|memory)
//	             task slots     memberOf(expr)    spread(instanceId|attribute)
//	                                              random
//
// Tasks of one service are identical, so Place handles them as a batch: it
// computes how many tasks each instance takes (water-filling for spread,
// fill-in-order for binpack) instead of placing one task at a time, which
// costs O(instances · log instances) for a whole service, not
// O(tasks · instances). Random placement draws one task at a time from the
// seeded source it is given, in O(tasks).
//
// A service with no placement strategy uses the ECS service default: spread
// across Availability Zones, then the instance with the fewest tasks of the
// service (DefaultService). Stop reverses the choice when a service scales
// in: the fullest AZ, then the instance with the most tasks of the service;
// with binpack, the instance left with the most free resources.
//
// When the strategies leave a tie, the instance that comes first in the
// slice (the one registered first) wins: ECS does not document its
// tie-break, so this is cpsim's model.
//
// Every task that cannot be placed is reported with a Reason.
//
// Estimate computes M, the number of instances ECS managed scaling needs for
// tasks that do not fit (spec/model.md §4): the tasks bin-packed on the
// largest instance type, with tasks that do not fit the smallest type
// excluded.
//
// Glossary:
//
//	registered  the CPU units (1024 per vCPU) and MiB the agent registered
//	free        registered less what placed tasks reserve
//	slot        a task an instance can still take under its task limit
package binpack
