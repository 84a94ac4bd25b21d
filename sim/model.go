package sim

import (
	"time"

	"github.com/cpsim/cpsim/binpack"
	"github.com/cpsim/cpsim/catalog"
	"github.com/cpsim/cpsim/plan"
	"github.com/cpsim/cpsim/scaling"
	"github.com/cpsim/cpsim/strategy"
)

// TaskState is the last status of a task, in ECS's words.
type TaskState uint8

// The task states cpsim models.
const (
	Waiting      TaskState = iota // over the PROVISIONING quota, not yet launched
	Provisioning                  // assigned to a provider, waiting for capacity
	Pending                       // placed on an instance, starting
	Running                       // running (Healthy tells the load balancer's view)
	Stopping                      // deregistering / draining, still holding resources
	Stopped
)

func (s TaskState) String() string {
	return [...]string{"WAITING", "PROVISIONING", "PENDING", "RUNNING", "STOPPING", "STOPPED"}[s]
}

// InstanceState is a container instance's status.
type InstanceState uint8

// The instance states.
const (
	Launching  InstanceState = iota // launched, not yet registered
	Active                          // registered, ACTIVE
	Draining                        // DRAINING
	Terminated                      // gone
)

func (s InstanceState) String() string {
	return [...]string{"LAUNCHING", "ACTIVE", "DRAINING", "TERMINATED"}[s]
}

type task struct {
	svc, prov int32
	inst      int32 // -1 when not placed
	state     TaskState
	healthy   bool
	created   time.Duration
	stopAt    time.Duration // when a Stopping task stops
	// ran marks a task that reached RUNNING.
	ran bool
}

type instance struct {
	id       string
	prov     int32
	typ      *catalog.Type
	az       string
	spot     bool
	price    float64 // USD per hour
	state    InstanceState
	launched time.Duration
	ended    time.Duration // terminated at
	// noticed marks a Spot instance that received its interruption notice.
	noticed            bool
	freeCPU, freeMem   int
	freeSlots          int
	svcTasks           []int32 // live tasks per service
	tasks              []int32 // live and stopping tasks on the instance
	registeredCPU      int
	registeredMemory   int
	terminateWhenEmpty bool
}

// pending is the tasks of one service waiting for one provider.
type pending struct {
	ids  []int32 // FIFO of Waiting/Provisioning tasks; head at 0
	prov int     // how many at the head are Provisioning (the rest Waiting)
	// reason is why the last placement left them unplaced.
	reason binpack.Reason
}

// stateCounts counts a provider's tasks by state, kept by setState so that
// the per-minute sample and the steady check need no scan of every task.
type stateCounts struct {
	n [Stopped + 1]int
	// drainingRan counts Stopping tasks that reached RUNNING: ECS still
	// shows them RUNNING.
	drainingRan int
}

type provider struct {
	name      string
	cfg       *plan.CapacityProvider
	ms        scaling.ManagedScaling
	group     scaling.Group
	alarm     scaling.Alarm
	active    []int32 // ACTIVE instances, in registration order
	members   []int32 // instances InService or launching (not scale-in victims)
	shapes    []binpack.Shape
	reserved  int // ECS_RESERVED_MEMORY
	drainSpot bool
	last      scaling.Decision
	mtp       bool // managed termination protection
	draining  bool // managed draining
	spot      *scaling.SpotPools
	counts    stateCounts
}

type service struct {
	cfg        *plan.Service
	strat      strategy.Strategy
	items      []int // strategy item → provider index
	counts     []int // live tasks per strategy item
	desired    int
	task       binpack.Task
	placement  []binpack.Strategy
	filter     binpack.Filter
	waiting    []pending // per provider
	minHealthy int       // percent
	maxPercent int
	deregister time.Duration
	healthy    time.Duration // RUNNING → healthy
	// nRunning counts tasks RUNNING, including draining ones not yet
	// stopped; nHealthy the live ones the load balancer sees healthy.
	nRunning, nHealthy int
	// liveRun counts RUNNING tasks that are not draining.
	liveRun int
	// held lists draining tasks waiting for the minimum healthy percent.
	held []int32
	// minRunning is the fewest RUNNING tasks since the first scenario
	// event (-1 before it).
	minRunning int
}
