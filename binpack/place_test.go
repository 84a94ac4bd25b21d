package binpack_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cpsim/cpsim/binpack"
	"github.com/cpsim/cpsim/internal/fixture"
)

const noLimit = 1 << 30

// node is a container instance with ample memory and no task limit unless
// the test sets them.
func node(az string, cpu, running int) binpack.Node {
	return binpack.Node{InstanceType: "m5.large", AZ: az, FreeCPU: cpu, FreeMemory: 1 << 20, FreeSlots: noLimit, Running: running}
}

func filter(t *testing.T, cs ...binpack.Constraint) binpack.Filter {
	t.Helper()
	f, err := binpack.NewFilter(cs)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

var (
	binpackCPU    = []binpack.Strategy{{Type: binpack.Binpack, Field: "cpu"}}
	binpackMemory = []binpack.Strategy{{Type: binpack.Binpack, Field: "memory"}}
	spreadID      = []binpack.Strategy{{Type: binpack.Spread, Field: "instanceId"}}
	random        = []binpack.Strategy{{Type: binpack.Random}}
)

// result is what a test compares: Place's result with the nodes' Running
// counts after it.
type result struct {
	Placed   []binpack.Assignment
	Unplaced int
	Reason   binpack.Reason
	Running  []int
}

func running(nodes []binpack.Node) []int {
	out := make([]int, len(nodes))
	for i := range nodes {
		out[i] = nodes[i].Running
	}
	return out
}

func TestPlace(t *testing.T) {
	task := binpack.Task{CPU: 256, Memory: 512}
	tests := []struct {
		name  string
		nodes []binpack.Node
		req   binpack.Request
		want  result
	}{
		{
			name:  "binpack cpu fills the least free CPU first",
			nodes: []binpack.Node{node("a", 1024, 0), node("a", 512, 0), node("b", 2048, 0)},
			req:   binpack.Request{Task: task, Count: 3, Strategies: binpackCPU},
			want:  result{Placed: []binpack.Assignment{{0, 1}, {1, 2}}, Running: []int{1, 2, 0}},
		},
		{
			name:  "binpack cpu ties go to the node registered first",
			nodes: []binpack.Node{node("a", 1024, 0), node("b", 1024, 0), node("c", 1024, 0)},
			req:   binpack.Request{Task: task, Count: 5, Strategies: binpackCPU},
			want:  result{Placed: []binpack.Assignment{{0, 4}, {1, 1}}, Running: []int{4, 1, 0}},
		},
		{
			name: "binpack memory fills the least free memory first",
			nodes: []binpack.Node{
				{AZ: "a", FreeCPU: 4096, FreeMemory: 4096, FreeSlots: noLimit},
				{AZ: "a", FreeCPU: 256, FreeMemory: 8192, FreeSlots: noLimit},
				{AZ: "a", FreeCPU: 4096, FreeMemory: 1024, FreeSlots: noLimit},
			},
			req:  binpack.Request{Task: task, Count: 4, Strategies: binpackMemory},
			want: result{Placed: []binpack.Assignment{{0, 2}, {2, 2}}, Running: []int{2, 0, 2}},
		},
		{
			name:  "binpack memory passes over a node short of CPU",
			nodes: []binpack.Node{{AZ: "a", FreeCPU: 100, FreeMemory: 512, FreeSlots: noLimit}, node("a", 4096, 0)},
			req:   binpack.Request{Task: task, Count: 1, Strategies: binpackMemory},
			want:  result{Placed: []binpack.Assignment{{1, 1}}, Running: []int{0, 1}},
		},
		{
			name:  "spread instanceId raises the fewest tasks first",
			nodes: []binpack.Node{node("a", 4096, 2), node("a", 4096, 0), node("a", 4096, 1)},
			req:   binpack.Request{Task: task, Count: 4, Strategies: spreadID},
			want:  result{Placed: []binpack.Assignment{{0, 1}, {1, 2}, {2, 1}}, Running: []int{3, 2, 2}},
		},
		{
			name:  "spread instanceId respects each node's capacity",
			nodes: []binpack.Node{node("a", 256, 0), node("a", 4096, 0)},
			req:   binpack.Request{Task: task, Count: 4, Strategies: spreadID},
			want:  result{Placed: []binpack.Assignment{{0, 1}, {1, 3}}, Running: []int{1, 3}},
		},
		{
			name:  "default service spreads AZs then instances",
			nodes: []binpack.Node{node("us-west-2a", 4096, 1), node("us-west-2a", 4096, 0), node("us-west-2b", 4096, 0), node("us-west-2c", 4096, 0)},
			req:   binpack.Request{Task: task, Count: 5},
			want:  result{Placed: []binpack.Assignment{{1, 1}, {2, 2}, {3, 2}}, Running: []int{1, 1, 2, 2}},
		},
		{
			name:  "default service equals DefaultService",
			nodes: []binpack.Node{node("us-west-2a", 4096, 1), node("us-west-2a", 4096, 0), node("us-west-2b", 4096, 0), node("us-west-2c", 4096, 0)},
			req:   binpack.Request{Task: task, Count: 5, Strategies: binpack.DefaultService},
			want:  result{Placed: []binpack.Assignment{{1, 1}, {2, 2}, {3, 2}}, Running: []int{1, 1, 2, 2}},
		},
		{
			name: "spread AZ counts tasks on full nodes",
			// us-west-2a already runs 3 tasks on a full node: the new
			// tasks go to b until it catches up.
			nodes: []binpack.Node{node("us-west-2a", 0, 3), node("us-west-2a", 4096, 0), node("us-west-2b", 4096, 0)},
			req:   binpack.Request{Task: task, Count: 5},
			want:  result{Placed: []binpack.Assignment{{1, 1}, {2, 4}}, Running: []int{3, 1, 4}},
		},
		{
			name:  "spread AZ ties go to the AZ that sorts first",
			nodes: []binpack.Node{node("us-west-2b", 4096, 0), node("us-west-2a", 4096, 0)},
			req:   binpack.Request{Task: task, Count: 1},
			want:  result{Placed: []binpack.Assignment{{1, 1}}, Running: []int{0, 1}},
		},
		{
			name: "spread instance type then binpack",
			nodes: []binpack.Node{
				{InstanceType: "t3.small", AZ: "a", FreeCPU: 2048, FreeMemory: 1 << 20, FreeSlots: noLimit},
				{InstanceType: "m5.large", AZ: "a", FreeCPU: 2048, FreeMemory: 1 << 20, FreeSlots: noLimit},
				{InstanceType: "m5.large", AZ: "a", FreeCPU: 1024, FreeMemory: 1 << 20, FreeSlots: noLimit},
			},
			req:  binpack.Request{Task: task, Count: 4, Strategies: []binpack.Strategy{{Type: binpack.Spread, Field: binpack.AttrInstanceType}, {Type: binpack.Binpack, Field: "cpu"}}},
			want: result{Placed: []binpack.Assignment{{0, 2}, {2, 2}}, Running: []int{2, 0, 2}},
		},
		{
			name:  "distinctInstance places one task per instance",
			nodes: []binpack.Node{node("a", 4096, 0), node("a", 4096, 1), node("b", 4096, 0)},
			req:   binpack.Request{Task: task, Count: 3, Filter: filter(t, binpack.Constraint{Type: binpack.DistinctInstance})},
			want:  result{Placed: []binpack.Assignment{{0, 1}, {2, 1}}, Unplaced: 1, Reason: binpack.ReasonConstraint, Running: []int{1, 1, 1}},
		},
		{
			name:  "no instances",
			nodes: nil,
			req:   binpack.Request{Task: task, Count: 3},
			want:  result{Unplaced: 3, Reason: binpack.ReasonNoInstances, Running: []int{}},
		},
		{
			name:  "memberOf matches no instance",
			nodes: []binpack.Node{node("a", 4096, 0)},
			req:   binpack.Request{Task: task, Count: 2, Filter: filter(t, binpack.Constraint{Type: binpack.MemberOf, Expression: "attribute:ecs.instance-type == c5.large"})},
			want:  result{Unplaced: 2, Reason: binpack.ReasonConstraint, Running: []int{0}},
		},
		{
			name:  "CPU runs out after some are placed",
			nodes: []binpack.Node{node("a", 512, 0), node("b", 600, 0)},
			req:   binpack.Request{Task: task, Count: 5},
			want:  result{Placed: []binpack.Assignment{{0, 2}, {1, 2}}, Unplaced: 1, Reason: binpack.ReasonCPU, Running: []int{2, 2}},
		},
		{
			name:  "memory runs out",
			nodes: []binpack.Node{{AZ: "a", FreeCPU: 4096, FreeMemory: 1000, FreeSlots: noLimit}},
			req:   binpack.Request{Task: task, Count: 2},
			want:  result{Placed: []binpack.Assignment{{0, 1}}, Unplaced: 1, Reason: binpack.ReasonMemory, Running: []int{1}},
		},
		{
			name:  "task slots run out",
			nodes: []binpack.Node{{AZ: "a", FreeCPU: 4096, FreeMemory: 1 << 20, FreeSlots: 3}},
			req:   binpack.Request{Task: task, Count: 4},
			want:  result{Placed: []binpack.Assignment{{0, 3}}, Unplaced: 1, Reason: binpack.ReasonTaskSlots, Running: []int{3}},
		},
		{
			name:  "CPU comes before memory when both lack",
			nodes: []binpack.Node{{AZ: "a", FreeCPU: 100, FreeMemory: 100, FreeSlots: noLimit}},
			req:   binpack.Request{Task: task, Count: 1},
			want:  result{Unplaced: 1, Reason: binpack.ReasonCPU, Running: []int{0}},
		},
		{
			name: "the resource most instances lack",
			nodes: []binpack.Node{
				{AZ: "a", FreeCPU: 100, FreeMemory: 1 << 20, FreeSlots: noLimit},
				{AZ: "a", FreeCPU: 4096, FreeMemory: 100, FreeSlots: noLimit},
				{AZ: "a", FreeCPU: 4096, FreeMemory: 200, FreeSlots: noLimit},
			},
			req:  binpack.Request{Task: task, Count: 1},
			want: result{Unplaced: 1, Reason: binpack.ReasonMemory, Running: []int{0, 0, 0}},
		},
		{
			name:  "zero tasks",
			nodes: []binpack.Node{node("a", 4096, 0)},
			req:   binpack.Request{Task: task, Count: 0},
			want:  result{Running: []int{0}},
		},
	}
	var p binpack.Placer
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nodes := slices.Clone(tc.nodes)
			r := p.Place(nodes, tc.req)
			got := result{Placed: r.Placed, Unplaced: r.Unplaced, Reason: r.Reason, Running: running(nodes)}
			if diff := cmp.Diff(tc.want, got, cmp.Comparer(func(a, b []binpack.Assignment) bool {
				return len(a) == len(b) && (len(a) == 0 || slices.Equal(a, b))
			})); diff != "" {
				t.Errorf("Place mismatch (-want +got):\n%s", diff)
			}
			for i := range nodes {
				k := nodes[i].Running - tc.nodes[i].Running
				if nodes[i].FreeCPU != tc.nodes[i].FreeCPU-k*task.CPU || nodes[i].FreeMemory != tc.nodes[i].FreeMemory-k*task.Memory || nodes[i].FreeSlots != tc.nodes[i].FreeSlots-k {
					t.Errorf("node %d: resources not reserved for %d tasks: %s", i, k, fixture.Describe(nodes[i]))
				}
			}
		})
	}
}

func TestPlaceRandom(t *testing.T) {
	base := fixture.Nodes(t, 50, fixture.Types...)
	place := func(seed uint64) []int {
		nodes := slices.Clone(base)
		var p binpack.Placer
		r := p.Place(nodes, binpack.Request{Task: binpack.Task{CPU: 256, Memory: 512}, Count: 200, Strategies: random, Rand: fixture.Rand(seed)})
		if r.Unplaced != 0 || fixture.Sum(r.Placed) != 200 {
			t.Fatalf("seed %d: placed %d, unplaced %d (%v)", seed, fixture.Sum(r.Placed), r.Unplaced, r.Reason)
		}
		fixture.CheckCapacity(t, nodes)
		return running(nodes)
	}
	a, b := place(7), place(7)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same seed, different placement (-first +second):\n%s", diff)
	}
	if used := countNonZero(a); used < 40 {
		t.Errorf("random used %d of 50 nodes for 200 tasks; want a scatter over at least 40", used)
	}
	if slices.Equal(a, place(8)) {
		t.Errorf("seeds 7 and 8 placed identically")
	}
}

func countNonZero(xs []int) int {
	n := 0
	for _, x := range xs {
		if x != 0 {
			n++
		}
	}
	return n
}

func TestPlaceRandomFillsToCapacity(t *testing.T) {
	nodes := []binpack.Node{node("a", 512, 0), node("b", 1024, 0), node("c", 256, 0)}
	var p binpack.Placer
	r := p.Place(nodes, binpack.Request{Task: binpack.Task{CPU: 256}, Count: 9, Strategies: random, Rand: fixture.Rand(1)})
	want := result{Placed: []binpack.Assignment{{0, 2}, {1, 4}, {2, 1}}, Unplaced: 2, Reason: binpack.ReasonCPU, Running: []int{2, 4, 1}}
	got := result{Placed: r.Placed, Unplaced: r.Unplaced, Reason: r.Reason, Running: running(nodes)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Place mismatch (-want +got):\n%s", diff)
	}
}

func TestMemberOf(t *testing.T) {
	nodes := []binpack.Node{
		{InstanceType: "t3.small", AZ: "us-west-2a"},
		{InstanceType: "m5.large", AZ: "us-west-2b"},
		{InstanceType: "m5.xlarge", AZ: "us-west-2c"},
		{InstanceType: "t3.large", AZ: "us-west-2a"},
	}
	for i := range nodes {
		nodes[i].FreeCPU, nodes[i].FreeMemory, nodes[i].FreeSlots = 4096, 8192, noLimit
	}
	tests := []struct {
		name, expr string
		want       []int // nodes that may run the task
	}{
		{"equals", "attribute:ecs.instance-type == t3.small", []int{0}},
		{"not equals", "attribute:ecs.instance-type != t3.small", []int{1, 2, 3}},
		{"in", "attribute:ecs.availability-zone in [us-west-2a, us-west-2b]", []int{0, 1, 3}},
		{"not_in", "attribute:ecs.availability-zone not_in [us-west-2a, us-west-2b]", []int{2}},
		{"wildcard", "attribute:ecs.instance-type =~ m5.*", []int{1, 2}},
		{"and", "attribute:ecs.instance-type =~ t3.* and attribute:ecs.availability-zone == us-west-2a", []int{0, 3}},
		{"or", "attribute:ecs.instance-type == m5.large or attribute:ecs.availability-zone == us-west-2c", []int{1, 2}},
		{"and binds tighter than or", "attribute:ecs.instance-type == t3.small or attribute:ecs.instance-type =~ m5.* and attribute:ecs.availability-zone == us-west-2c", []int{0, 2}},
		{"operators are case-insensitive", "attribute:ecs.instance-type IN [t3.large] OR attribute:ecs.instance-type == t3.small", []int{0, 3}},
		{"matches nothing", "attribute:ecs.instance-type == c5.large", nil},
	}
	var p binpack.Placer
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := filter(t, binpack.Constraint{Type: binpack.DistinctInstance}, binpack.Constraint{Type: binpack.MemberOf, Expression: tc.expr})
			ns := slices.Clone(nodes)
			r := p.Place(ns, binpack.Request{Task: binpack.Task{CPU: 256, Memory: 512}, Count: len(ns), Filter: f})
			var got []int
			for _, a := range r.Placed {
				got = append(got, a.Node)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("memberOf(%s) mismatch (-want +got):\n%s", tc.expr, diff)
			}
			if r.Unplaced != len(ns)-len(tc.want) || r.Unplaced > 0 && r.Reason != binpack.ReasonConstraint {
				t.Errorf("unplaced %d (%v); want %d for the constraint", r.Unplaced, r.Reason, len(ns)-len(tc.want))
			}
		})
	}
}

func TestNewFilterErrors(t *testing.T) {
	tests := []struct {
		name string
		c    binpack.Constraint
		want string
	}{
		{"distinctInstance with expression", binpack.Constraint{Type: binpack.DistinctInstance, Expression: "x"}, "placementConstraints[0].expression: you can't specify an expression if the constraint type is distinctInstance"},
		{"empty memberOf", binpack.Constraint{Type: binpack.MemberOf}, "placementConstraints[0].expression: memberOf needs an expression"},
		{"unknown attribute", binpack.Constraint{Type: binpack.MemberOf, Expression: "attribute:stack == prod"}, `placementConstraints[0].expression: cpsim models the attributes attribute:ecs.availability-zone and attribute:ecs.instance-type, got "attribute:stack"`},
		{"unknown operator", binpack.Constraint{Type: binpack.MemberOf, Expression: "attribute:ecs.instance-type >= t3"}, `placementConstraints[0].expression: unknown operator ">=" (want ==, !=, in, not_in or =~)`},
		{"in without list", binpack.Constraint{Type: binpack.MemberOf, Expression: "attribute:ecs.instance-type in t3.small"}, `placementConstraints[0].expression: in needs a list like [a, b], got "t3.small"`},
		{"bad pattern", binpack.Constraint{Type: binpack.MemberOf, Expression: "attribute:ecs.instance-type =~ [t3"}, `placementConstraints[0].expression: bad pattern "[t3": syntax error in pattern`},
		{"unknown type", binpack.Constraint{Type: "spreadOut"}, `placementConstraints[0].type: must be distinctInstance or memberOf, got "spreadOut"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := binpack.NewFilter([]binpack.Constraint{tc.c})
			got := ""
			if err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("NewFilter error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStop(t *testing.T) {
	task := binpack.Task{CPU: 256, Memory: 512}
	tests := []struct {
		name  string
		nodes []binpack.Node
		n     int
		st    []binpack.Strategy
		want  []binpack.Assignment
	}{
		{
			name:  "default takes from the fullest AZ then the instance with most tasks",
			nodes: []binpack.Node{node("us-west-2a", 1024, 2), node("us-west-2a", 1024, 1), node("us-west-2b", 1024, 2), node("us-west-2c", 1024, 1)},
			n:     1,
			want:  []binpack.Assignment{{0, 1}},
		},
		{
			name:  "default evens out AZs, later instances first among equals",
			nodes: []binpack.Node{node("us-west-2a", 1024, 2), node("us-west-2a", 1024, 1), node("us-west-2b", 1024, 2), node("us-west-2c", 1024, 1)},
			n:     3,
			want:  []binpack.Assignment{{0, 1}, {1, 1}, {2, 1}},
		},
		{
			name:  "binpack takes from the instance left with most free CPU",
			nodes: []binpack.Node{node("a", 100, 3), node("a", 900, 1), node("a", 500, 2)},
			n:     2,
			st:    binpackCPU,
			want:  []binpack.Assignment{{1, 1}, {2, 1}},
		},
		{
			name: "binpack memory takes from the instance left with most free memory",
			nodes: []binpack.Node{
				{AZ: "a", FreeCPU: 4096, FreeMemory: 8000, FreeSlots: noLimit, Running: 2},
				{AZ: "a", FreeCPU: 0, FreeMemory: 9000, FreeSlots: noLimit, Running: 2},
			},
			n:    3,
			st:   binpackMemory,
			want: []binpack.Assignment{{0, 1}, {1, 2}},
		},
		{
			name:  "spread instanceId takes from the most tasks, later first",
			nodes: []binpack.Node{node("a", 0, 3), node("a", 0, 1), node("a", 0, 3)},
			n:     3,
			st:    spreadID,
			want:  []binpack.Assignment{{0, 1}, {2, 2}},
		},
		{
			name:  "more than run stops all",
			nodes: []binpack.Node{node("a", 0, 1), node("b", 0, 0), node("c", 0, 2)},
			n:     10,
			want:  []binpack.Assignment{{0, 1}, {2, 2}},
		},
		{
			name:  "nothing runs",
			nodes: []binpack.Node{node("a", 0, 0)},
			n:     2,
			want:  nil,
		},
	}
	var p binpack.Placer
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nodes := slices.Clone(tc.nodes)
			got := p.Stop(nodes, task, tc.n, tc.st, nil)
			if diff := cmp.Diff(tc.want, got, cmp.Comparer(func(a, b []binpack.Assignment) bool {
				return len(a) == len(b) && (len(a) == 0 || slices.Equal(a, b))
			})); diff != "" {
				t.Errorf("Stop mismatch (-want +got):\n%s", diff)
			}
			for _, a := range got {
				before, after := tc.nodes[a.Node], nodes[a.Node]
				if after.Running != before.Running-a.Count || after.FreeCPU != before.FreeCPU+a.Count*task.CPU ||
					after.FreeMemory != before.FreeMemory+a.Count*task.Memory || after.FreeSlots != before.FreeSlots+a.Count {
					t.Errorf("node %d: %d tasks not freed: %s", a.Node, a.Count, fixture.Describe(after))
				}
			}
		})
	}
}

func TestStopRandom(t *testing.T) {
	base := fixture.Nodes(t, 20, fixture.Types...)
	var p binpack.Placer
	task := binpack.Task{CPU: 128, Memory: 128}
	p.Place(base, binpack.Request{Task: task, Count: 100})
	stop := func(seed uint64) []int {
		nodes := slices.Clone(base)
		as := p.Stop(nodes, task, 30, random, fixture.Rand(seed))
		if fixture.Sum(as) != 30 {
			t.Fatalf("stopped %d, want 30", fixture.Sum(as))
		}
		return running(nodes)
	}
	if diff := cmp.Diff(stop(3), stop(3)); diff != "" {
		t.Errorf("same seed, different choice (-first +second):\n%s", diff)
	}
}

// TestPlaceAllocatesNothing pins the Placer's promise: once its scratch has
// grown, placing and stopping a service allocates nothing.
func TestPlaceAllocatesNothing(t *testing.T) {
	base := fixture.Nodes(t, 300, fixture.Types...)
	nodes := slices.Clone(base)
	task := binpack.Task{CPU: 256, Memory: 512}
	rng := fixture.Rand(1)
	for _, st := range [][]binpack.Strategy{nil, binpackCPU, binpackMemory, spreadID, random,
		{{Type: binpack.Spread, Field: binpack.AttrInstanceType}, {Type: binpack.Spread, Field: binpack.AttrAZ}, {Type: binpack.Binpack, Field: "memory"}}} {
		var p binpack.Placer
		allocs := testing.AllocsPerRun(20, func() {
			copy(nodes, base)
			p.Place(nodes, binpack.Request{Task: task, Count: 1000, Strategies: st, Rand: rng})
			p.Stop(nodes, task, 500, st, rng)
		})
		if allocs != 0 {
			t.Errorf("strategy %v: %v allocations per Place and Stop; want 0", st, allocs)
		}
	}
}
