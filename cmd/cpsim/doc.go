// Command cpsim answers "what will ECS do with my capacity-provider setup?"
// before anyone deploys: how a service's tasks split across capacity
// providers (base and weight), how they pack onto each instance type, how
// many instances managed scaling launches at a given targetCapacity, what a
// Spot interruption does, and what it costs — in simulated time, in
// milliseconds.
//
// Quick mode, on the built-in default cluster (the ECS workshop's
// container-demo: an On-Demand t3.small provider "od" and a Spot provider
// "spot", both at targetCapacity 80):
//
//	cpsim --desired 40 --weights od=1,spot=4
//
// simulates setting the service's desired count (and strategy) and runs
// until the cluster is steady — nothing pending or provisioning, no scaling
// action due — then prints one row per capacity provider (tasks, instances,
// CapacityProviderReservation, $/h) and one row per container instance.
//
// Flags (quick mode):
//
//	--scenario FILE        a scenario file, or the name of a built-in one (default workshop)
//	--service NAME         the service to change (default: the first)
//	--desired N            the service's desired count
//	--weights p=w,...      the strategy's weights (base kept from the scenario)
//	--base p=b             the strategy's base (replaces the scenario's)
//	--target-capacity N    every provider's targetCapacity; or p=N,...
//	--task-cpu UNITS       task CPU units (1024 per vCPU)
//	--task-memory MIB      task memory
//	--seed N               the random seed
//	-o table|json          output format
//	--write-plan FILE      write the scenario with these changes, for cpapply
//
// Timeline mode runs a scenario's events (scale-out, Spot interruptions,
// scale-in) and prints the summary and the notable events:
//
//	cpsim run [FILE] [-o table|json|csv] [--plot FILE.svg|.png] [--seed N]
//
// Exit status: 0 on success, 1 when the scenario or a flag value breaks a
// rule (the message names the field and the rule), 2 on a usage error.
package main
