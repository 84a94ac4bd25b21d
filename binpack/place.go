package binpack

import (
	"cmp"
	"math"
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
	frames []frame // scratch per level of the strategy chain
	out    []Assignment
}

// frame is the scratch of one strategy of the chain. A strategy works on a
// slice of candidates owned by its caller's frame, and hands sub-slices of
// its own frame to the next strategy, so recursion never overwrites what a
// caller still reads.
type frame struct {
	order  []int    // candidates reordered: sorted (binpack), live (random), bucketed (attribute)
	sortk  []uint64 // binpack sort keys: free resource, then position
	keys   []string // attribute values, sorted
	sorted []string // spare for sorting keys
	perm   []int    // value indexes in sorted order
	rank   []int    // sorted position per value index
	keyOf  []int32  // attribute value index per candidate position
	starts []int    // bucket boundaries in order, per value
	levels []int
	gcaps  []int
	alloc  []int
}

func (p *Placer) frame(depth int) *frame {
	if depth >= len(p.frames) {
		p.frames = append(p.frames, make([]frame, depth+1-len(p.frames))...)
	}
	return &p.frames[depth]
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
		p.place(nodes, p.cands, want, st, req.Rand, 0)
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
// following the strategy chain; depth indexes the Placer's scratch frames.
func (p *Placer) place(nodes []Node, cands []int, n int, st []Strategy, rng *rand.Rand, depth int) {
	if len(st) == 0 {
		// Strategies exhausted: the earlier node wins ties.
		p.fill(cands, n)
		return
	}
	s := st[0]
	switch {
	case s.Type == Binpack:
		// The node with the least free resource takes tasks until it is
		// full, as one-at-a-time placement would: taking a task only
		// lowers its free resource further.
		p.fill(p.frame(depth).byFree(nodes, cands, s.Field == "memory", false), n)
	case s.Type == Random:
		p.random(cands, n, rng, depth)
	case s.Field == "instanceId" || s.Field == "host":
		f := p.frame(depth)
		f.levels, f.gcaps = f.levels[:0], f.gcaps[:0]
		for _, i := range cands {
			f.levels = append(f.levels, nodes[i].Running)
			f.gcaps = append(f.gcaps, p.caps[i]-p.counts[i])
		}
		f.alloc = waterFill(f.alloc, f.levels, f.gcaps, n)
		for j, i := range cands {
			p.counts[i] += f.alloc[j]
		}
	default: // spread on an attribute
		p.spreadAttr(nodes, cands, n, s.Field, st[1:], rng, depth, false)
	}
}

// fill gives n tasks to cands in order, each up to its remaining capacity.
func (p *Placer) fill(cands []int, n int) {
	for _, i := range cands {
		k := min(p.caps[i]-p.counts[i], n)
		p.counts[i] += k
		n -= k
		if n == 0 {
			return
		}
	}
}

// random gives (placement) or takes (stop) n tasks one at a time, each from
// a node drawn uniformly among those not yet at their capacity.
func (p *Placer) random(cands []int, n int, rng *rand.Rand, depth int) {
	f := p.frame(depth)
	live := append(f.order[:0], cands...)
	f.order = live
	for ; n > 0; n-- {
		j := rng.IntN(len(live))
		i := live[j]
		p.counts[i]++
		if p.counts[i] == p.caps[i] {
			live[j] = live[len(live)-1]
			live = live[:len(live)-1]
		}
	}
}

// byFree returns cands ordered by free CPU or memory, ascending (or
// descending with most), ties in cands order. It sorts packed integer keys
// rather than calling a comparison function: the sort is then branch-light
// and allocation-free.
func (f *frame) byFree(nodes []Node, cands []int, memory, most bool) []int {
	free := func(i int) int { return nodes[i].FreeCPU }
	if memory {
		free = func(i int) int { return nodes[i].FreeMemory }
	}
	f.order = append(f.order[:0], cands...)
	if len(cands) < 2 {
		return f.order
	}
	if len(cands) > math.MaxUint32 {
		return f.byFreeFunc(free, most)
	}
	f.sortk = slices.Grow(f.sortk[:0], len(cands))
	for j, i := range cands {
		v := free(i)
		if v < 0 || v > math.MaxUint32 {
			return f.byFreeFunc(free, most)
		}
		if most {
			v = math.MaxUint32 - v
		}
		f.sortk = append(f.sortk, uint64(v)<<32|uint64(j))
	}
	slices.Sort(f.sortk)
	for j, k := range f.sortk {
		f.order[j] = cands[uint32(k)]
	}
	return f.order
}

// byFreeFunc is byFree for values that do not pack into a key.
func (f *frame) byFreeFunc(free func(int) int, most bool) []int {
	slices.SortStableFunc(f.order, func(a, b int) int {
		if most {
			return cmp.Compare(free(b), free(a))
		}
		return cmp.Compare(free(a), free(b))
	})
	return f.order
}

func attr(n *Node, field string) string {
	if field == AttrInstanceType {
		return n.InstanceType
	}
	return n.AZ
}

// bucket groups cands by their value of the attribute: f.keys holds the
// values in sorted order (reversed with desc), f.order the candidates
// grouped by value (stable), f.starts[j] the start of value j's group.
func (f *frame) bucket(nodes []Node, cands []int, field string, desc bool) {
	f.keys = f.keys[:0]
	f.keyOf = slices.Grow(f.keyOf[:0], len(cands))[:len(cands)]
	last := -1
	for j, i := range cands {
		v := attr(&nodes[i], field)
		// Nodes of one value tend to come together: try the last one
		// first, then the few values seen so far.
		if last < 0 || f.keys[last] != v {
			last = slices.Index(f.keys, v)
			if last < 0 {
				f.keys = append(f.keys, v)
				last = len(f.keys) - 1
			}
		}
		f.keyOf[j] = int32(last)
	}
	// Sort the values and renumber keyOf by rank.
	g := len(f.keys)
	f.perm = slices.Grow(f.perm[:0], g)[:g]
	for k := range f.perm {
		f.perm[k] = k
	}
	keys := f.keys
	slices.SortFunc(f.perm, func(a, b int) int {
		if desc {
			return cmp.Compare(keys[b], keys[a])
		}
		return cmp.Compare(keys[a], keys[b])
	})
	f.rank = slices.Grow(f.rank[:0], g)[:g]
	f.sorted = f.sorted[:0]
	for r, k := range f.perm {
		f.rank[k] = r
		f.sorted = append(f.sorted, keys[k])
	}
	f.keys, f.sorted = f.sorted, f.keys
	for j := range f.keyOf {
		f.keyOf[j] = int32(f.rank[f.keyOf[j]])
	}
	// Counting sort of candidates by rank.
	f.starts = slices.Grow(f.starts[:0], g+1)[:g+1]
	starts := f.starts
	clear(starts)
	for _, k := range f.keyOf {
		starts[k+1]++
	}
	for k := 1; k <= g; k++ {
		starts[k] += starts[k-1]
	}
	f.order = slices.Grow(f.order[:0], len(cands))[:len(cands)]
	f.alloc = slices.Grow(f.alloc[:0], g)[:g] // temporary: next slot per value
	copy(f.alloc, starts[:g])
	for j, i := range cands {
		k := f.keyOf[j]
		f.order[f.alloc[k]] = i
		f.alloc[k]++
	}
}

// spreadAttr balances the service's tasks across the values of an attribute
// (counting tasks on every node with that value), then places each value's
// share with the rest of the chain. With stop it takes tasks away instead,
// from the value with the most first (later values first among equals).
func (p *Placer) spreadAttr(nodes []Node, cands []int, n int, field string, rest []Strategy, rng *rand.Rand, depth int, stop bool) {
	f := p.frame(depth)
	f.bucket(nodes, cands, field, stop)
	g := len(f.keys)
	f.levels = slices.Grow(f.levels[:0], g)[:g]
	f.gcaps = slices.Grow(f.gcaps[:0], g)[:g]
	clear(f.levels)
	clear(f.gcaps)
	if stop {
		for j, i := range cands {
			k := f.keyOf[j]
			f.levels[k] -= nodes[i].Running
			f.gcaps[k] += p.caps[i] - p.counts[i]
		}
	} else {
		// Placement counts the tasks on every node of a value, full or
		// filtered out too.
		last := -1
		for i := range nodes {
			v := attr(&nodes[i], field)
			if last < 0 || f.keys[last] != v {
				if last = slices.Index(f.keys, v); last < 0 {
					continue
				}
			}
			f.levels[last] += nodes[i].Running
		}
		for j, i := range cands {
			f.gcaps[f.keyOf[j]] += p.caps[i] - p.counts[i]
		}
	}
	f.alloc = waterFill(f.alloc, f.levels, f.gcaps, n)
	for k := range g {
		if f.alloc[k] == 0 {
			continue
		}
		sub := f.order[f.starts[k]:f.starts[k+1]]
		if stop {
			p.stop(nodes, sub, f.alloc[k], rest, rng, depth+1)
		} else {
			p.place(nodes, sub, f.alloc[k], rest, rng, depth+1)
		}
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
		p.stop(nodes, p.cands, n, st, rng, 0)
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

func (p *Placer) stop(nodes []Node, cands []int, n int, st []Strategy, rng *rand.Rand, depth int) {
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
		// The node with the most free resource gives all its tasks
		// first: each task stopped only frees more.
		p.fill(p.frame(depth).byFree(nodes, cands, s.Field == "memory", true), n)
	case s.Type == Random:
		p.random(cands, n, rng, depth)
	case s.Field == "instanceId" || s.Field == "host":
		// Lowering the highest levels is water-filling on negated levels,
		// later nodes first among equals.
		f := p.frame(depth)
		k := len(cands)
		f.levels = slices.Grow(f.levels[:0], k)[:k]
		f.gcaps = slices.Grow(f.gcaps[:0], k)[:k]
		for j := range k {
			i := cands[k-1-j]
			f.levels[j] = -(nodes[i].Running - p.counts[i])
			f.gcaps[j] = p.caps[i] - p.counts[i]
		}
		f.alloc = waterFill(f.alloc, f.levels, f.gcaps, n)
		for j := range k {
			p.counts[cands[k-1-j]] += f.alloc[j]
		}
	default:
		p.spreadAttr(nodes, cands, n, s.Field, st[1:], rng, depth, true)
	}
}
