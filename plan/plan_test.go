package plan_test

import (
	"strings"
	"testing"

	"github.com/cpsim/cpsim/plan"
	"github.com/cpsim/cpsim/scenarios"
)

func workshop(t testing.TB) []byte {
	t.Helper()
	b, err := scenarios.Read(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWorkshopLoads(t *testing.T) {
	s, err := plan.Parse("workshop.yaml", workshop(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := *s.CapacityProviders[0].AutoScalingGroupProvider.ManagedScaling.TargetCapacity; got != 80 {
		t.Errorf("od targetCapacity = %d, want 80", got)
	}
	if got := *s.CapacityProviders[1].AutoScalingGroupProvider.ManagedScaling.InstanceWarmupPeriod; got != 300 {
		t.Errorf("default instanceWarmupPeriod = %d, want 300", got)
	}
	if got := s.Services[0].LoadBalancer.DeregistrationDelay; *got != 90 {
		t.Errorf("deregistrationDelay = %d, want 90", *got)
	}
	// Round trip: what Marshal writes, Parse reads back to the same file.
	out, err := s.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	s2, err := plan.Parse("roundtrip", out)
	if err != nil {
		t.Fatalf("re-parse: %v\n%s", err, out)
	}
	out2, _ := s2.Marshal()
	if string(out) != string(out2) {
		t.Errorf("Marshal is not stable:\n%s\n---\n%s", out, out2)
	}
}

func TestParseErrors(t *testing.T) {
	base := string(workshop(t))
	tests := []struct {
		name, old, new, want string
	}{
		{"unknown field", "seed: 1", "seed: 1\nseeed: 2", "unknown field seeed"},
		{"two bases", "{capacityProvider: spot, weight: 4}\ncapacityProviders:", "{capacityProvider: spot, base: 2, weight: 4}\ncapacityProviders:",
			`cluster.defaultCapacityProviderStrategy[1].base: only one capacity provider in a strategy may have a base (also set on "od")`},
		{"target capacity 0", "managedScaling: {status: ENABLED, targetCapacity: 80}", "managedScaling: {status: ENABLED, targetCapacity: 0}",
			"capacityProviders[0].autoScalingGroupProvider.managedScaling.targetCapacity: must be between 1 and 100, got 0"},
		{"unknown provider in service strategy", "      - {capacityProvider: spot, weight: 4}\n    # CDK", "      - {capacityProvider: spott, weight: 4}\n    # CDK",
			`services[0].capacityProviderStrategy[1].capacityProvider: the specified capacity provider "spott" was not found`},
		{"weighted capacity", "- {instanceType: t2.large}", "- {instanceType: t2.large, weightedCapacity: \"2\"}",
			"overrides[9].weightedCapacity: the Auto Scaling group can't have instance weighting settings"},
		{"bad name", "  - name: od\n", "  - name: ECSod\n", `capacityProviders[0].name: "ECSod" is not a valid capacity provider name: it can't be prefixed`},
		{"bad duration", "seed: 1", "seed: 1\ntimings: {taskStart: soon}", `duration "soon"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.old) {
				t.Fatalf("test setup: %q not in workshop.yaml", tt.old)
			}
			_, err := plan.Parse("x.yaml", []byte(strings.Replace(base, tt.old, tt.new, 1)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

func TestValidProviderName(t *testing.T) {
	for name, ok := range map[string]bool{
		"od": true, "EC2Spot1601410481": true, "a_b-c": true,
		"": false, "has space": false, "awsThing": false, "Ecs1": false, "FARGATEx": false, strings.Repeat("a", 256): false,
	} {
		if got := plan.ValidProviderName(name) == ""; got != ok {
			t.Errorf("ValidProviderName(%q) valid = %v, want %v", name, got, ok)
		}
	}
}

func TestWarnings(t *testing.T) {
	s, err := plan.Parse("workshop.yaml", workshop(t))
	if err != nil {
		t.Fatal(err)
	}
	if w := s.Warnings(); len(w) != 0 {
		t.Errorf("the workshop cluster has warnings: %q", w)
	}
	spot := s.Provider("spot")
	spot.AutoScalingGroup.ECSAgent.EnableSpotInstanceDraining = false
	spot.AutoScalingGroup.MixedInstancesPolicy.LaunchTemplate.Overrides = spot.AutoScalingGroup.MixedInstancesPolicy.LaunchTemplate.Overrides[:1]
	*s.Services[0].LoadBalancer.DeregistrationDelay = 300
	*s.Services[0].DeploymentConfiguration.MinimumHealthyPercent = 100
	s.Services[0].TaskDefinition.Memory = 4096
	want := []string{
		"capacity provider spot: Spot draining is off",
		"capacity provider spot: only 3 Spot pool(s) (1 instance type(s) × 3 Availability Zone(s))",
		"does not fit the smallest instance type of capacity provider od (2048 CPU units, 1996 MiB registered)",
		"deregistration delay 300 s is longer than the 120 s Spot interruption notice",
		"minimumHealthyPercent 100 on Spot",
	}
	got := strings.Join(s.Warnings(), "\n")
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("warnings lack %q:\n%s", w, got)
		}
	}
}
