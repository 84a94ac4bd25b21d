package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/cpsim/cpsim/binpack"
	"github.com/cpsim/cpsim/catalog"
	"github.com/cpsim/cpsim/plan"
	"github.com/cpsim/cpsim/scaling"
	"github.com/cpsim/cpsim/strategy"
)

// Config tunes a run beyond the scenario.
type Config struct {
	// MaxTime stops a run that has not become steady; zero means 7 days.
	MaxTime time.Duration
	// NoTimeline skips recording the timeline (faster for large runs).
	NoTimeline bool
	// Until keeps the run going at least this long, even when steady (for
	// random interruptions); zero means the scenario's options.runFor.
	Until time.Duration
}

// Sim is one run of a scenario. Create it with New; it is not safe for
// concurrent use.
type Sim struct {
	sc    *plan.Scenario
	cfg   Config
	cat   *catalog.Catalog
	rng   *rand.Rand
	src   *rand.PCG
	now   time.Duration
	q     queue
	prov  []provider
	svcs  []service
	insts []instance
	tasks []task

	placer  binpack.Placer
	nodes   []binpack.Node
	nProv   int // PROVISIONING tasks in the cluster
	maxProv int
	lostAZ  map[string]bool

	timeline   []Event
	series     []Sample
	lastChange time.Duration
	scripted   int // scenario events not yet processed
	launchMin  time.Duration
	launchSpan time.Duration
	taskStart  time.Duration
	provTO     time.Duration
	stuck      bool
	ended      bool
}

// New prepares a run of the scenario: the groups at their desired capacity
// with instances registered, and each service's desired tasks placed, as a
// cluster that has been steady for a while. The scenario must have been
// through plan.Parse (or Defaults and Validate).
func New(sc *plan.Scenario, cfg Config) (*Sim, error) {
	if cfg.Until == 0 && sc.Options.RunFor != nil {
		cfg.Until = time.Duration(*sc.Options.RunFor)
	}
	if cfg.MaxTime == 0 {
		cfg.MaxTime = max(7*24*time.Hour, cfg.Until+24*time.Hour)
	}
	s := &Sim{
		sc:      sc,
		cfg:     cfg,
		cat:     sc.Catalog(),
		src:     rand.NewPCG(sc.Seed, 0x637073696d), // "cpsim"
		maxProv: *sc.Options.MaxProvisioningTasks,
		lostAZ:  map[string]bool{},
	}
	s.rng = rand.New(s.src)
	r := sc.Timings.InstanceLaunch
	s.launchMin = time.Duration(r.Min)
	s.launchSpan = time.Duration(r.Max - r.Min)
	s.taskStart = time.Duration(*sc.Timings.TaskStart)
	s.provTO = time.Duration(*sc.Options.ProvisioningTimeout)
	for i := range sc.CapacityProviders {
		p, err := s.newProvider(&sc.CapacityProviders[i])
		if err != nil {
			return nil, err
		}
		s.prov = append(s.prov, p)
	}
	for i := range sc.Services {
		sv, err := s.newService(&sc.Services[i])
		if err != nil {
			return nil, err
		}
		s.svcs = append(s.svcs, sv)
	}
	// The starting cluster: instances registered long ago, tasks running
	// and healthy.
	for p := range s.prov {
		g := &s.prov[p]
		n := g.cfg.AutoScalingGroup.DesiredCapacity
		for _, pool := range g.group.Launch(n, s.members(p), nil) {
			i := s.launch(p, pool, -time.Hour)
			s.register(i)
		}
	}
	for v := range s.svcs {
		s.setDesired(v, s.svcs[v].cfg.DesiredCount)
	}
	for i := range s.tasks {
		t := &s.tasks[i]
		if t.state == Pending {
			s.setState(int32(i), Running)
			t.healthy, t.ran = true, true
			s.svcs[t.svc].nRunning++
			s.svcs[t.svc].liveRun++
			s.svcs[t.svc].nHealthy++
		}
	}
	// The queue keeps the initial tasks' start events; they find the tasks
	// RUNNING already and do nothing.
	for v := range s.svcs {
		s.svcs[v].minRunning = -1
	}
	s.timeline = s.timeline[:0]
	s.lastChange = 0
	for i, e := range sc.Events {
		s.q.push(time.Duration(e.At), evScenario, int32(i))
		s.scripted++
	}
	// The first datapoint comes one metric period in: "it takes 1 minute to
	// scale out" (EC2 Spot workshop).
	s.q.push(scaling.MetricPeriod, evTick, 0)
	for p := range s.prov {
		m, n := s.mn(p)
		s.prov[p].last.Reservation = scaling.Reservation(m, n)
	}
	s.sample() // the starting state, at 0 s
	return s, nil
}

func (s *Sim) newProvider(cp *plan.CapacityProvider) (provider, error) {
	asp := cp.AutoScalingGroupProvider
	ms := asp.ManagedScaling
	g := cp.AutoScalingGroup
	p := provider{
		name: cp.Name,
		cfg:  cp,
		ms: scaling.ManagedScaling{
			Enabled:                ms.Status == "ENABLED",
			TargetCapacity:         *ms.TargetCapacity,
			MinimumScalingStepSize: *ms.MinimumScalingStepSize,
			MaximumScalingStepSize: *ms.MaximumScalingStepSize,
			InstanceWarmupPeriod:   time.Duration(*ms.InstanceWarmupPeriod) * time.Second,
			EmptyScaleOut:          s.sc.Options.EmptyProviderScaleOut,
		},
		reserved:  g.ECSAgent.ReservedMemory,
		drainSpot: g.ECSAgent.EnableSpotInstanceDraining,
		mtp:       asp.ManagedTerminationProtection == "ENABLED",
		draining:  asp.ManagedDraining == "ENABLED",
	}
	p.group = scaling.Group{
		MinSize: g.MinSize, MaxSize: g.MaxSize, AZs: g.AvailabilityZones,
		Distribution: scaling.Distribution{OnDemandPercentageAboveBaseCapacity: 100},
		Price: func(t string) float64 {
			tt, _ := s.cat.Lookup(t)
			return tt.OnDemandPrice
		},
	}
	if g.InstanceType != "" {
		p.group.Types = []string{g.InstanceType}
	} else {
		m := g.MixedInstancesPolicy
		for _, o := range m.LaunchTemplate.Overrides {
			p.group.Types = append(p.group.Types, o.InstanceType)
		}
		d := m.InstancesDistribution
		p.group.Distribution = scaling.Distribution{
			OnDemandBaseCapacity:                *d.OnDemandBaseCapacity,
			OnDemandPercentageAboveBaseCapacity: *d.OnDemandPercentageAboveBaseCapacity,
		}
		p.group.OnDemandLowestPrice = d.OnDemandAllocationStrategy == "lowest-price"
		alloc, err := scaling.ParseAllocation(d.SpotAllocationStrategy)
		if err != nil {
			return p, fmt.Errorf("capacity provider %s: %w", cp.Name, err)
		}
		p.spot = &scaling.SpotPools{Allocation: alloc, InstancePools: 1}
		if d.SpotInstancePools != nil {
			p.spot.InstancePools = *d.SpotInstancePools
		}
		for prio, o := range m.LaunchTemplate.Overrides {
			for _, az := range g.AvailabilityZones {
				p.spot.Pools = append(p.spot.Pools, s.spotPool(o.InstanceType, az, prio))
			}
		}
		sp := p.spot
		p.group.ChooseSpot = func(az string, _ []string) string {
			if i := sp.Choose(az); i >= 0 {
				return sp.Pools[i].InstanceType
			}
			return ""
		}
	}
	for _, name := range p.group.Types {
		t, ok := s.cat.Lookup(name)
		if !ok {
			return p, fmt.Errorf("capacity provider %s: unknown instance type %q", cp.Name, name)
		}
		p.shapes = append(p.shapes, binpack.Shape{CPU: t.RegisteredCPU, Memory: t.RegisteredMemory - p.reserved, Slots: t.MaxTasks})
	}
	return p, nil
}

func (s *Sim) newService(ps *plan.Service) (service, error) {
	sv := service{
		cfg:        ps,
		desired:    0,
		task:       binpack.Task{CPU: ps.TaskDefinition.CPU, Memory: ps.TaskDefinition.ReservedMemory()},
		placement:  ps.PlacementStrategy,
		waiting:    make([]pending, len(s.prov)),
		minHealthy: *ps.DeploymentConfiguration.MinimumHealthyPercent,
		maxPercent: *ps.DeploymentConfiguration.MaximumPercent,
		healthy:    40 * time.Second, // no load balancer: ECS counts a task healthy 40 s after RUNNING
		minRunning: -1,
	}
	if lb := ps.LoadBalancer; lb != nil {
		sv.deregister = time.Duration(*lb.DeregistrationDelay) * time.Second
		sv.healthy = time.Duration(*lb.HealthyThresholdCount**lb.HealthCheckIntervalSeconds) * time.Second
	}
	f, err := binpack.NewFilter(ps.PlacementConstraints)
	if err != nil {
		return sv, fmt.Errorf("service %s: %w", ps.ServiceName, err)
	}
	sv.filter = f
	if err := s.useStrategy(&sv, s.sc.EffectiveStrategy(ps)); err != nil {
		return sv, err
	}
	return sv, nil
}

func (s *Sim) useStrategy(sv *service, st strategy.Strategy) error {
	sv.strat = st
	sv.items = make([]int, len(st))
	sv.counts = make([]int, len(st))
	for i, it := range st {
		sv.items[i] = s.provIndex(it.CapacityProvider)
		if sv.items[i] < 0 {
			if plan.IsFargate(it.CapacityProvider) {
				return fmt.Errorf("service %s: cpsim simulates Auto Scaling group capacity providers; %s is not modelled", sv.cfg.ServiceName, it.CapacityProvider)
			}
			return fmt.Errorf("service %s: capacity provider %q is not defined", sv.cfg.ServiceName, it.CapacityProvider)
		}
	}
	return nil
}

func (s *Sim) provIndex(name string) int {
	for i := range s.prov {
		if s.prov[i].name == name {
			return i
		}
	}
	return -1
}

// members returns the group's InService and launching instances for launch
// and termination decisions.
func (s *Sim) members(p int) []scaling.Member {
	ids := s.prov[p].members
	out := make([]scaling.Member, len(ids))
	for k, i := range ids {
		in := &s.insts[i]
		out[k] = scaling.Member{AZ: in.az, Spot: in.spot, Launched: in.launched,
			Protected: s.prov[p].mtp && len(in.tasks) > 0}
	}
	return out
}

// launch starts an instance; it registers after the launch latency (the
// caller schedules it, or registers at once for the initial cluster).
func (s *Sim) launch(p int, pool scaling.Pool, at time.Duration) int32 {
	t, _ := s.cat.Lookup(pool.InstanceType)
	tt := t
	price := tt.OnDemandPrice
	if pool.Spot {
		price = s.spotPrice(p, pool)
	}
	slots := tt.MaxTasks
	if slots <= 0 {
		slots = 1 << 30
	}
	in := instance{
		id:               fmt.Sprintf("i-0%016x", s.rng.Uint64()),
		prov:             int32(p),
		typ:              &tt,
		az:               pool.AZ,
		spot:             pool.Spot,
		price:            price,
		launched:         at,
		registeredCPU:    tt.RegisteredCPU,
		registeredMemory: tt.RegisteredMemory - s.prov[p].reserved,
		freeSlots:        slots,
		svcTasks:         make([]int32, len(s.sc.Services)),
	}
	in.freeCPU, in.freeMem = in.registeredCPU, in.registeredMemory
	s.insts = append(s.insts, in)
	i := int32(len(s.insts) - 1)
	s.prov[p].members = append(s.prov[p].members, i)
	s.record(Event{Kind: InstanceLaunched, Instance: i, Provider: int32(p), Service: -1, Task: -1})
	if pool.Spot && s.sc.Options.RandomSpotInterruptions && at >= 0 {
		s.drawInterruption(p, i)
	}
	return i
}

// spotPool builds a pool from the scenario's spotPools, else the built-in
// defaults (catalog.DefaultSpotFraction, DefaultSpareCapacity,
// DefaultAdvisorBucket).
func (s *Sim) spotPool(instanceType, az string, prio int) scaling.SpotPool {
	t, _ := s.cat.Lookup(instanceType)
	sp := scaling.SpotPool{InstanceType: instanceType, AZ: az, Priority: prio,
		Price: t.OnDemandPrice * catalog.DefaultSpotFraction, Spare: catalog.DefaultSpareCapacity, Bucket: catalog.DefaultAdvisorBucket}
	for _, o := range s.sc.SpotPools {
		if o.InstanceType != instanceType || (o.AvailabilityZone != "" && o.AvailabilityZone != az) {
			continue
		}
		if o.SpotPrice > 0 {
			sp.Price = o.SpotPrice
		}
		if o.SpareCapacity != nil {
			sp.Spare = *o.SpareCapacity
		}
		if b, ok := catalog.ParseAdvisorBucket(o.InterruptionFrequency); ok {
			sp.Bucket = b
		}
	}
	return sp
}

// spotPrice is the Spot price of the pool an instance launched from.
func (s *Sim) spotPrice(p int, pool scaling.Pool) float64 {
	if sp := s.prov[p].spot; sp != nil {
		if i := sp.Find(pool.InstanceType, pool.AZ); i >= 0 {
			return sp.Pools[i].Price
		}
	}
	t, _ := s.cat.Lookup(pool.InstanceType)
	return t.OnDemandPrice * catalog.DefaultSpotFraction
}

func (s *Sim) register(i int32) {
	in := &s.insts[i]
	if in.state != Launching {
		return
	}
	in.state = Active
	p := int(in.prov)
	s.prov[p].active = append(s.prov[p].active, i)
	s.record(Event{Kind: InstanceRegistered, Instance: i, Provider: int32(p), Service: -1, Task: -1})
	s.placeProvider(p)
}

// record appends a timeline event at the current time.
func (s *Sim) record(e Event) {
	s.lastChange = s.now
	if s.cfg.NoTimeline {
		return
	}
	e.T = s.now
	if e.Kind != ScaleOut && e.Kind != ScaleIn && e.Provider < 0 {
		e.Provider = -1
	}
	s.timeline = append(s.timeline, e)
}

// Now is the simulated time of the run.
func (s *Sim) Now() time.Duration { return s.now }

// SetDesiredCount changes a service's desired count now, as UpdateService.
func (s *Sim) SetDesiredCount(service string, n int) error {
	for v := range s.svcs {
		if s.svcs[v].cfg.ServiceName == service {
			s.setDesired(v, n)
			return nil
		}
	}
	return fmt.Errorf("set desired count: unknown service %q", service)
}

// live counts a service's tasks that are not stopping or stopped.
func (sv *service) live() int {
	n := 0
	for _, c := range sv.counts {
		n += c
	}
	return n
}

func (s *Sim) setDesired(v, n int) {
	sv := &s.svcs[v]
	sv.desired = n
	s.record(Event{Kind: DesiredCountChanged, Service: int32(v), Count: n, Provider: -1, Instance: -1, Task: -1})
	s.reconcile(v)
}

// reconcile starts or stops tasks until the service's live tasks match its
// desired count, provider by provider as the strategy says.
func (s *Sim) reconcile(v int) {
	sv := &s.svcs[v]
	live := sv.live()
	switch {
	case sv.desired > live:
		touched := make([]bool, len(s.prov))
		want := sv.strat.Split(sv.desired)
		ok := true
		for i := range want {
			if want[i] < sv.counts[i] {
				ok = false
			}
		}
		add := make([]int, len(sv.counts))
		if ok {
			for i := range want {
				add[i] = want[i] - sv.counts[i]
			}
		} else {
			c := slices.Clone(sv.counts)
			for range sv.desired - live {
				i := sv.strat.Next(c)
				c[i]++
				add[i]++
			}
		}
		for i, k := range add {
			if k == 0 {
				continue
			}
			p := sv.items[i]
			s.newTasks(v, i, p, k)
			touched[p] = true
		}
		for p, t := range touched {
			if t {
				s.placeProvider(p)
			}
		}
	case sv.desired < live:
		// Which provider gives up each task: the split of the new desired
		// count when the service is at its split, else one at a time by
		// the scale-in rule (after a strategy change).
		remove := make([]int, len(sv.counts))
		want := sv.strat.Split(sv.desired)
		atSplit := true
		for i := range want {
			remove[i] = sv.counts[i] - want[i]
			atSplit = atSplit && remove[i] >= 0
		}
		if !atSplit {
			clear(remove)
			c := slices.Clone(sv.counts)
			for range live - sv.desired {
				i := sv.strat.ScaleIn(c)
				if i < 0 {
					break
				}
				c[i]--
				remove[i]++
			}
		}
		for i, k := range remove {
			if k > 0 {
				s.stopN(v, i, k)
			}
		}
		// Stopping frees queue slots: other services may now launch.
		s.promote()
	}
}

// newTasks creates k tasks of service v for strategy item i on provider p,
// unplaced.
func (s *Sim) newTasks(v, i, p, k int) {
	sv := &s.svcs[v]
	sv.counts[i] += k
	w := &sv.waiting[p]
	for range k {
		w.ids = append(w.ids, s.addTask(task{svc: int32(v), prov: int32(p), inst: -1, state: Waiting, created: s.now}))
	}
}

// stopN stops k tasks of service v on strategy item i: unplaced ones
// first, then placed ones as the service's placement strategy chooses, in
// one batch.
func (s *Sim) stopN(v, i, k int) {
	sv := &s.svcs[v]
	p := sv.items[i]
	sv.counts[i] -= k
	w := &sv.waiting[p]
	for ; k > 0 && len(w.ids) > 0; k-- {
		id := w.ids[len(w.ids)-1]
		w.ids = w.ids[:len(w.ids)-1]
		if w.prov > len(w.ids) {
			w.prov--
			s.nProv--
		}
		s.setState(id, Stopped)
		s.record(Event{Kind: TaskStopped, Task: id, Service: int32(v), Provider: int32(p), Instance: -1})
	}
	if k == 0 {
		return
	}
	nodes := s.buildNodes(p, v)
	for _, a := range s.placer.Stop(nodes, sv.task, k, sv.placement, s.rng) {
		in := &s.insts[s.prov[p].active[a.Node]]
		n := a.Count
		for j := len(in.tasks) - 1; j >= 0 && n > 0; j-- {
			id := in.tasks[j]
			if t := &s.tasks[id]; int(t.svc) == v && t.state != Stopping && t.state != Stopped {
				s.beginStop(id, sv.deregister)
				n--
			}
		}
	}
}

// buildNodes fills s.nodes from provider p's ACTIVE instances for service v.
func (s *Sim) buildNodes(p, v int) []binpack.Node {
	act := s.prov[p].active
	s.nodes = slices.Grow(s.nodes[:0], len(act))[:len(act)]
	for k, i := range act {
		in := &s.insts[i]
		s.nodes[k] = binpack.Node{InstanceType: in.typ.Name, AZ: in.az, FreeCPU: in.freeCPU, FreeMemory: in.freeMem,
			FreeSlots: in.freeSlots, Running: int(in.svcTasks[v])}
	}
	return s.nodes
}

// beginStop deregisters a placed task; it stops (freeing its resources)
// after the deregistration delay, or at once when it never got healthy.
func (s *Sim) beginStop(id int32, delay time.Duration) {
	t := &s.tasks[id]
	in := &s.insts[t.inst]
	in.svcTasks[t.svc]--
	wasRunning := t.state == Running
	if t.healthy {
		s.svcs[t.svc].nHealthy--
	}
	if wasRunning {
		s.svcs[t.svc].liveRun--
	}
	s.setState(id, Stopping)
	t.healthy = false
	s.record(Event{Kind: TaskDraining, Task: id, Service: t.svc, Provider: t.prov, Instance: t.inst})
	if !wasRunning {
		delay = 0
	}
	t.stopAt = s.now + delay
	s.q.push(t.stopAt, evTaskStopped, id)
}

// stopTask ends a task: frees its resources on its instance.
func (s *Sim) stopTask(id int32) {
	t := &s.tasks[id]
	if t.state == Stopped {
		return
	}
	if t.state != Stopping && t.inst >= 0 {
		s.insts[t.inst].svcTasks[t.svc]--
	}
	sv := &s.svcs[t.svc]
	if t.healthy {
		sv.nHealthy--
	}
	if t.state == Running {
		sv.liveRun--
	}
	if t.ran {
		sv.nRunning--
		if sv.minRunning >= 0 && sv.nRunning < sv.minRunning {
			sv.minRunning = sv.nRunning
		}
	}
	s.setState(id, Stopped)
	t.healthy = false
	if t.inst >= 0 {
		in := &s.insts[t.inst]
		in.freeCPU += sv.task.CPU
		in.freeMem += sv.task.Memory
		in.freeSlots++
		if k := slices.Index(in.tasks, id); k >= 0 {
			in.tasks = slices.Delete(in.tasks, k, k+1)
		}
		if in.terminateWhenEmpty && len(in.tasks) == 0 && in.state != Terminated {
			s.q.push(s.now, evTerminate, t.inst)
		}
	}
	s.record(Event{Kind: TaskStopped, Task: id, Service: t.svc, Provider: t.prov, Instance: t.inst})
}

// placeProvider places the unplaced tasks of every service on provider p's
// ACTIVE instances, then queues the rest as PROVISIONING (up to the
// cluster's quota) or Waiting.
func (s *Sim) placeProvider(p int) {
	for v := range s.svcs {
		sv := &s.svcs[v]
		w := &sv.waiting[p]
		if len(w.ids) == 0 {
			continue
		}
		nodes := s.buildNodes(p, v)
		res := s.placer.Place(nodes, binpack.Request{Task: sv.task, Count: len(w.ids), Strategies: sv.placement, Filter: sv.filter, Rand: s.rng})
		next := 0
		for _, a := range res.Placed {
			ii := s.prov[p].active[a.Node]
			in := &s.insts[ii]
			for range a.Count {
				id := w.ids[next]
				next++
				t := &s.tasks[id]
				if t.state == Provisioning {
					s.nProv--
				}
				s.setState(id, Pending)
				t.inst = ii
				in.tasks = append(in.tasks, id)
				s.record(Event{Kind: TaskPlaced, Task: id, Service: int32(v), Provider: int32(p), Instance: ii})
				s.q.push(s.now+s.taskStart, evTaskRunning, id)
			}
			in.freeCPU, in.freeMem, in.freeSlots = nodes[a.Node].FreeCPU, nodes[a.Node].FreeMemory, nodes[a.Node].FreeSlots
			in.svcTasks[v] = int32(nodes[a.Node].Running)
		}
		// The placed ones were the head of the queue.
		provHead := max(w.prov-next, 0)
		w.ids = w.ids[next:]
		w.prov = provHead
		w.reason = res.Reason
		if len(w.ids) > 0 && s.tooLarge(p, sv.task) {
			w.reason = binpack.ReasonTooLarge
		}
	}
	s.promote()
}

// tooLarge reports whether the task fits none of the provider's smallest
// instance type.
func (s *Sim) tooLarge(p int, t binpack.Task) bool {
	_, excl := binpack.Estimate(s.prov[p].shapes, []binpack.Group{{Task: t, Count: 1}})
	return excl > 0
}

// promote turns Waiting tasks into PROVISIONING while the cluster is under
// its quota, oldest queue first.
func (s *Sim) promote() {
	for p := range s.prov {
		for v := range s.svcs {
			w := &s.svcs[v].waiting[p]
			for w.prov < len(w.ids) && s.nProv < s.maxProv {
				id := w.ids[w.prov]
				s.setState(id, Provisioning)
				s.tasks[id].created = s.now
				w.prov++
				s.nProv++
			}
		}
	}
}

// addTask appends a task and counts it.
func (s *Sim) addTask(t task) int32 {
	s.tasks = append(s.tasks, t)
	s.prov[t.prov].counts.n[t.state]++
	return int32(len(s.tasks) - 1)
}

// setState moves a task to another state, keeping its provider's counts.
func (s *Sim) setState(id int32, st TaskState) {
	t := &s.tasks[id]
	c := &s.prov[t.prov].counts
	c.n[t.state]--
	c.n[st]++
	if t.ran && t.state == Stopping {
		c.drainingRan--
	}
	if t.ran && st == Stopping {
		c.drainingRan++
	}
	t.state = st
}
