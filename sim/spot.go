package sim

import (
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/cpsim/cpsim/plan"
)

// month is the Spot Instance Advisor's period.
const month = 30 * 24 * time.Hour

// drawInterruption schedules a random interruption notice for a Spot
// instance: an exponential time to interruption whose monthly probability is
// the pool's Advisor bucket (catalog.AdvisorBucket.MonthlyRate).
func (s *Sim) drawInterruption(p int, i int32) {
	in := &s.insts[i]
	sp := s.prov[p].spot
	if sp == nil {
		return
	}
	k := sp.Find(in.typ.Name, in.az)
	if k < 0 {
		return
	}
	monthly := sp.Pools[k].Bucket.MonthlyRate()
	rate := -math.Log(1-monthly) / month.Seconds() // per second
	d := distuv.Exponential{Rate: rate, Src: s.src}
	at := max(in.launched, 0) + time.Duration(d.Rand()*float64(time.Second))
	if at < s.cfg.MaxTime {
		s.q.push(at, evSpotNotice, i)
	}
}

// SpotNotice is the warning EC2 gives before reclaiming a Spot instance.
const SpotNotice = 2 * time.Minute

// interrupt sends the two-minute notice to the instances the event names.
func (s *Sim) interrupt(ev *plan.InterruptInstances) {
	var picked []int32
	for i := range s.insts {
		in := &s.insts[i]
		if in.state == Terminated || in.noticed || !in.spot {
			continue
		}
		if ev.InstanceID != "" && in.id != ev.InstanceID {
			continue
		}
		if ev.Provider != "" && s.prov[in.prov].name != ev.Provider {
			continue
		}
		if ev.InstanceType != "" && in.typ.Name != ev.InstanceType {
			continue
		}
		if ev.AvailabilityZone != "" && in.az != ev.AvailabilityZone {
			continue
		}
		if ev.RunningTasks != nil && s.runningOn(int32(i)) != *ev.RunningTasks {
			continue
		}
		picked = append(picked, int32(i))
	}
	if ev.Pool {
		// The whole pool's capacity goes: nothing launches there again.
		for p := range s.prov {
			sp := s.prov[p].spot
			if sp == nil || (ev.Provider != "" && s.prov[p].name != ev.Provider) {
				continue
			}
			for k := range sp.Pools {
				pl := &sp.Pools[k]
				if (ev.InstanceType == "" || pl.InstanceType == ev.InstanceType) && (ev.AvailabilityZone == "" || pl.AZ == ev.AvailabilityZone) {
					pl.Spare = 0
				}
			}
		}
	}
	if ev.MostTasks {
		slices.SortStableFunc(picked, func(a, b int32) int { return len(s.insts[b].tasks) - len(s.insts[a].tasks) })
	}
	if ev.Count > 0 && len(picked) > ev.Count {
		picked = picked[:ev.Count]
	}
	for _, i := range picked {
		s.spotNotice(i)
	}
}

// runningOn counts the RUNNING tasks on an instance.
func (s *Sim) runningOn(i int32) int {
	n := 0
	for _, id := range s.insts[i].tasks {
		if s.tasks[id].state == Running {
			n++
		}
	}
	return n
}

// spotNotice warns an instance; with Spot draining on it goes DRAINING now,
// and EC2 reclaims it after two minutes either way.
func (s *Sim) spotNotice(i int32) {
	in := &s.insts[i]
	if in.state == Terminated || in.noticed {
		return
	}
	in.noticed = true
	p := int(in.prov)
	s.record(Event{Kind: SpotInterruptionNotice, Instance: i, Provider: int32(p), Service: -1, Task: -1})
	if s.prov[p].drainSpot && in.state == Active {
		s.drain(i)
	}
	s.q.push(s.now+SpotNotice, evReclaim, i)
}

// loseAZ takes an Availability Zone away: its instances stop without notice
// and nothing launches there again.
func (s *Sim) loseAZ(az string) {
	s.lostAZ[az] = true
	s.record(Event{Kind: AvailabilityZoneLost, Instance: -1, Provider: -1, Service: -1, Task: -1, Detail: az})
	for i := range s.insts {
		if s.insts[i].az == az && s.insts[i].state != Terminated {
			s.terminate(int32(i))
		}
	}
}

// sample appends this minute's per-provider figures to the series.
func (s *Sim) sample() {
	if s.cfg.NoTimeline {
		return
	}
	smp := Sample{T: s.now, Providers: make([]ProviderSample, len(s.prov))}
	for i := range s.insts {
		in := &s.insts[i]
		ps := &smp.Providers[in.prov]
		end := s.now
		if in.state == Terminated {
			end = in.ended
		} else {
			ps.Instances++
		}
		ps.Cost += max(end-max(in.launched, 0), 0).Hours() * in.price
	}
	for p := range s.prov {
		c := &s.prov[p].counts
		ps := &smp.Providers[p]
		ps.Running = c.n[Running] + c.drainingRan // draining: RUNNING until it stops
		ps.Pending = c.n[Pending]
		ps.Provisioning = c.n[Provisioning] + c.n[Waiting]
		smp.Providers[p].Reservation = s.prov[p].last.Reservation
		smp.Providers[p].InService = len(s.prov[p].members)
	}
	s.series = append(s.series, smp)
}
