// Package scaling models ECS managed scaling (cluster auto scaling) and the
// EC2 Auto Scaling group behind a capacity provider.
//
// Every minute ECS computes, per capacity provider:
//
//	N  instances in the Auto Scaling group (including those not yet
//	   registered with the cluster)
//	M  instances needed for the provider's running and PROVISIONING tasks
//	   (cpsim: the instances running at least one task, plus the PROVISIONING
//	   tasks bin-packed on the group's largest instance type)
//	CapacityProviderReservation = M / N × 100, with M = 0, N = 0 → 100 and
//	   M > 0, N = 0 → 200
//
// and publishes the reservation to CloudWatch, where a target tracking
// policy on targetCapacity scales the group:
//
//   - scale-out after 1 datapoint above target, by
//     max(minimumScalingStepSize, min(maximumScalingStepSize,
//     ceil(M×100/targetCapacity) − N)) instances, never while an instance
//     is inside instanceWarmupPeriod; from zero instances the first step is
//     two instances (the "200 %" rule);
//   - scale-in after 15 consecutive datapoints below target, toward
//     ceil(M×100/targetCapacity), at least 1 and at most 50 % of N a minute;
//     a scale-out resets the count.
//
// Sources: ECS Developer Guide "Cluster auto scaling" and "Managed scale-out
// behavior", the EC2 Spot workshop's CapacityProviderReservation page, and
// the 2022 "faster scale-in" announcement (spec/ecs-facts.md §2). Where ECS is
// silent the choice is cpsim's and says so.
//
// The group launches across its Availability Zones keeping them balanced,
// and terminates by its default termination policy: the AZ with the most
// instances, then the oldest instance.
package scaling
