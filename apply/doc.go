// Package apply plans and applies a scenario file's capacity providers and
// strategies on Amazon ECS, the way Terraform plans and applies a
// configuration: read what is there, compute the difference, show it, and
// change only that.
//
// The pipeline:
//
//	plan file ─ plan.Parse (offline ECS rules)
//	          ─ ValidateOnline (Auto Scaling groups, instance types; read only)
//	          ─ Read (DescribeClusters, DescribeCapacityProviders, DescribeServices)
//	          ─ Diff (pure) ─► Plan ─ WriteText / WriteJSON
//	                               └─ Apply (the calls, in a safe order)
//
// The AWS boundary is three narrow interfaces, ECS, AutoScaling and EC2,
// that list only the SDK v2 calls used, with the SDK's signatures;
// NewClients fills them from an aws.Config. Computing a plan (Diff) does no
// I/O, so it is tested without AWS.
//
// What a plan file manages, in ECS's words:
//
//   - capacity providers (CreateCapacityProvider, UpdateCapacityProvider):
//     the Auto Scaling group (name or ARN; ECS can't change it later),
//     managed scaling (status, targetCapacity, minimumScalingStepSize,
//     maximumScalingStepSize, instanceWarmupPeriod),
//     managedTerminationProtection and managedDraining;
//   - the cluster's capacity providers and default capacity provider
//     strategy (PutClusterCapacityProviders, which replaces the whole list,
//     so Apply sends the complete list: the file's, plus the ones already
//     associated that the file does not list unless pruning);
//   - each service's capacity provider strategy (UpdateService with
//     forceNewDeployment, which ECS requires for a strategy change, so each
//     such update starts a new deployment).
//
// The cluster and the services must exist: cpapply does not create them,
// and it never changes an Auto Scaling group. A service that sets no
// strategy in the file is left as it is. Tags are sent when a provider is
// created and not compared afterwards.
//
// Apply's order: providers created or updated, each waited for until
// ACTIVE; the cluster; the services; optionally a wait for the services to
// be stable; pruned providers deleted last. Diff refuses to prune a
// provider that a service's strategy, the default strategy or a running
// task still uses, with the reason, rather than let ECS answer
// ResourceInUseException halfway through. An API error other than
// throttling or a transient one (which the SDK's retryer retries) stops
// Apply; its Result lists what was applied and what was not, and the
// *StepError carries the ECS error name and message. Running apply again
// converges: it plans from what is there now.
//
// Glossary: a provider is "associated" with a cluster when it is in the
// cluster's capacityProviders list; "pruning" disassociates the ones the
// file does not list and deletes the ones it does not define; "kept" are
// associated providers the file does not list, left in place.
package apply
