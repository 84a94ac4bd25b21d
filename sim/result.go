package sim

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"time"

	"github.com/cpsim/cpsim/binpack"
	"github.com/cpsim/cpsim/scaling"
	"github.com/cpsim/cpsim/strategy"
)

type stratItem = strategy.Item

// Kind is the kind of a timeline event.
type Kind uint8

// The timeline event kinds.
const (
	DesiredCountChanged Kind = iota
	ScaleOut
	ScaleIn
	InstanceLaunched
	InstanceRegistered
	TaskPlaced
	TaskRunning
	TaskHealthy
	TaskDraining
	TaskStopped
	SpotInterruptionNotice
	InstanceDraining
	InstanceTerminated
	AvailabilityZoneLost
)

var kindNames = [...]string{"DesiredCountChanged", "ScaleOut", "ScaleIn", "InstanceLaunched", "InstanceRegistered",
	"TaskPlaced", "TaskRunning", "TaskHealthy", "TaskDraining", "TaskStopped", "SpotInterruptionNotice",
	"InstanceDraining", "InstanceTerminated", "AvailabilityZoneLost"}

func (k Kind) String() string { return kindNames[k] }

// MarshalText names the kind in JSON.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Event is one thing that happened, with the indexes of what it involves
// (-1 for none). Result resolves indexes to names.
type Event struct {
	T        time.Duration
	Kind     Kind
	Instance int32
	Task     int32
	Provider int32
	Service  int32
	// Count is the desired count (DesiredCountChanged) or the group's new
	// desired capacity (ScaleOut, ScaleIn).
	Count       int
	Reservation float64
	Detail      string
}

// Sample is one minute of the per-provider series.
type Sample struct {
	T         time.Duration
	Providers []ProviderSample
}

// ProviderSample is one provider at one minute.
type ProviderSample struct {
	// Instances counts every instance not yet terminated, draining ones
	// included; InService the group's members (what desired capacity and
	// maxSize count).
	Instances int
	InService int
	// Running counts RUNNING tasks, draining ones included (ECS shows them
	// RUNNING until they stop).
	Running      int
	Pending      int
	Provisioning int
	Reservation  float64
	Cost         float64 // USD so far
}

// Result is the outcome of a run.
type Result struct {
	// Steady is true when the run ended with nothing left to change;
	// Stuck when it ended so with tasks that cannot be placed.
	Steady, Stuck bool
	// SteadyAfter is the time of the last change of state.
	SteadyAfter time.Duration
	End         time.Duration
	Providers   []ProviderSummary
	Services    []ServiceSummary
	Instances   []InstanceSummary // live instances at the end, by provider then registration
	Timeline    []Event
	Series      []Sample
	// Warnings are settings an ECS user should know about (plan.Warnings).
	Warnings []string

	seed      uint64
	instIDs   []string
	instPools []string
	instAZ    []string
	provNames []string
	svcNames  []string
}

// ProviderSummary is a provider at the end of the run.
type ProviderSummary struct {
	Name           string
	Base, Weight   int // in the first service's strategy that uses it
	TargetCapacity int
	Tasks          int // running tasks
	Instances      int
	// TasksPerInstance is the running tasks on each instance, descending.
	TasksPerInstance []int
	M, N             int
	Reservation      float64
	InstanceTypes    map[string]int
	Spot             int // Spot instances among Instances
	// CostPerHour is the USD per hour of the instances at the end.
	CostPerHour float64
	// OnDemandPerHour is what the same instances cost On-Demand.
	OnDemandPerHour float64
	// Cost is the USD of the whole run; OnDemandCost the same instance
	// time at On-Demand prices.
	Cost, OnDemandCost float64
}

// ServiceSummary is a service at the end of the run.
type ServiceSummary struct {
	Name                  string
	Desired               int
	Running, Healthy      int
	Pending, Provisioning int
	Unplaced              []Unplaced
	TasksPerProvider      map[string]int
	// MinimumRunningSinceStep is the fewest RUNNING tasks (draining ones
	// included) seen after the first scenario event, -1 without events.
	MinimumRunningSinceStep int
}

// Unplaced counts tasks that wait for capacity, with why.
type Unplaced struct {
	Provider string
	Reason   binpack.Reason
	Count    int
	// Blocked says why managed scaling does not launch capacity for them
	// ("the Auto Scaling group is at its maxSize (10)"), or "".
	Blocked string
}

// InstanceSummary is a container instance at the end of the run.
type InstanceSummary struct {
	Provider     string
	InstanceID   string
	InstanceType string
	AZ           string
	Spot         bool
	State        string
	RunningTasks int
}

func (s *Sim) result() *Result {
	r := &Result{Steady: s.ended, Stuck: s.stuck, SteadyAfter: s.lastChange, End: s.now, Timeline: s.timeline, Series: s.series, seed: s.sc.Seed,
		Warnings: s.sc.Warnings()}
	for i := range s.insts {
		in := &s.insts[i]
		r.instIDs = append(r.instIDs, in.id)
		r.instPools = append(r.instPools, in.typ.Name)
		r.instAZ = append(r.instAZ, in.az)
	}
	for v := range s.svcs {
		r.svcNames = append(r.svcNames, s.svcs[v].cfg.ServiceName)
	}
	for p := range s.prov {
		g := &s.prov[p]
		r.provNames = append(r.provNames, g.name)
		m, n := s.mn(p)
		ps := ProviderSummary{Name: g.name, TargetCapacity: g.ms.TargetCapacity, M: m, N: n, Reservation: math.Round(scaling.Reservation(m, n)*100) / 100, InstanceTypes: map[string]int{}}
		for v := range s.svcs {
			if k := s.svcs[v].strat.Index(g.name); k >= 0 {
				ps.Base, ps.Weight = s.svcs[v].strat[k].Base, s.svcs[v].strat[k].Weight
				break
			}
		}
		for i := range s.insts {
			in := &s.insts[i]
			if int(in.prov) != p {
				continue
			}
			end := s.now
			if in.state == Terminated {
				end = in.ended
			}
			hours := max(end-max(in.launched, 0), 0).Hours()
			ps.Cost += hours * in.price
			ps.OnDemandCost += hours * in.typ.OnDemandPrice
		}
		ordered := slices.Clone(g.active)
		for _, i := range g.members {
			if !slices.Contains(ordered, i) {
				ordered = append(ordered, i)
			}
		}
		for _, i := range ordered {
			in := &s.insts[i]
			if in.state == Terminated {
				continue
			}
			running := 0
			for _, id := range in.tasks {
				if s.tasks[id].state == Running {
					running++
				}
			}
			ps.Instances++
			ps.Tasks += running
			ps.TasksPerInstance = append(ps.TasksPerInstance, running)
			ps.InstanceTypes[in.typ.Name]++
			ps.CostPerHour += in.price
			ps.OnDemandPerHour += in.typ.OnDemandPrice
			if in.spot {
				ps.Spot++
			}
			r.Instances = append(r.Instances, InstanceSummary{Provider: g.name, InstanceID: in.id, InstanceType: in.typ.Name,
				AZ: in.az, Spot: in.spot, State: in.state.String(), RunningTasks: running})
		}
		slices.SortFunc(ps.TasksPerInstance, func(a, b int) int { return cmp.Compare(b, a) })
		if ps.TasksPerInstance == nil {
			ps.TasksPerInstance = []int{}
		}
		r.Providers = append(r.Providers, ps)
	}
	for v := range s.svcs {
		sv := &s.svcs[v]
		ss := ServiceSummary{Name: sv.cfg.ServiceName, Desired: sv.desired, TasksPerProvider: map[string]int{}, MinimumRunningSinceStep: sv.minRunning}
		for i := range s.tasks {
			t := &s.tasks[i]
			if int(t.svc) != v {
				continue
			}
			switch t.state {
			case Running:
				ss.Running++
				ss.TasksPerProvider[s.prov[t.prov].name]++
				if t.healthy {
					ss.Healthy++
				}
			case Pending:
				ss.Pending++
			case Provisioning, Waiting:
				ss.Provisioning++
			}
		}
		for p := range s.prov {
			if w := &sv.waiting[p]; len(w.ids) > 0 {
				u := Unplaced{Provider: s.prov[p].name, Reason: w.reason, Count: len(w.ids)}
				g := &s.prov[p]
				switch {
				case !g.ms.Enabled:
					u.Blocked = "managed scaling is DISABLED on the capacity provider"
				case w.reason != binpack.ReasonTooLarge && len(g.members) >= g.group.MaxSize:
					u.Blocked = fmt.Sprintf("the Auto Scaling group is at its maxSize (%d)", g.group.MaxSize)
				}
				ss.Unplaced = append(ss.Unplaced, u)
			}
		}
		r.Services = append(r.Services, ss)
	}
	return r
}

// InstanceID names the instance of an event (or "").
func (r *Result) InstanceID(i int32) string {
	if i < 0 || int(i) >= len(r.instIDs) {
		return ""
	}
	return r.instIDs[i]
}

// InstancePool is the "type/AZ" pool of the instance of an event.
func (r *Result) InstancePool(i int32) (instanceType, az string) {
	if i < 0 || int(i) >= len(r.instIDs) {
		return "", ""
	}
	return r.instPools[i], r.instAZ[i]
}

// ProviderName names the provider of an event (or "").
func (r *Result) ProviderName(p int32) string {
	if p < 0 || int(p) >= len(r.provNames) {
		return ""
	}
	return r.provNames[p]
}

// ServiceName names the service of an event (or "").
func (r *Result) ServiceName(v int32) string {
	if v < 0 || int(v) >= len(r.svcNames) {
		return ""
	}
	return r.svcNames[v]
}

// TaskID is a stable task id for a task index, derived from the seed.
func (r *Result) TaskID(t int32) string {
	if t < 0 {
		return ""
	}
	h := fnv.New128a()
	var b [12]byte
	binary.LittleEndian.PutUint64(b[:8], r.seed)
	binary.LittleEndian.PutUint32(b[8:], uint32(t))
	h.Write(b[:])
	x := h.Sum(nil)
	return fmt.Sprintf("%x-%x-%x-%x-%x", x[0:4], x[4:6], x[6:8], x[8:10], x[10:16])
}
