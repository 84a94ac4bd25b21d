// Package report renders cpsim results: tables an ECS user recognises (one
// row per capacity provider, then one per container instance, like
// describe-container-instances), JSON for scripts, and — for timelines — the
// events, a per-minute CSV series and a plot.
//
// Rendering is the only place that turns the simulation's indexes into
// names and its durations into seconds.
package report
