package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/cpsim/cpsim/sim"
)

// Summary is the JSON form of a run's end state.
type Summary struct {
	Scenario           string     `json:"scenario"`
	Steady             bool       `json:"steady"`
	Stuck              bool       `json:"stuck"`
	SteadyAfterSeconds float64    `json:"steadyAfterSeconds"`
	EndSeconds         float64    `json:"endSeconds"`
	Providers          []Provider `json:"providers"`
	Services           []Service  `json:"services"`
	Instances          []Instance `json:"instances"`
	Cost               Cost       `json:"cost"`
	// Warnings are the run's notes on the scenario (model limits, settings
	// that cannot work as meant); omitted when there are none.
	Warnings []string `json:"warnings,omitempty"`
}

// Provider is one capacity provider at the end of a run.
type Provider struct {
	Name             string         `json:"name"`
	Base             int            `json:"base"`
	Weight           int            `json:"weight"`
	TargetCapacity   int            `json:"targetCapacity"`
	Tasks            int            `json:"tasks"`
	Instances        int            `json:"instances"`
	TasksPerInstance []int          `json:"tasksPerInstance"`
	Reservation      float64        `json:"reservation"`
	M                int            `json:"m"`
	N                int            `json:"n"`
	InstanceTypes    map[string]int `json:"instanceTypes"`
	SpotInstances    int            `json:"spotInstances"`
	CostPerHour      float64        `json:"costPerHour"`
	OnDemandPerHour  float64        `json:"onDemandCostPerHour"`
	RunCost          float64        `json:"runCost"`
	RunOnDemandCost  float64        `json:"runOnDemandCost"`
}

// Service is one service at the end of a run.
type Service struct {
	Name             string         `json:"name"`
	Desired          int            `json:"desired"`
	Running          int            `json:"running"`
	Healthy          int            `json:"healthy"`
	Pending          int            `json:"pending"`
	Provisioning     int            `json:"provisioning"`
	TasksPerProvider map[string]int `json:"tasksPerProvider"`
	Unplaced         []Unplaced     `json:"unplaced"`
}

// Unplaced is a number of tasks that found no instance, and why.
type Unplaced struct {
	Provider string `json:"provider"`
	Count    int    `json:"count"`
	Reason   string `json:"reason"`
	// Blocked says why no capacity comes for them, when known.
	Blocked string `json:"blocked,omitempty"`
}

// Instance is one container instance at the end of a run.
type Instance struct {
	Provider     string `json:"capacityProvider"`
	InstanceID   string `json:"instanceId"`
	InstanceType string `json:"instanceType"`
	AZ           string `json:"availabilityZone"`
	Lifecycle    string `json:"lifecycle"` // on-demand or spot
	Status       string `json:"status"`
	RunningTasks int    `json:"runningTasks"`
}

// Cost totals the providers: $/h at the end and for the whole run, beside
// what the same instances cost On-Demand.
type Cost struct {
	PerHour         float64 `json:"perHour"`
	OnDemandPerHour float64 `json:"onDemandPerHour"`
	SavingPercent   float64 `json:"savingPercent"`
	Run             float64 `json:"run"`
	RunOnDemand     float64 `json:"runOnDemand"`
	RunSavingPct    float64 `json:"runSavingPercent"`
}

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}

func saving(actual, onDemand float64) float64 {
	if onDemand == 0 {
		return 0
	}
	return round((1-actual/onDemand)*100, 1)
}

// NewSummary converts a result.
func NewSummary(scenario string, r *sim.Result) Summary {
	s := Summary{Scenario: scenario, Steady: r.Steady, Stuck: r.Stuck,
		SteadyAfterSeconds: r.SteadyAfter.Seconds(), EndSeconds: r.End.Seconds()}
	for _, p := range r.Providers {
		s.Providers = append(s.Providers, Provider{Name: p.Name, Base: p.Base, Weight: p.Weight, TargetCapacity: p.TargetCapacity,
			Tasks: p.Tasks, Instances: p.Instances, TasksPerInstance: p.TasksPerInstance, Reservation: p.Reservation,
			M: p.M, N: p.N, InstanceTypes: p.InstanceTypes, SpotInstances: p.Spot,
			CostPerHour: round(p.CostPerHour, 4), OnDemandPerHour: round(p.OnDemandPerHour, 4),
			RunCost: round(p.Cost, 4), RunOnDemandCost: round(p.OnDemandCost, 4)})
		s.Cost.PerHour += p.CostPerHour
		s.Cost.OnDemandPerHour += p.OnDemandPerHour
		s.Cost.Run += p.Cost
		s.Cost.RunOnDemand += p.OnDemandCost
	}
	s.Cost.SavingPercent = saving(s.Cost.PerHour, s.Cost.OnDemandPerHour)
	s.Cost.RunSavingPct = saving(s.Cost.Run, s.Cost.RunOnDemand)
	s.Cost.PerHour, s.Cost.OnDemandPerHour = round(s.Cost.PerHour, 4), round(s.Cost.OnDemandPerHour, 4)
	s.Cost.Run, s.Cost.RunOnDemand = round(s.Cost.Run, 4), round(s.Cost.RunOnDemand, 4)
	for _, v := range r.Services {
		sv := Service{Name: v.Name, Desired: v.Desired, Running: v.Running, Healthy: v.Healthy, Pending: v.Pending,
			Provisioning: v.Provisioning, TasksPerProvider: v.TasksPerProvider, Unplaced: []Unplaced{}}
		for _, u := range v.Unplaced {
			sv.Unplaced = append(sv.Unplaced, Unplaced{Provider: u.Provider, Count: u.Count, Reason: u.Reason.String(), Blocked: u.Blocked})
		}
		s.Services = append(s.Services, sv)
	}
	for _, in := range r.Instances {
		lc := "on-demand"
		if in.Spot {
			lc = "spot"
		}
		s.Instances = append(s.Instances, Instance{Provider: in.Provider, InstanceID: in.InstanceID, InstanceType: in.InstanceType,
			AZ: in.AZ, Lifecycle: lc, Status: in.State, RunningTasks: in.RunningTasks})
	}
	s.Warnings = r.Warnings
	return s
}

// WriteJSON writes v as indented JSON.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func newTable(w io.Writer, title string) *tablewriter.Table {
	t := tablewriter.NewTable(w, tablewriter.WithSymbols(tw.NewSymbols(tw.StyleASCII)),
		tablewriter.WithHeaderAutoFormat(tw.Off))
	if title != "" {
		t.Caption(tw.Caption{Text: title, Spot: tw.SpotTopCenter})
	}
	return t
}

func join(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ",")
}

func types(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b []string
	for _, k := range keys {
		b = append(b, fmt.Sprintf("%s×%d", k, m[k]))
	}
	return strings.Join(b, " ")
}

// Seconds formats simulated seconds as a duration such as "7m37s".
func Seconds(s float64) string {
	return time.Duration(s * float64(time.Second)).Round(time.Second).String()
}

// WriteTable writes the summary as tables: providers, then instances, then
// how long the cluster took to settle.
func WriteTable(w io.Writer, s Summary) error {
	t := newTable(w, "")
	t.Header("CapacityProvider", "Base", "Weight", "Target", "Tasks", "Instances", "TasksPerInstance", "Reservation", "M/N", "InstanceTypes", "$/h", "On-Demand $/h", "Run $", "Run On-Demand $")
	for _, p := range s.Providers {
		t.Append(p.Name, p.Base, p.Weight, p.TargetCapacity, p.Tasks, p.Instances, join(p.TasksPerInstance),
			fmt.Sprintf("%g", p.Reservation), fmt.Sprintf("%d/%d", p.M, p.N), types(p.InstanceTypes),
			fmt.Sprintf("%.4f", p.CostPerHour), fmt.Sprintf("%.4f", p.OnDemandPerHour),
			fmt.Sprintf("%.4f", p.RunCost), fmt.Sprintf("%.4f", p.RunOnDemandCost))
	}
	if err := t.Render(); err != nil {
		return err
	}
	t = newTable(w, "")
	t.Header("CapacityProvider", "InstanceId", "InstanceType", "AvailabilityZone", "Lifecycle", "RunningTasks")
	for _, in := range s.Instances {
		t.Append(in.Provider, in.InstanceID, in.InstanceType, in.AZ, in.Lifecycle, in.RunningTasks)
	}
	if err := t.Render(); err != nil {
		return err
	}
	for _, v := range s.Services {
		fmt.Fprintf(w, "service %s: desired %d, running %d (healthy %d), pending %d, provisioning %d\n",
			v.Name, v.Desired, v.Running, v.Healthy, v.Pending, v.Provisioning)
		for _, u := range v.Unplaced {
			fmt.Fprintf(w, "  %d task(s) on %s cannot be placed: %s", u.Count, u.Provider, u.Reason)
			if u.Blocked != "" {
				fmt.Fprintf(w, "; %s", u.Blocked)
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintf(w, "cost: $%.4f/h (all On-Demand $%.4f/h, saving %.1f%%); this run $%.4f (all On-Demand $%.4f, saving %.1f%%)\n",
		s.Cost.PerHour, s.Cost.OnDemandPerHour, s.Cost.SavingPercent, s.Cost.Run, s.Cost.RunOnDemand, s.Cost.RunSavingPct)
	for _, m := range s.Warnings {
		fmt.Fprintln(w, "warning:", m)
	}
	switch {
	case s.Stuck:
		fmt.Fprintf(w, "stuck after %s of simulated time: tasks wait for capacity that cannot come (see above)\n", Seconds(s.SteadyAfterSeconds))
	case s.Steady:
		fmt.Fprintf(w, "steady after %s of simulated time\n", Seconds(s.SteadyAfterSeconds))
	default:
		fmt.Fprintf(w, "not steady after %s of simulated time\n", Seconds(s.EndSeconds))
	}
	return nil
}
