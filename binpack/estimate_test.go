package binpack_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cpsim/cpsim/binpack"
)

func TestEstimate(t *testing.T) {
	type want struct{ Instances, Excluded int }
	tests := []struct {
		name   string
		shapes []binpack.Shape
		groups []binpack.Group
		want   want
	}{
		{
			// The Kubernetes cluster-autoscaler's BenchmarkBinpackingEstimate:
			// 100 nodes take 10 large pods each plus one small; the other
			// 49,900 small pods go 20 a node.
			name:   "cluster-autoscaler shape",
			shapes: []binpack.Shape{{CPU: 1000, Memory: 1 << 30, Slots: 100}},
			groups: []binpack.Group{{Task: binpack.Task{CPU: 95}, Count: 1000}, {Task: binpack.Task{CPU: 50}, Count: 50000}},
			want:   want{Instances: 2595},
		},
		{
			name:   "cpu bound",
			shapes: []binpack.Shape{{CPU: 2048, Memory: 7680}},
			groups: []binpack.Group{{Task: binpack.Task{CPU: 512, Memory: 1024}, Count: 10}},
			want:   want{Instances: 3},
		},
		{
			name:   "memory bound",
			shapes: []binpack.Shape{{CPU: 8192, Memory: 4096}},
			groups: []binpack.Group{{Task: binpack.Task{CPU: 256, Memory: 1024}, Count: 9}},
			want:   want{Instances: 3},
		},
		{
			name:   "task limit bound",
			shapes: []binpack.Shape{{CPU: 8192, Memory: 16384, Slots: 3}},
			groups: []binpack.Group{{Task: binpack.Task{CPU: 1, Memory: 1}, Count: 10}},
			want:   want{Instances: 4},
		},
		{
			name:   "later groups fill earlier instances' gaps",
			shapes: []binpack.Shape{{CPU: 2048, Memory: 4096}},
			groups: []binpack.Group{{Task: binpack.Task{CPU: 1024, Memory: 1024}, Count: 3}, {Task: binpack.Task{CPU: 512, Memory: 512}, Count: 2}},
			want:   want{Instances: 2},
		},
		{
			name:   "packs on the largest shape per resource",
			shapes: []binpack.Shape{{CPU: 2048, Memory: 16384}, {CPU: 8192, Memory: 4096}},
			groups: []binpack.Group{{Task: binpack.Task{CPU: 1024, Memory: 2048}, Count: 8}},
			want:   want{Instances: 1},
		},
		{
			name:   "tasks that do not fit the smallest shape are excluded",
			shapes: []binpack.Shape{{CPU: 1024, Memory: 2048}, {CPU: 4096, Memory: 16384}},
			groups: []binpack.Group{{Task: binpack.Task{CPU: 2048, Memory: 1024}, Count: 5}, {Task: binpack.Task{CPU: 512, Memory: 512}, Count: 4}},
			want:   want{Instances: 1, Excluded: 5},
		},
		{
			name:   "no shapes excludes everything",
			groups: []binpack.Group{{Task: binpack.Task{CPU: 1}, Count: 7}},
			want:   want{Excluded: 7},
		},
		{
			name:   "empty and negative groups count nothing",
			shapes: []binpack.Shape{{CPU: 1024, Memory: 1024}},
			groups: []binpack.Group{{Task: binpack.Task{CPU: 1}, Count: 0}, {Task: binpack.Task{CPU: 1}, Count: -3}},
			want:   want{},
		},
		{
			name:   "a shape without task limit lifts the limit",
			shapes: []binpack.Shape{{CPU: 4096, Memory: 4096, Slots: 2}, {CPU: 4096, Memory: 4096}},
			groups: []binpack.Group{{Task: binpack.Task{CPU: 1, Memory: 1}, Count: 1000}},
			want:   want{Instances: 1},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, ex := binpack.Estimate(tc.shapes, tc.groups)
			if diff := cmp.Diff(tc.want, want{n, ex}); diff != "" {
				t.Errorf("Estimate mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestEstimateMatchesPlace checks Estimate against Place's binpack on
// enough empty instances of the largest shape: the same count.
func TestEstimateMatchesPlace(t *testing.T) {
	shape := binpack.Shape{CPU: 4096, Memory: 8192, Slots: 10}
	groups := []binpack.Group{
		{Task: binpack.Task{CPU: 1024, Memory: 3000}, Count: 37},
		{Task: binpack.Task{CPU: 256, Memory: 512}, Count: 211},
		{Task: binpack.Task{CPU: 2048, Memory: 1024}, Count: 5},
		{Task: binpack.Task{CPU: 128, Memory: 128}, Count: 300},
	}
	want, _ := binpack.Estimate([]binpack.Shape{shape}, groups)
	nodes := make([]binpack.Node, 1000)
	for i := range nodes {
		nodes[i] = binpack.Node{FreeCPU: shape.CPU, FreeMemory: shape.Memory, FreeSlots: shape.Slots}
	}
	var p binpack.Placer
	for _, g := range groups {
		// A fresh service each time: Running counts per service.
		for i := range nodes {
			nodes[i].Running = 0
		}
		if r := p.Place(nodes, binpack.Request{Task: g.Task, Count: g.Count, Strategies: binpackCPU}); r.Unplaced != 0 {
			t.Fatalf("unplaced %d: %v", r.Unplaced, r.Reason)
		}
	}
	used := 0
	for _, n := range nodes {
		if n.FreeSlots < shape.Slots {
			used++
		}
	}
	if used != want {
		t.Errorf("Place used %d instances; Estimate says %d", used, want)
	}
}
