package sim

import (
	"fmt"
	"time"

	"github.com/cpsim/cpsim/binpack"
	"github.com/cpsim/cpsim/scaling"
)

// Run processes events until every scenario event is done and the cluster
// is steady (or stuck), or MaxTime passes. It returns the result; error is
// reserved for a run that could not proceed.
//
// Run may be called again after changing the sim (SetDesiredCount): it goes
// on from where the last run ended.
func (s *Sim) Run() (*Result, error) {
	if s.ended {
		s.ended, s.stuck = false, false
		s.q.push(s.now+scaling.MetricPeriod, evTick, 0)
	}
	for s.q.len() > 0 && !s.ended {
		it := s.q.pop()
		if it.t > s.cfg.MaxTime {
			s.now = s.cfg.MaxTime
			break
		}
		s.now = it.t
		if err := s.handle(it); err != nil {
			return nil, err
		}
	}
	return s.result(), nil
}

func (s *Sim) handle(it item) error {
	switch it.kind {
	case evTick:
		s.tick()
		if !s.ended {
			s.q.push(s.now+scaling.MetricPeriod, evTick, 0)
		}
	case evScenario:
		s.scripted--
		for v := range s.svcs {
			if s.svcs[v].minRunning < 0 {
				s.svcs[v].minRunning = s.svcs[v].nRunning
			}
		}
		return s.scenarioEvent(int(it.a))
	case evRegister:
		s.register(it.a)
	case evTaskRunning:
		t := &s.tasks[it.a]
		if t.state != Pending {
			return nil
		}
		s.setState(it.a, Running)
		t.ran = true
		s.svcs[t.svc].nRunning++
		s.svcs[t.svc].liveRun++
		s.record(Event{Kind: TaskRunning, Task: it.a, Service: t.svc, Provider: t.prov, Instance: t.inst})
		s.q.push(s.now+s.svcs[t.svc].healthy, evTaskHealthy, it.a)
	case evTaskHealthy:
		t := &s.tasks[it.a]
		if t.state != Running {
			return nil
		}
		t.healthy = true
		s.svcs[t.svc].nHealthy++
		s.record(Event{Kind: TaskHealthy, Task: it.a, Service: t.svc, Provider: t.prov, Instance: t.inst})
		s.releaseHeld(int(t.svc))
	case evTaskStopped:
		t := &s.tasks[it.a]
		if t.state != Stopping || t.stopAt != s.now {
			return nil
		}
		if !s.mayStop(int(t.svc)) {
			s.svcs[t.svc].held = append(s.svcs[t.svc].held, it.a)
			return nil
		}
		s.stopTask(it.a)
		s.replace(int(t.svc))
		s.promote()
	case evTerminate:
		s.terminate(it.a)
	case evSpotNotice:
		s.spotNotice(it.a)
	case evReclaim:
		s.terminate(it.a) // terminate ignores an instance already gone
	}
	return nil
}

func (s *Sim) scenarioEvent(i int) error {
	e := s.sc.Events[i]
	switch {
	case e.SetDesiredCount != nil:
		return s.SetDesiredCount(e.SetDesiredCount.Service, e.SetDesiredCount.DesiredCount)
	case e.SetStrategy != nil:
		return s.setStrategy(e.SetStrategy.Service, e.SetStrategy.CapacityProviderStrategy)
	case e.InterruptInstances != nil:
		s.interrupt(e.InterruptInstances)
	case e.LoseAvailabilityZone != nil:
		s.loseAZ(e.LoseAvailabilityZone.AvailabilityZone)
	}
	return nil
}

// tick is one minute's datapoint on every provider, then the steady check.
func (s *Sim) tick() {
	s.expireProvisioning()
	// The scheduler retries unplaced tasks: capacity freed by stopped tasks
	// (of this service or another) takes them without a new instance.
	for p := range s.prov {
		if c := &s.prov[p].counts; c.n[Waiting]+c.n[Provisioning] > 0 {
			s.placeProvider(p)
		}
	}
	steady := s.scripted == 0 && s.now >= s.cfg.Until
	for p := range s.prov {
		g := &s.prov[p]
		m, n := s.mn(p)
		warming := false
		for _, i := range g.members {
			if s.now-s.insts[i].launched < g.ms.InstanceWarmupPeriod {
				warming = true
				break
			}
		}
		d := g.ms.Evaluate(&g.alarm, m, n, g.group.MinSize, g.group.MaxSize, warming)
		g.last = d
		switch d.Action {
		case scaling.ScaleOut:
			s.record(Event{Kind: ScaleOut, Provider: int32(p), Count: d.Desired, Instance: -1, Task: -1, Service: -1, Reservation: d.Reservation})
			s.scaleOut(p, d.Desired-n)
		case scaling.ScaleIn:
			s.record(Event{Kind: ScaleIn, Provider: int32(p), Count: d.Desired, Instance: -1, Task: -1, Service: -1, Reservation: d.Reservation})
			s.scaleIn(p, n-d.Desired)
		}
		if d.Action != scaling.Hold || g.ms.Due(m, n, g.group.MinSize, g.group.MaxSize) && d.Blocked != "at maxSize" {
			steady = false
		}
	}
	s.sample()
	if !steady {
		return
	}
	// Scaling has nothing to do; anything still moving?
	quiet := true
	for i := range s.insts {
		in := &s.insts[i]
		if in.state == Launching || in.state == Draining || (in.noticed && in.state != Terminated) {
			quiet = false
			break
		}
	}
	stuck := false
	for p := range s.prov {
		c := &s.prov[p].counts
		if c.n[Pending] > 0 || c.n[Stopping] > 0 {
			quiet = false
		}
		if c.n[Waiting]+c.n[Provisioning] > 0 {
			stuck = true
		}
	}
	for v := range s.svcs {
		if s.svcs[v].nHealthy != s.svcs[v].liveRun {
			quiet = false // RUNNING, not yet healthy
		}
	}
	if quiet {
		s.stuck = stuck
		s.ended = true
	}
}

// mn returns M and N for provider p (see package scaling).
func (s *Sim) mn(p int) (m, n int) {
	g := &s.prov[p]
	for _, i := range g.members {
		in := &s.insts[i]
		if in.state == Terminated {
			continue
		}
		n++
		if in.state == Active && len(in.tasks) > 0 {
			for _, id := range in.tasks {
				if s.tasks[id].state != Stopping {
					m++
					break
				}
			}
		}
	}
	var groups []binpack.Group
	for v := range s.svcs {
		if k := s.svcs[v].waiting[p].prov; k > 0 {
			groups = append(groups, binpack.Group{Task: s.svcs[v].task, Count: k})
		}
	}
	if len(groups) > 0 {
		extra, _ := binpack.Estimate(g.shapes, groups)
		m += extra
	}
	return m, n
}

func (s *Sim) scaleOut(p, k int) {
	g := &s.prov[p]
	for _, pool := range g.group.Launch(k, s.members(p), func(az string) bool { return s.lostAZ[az] }) {
		i := s.launch(p, pool, s.now)
		lat := s.launchMin
		if s.launchSpan > 0 {
			lat += time.Duration(s.rng.Int64N(int64(s.launchSpan/time.Second)+1)) * time.Second
		}
		s.q.push(s.now+lat, evRegister, i)
	}
}

// scaleIn terminates k instances of provider p by the group's termination
// policy. With managed termination protection only empty instances go;
// with managed draining an instance with tasks is drained first.
func (s *Sim) scaleIn(p, k int) {
	g := &s.prov[p]
	ms := s.members(p)
	victims := g.group.Victims(k, ms)
	ids := make([]int32, len(victims))
	for j, v := range victims {
		ids[j] = g.members[v]
	}
	for _, i := range ids {
		s.removeMember(p, i)
		in := &s.insts[i]
		if len(in.tasks) > 0 && g.draining && in.state == Active {
			s.drain(i)
			in.terminateWhenEmpty = true
			continue
		}
		s.terminate(i)
	}
}

func (s *Sim) removeMember(p int, i int32) {
	g := &s.prov[p]
	for k, x := range g.members {
		if x == i {
			g.members = append(g.members[:k], g.members[k+1:]...)
			return
		}
	}
}

func (s *Sim) removeActive(p int, i int32) {
	g := &s.prov[p]
	for k, x := range g.active {
		if x == i {
			g.active = append(g.active[:k], g.active[k+1:]...)
			return
		}
	}
}

// drain sets an instance DRAINING: no new placement; PENDING service tasks
// stop at once; RUNNING ones are replaced elsewhere and stop after their
// load balancer deregistration delay (ECS Developer Guide, "Container
// instance draining").
func (s *Sim) drain(i int32) {
	in := &s.insts[i]
	if in.state != Active {
		return
	}
	p := int(in.prov)
	in.state = Draining
	s.removeActive(p, i)
	s.record(Event{Kind: InstanceDraining, Instance: i, Provider: int32(p), Service: -1, Task: -1})
	touched := map[int]bool{}
	for _, id := range append([]int32(nil), in.tasks...) {
		t := &s.tasks[id]
		if t.state == Stopping || t.state == Stopped {
			continue
		}
		v := int(t.svc)
		sv := &s.svcs[v]
		item := sv.strat.Index(s.prov[t.prov].name)
		if item >= 0 {
			sv.counts[item]--
		}
		s.beginStop(id, sv.deregister)
		touched[v] = true
	}
	for v := range s.svcs {
		if touched[v] {
			s.replace(v)
		}
	}
	if len(in.tasks) == 0 {
		s.q.push(s.now, evTerminate, i)
	}
}

// replace starts replacement tasks for a service that lost live tasks,
// within its maximumPercent: live tasks plus those still draining stay at
// or below desired × maximumPercent / 100, rounded down.
func (s *Sim) replace(v int) {
	sv := &s.svcs[v]
	live := sv.live()
	if live >= sv.desired {
		return
	}
	draining := sv.nRunning - sv.liveRun
	room := sv.desired*sv.maxPercent/100 - live - draining
	n := min(sv.desired-live, max(room, 0))
	touched := make([]bool, len(s.prov))
	c := sv.counts
	for range n {
		i := sv.strat.Next(c)
		if i < 0 {
			break
		}
		p := sv.items[i]
		s.newTasks(v, i, p, 1)
		touched[p] = true
	}
	for p, t := range touched {
		if t {
			s.placeProvider(p)
		}
	}
}

// terminate removes an instance; tasks still on it stop with it and the
// services replace them.
func (s *Sim) terminate(i int32) {
	in := &s.insts[i]
	if in.state == Terminated {
		return
	}
	p := int(in.prov)
	if in.state == Active {
		s.removeActive(p, i)
	}
	s.removeMember(p, i)
	touched := map[int]bool{}
	for _, id := range append([]int32(nil), in.tasks...) {
		t := &s.tasks[id]
		if t.state != Stopping {
			sv := &s.svcs[t.svc]
			if item := sv.strat.Index(s.prov[t.prov].name); item >= 0 {
				sv.counts[item]--
			}
			touched[int(t.svc)] = true
		}
		s.stopTask(id)
	}
	in.state = Terminated
	in.ended = s.now
	if in.spot && !in.noticed {
		// Scaled in or lost with its AZ: a reclaimed instance's capacity
		// stays with EC2, any other goes back to its pool.
		if sp := s.prov[p].spot; sp != nil && !s.lostAZ[in.az] {
			if k := sp.Find(in.typ.Name, in.az); k >= 0 {
				sp.Pools[k].Spare++
			}
		}
	}
	s.record(Event{Kind: InstanceTerminated, Instance: i, Provider: int32(p), Service: -1, Task: -1})
	for v := range s.svcs {
		if touched[v] {
			s.replace(v)
		}
	}
}

// expireProvisioning stops tasks PROVISIONING longer than the timeout; the
// service launches replacements, as ECS's service scheduler does.
func (s *Sim) expireProvisioning() {
	for v := range s.svcs {
		sv := &s.svcs[v]
		for p := range s.prov {
			w := &sv.waiting[p]
			expired := 0
			for expired < w.prov && s.now-s.tasks[w.ids[expired]].created >= s.provTO {
				expired++
			}
			if expired == 0 {
				continue
			}
			for _, id := range w.ids[:expired] {
				s.setState(id, Stopped)
				s.record(Event{Kind: TaskStopped, Task: id, Service: int32(v), Provider: int32(p), Instance: -1, Detail: "provisioning timeout: " + w.reason.String()})
				s.nProv--
				w.ids = append(w.ids, s.addTask(task{svc: int32(v), prov: int32(p), inst: -1, state: Waiting, created: s.now}))
			}
			w.ids = w.ids[expired:]
			w.prov -= expired
		}
	}
	s.promote()
}

func (s *Sim) setStrategy(service string, st []stratItem) error {
	for v := range s.svcs {
		sv := &s.svcs[v]
		if sv.cfg.ServiceName != service {
			continue
		}
		// A forced new deployment: every task is replaced under the new
		// strategy. The old tasks deregister at once and stop after the
		// deregistration delay, each only while the service keeps its
		// minimum healthy percent (draining tasks count as healthy until
		// they stop); new tasks start within maximumPercent, counting the
		// old ones still running. (ECS deregisters old tasks as it goes;
		// deregistering them all at the start is cpsim's simplification.)
		var old []int32
		for id := range s.tasks {
			t := &s.tasks[id]
			if int(t.svc) == v && t.state != Stopped && t.state != Stopping {
				old = append(old, int32(id))
			}
		}
		if err := s.useStrategy(sv, st); err != nil {
			return err
		}
		for _, id := range old {
			t := &s.tasks[id]
			if t.inst < 0 {
				p := int(t.prov)
				w := &sv.waiting[p]
				if k := indexOf(w.ids, id); k >= 0 {
					if k < w.prov {
						w.prov--
						s.nProv--
					}
					w.ids = append(w.ids[:k], w.ids[k+1:]...)
				}
				s.setState(id, Stopped)
				continue
			}
			s.beginStop(id, sv.deregister)
		}
		s.replace(v)
		return nil
	}
	return fmt.Errorf("set strategy: unknown service %q", service)
}

func indexOf(xs []int32, x int32) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// mayStop reports whether a draining task of service v may stop now
// without taking the service below its minimum healthy percent (rounded
// up). Draining tasks still running count as healthy until they stop, as
// ECS counts them ("the service scheduler can't remove existing tasks until
// the replacement tasks are considered healthy").
func (s *Sim) mayStop(v int) bool {
	sv := &s.svcs[v]
	floor := (sv.desired*sv.minHealthy + 99) / 100
	return sv.nHealthy+sv.nRunning-sv.liveRun-1 >= floor
}

// releaseHeld stops draining tasks whose stop was held for the minimum
// healthy percent, now that another task is healthy.
func (s *Sim) releaseHeld(v int) {
	sv := &s.svcs[v]
	for len(sv.held) > 0 && s.mayStop(v) {
		id := sv.held[0]
		sv.held = sv.held[1:]
		if s.tasks[id].state != Stopping {
			continue
		}
		s.stopTask(id)
		s.replace(v)
	}
}
