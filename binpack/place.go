package binpack

import (
	"cmp"
	"math/rand/v2"
	"slices"
)

// Assignment is a number of tasks on one node, by index in the node slice.
type Assignment struct {
	Node  int
	Count int
}

// Request asks for Count identical tasks of one service.
type Request struct {
	Task  Task
	Count int
	// Strategies are applied in order; nil means DefaultService.
	Strategies []Strategy
	Filter     Filter
	// Rand draws the random strategy's choices. It must be set when a
	// strategy is random; Place panics otherwise.
	Rand *rand.Rand
}

// Result is what Place did. Placed is owned by the Placer and valid until
// its next call.
type Result struct {
	Placed   []Assignment
	Unplaced int
	// Reason says why Unplaced tasks found no instance; ReasonNone when
	// every task was placed.
	Reason Reason
}

// Placer places and stops tasks. It keeps scratch space between calls so
// that placing a service allocates nothing in the steady state. The zero
// value is ready to use; a Placer is not safe for concurrent use.
type Placer struct {
	caps   []int // tasks each node can take (placement) or give (stop)
	counts []int // tasks decided per node
	cands  []int
	keys   []string
	levels []int
	gcaps  []int
	alloc  []int
	out    []Assignment
}

func (p *Placer) reset(n int) {
	p.caps = slices.Grow(p.caps[:0], n)[:n]
	p.counts = slices.Grow(p.counts[:0], n)[:n]
	clear(p.counts)
	p.cands = p.cands[:0]
	p.out = p.out[:0]
}

// Place decides where req.Count tasks run on nodes and reserves their
// resources on those nodes. Tasks that fit nowhere are counted in Unplaced
// with a Reason.
func (p *Placer) Place(nodes []Node, req Request) Result {
	p.reset(len(nodes))
	total := 0
	for i := range nodes {
		n := &nodes[i]
		c := 0
		if req.Filter.allows(n) {
			c = n.Fits(req.Task)
			if req.Filter.distinct {
				c = min(c, 1)
				if n.Running > 0 {
					c = 0
				}
			}
		}
		p.caps[i] = c
		if c > 0 {
			p.cands = append(p.cands, i)
			total += c
		}
	}
	want := min(req.Count, total)
	st := req.Strategies
	if st == nil {
		st = DefaultService
	}
	if want > 0 {
		p.place(nodes, p.cands, want, st, req.Rand)
	}
	for _, i := range p.cands {
		if k := p.counts[i]; k > 0 {
			n := &nodes[i]
			n.FreeCPU -= k * req.Task.CPU
			n.FreeMemory -= k * req.Task.Memory
			n.FreeSlots -= k
			n.Running += k
			p.out = append(p.out, Assignment{Node: i, Count: k})
		}
	}
	r := Result{Placed: p.out, Unplaced: req.Count - want}
	if r.Unplaced > 0 {
		r.Reason = reason(nodes, req)
	}
	return r
}

// reason names what stopped the remaining tasks: the constraint when no
// node passes it, otherwise the resource most nodes ran out of (ties to the
// earlier Reason).
func reason(nodes []Node, req Request) Reason {
	if len(nodes) == 0 {
		return ReasonNoInstances
	}
	var cpu, mem, slots, pass int
	for i := range nodes {
		n := &nodes[i]
		if !req.Filter.allows(n) || (req.Filter.distinct && n.Running > 0) {
			continue
		}
		pass++
		// A node short of several resources counts for the first in the
		// order the Reason constants document: CPU, memory, task slots.
		switch {
		case n.FreeCPU < req.Task.CPU:
			cpu++
		case n.FreeMemory < req.Task.Memory:
			mem++
		case n.FreeSlots < 1:
			slots++
		}
	}
	switch {
	case pass == 0:
		return ReasonConstraint
	case cpu >= mem && cpu >= slots && cpu > 0:
		return ReasonCPU
	case mem >= slots && mem > 0:
		return ReasonMemory
	case slots > 0:
		return ReasonTaskSlots
	}
	return ReasonConstraint // distinctInstance left every passing node with a task
}

// place decides n tasks among cands (each with caps[i] ≥ 1, total ≥ n)
// following the strategy chain.
func (p *Placer) place(nodes []Node, cands []int, n int, st []Strategy, rng *rand.Rand) {
	if len(st) == 0 {
		// Strategies exhausted: the earlier node wins ties.
		for _, i := range cands {
			k := min(p.caps[i]-p.counts[i], n)
			p.counts[i] += k
			n -= k
			if n == 0 {
				return
			}
		}
		return
	}
	s := st[0]
	switch {
	case s.Type == Binpack:
		free := func(i int) int { return nodes[i].FreeCPU }
		if s.Field == "memory" {
			free = func(i int) int { return nodes[i].FreeMemory }
		}
		order := slices.Clone(cands)
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(free(a), free(b)) })
		p.place(nodes, order, n, nil, rng)
	case s.Type == Random:
		live := slices.Clone(cands)
		for ; n > 0; n-- {
			j := rng.IntN(len(live))
			i := live[j]
			p.counts[i]++
			if p.counts[i] == p.caps[i] {
				live[j] = live[len(live)-1]
				live = live[:len(live)-1]
			}
		}
	case s.Field == "instanceId" || s.Field == "host":
		levels := p.levels[:0]
		gcaps := p.gcaps[:0]
		for _, i := range cands {
			levels = append(levels, nodes[i].Running)
			gcaps = append(gcaps, p.caps[i]-p.counts[i])
		}
		p.levels, p.gcaps = levels, gcaps
		p.alloc = waterFill(p.alloc, levels, gcaps, n)
		for j, i := range cands {
			p.counts[i] += p.alloc[j]
		}
	default: // spread on an attribute
		p.spreadAttr(nodes, cands, n, s.Field, st[1:], rng)
	}
}

func attr(n *Node, field string) string {
	if field == AttrInstanceType {
		return n.InstanceType
	}
	return n.AZ
}

// spreadAttr balances the service's tasks across the values of an attribute
// (counting tasks on every node with that value), then places each value's
// share with the rest of the chain.
func (p *Placer) spreadAttr(nodes []Node, cands []int, n int, field string, rest []Strategy, rng *rand.Rand) {
	keys := p.keys[:0]
	for _, i := range cands {
		if k := attr(&nodes[i], field); !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	p.keys = keys
	g := len(keys)
	levels := make([]int, g)
	gcaps := make([]int, g)
	for i := range nodes {
		if j := slices.Index(keys, attr(&nodes[i], field)); j >= 0 {
			levels[j] += nodes[i].Running
		}
	}
	for _, i := range cands {
		gcaps[slices.Index(keys, attr(&nodes[i], field))] += p.caps[i] - p.counts[i]
	}
	alloc := waterFill(nil, levels, gcaps, n)
	keys = slices.Clone(keys) // recursion may reuse p.keys
	sub := make([]int, 0, len(cands))
	for j, k := range keys {
		if alloc[j] == 0 {
			continue
		}
		sub = sub[:0]
		for _, i := range cands {
			if attr(&nodes[i], field) == k {
				sub = append(sub, i)
			}
		}
		p.place(nodes, sub, alloc[j], rest, rng)
	}
}

// waterFill gives n units to items with the given levels and capacities so
// that the lowest levels rise first; among equal levels the earlier item
// wins. It returns the amount per item in dst (resized). The caller
// guarantees sum(caps) ≥ n.
func waterFill(dst, levels, caps []int, n int) []int {
	k := len(levels)
	dst = slices.Grow(dst[:0], k)[:k]
	clear(dst)
	if n <= 0 || k == 0 {
		return dst
	}
	lo, hi := levels[0], levels[0]
	for _, l := range levels {
		lo, hi = min(lo, l), max(hi, l)
	}
	hi += n
	filled := func(L int) int { // units needed to bring every item up to L
		s := 0
		for j, l := range levels {
			if L > l {
				s += min(caps[j], L-l)
			}
		}
		return s
	}
	// Smallest level L with filled(L) ≥ n.
	for lo < hi {
		mid := lo + (hi-lo)/2
		if filled(mid) >= n {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	L := lo
	given := 0
	for j, l := range levels {
		if L-1 > l {
			dst[j] = min(caps[j], L-1-l)
			given += dst[j]
		}
	}
	for j, l := range levels {
		if given == n {
			break
		}
		if dst[j] < caps[j] && l+dst[j] == L-1 {
			dst[j]++
			given++
		}
	}
	return dst
}

// Stop chooses n of the service's tasks to stop, from nodes' Running
// counts, and frees their resources: the reverse of the strategy chain (nil
// means DefaultService): spread takes from the fullest value or node first,
// binpack from the node left with the most free resource, random at random.
// It returns the tasks to stop per node; fewer than n when the nodes run
// fewer.
func (p *Placer) Stop(nodes []Node, task Task, n int, st []Strategy, rng *rand.Rand) []Assignment {
	p.reset(len(nodes))
	total := 0
	for i := range nodes {
		p.caps[i] = nodes[i].Running
		if nodes[i].Running > 0 {
			p.cands = append(p.cands, i)
			total += nodes[i].Running
		}
	}
	if st == nil {
		st = DefaultService
	}
	n = min(n, total)
	if n > 0 {
		p.stop(nodes, p.cands, n, st, rng)
	}
	for _, i := range p.cands {
		if k := p.counts[i]; k > 0 {
			nd := &nodes[i]
			nd.FreeCPU += k * task.CPU
			nd.FreeMemory += k * task.Memory
			nd.FreeSlots += k
			nd.Running -= k
			p.out = append(p.out, Assignment{Node: i, Count: k})
		}
	}
	return p.out
}

func (p *Placer) stop(nodes []Node, cands []int, n int, st []Strategy, rng *rand.Rand) {
	if len(st) == 0 {
		// The node registered last gives its tasks first.
		for j := len(cands) - 1; j >= 0 && n > 0; j-- {
			i := cands[j]
			k := min(p.caps[i]-p.counts[i], n)
			p.counts[i] += k
			n -= k
		}
		return
	}
	s := st[0]
	switch {
	case s.Type == Binpack:
		free := func(i int) int { return nodes[i].FreeCPU }
		if s.Field == "memory" {
			free = func(i int) int { return nodes[i].FreeMemory }
		}
		order := slices.Clone(cands)
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(free(b), free(a)) })
		for _, i := range order {
			k := min(p.caps[i]-p.counts[i], n)
			p.counts[i] += k
			n -= k
			if n == 0 {
				return
			}
		}
	case s.Type == Random:
		live := slices.Clone(cands)
		for ; n > 0; n-- {
			j := rng.IntN(len(live))
			i := live[j]
			p.counts[i]++
			if p.counts[i] == p.caps[i] {
				live[j] = live[len(live)-1]
				live = live[:len(live)-1]
			}
		}
	case s.Field == "instanceId" || s.Field == "host":
		// Lowering the highest levels is water-filling on negated levels,
		// later nodes first among equals.
		k := len(cands)
		levels := make([]int, k)
		caps := make([]int, k)
		for j := range k {
			i := cands[k-1-j]
			levels[j] = -(nodes[i].Running - p.counts[i])
			caps[j] = p.caps[i] - p.counts[i]
		}
		alloc := waterFill(nil, levels, caps, n)
		for j := range k {
			p.counts[cands[k-1-j]] += alloc[j]
		}
	default:
		keys := []string{}
		for _, i := range cands {
			if k := attr(&nodes[i], s.Field); !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		slices.Reverse(keys) // later values give first among equals
		levels := make([]int, len(keys))
		caps := make([]int, len(keys))
		for _, i := range cands {
			j := slices.Index(keys, attr(&nodes[i], s.Field))
			levels[j] -= nodes[i].Running
			caps[j] += p.caps[i] - p.counts[i]
		}
		alloc := waterFill(nil, levels, caps, n)
		sub := make([]int, 0, len(cands))
		for j, key := range keys {
			if alloc[j] == 0 {
				continue
			}
			sub = sub[:0]
			for _, i := range cands {
				if attr(&nodes[i], s.Field) == key {
					sub = append(sub, i)
				}
			}
			p.stop(nodes, sub, alloc[j], st[1:], rng)
		}
	}
}
