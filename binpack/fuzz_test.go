package binpack_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cpsim/cpsim/binpack"
	"github.com/cpsim/cpsim/internal/fixture"
)

var fuzzStrategies = [][]binpack.Strategy{
	nil,
	binpackCPU,
	binpackMemory,
	spreadID,
	random,
	{{Type: binpack.Spread, Field: binpack.AttrAZ}, {Type: binpack.Binpack, Field: "memory"}},
	{{Type: binpack.Spread, Field: binpack.AttrInstanceType}, {Type: binpack.Random}},
	{{Type: binpack.Spread, Field: binpack.AttrAZ}, {Type: binpack.Spread, Field: binpack.AttrInstanceType}, {Type: binpack.Spread, Field: "host"}},
}

var fuzzConstraints = [][]binpack.Constraint{
	nil,
	{{Type: binpack.DistinctInstance}},
	{{Type: binpack.MemberOf, Expression: "attribute:ecs.availability-zone != us-west-2b"}},
	{{Type: binpack.MemberOf, Expression: "attribute:ecs.instance-type =~ m5.* or attribute:ecs.availability-zone == us-west-2c"}},
}

// FuzzPlace checks Place and Stop's invariants on random clusters: nothing
// is placed over capacity, placed plus unplaced is what was asked, and
// stopping every task restores the nodes exactly.
func FuzzPlace(f *testing.F) {
	f.Add(uint64(1), uint8(10), uint16(256), uint16(512), uint16(40), uint16(5), uint8(0), uint8(0))
	f.Add(uint64(2), uint8(3), uint16(1024), uint16(0), uint16(100), uint16(0), uint8(1), uint8(0))
	f.Add(uint64(3), uint8(50), uint16(0), uint16(100), uint16(999), uint16(30), uint8(4), uint8(1))
	f.Add(uint64(4), uint8(0), uint16(1), uint16(1), uint16(1), uint16(0), uint8(5), uint8(2))
	f.Add(uint64(5), uint8(200), uint16(128), uint16(256), uint16(3000), uint16(100), uint8(7), uint8(3))
	f.Fuzz(func(t *testing.T, seed uint64, nNodes uint8, cpu, mem, count, before uint16, si, ci uint8) {
		rng := rand.New(rand.NewPCG(seed, 1))
		nodes := make([]binpack.Node, nNodes)
		for i := range nodes {
			ty := fixture.Types[rng.IntN(len(fixture.Types))]
			nodes[i] = fixture.Node(ty, fixture.AZs[rng.IntN(len(fixture.AZs))])
			nodes[i].FreeCPU = rng.IntN(ty.CPU + 1)
			nodes[i].FreeMemory = rng.IntN(ty.Memory + 1)
			if rng.IntN(3) == 0 {
				nodes[i].FreeSlots = rng.IntN(8)
			}
		}
		orig := slices.Clone(nodes)
		st := fuzzStrategies[int(si)%len(fuzzStrategies)]
		flt, err := binpack.NewFilter(fuzzConstraints[int(ci)%len(fuzzConstraints)])
		if err != nil {
			t.Fatal(err)
		}
		task := binpack.Task{CPU: int(cpu), Memory: int(mem)}
		var p binpack.Placer
		total := 0
		// Two calls: the second sees Running counts left by the first.
		for _, n := range []int{int(before), int(count)} {
			r := p.Place(nodes, binpack.Request{Task: task, Count: n, Strategies: st, Filter: flt, Rand: rng})
			fixture.CheckCapacity(t, nodes)
			placed := fixture.Sum(r.Placed)
			if placed+r.Unplaced != n || r.Unplaced < 0 {
				t.Fatalf("placed %d + unplaced %d != requested %d", placed, r.Unplaced, n)
			}
			if (r.Unplaced > 0) != (r.Reason != binpack.ReasonNone) {
				t.Fatalf("unplaced %d with reason %v", r.Unplaced, r.Reason)
			}
			for k, a := range r.Placed {
				if a.Count <= 0 || k > 0 && a.Node <= r.Placed[k-1].Node {
					t.Fatalf("assignments not in node order with positive counts: %v", r.Placed)
				}
			}
			total += placed
		}
		if int(ci)%len(fuzzConstraints) == 1 { // distinctInstance
			for i := range nodes {
				if nodes[i].Running > 1 {
					t.Fatalf("distinctInstance: node %d runs %d tasks", i, nodes[i].Running)
				}
			}
		}
		stopped := p.Stop(nodes, task, total+1, st, rng)
		if got := fixture.Sum(stopped); got != total {
			t.Fatalf("stopped %d of %d", got, total)
		}
		if diff := cmp.Diff(orig, nodes); diff != "" {
			t.Fatalf("place then stop everything changed the nodes (-before +after):\n%s", diff)
		}
	})
}
