package report

import (
	"fmt"
	"io"
	"time"

	"github.com/cpsim/cpsim/sim"
)

// Run is the JSON form of a timeline run (cpsim run -o json): the summary,
// with the same keys as quick mode, and every event of the timeline.
type Run struct {
	Summary Summary `json:"summary"`
	Events  []Event `json:"events"`
}

// Event is one timeline event with the names of what it involves; a name is
// omitted when the event does not involve one.
type Event struct {
	// T is the simulated time in seconds from the start of the run.
	T        float64 `json:"t"`
	Kind     string  `json:"kind"`
	Provider string  `json:"provider,omitempty"`
	Service  string  `json:"service,omitempty"`
	Instance string  `json:"instance,omitempty"`
	// Pool is the instance's Spot/On-Demand capacity pool, "type/AZ".
	Pool string `json:"pool,omitempty"`
	AZ   string `json:"az,omitempty"`
	Task string `json:"task,omitempty"`
	// Count is the service's new desired count (DesiredCountChanged) or the
	// group's new desired capacity (ScaleOut, ScaleIn); nil otherwise.
	Count *int `json:"count,omitempty"`
	// Reservation is CapacityProviderReservation when managed scaling
	// acted (ScaleOut, ScaleIn); nil otherwise.
	Reservation *float64 `json:"reservation,omitempty"`
	Detail      string   `json:"detail,omitempty"`
}

// NewRun converts a result to the JSON form of a timeline run.
func NewRun(scenario string, r *sim.Result) Run {
	return Run{Summary: NewSummary(scenario, r), Events: NewEvents(r)}
}

// NewEvents names the events of a result's timeline, in order. It returns
// an empty, non-nil slice for an empty timeline.
func NewEvents(r *sim.Result) []Event {
	evs := make([]Event, 0, len(r.Timeline))
	for _, e := range r.Timeline {
		ev := Event{T: e.T.Seconds(), Kind: e.Kind.String(), Provider: r.ProviderName(e.Provider),
			Service: r.ServiceName(e.Service), Instance: r.InstanceID(e.Instance), Task: r.TaskID(e.Task), Detail: e.Detail}
		if typ, az := r.InstancePool(e.Instance); typ != "" {
			ev.Pool, ev.AZ = typ+"/"+az, az
		}
		switch e.Kind {
		case sim.DesiredCountChanged:
			ev.Count = new(e.Count)
		case sim.ScaleOut, sim.ScaleIn:
			ev.Count = new(e.Count)
			ev.Reservation = new(e.Reservation)
		}
		evs = append(evs, ev)
	}
	return evs
}

// perTask reports whether a kind happens once per task, so a scale-out
// makes many of them at once.
func perTask(kind string) bool {
	switch kind {
	case "TaskPlaced", "TaskRunning", "TaskHealthy", "TaskDraining", "TaskStopped":
		return true
	}
	return false
}

// Clock formats simulated seconds as m:ss, or h:mm:ss from an hour.
func Clock(seconds float64) string {
	d := time.Duration(seconds * float64(time.Second)).Round(time.Second)
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

// row is one line of the events table: an event, or n per-task events of
// the same kind at the same time on the same instance.
type row struct {
	Event
	n int
}

// notable folds the per-task events that share time, kind, provider,
// service, instance and detail into one row each, keeping the order of
// each group's first event, so a 40-task scale-out is a few rows.
func notable(evs []Event) []row {
	type key struct {
		t                                     float64
		kind, provider, service, inst, detail string
	}
	var rows []row
	at := map[key]int{} // index in rows, for the current time only
	var now float64
	for _, e := range evs {
		if e.T != now {
			clear(at)
			now = e.T
		}
		if !perTask(e.Kind) {
			rows = append(rows, row{e, 1})
			continue
		}
		k := key{e.T, e.Kind, e.Provider, e.Service, e.Instance, e.Detail}
		if i, ok := at[k]; ok {
			rows[i].n++
			continue
		}
		at[k] = len(rows)
		rows = append(rows, row{e, 1})
	}
	return rows
}

// WriteEvents writes the notable events as a table: one row per event,
// except that per-task events (TaskPlaced, TaskRunning, …) at the same
// time on the same instance share a row that counts them.
func WriteEvents(w io.Writer, evs []Event) error {
	t := newTable(w, "")
	t.Header("Time", "Event", "CapacityProvider", "Service", "InstanceId", "Pool", "Task", "Detail")
	for _, r := range notable(evs) {
		task := r.Task
		if r.n > 1 {
			task = fmt.Sprintf("%d tasks", r.n)
		}
		t.Append(Clock(r.T), r.Kind, r.Provider, r.Service, r.Instance, r.Pool, task, detail(r.Event))
	}
	return t.Render()
}

// detail says what the numbers of an event mean.
func detail(e Event) string {
	var s string
	switch {
	case e.Kind == "DesiredCountChanged" && e.Count != nil:
		s = fmt.Sprintf("desiredCount %d", *e.Count)
	case e.Count != nil && e.Reservation != nil:
		s = fmt.Sprintf("desiredCapacity %d (reservation %g)", *e.Count, *e.Reservation)
	}
	if e.Detail != "" {
		if s != "" {
			s += "; "
		}
		s += e.Detail
	}
	return s
}

// WriteRunTable writes a timeline run as tables: the summary, then the
// notable events.
func WriteRunTable(w io.Writer, r Run) error {
	if err := WriteTable(w, r.Summary); err != nil {
		return err
	}
	fmt.Fprintln(w)
	return WriteEvents(w, r.Events)
}
