package strategy

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var (
	workshop = Strategy{{CapacityProvider: "od", Base: 1, Weight: 1}, {CapacityProvider: "spot", Weight: 4}}
	spotws   = Strategy{{CapacityProvider: "od", Base: 2, Weight: 1}, {CapacityProvider: "spot", Weight: 3}}
	fargate  = Strategy{{CapacityProvider: "FARGATE", Base: 1, Weight: 1}, {CapacityProvider: "FARGATE_SPOT", Weight: 4}}
)

// The published examples of spec/workshop.md and ecs-facts.md §6.1.
func TestSplitPublishedExamples(t *testing.T) {
	tests := []struct {
		name    string
		s       Strategy
		desired int
		want    []int
	}{
		{"ECSWS ec2_spot 40 tasks", workshop, 40, []int{9, 31}},
		{"SPOTWS service 10 tasks", spotws, 10, []int{4, 6}},
		{"SPOTWS service_view 22 tasks", spotws, 22, []int{7, 15}},
		{"ECSWS fargate 10 tasks", fargate, 10, []int{3, 7}},
		{"workshop desired 1 is the base", workshop, 1, []int{1, 0}},
		{"below base", spotws, 1, []int{1, 0}},
		{"zero", workshop, 0, []int{0, 0}},
		{"weight-0 provider keeps only its base", Strategy{{CapacityProvider: "a", Base: 3}, {CapacityProvider: "b", Weight: 1}}, 10, []int{3, 7}},
		{"item order decides ties: base item listed second", Strategy{{CapacityProvider: "spot", Weight: 4}, {CapacityProvider: "od", Base: 1, Weight: 1}}, 40, []int{32, 8}},
		{"equal weights tie to the earlier item", Strategy{{CapacityProvider: "a", Weight: 1}, {CapacityProvider: "b", Weight: 1}}, 3, []int{2, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.s.Split(tt.desired)); diff != "" {
				t.Errorf("Split(%d) mismatch (-want +got):\n%s", tt.desired, diff)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		s    Strategy
		want []string // substrings, one per expected error
	}{
		{"valid", workshop, nil},
		{"empty", nil, []string{"at least one capacity provider"}},
		{"two bases", Strategy{{CapacityProvider: "od", Base: 1, Weight: 1}, {CapacityProvider: "spot", Base: 2, Weight: 1}},
			[]string{`[1].base: only one capacity provider in a strategy may have a base (also set on "od")`}},
		{"weight above 1000", Strategy{{CapacityProvider: "od", Weight: 1001}}, []string{"[0].weight: must be between 0 and 1000, got 1001"}},
		{"all weights zero", Strategy{{CapacityProvider: "od", Base: 1}, {CapacityProvider: "spot"}}, []string{"at least one capacity provider must have a weight greater than zero"}},
		{"base above 100000", Strategy{{CapacityProvider: "od", Base: 100001, Weight: 1}}, []string{"[0].base: must be between 0 and 100000, got 100001"}},
		{"negative weight", Strategy{{CapacityProvider: "od", Weight: -1}, {CapacityProvider: "x", Weight: 1}}, []string{"[0].weight: must be between 0 and 1000"}},
		{"duplicate", Strategy{{CapacityProvider: "od", Weight: 1}, {CapacityProvider: "od", Weight: 1}}, []string{`[1].capacityProvider: "od" is already item 0`}},
		{"21 providers", func() Strategy {
			var s Strategy
			for i := range 21 {
				s = append(s, Item{CapacityProvider: string(rune('a' + i)), Weight: 1})
			}
			return s
		}(), []string{"at most 20 capacity providers, got 21"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.s.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want errors %q", tt.want)
			}
			var se *Error
			if !errors.As(err, &se) {
				t.Errorf("Validate() error %T is not a *strategy.Error", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

// naiveSplit places one task at a time with Next, the rule of model.md §1.
func naiveSplit(s Strategy, desired int) []int {
	counts := make([]int, len(s))
	for range desired {
		i := s.Next(counts)
		if i < 0 {
			break
		}
		counts[i]++
	}
	return counts
}

func TestNextAndScaleInInvertEachOther(t *testing.T) {
	s := Strategy{{CapacityProvider: "a", Base: 2, Weight: 3}, {CapacityProvider: "b", Weight: 1}, {CapacityProvider: "c", Weight: 3}, {CapacityProvider: "d"}}
	counts := make([]int, len(s))
	for d := 1; d <= 200; d++ {
		counts[s.Next(counts)]++
		if diff := cmp.Diff(s.Split(d), counts); diff != "" {
			t.Fatalf("after %d Next calls (-Split +Next):\n%s", d, diff)
		}
	}
	for d := 199; d >= 0; d-- {
		counts[s.ScaleIn(counts)]--
		if diff := cmp.Diff(s.Split(d), counts); diff != "" {
			t.Fatalf("ScaleIn to %d (-Split +ScaleIn):\n%s", d, diff)
		}
	}
	if got := s.ScaleIn(counts); got != -1 {
		t.Errorf("ScaleIn(all zero) = %d, want -1", got)
	}
}

func TestScaleInTakesWeightZeroFirst(t *testing.T) {
	s := Strategy{{CapacityProvider: "a", Weight: 1}, {CapacityProvider: "b"}}
	// b runs tasks from an earlier strategy; they go first.
	if got := s.ScaleIn([]int{5, 2}); got != 1 {
		t.Errorf("ScaleIn = %d, want 1 (the weight-0 item)", got)
	}
}

func FuzzSplit(f *testing.F) {
	f.Add(uint16(1), uint16(1), uint16(4), uint16(0), 40)
	f.Add(uint16(2), uint16(1), uint16(3), uint16(7), 22)
	f.Fuzz(func(t *testing.T, base, w1, w2, w3 uint16, desired int) {
		s := Strategy{
			{CapacityProvider: "a", Base: int(base), Weight: int(w1 % (MaxWeight + 1))},
			{CapacityProvider: "b", Weight: int(w2 % (MaxWeight + 1))},
			{CapacityProvider: "c", Weight: int(w3 % (MaxWeight + 1))},
		}
		if s.Validate() != nil {
			return
		}
		desired = desired % 5000
		if desired < 0 {
			desired = -desired
		}
		got := s.Split(desired)
		sum := 0
		for _, c := range got {
			sum += c
		}
		if sum != desired {
			t.Fatalf("Split(%d) = %v sums to %d", desired, got, sum)
		}
		if desired < 300 {
			if diff := cmp.Diff(naiveSplit(s, desired), got); diff != "" {
				t.Fatalf("Split(%d) differs from one-at-a-time (-naive +Split):\n%s", desired, diff)
			}
		}
		prev := s.Split(desired + 1)
		for i := range got {
			if prev[i] < got[i] {
				t.Fatalf("not house-monotone: Split(%d)=%v, Split(%d)=%v", desired, got, desired+1, prev)
			}
		}
	})
}
