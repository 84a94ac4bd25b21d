// Package sim is cpsim's discrete-event loop: it composes the strategy split
// (package strategy), task placement (package binpack) and managed scaling
// with its Auto Scaling groups (package scaling) into a run of a scenario in
// simulated time.
//
// Time is a field of the loop, never the wall clock. Events are ordered by
// (time, sequence number), and every random draw — instance launch latency,
// instance ids, random placement, Spot interruptions — comes from one
// math/rand/v2 PCG source seeded from the scenario, so the same scenario
// gives the same Result, byte for byte.
//
// The life of a task:
//
//	PROVISIONING ── placed ──► PENDING ── task start ──► RUNNING ── health checks ──► healthy
//	     │ (no instance fits; drives managed scaling)                │
//	     └── provisioning timeout ──► STOPPED        deregistration ─┴─► STOPPED
//
// The life of an instance:
//
//	launched ── 60–120 s ──► ACTIVE (registered) ──► DRAINING ──► terminated
//
// A run processes the scenario's events in order and then runs until the
// cluster is steady: no task PROVISIONING, PENDING or stopping, no instance
// launching or draining, every service at its desired count and healthy,
// and no scaling action due on any provider. A cluster that can never get
// there (a task that fits no instance type, a group at its maximum) ends
// "stuck" at the first datapoint where nothing can change, with a reason for
// every unplaced task.
package sim
