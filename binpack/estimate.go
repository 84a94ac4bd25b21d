package binpack

// Shape is the registered capacity of one instance type: CPU units, MiB and
// the task limit (0 for none).
type Shape struct {
	CPU, Memory, Slots int
}

func (s Shape) node() Node {
	slots := s.Slots
	if slots <= 0 {
		slots = int(^uint(0) >> 2)
	}
	return Node{FreeCPU: s.CPU, FreeMemory: s.Memory, FreeSlots: slots}
}

// Group is Count identical tasks.
type Group struct {
	Task  Task
	Count int
}

// Estimate returns how many new instances the groups need, bin-packed in
// order onto the largest of the shapes (per resource), as ECS managed
// scaling computes M for PROVISIONING tasks (Developer Guide, "Managed
// scale-out behavior"). Tasks that do not fit the smallest shape (per
// resource) are left out and counted in excluded. It runs in
// O(len(groups)²), whatever the counts.
func Estimate(shapes []Shape, groups []Group) (instances, excluded int) {
	if len(shapes) == 0 {
		for _, g := range groups {
			excluded += g.Count
		}
		return 0, excluded
	}
	small, large := shapes[0], shapes[0]
	for _, s := range shapes[1:] {
		small.CPU, large.CPU = min(small.CPU, s.CPU), max(large.CPU, s.CPU)
		small.Memory, large.Memory = min(small.Memory, s.Memory), max(large.Memory, s.Memory)
		small.Slots, large.Slots = slotMin(small.Slots, s.Slots), slotMax(large.Slots, s.Slots)
	}
	fresh := large.node()
	// Instances opened so far, in batches of identical free capacity.
	type batch struct {
		count int
		free  Node
	}
	// Four batches per group at most; a stack buffer keeps the per-minute
	// call of managed scaling allocation-free for a few services.
	var buf [32]batch
	open := buf[:0]
	for _, g := range groups {
		if g.Count <= 0 {
			continue
		}
		sn := small.node()
		if sn.Fits(g.Task) < 1 {
			excluded += g.Count
			continue
		}
		rest := g.Count
		for b := 0; b < len(open) && rest > 0; b++ {
			per := open[b].free.Fits(g.Task)
			if per == 0 {
				continue
			}
			full := min(rest/per, open[b].count)
			used := open[b].free
			used.take(g.Task, per)
			if full == open[b].count {
				open[b].free = used
				rest -= full * per
				continue
			}
			// Split the batch: full instances, one partial, the untouched rest.
			left := open[b]
			open[b].count = full
			open[b].free = used
			rest -= full * per
			left.count -= full
			if rest > 0 {
				part := left.free
				part.take(g.Task, rest)
				rest = 0
				left.count--
				open = append(open, batch{1, part})
			}
			if left.count > 0 {
				open = append(open, left)
			}
		}
		if rest == 0 {
			continue
		}
		per := fresh.Fits(g.Task)
		full, part := rest/per, rest%per
		if full > 0 {
			f := fresh
			f.take(g.Task, per)
			open = append(open, batch{full, f})
			instances += full
		}
		if part > 0 {
			f := fresh
			f.take(g.Task, part)
			open = append(open, batch{1, f})
			instances++
		}
	}
	return instances, excluded
}

func (n *Node) take(t Task, k int) {
	n.FreeCPU -= k * t.CPU
	n.FreeMemory -= k * t.Memory
	n.FreeSlots -= k
}

func slotMin(a, b int) int {
	switch {
	case a <= 0:
		return b
	case b <= 0:
		return a
	}
	return min(a, b)
}

func slotMax(a, b int) int {
	if a <= 0 || b <= 0 {
		return 0 // one type has no task limit
	}
	return max(a, b)
}
