package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/cpsim/cpsim/binpack"
	"github.com/cpsim/cpsim/plan"
	"github.com/cpsim/cpsim/report"
	"github.com/cpsim/cpsim/scenarios"
	"github.com/cpsim/cpsim/sim"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// usageError is a malformed command line: exit status 2.
type usageError struct{ error }

func run(args []string, stdout, stderr io.Writer) int {
	var err error
	if len(args) > 0 && args[0] == "run" {
		err = timeline(args[1:], stdout, stderr)
	} else {
		err = quick(args, stdout, stderr)
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, pflag.ErrHelp):
		return 0
	case errors.As(err, new(usageError)):
		fmt.Fprintln(stderr, "cpsim:", err)
		return 2
	default:
		fmt.Fprintln(stderr, "cpsim:", err)
		return 1
	}
}

// load reads a scenario file, or a built-in scenario by name.
func load(name string) (*plan.Scenario, error) {
	if name == "" {
		name = scenarios.Default
	}
	data, err := os.ReadFile(name)
	if err != nil {
		b, embErr := scenarios.Read(name)
		if embErr != nil {
			return nil, fmt.Errorf("load scenario %s: %w (built-in scenarios: %s)", name, err, strings.Join(scenarios.Names(), ", "))
		}
		data = b
	}
	return plan.Parse(name, data)
}

func quick(args []string, stdout, stderr io.Writer) error {
	fs := pflag.NewFlagSet("cpsim", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	scenario := fs.String("scenario", "", "scenario file or built-in name (default workshop)")
	service := fs.String("service", "", "service to change (default: the first)")
	desired := fs.Int("desired", 0, "the service's desired count (default: the scenario's)")
	weights := fs.String("weights", "", "strategy weights, provider=weight,...")
	base := fs.String("base", "", "strategy base, provider=base")
	target := fs.String("target-capacity", "", "targetCapacity for every provider (N) or per provider (p=N,...)")
	taskCPU := fs.Int("task-cpu", 0, "task CPU units, 1024 per vCPU (default: the scenario's)")
	taskMem := fs.Int("task-memory", 0, "task memory in MiB (default: the scenario's)")
	seed := fs.Uint64("seed", 0, "random seed (default: the scenario's)")
	out := fs.StringP("output", "o", "table", "output: table or json")
	writePlan := fs.String("write-plan", "", "write the scenario with these changes to FILE (for cpapply)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: cpsim [flags]          quick answer on a scenario (default: the ECS workshop cluster)")
		fmt.Fprintln(stderr, "       cpsim run [FILE] [flags]  run a scenario's timeline")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q (did you mean 'cpsim run %s'?)", fs.Arg(0), fs.Arg(0))}
	}
	if *out != "table" && *out != "json" {
		return usageError{fmt.Errorf("-o %q: want table or json", *out)}
	}
	sc, err := load(*scenario)
	if err != nil {
		return err
	}
	var e plan.Edit
	e.Service = *service
	if fs.Changed("desired") {
		e.Desired = desired
	}
	if fs.Changed("weights") {
		if e.Weights, err = plan.ParseNamedInts("weights", *weights); err != nil {
			return usageError{err}
		}
	}
	if fs.Changed("base") {
		if e.Bases, err = plan.ParseNamedInts("base", *base); err != nil {
			return usageError{err}
		}
	}
	if fs.Changed("target-capacity") {
		if strings.Contains(*target, "=") {
			if e.TargetCapacities, err = plan.ParseNamedInts("target-capacity", *target); err != nil {
				return usageError{err}
			}
		} else {
			var n int
			if _, err := fmt.Sscanf(*target, "%d", &n); err != nil || fmt.Sprint(n) != *target {
				return usageError{fmt.Errorf("--target-capacity %q: want a whole number or provider=number,...", *target)}
			}
			e.TargetCapacity = &n
		}
	}
	if fs.Changed("task-cpu") {
		e.TaskCPU = taskCPU
	}
	if fs.Changed("task-memory") {
		e.TaskMemory = taskMem
	}
	if fs.Changed("seed") {
		e.Seed = seed
	}
	// The cluster starts steady at the scenario's desired count under the
	// new settings; then the desired count changes, as UpdateService would.
	want := e.Desired
	e.Desired = nil
	if err := sc.Apply(e); err != nil {
		return err
	}
	svc := &sc.Services[0]
	if *service != "" {
		svc = sc.Service(*service)
	}
	if want != nil && *want < 0 {
		return fmt.Errorf("--desired: must not be negative, got %d", *want)
	}
	s, err := sim.New(sc, sim.Config{})
	if err != nil {
		return err
	}
	if want != nil {
		if err := s.SetDesiredCount(svc.ServiceName, *want); err != nil {
			return err
		}
		svc.DesiredCount = *want
	}
	r, err := s.Run()
	if err != nil {
		return err
	}
	if *writePlan != "" {
		b, err := sc.Marshal()
		if err != nil {
			return err
		}
		if err := os.WriteFile(*writePlan, b, 0o644); err != nil {
			return fmt.Errorf("write plan: %w", err)
		}
	}
	if err := unplaceable(r); err != nil {
		return err
	}
	sum := report.NewSummary(sc.Name, r)
	if *out == "json" {
		return report.WriteJSON(stdout, sum)
	}
	return report.WriteTable(stdout, sum)
}

// unplaceable reports tasks that no instance type of their provider can
// ever run: bad input, not a result.
func unplaceable(r *sim.Result) error {
	var errs []error
	for _, sv := range r.Services {
		for _, u := range sv.Unplaced {
			if u.Reason == binpack.ReasonTooLarge {
				errs = append(errs, fmt.Errorf("service %s: %d task(s) on capacity provider %s cannot be placed: %s", sv.Name, u.Count, u.Provider, u.Reason))
			}
		}
	}
	return errors.Join(errs...)
}

func timeline(args []string, stdout, stderr io.Writer) error {
	fs := pflag.NewFlagSet("cpsim run", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	seed := fs.Uint64("seed", 0, "random seed (default: the scenario's)")
	out := fs.StringP("output", "o", "table", "output: table (summary and notable events), json (summary and every event) or csv (per-minute series)")
	plotFile := fs.String("plot", "", "also draw the per-minute series to FILE.svg or FILE.png")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: cpsim run [FILE] [flags]  run a scenario's events, then until steady (default: the workshop scenario)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 1 {
		return usageError{fmt.Errorf("cpsim run takes one scenario, got %d", fs.NArg())}
	}
	if *out != "table" && *out != "json" && *out != "csv" {
		return usageError{fmt.Errorf("-o %q: want table, json or csv", *out)}
	}
	var plotFormat string
	if *plotFile != "" {
		plotFormat = strings.TrimPrefix(strings.ToLower(filepath.Ext(*plotFile)), ".")
		if !slices.Contains(report.PlotFormats, plotFormat) {
			return usageError{fmt.Errorf("--plot %q: want a file name ending in .svg or .png", *plotFile)}
		}
	}
	sc, err := load(fs.Arg(0))
	if err != nil {
		return err
	}
	if fs.Changed("seed") {
		sc.Seed = *seed
	}
	s, err := sim.New(sc, sim.Config{})
	if err != nil {
		return err
	}
	r, err := s.Run()
	if err != nil {
		return err
	}
	if *plotFile != "" {
		var buf bytes.Buffer
		if err := report.WritePlot(&buf, r, plotFormat); err != nil {
			return err
		}
		if err := os.WriteFile(*plotFile, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write plot: %w", err)
		}
	}
	switch *out {
	case "json":
		return report.WriteJSON(stdout, report.NewRun(sc.Name, r))
	case "csv":
		return report.WriteSeries(stdout, r)
	}
	return report.WriteRunTable(stdout, report.NewRun(sc.Name, r))
}
