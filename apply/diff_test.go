package apply_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cpsim/cpsim/apply"
	"github.com/cpsim/cpsim/plan"
	"github.com/cpsim/cpsim/scenarios"
	"github.com/cpsim/cpsim/strategy"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func workshop(t testing.TB) *plan.Scenario {
	t.Helper()
	data, err := scenarios.Read("workshop")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := plan.Parse("workshop.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// applied is the state after the workshop plan is applied.
func applied(t testing.TB) *apply.State { return appliedFrom(workshop(t)) }

// appliedFrom is the state after sc is applied.
func appliedFrom(sc *plan.Scenario) *apply.State {
	st := &apply.State{
		Cluster:   apply.Cluster{Name: "container-demo", CapacityProviders: []string{"od", "spot"}, DefaultStrategy: sc.Cluster.DefaultCapacityProviderStrategy},
		Providers: map[string]apply.Provider{},
		Services:  map[string]apply.Service{"ecsdemo-capacityproviders-ec2": {Name: "ecsdemo-capacityproviders-ec2", Strategy: sc.Services[0].CapacityProviderStrategy}},
	}
	for i := range sc.CapacityProviders {
		cp := &sc.CapacityProviders[i]
		st.Providers[cp.Name] = apply.Provider{Name: cp.Name, Status: "ACTIVE", Settings: apply.SettingsOf(cp)}
	}
	return st
}

// empty is the workshop before the providers exist.
func empty() *apply.State {
	return &apply.State{
		Cluster:   apply.Cluster{Name: "container-demo"},
		Providers: map[string]apply.Provider{},
		Services:  map[string]apply.Service{"ecsdemo-capacityproviders-ec2": {Name: "ecsdemo-capacityproviders-ec2", LaunchType: "EC2"}},
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, d)
	}
}

func TestDiffSummary(t *testing.T) {
	tests := []struct {
		name  string
		state func(t testing.TB) *apply.State
		edit  func(sc *plan.Scenario)
		opt   apply.DiffOptions
		want  apply.Summary
	}{
		{name: "nothing exists", state: func(testing.TB) *apply.State { return empty() }, want: apply.Summary{Create: 2, Update: 2}},
		{name: "converged", state: applied},
		{name: "target capacity and a weight", state: applied, edit: func(sc *plan.Scenario) {
			*sc.CapacityProviders[1].AutoScalingGroupProvider.ManagedScaling.TargetCapacity = 90
			sc.Services[0].CapacityProviderStrategy[1].Weight = 3
		}, want: apply.Summary{Update: 2}},
		{name: "strategy order does not matter", state: applied, edit: func(sc *plan.Scenario) {
			s := sc.Services[0].CapacityProviderStrategy
			s[0], s[1] = s[1], s[0]
		}},
		{name: "service without strategy is left alone", state: applied, edit: func(sc *plan.Scenario) {
			sc.Services[0].CapacityProviderStrategy = nil
		}},
		{name: "unmanaged provider kept", state: func(t testing.TB) *apply.State {
			st := applied(t)
			st.Cluster.CapacityProviders = append(st.Cluster.CapacityProviders, "legacy")
			st.Providers["legacy"] = apply.Provider{Name: "legacy", Status: "ACTIVE"}
			return st
		}},
		{name: "unmanaged provider pruned", opt: apply.DiffOptions{Prune: true}, state: func(t testing.TB) *apply.State {
			st := applied(t)
			st.Cluster.CapacityProviders = append(st.Cluster.CapacityProviders, "legacy", "FARGATE")
			st.Providers["legacy"] = apply.Provider{Name: "legacy", Status: "ACTIVE"}
			return st
		}, want: apply.Summary{Update: 1, Delete: 1}},
		{name: "group given by ARN matches the name", state: func(t testing.TB) *apply.State {
			st := applied(t)
			p := st.Providers["od"]
			p.Settings.AutoScalingGroupArn = "arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:0f1e:autoScalingGroupName/ecsworkshop-base-ECSEC2Capacity"
			st.Providers["od"] = p
			return st
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := workshop(t)
			if tt.edit != nil {
				tt.edit(sc)
			}
			p, err := apply.Diff(sc, tt.state(t), tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, p.Summary()); d != "" {
				t.Errorf("summary mismatch (-want +got):\n%s", d)
			}
		})
	}
}

func TestDiffRefuses(t *testing.T) {
	tests := []struct {
		name  string
		state func(t testing.TB) *apply.State
		edit  func(sc *plan.Scenario)
		want  []string // substrings of the error
	}{
		{name: "missing service", state: func(t testing.TB) *apply.State {
			st := applied(t)
			st.Services = map[string]apply.Service{}
			return st
		}, want: []string{`services[0].serviceName: service "ecsdemo-capacityproviders-ec2" is not ACTIVE in cluster "container-demo"`}},
		{name: "group changed", state: applied, edit: func(sc *plan.Scenario) {
			sc.CapacityProviders[0].AutoScalingGroupProvider.AutoScalingGroupArn = "other-group"
		}, want: []string{`capacityProviders[0].autoScalingGroupProvider.autoScalingGroupArn: capacity provider "od" uses Auto Scaling group "ecsworkshop-base-ECSEC2Capacity", and ECS can't change`}},
		{name: "prune a provider in use", state: func(t testing.TB) *apply.State {
			st := applied(t)
			st.Cluster.CapacityProviders = append(st.Cluster.CapacityProviders, "legacy")
			st.Usage = map[string][]string{"legacy": {"3 task(s) run on it"}}
			return st
		}, want: []string{`--prune: capacity provider "legacy" can't be removed from cluster "container-demo" while it is in use: 3 task(s) run on it`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := workshop(t)
			if tt.edit != nil {
				tt.edit(sc)
			}
			_, err := apply.Diff(sc, tt.state(t), apply.DiffOptions{Prune: true})
			if err == nil {
				t.Fatal("Diff succeeded, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
		})
	}
	var fe *plan.FieldError
	st := applied(t)
	st.Services = nil
	if _, err := apply.Diff(workshop(t), st, apply.DiffOptions{}); !errors.As(err, &fe) {
		t.Errorf("error %v is not a *plan.FieldError", err)
	}
}

func TestPlanGolden(t *testing.T) {
	changed := applied(t)
	p := changed.Providers["spot"]
	p.Settings.TargetCapacity = 100
	p.Settings.ManagedDraining = "DISABLED"
	changed.Providers["spot"] = p
	changed.Cluster.CapacityProviders = append(changed.Cluster.CapacityProviders, "legacy")
	changed.Services["ecsdemo-capacityproviders-ec2"] = apply.Service{Name: "ecsdemo-capacityproviders-ec2", Strategy: strategy.Strategy{{CapacityProvider: "od", Weight: 1}}}
	for _, tt := range []struct {
		name  string
		state *apply.State
	}{
		{"create", empty()},
		{"update", changed},
		{"nochange", applied(t)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := apply.Diff(workshop(t), tt.state, apply.DiffOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var text, js bytes.Buffer
			if err := apply.WriteText(&text, p); err != nil {
				t.Fatal(err)
			}
			if err := apply.WriteJSON(&js, p); err != nil {
				t.Fatal(err)
			}
			golden(t, "plan_"+tt.name+".txt", text.Bytes())
			golden(t, "plan_"+tt.name+".json", js.Bytes())
		})
	}
}

// FuzzDiffConverges: once a plan is applied, planning it again changes
// nothing; and planning it against the empty workshop always creates both
// providers.
func FuzzDiffConverges(f *testing.F) {
	f.Add(80, 1, 10000, 300, 1, 1, 4, false)
	f.Add(100, 5, 5, 0, 0, 0, 1, true)
	f.Fuzz(func(t *testing.T, target, minStep, maxStep, warmup, base, w0, w1 int, protect bool) {
		sc := workshop(t)
		ms := &sc.CapacityProviders[1].AutoScalingGroupProvider.ManagedScaling
		*ms.TargetCapacity, *ms.MinimumScalingStepSize, *ms.MaximumScalingStepSize, *ms.InstanceWarmupPeriod = target, minStep, maxStep, warmup
		if protect {
			sc.CapacityProviders[0].AutoScalingGroupProvider.ManagedTerminationProtection = "ENABLED"
			sc.CapacityProviders[0].AutoScalingGroup.NewInstancesProtectedFromScaleIn = true
		}
		s := sc.Services[0].CapacityProviderStrategy
		s[0].Base, s[0].Weight, s[1].Weight = base, w0, w1
		if err := sc.Validate(); err != nil {
			t.Skip()
		}
		p, err := apply.Diff(sc, appliedFrom(sc), apply.DiffOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !p.Empty() {
			t.Errorf("plan after apply is not empty: %+v", p.Changes)
		}
		p, err = apply.Diff(sc, empty(), apply.DiffOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Summary().Create; got != 2 {
			t.Errorf("from nothing: %d creates, want 2", got)
		}
	})
}
