// Cpapply plans, then applies, Amazon ECS capacity providers and capacity
// provider strategies from a cpsim scenario file, the way Terraform plans
// and applies a configuration: plan shows exactly what will change, apply
// changes only that, a second apply does nothing, and a failure says what
// was applied and what was not.
//
// Usage:
//
//	cpapply validate [--offline] FILE
//	cpapply plan [-o table|json] [--detailed-exitcode] [--prune] FILE
//	cpapply apply [--auto-approve] [--prune] [--wait] FILE
//
// Common flags: --cluster NAME (default: the file's cluster.clusterName),
// --region (default: the file's region, then AWS_REGION and the shared
// config), --profile, --endpoint-url URL (send every call there, for
// example to a local moto_server). Credentials and settings come from the
// standard AWS environment variables and shared config and credentials
// files (aws-sdk-go-v2/config). cpapply never prints credentials.
//
// # The file
//
// The plan file is the scenario file cpsim simulates (cpsim ... --write-plan
// FILE writes one); cpapply ignores the simulation-only parts (timings,
// events, prices, instance counts). It manages:
//
//   - capacityProviders[]: name; autoScalingGroupProvider.autoScalingGroupArn
//     (the group's name or ARN); managedScaling (status, targetCapacity,
//     minimumScalingStepSize, maximumScalingStepSize, instanceWarmupPeriod);
//     managedTerminationProtection; managedDraining. The autoScalingGroup
//     block is read for the online checks; cpapply never changes a group.
//   - cluster.capacityProviders (default: every provider of the file) and
//     cluster.defaultCapacityProviderStrategy.
//   - services[].capacityProviderStrategy. A service without one is left
//     as it is.
//
// The cluster and the services must already exist.
//
// # validate
//
// Checks every ECS rule that needs no AWS call (names: 1 to 255 letters,
// digits, _ and -, no aws, ecs or fargate prefix in any case; strategies:
// base 0–100000 on at most one item, weight 0–1000 with one above zero, at
// most 20 providers, no mix of Fargate and Auto Scaling group providers;
// ranges; at most 20 providers per cluster), then, unless --offline, with
// read-only calls: each Auto Scaling group exists, has MaxSize > 0, has no
// instance weighting, and protects new instances from scale in when
// managedTerminationProtection is ENABLED; every instance type exists in
// the region (ec2 DescribeInstanceTypes) and every service's task fits
// each type of the providers it can be placed on. Each error names the
// field and the rule:
//
//	services[0].taskDefinition.cpu: the task's 4096 CPU units do not fit instance type t3.small (2048 units) of capacity provider "od": ...
//
// plan and apply run the same checks first.
//
// # plan
//
// Reads the current state (DescribeClusters, DescribeCapacityProviders,
// DescribeServices, DescribeAutoScalingGroups) and prints the difference in
// Terraform's style: "+" create, "~" update with "field: old → new", "-"
// disassociate or delete. A service update notes "# forces a new
// deployment": ECS requires forceNewDeployment when a strategy changes, so
// the service's tasks are replaced. -o json prints the same plan as JSON.
// Providers associated with the cluster that the file does not list are
// kept (PutClusterCapacityProviders replaces the whole list, so cpapply
// sends them again); --prune disassociates them and deletes the ones the
// file does not define, and refuses, with the reason, while a service's
// strategy, the default strategy or a running task still uses one.
//
// # apply
//
// Prints the plan, asks for "yes" on a terminal (without a terminal it
// refuses unless --auto-approve), then changes things in a safe order:
// providers created or updated, each waited for until ACTIVE; one
// PutClusterCapacityProviders with the complete list and the default
// strategy; UpdateService with the strategy and forceNewDeployment; with
// --wait, a wait (--wait-timeout, default 15m) for the services to be
// stable; pruned providers deleted last. Throttling and transient errors
// are retried by the SDK; any other API error stops the run and prints
// what was applied, what was not, and ECS's error name and message.
// Running apply again converges from wherever it stopped.
//
// # Exit status
//
// 0 success; 1 failure (invalid file, refused or failed apply); 2 usage
// error, or plan --detailed-exitcode with changes pending (as Terraform).
//
// # Try it without AWS
//
//	pip install 'moto[server]>=5'; moto_server -H 127.0.0.1 -p 5000 &
//	go run ./internal/moto/motoworkshop http://127.0.0.1:5000   # groups, cluster, service
//	export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
//	cpapply plan --endpoint-url http://127.0.0.1:5000 scenarios/workshop.yaml
//	cpapply apply --auto-approve --endpoint-url http://127.0.0.1:5000 scenarios/workshop.yaml
//	cpapply plan --detailed-exitcode --endpoint-url http://127.0.0.1:5000 scenarios/workshop.yaml  # exit 0
//
// moto checks few ECS rules and runs no tasks; cpapply's own checks are
// what its tests against moto prove.
package main
