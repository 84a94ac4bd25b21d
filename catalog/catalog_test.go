package catalog

import "testing"

func TestRegisteredResources(t *testing.T) {
	c := Default()
	tests := []struct {
		name     string
		cpu, mem int
	}{
		{"t3.small", 2048, 1996},     // 2048 × 0.975: three 512 MiB tasks fit, a fourth does not (workshop)
		{"m4.large", 2048, 7985},     // published, Developer Guide memory-management
		{"c4.large", 2048, 3768},     // published, cloudwatch-metrics
		{"c4.4xlarge", 16384, 30158}, // published
		{"m5.large", 2048, 7987},
	}
	for _, tt := range tests {
		ty, ok := c.Lookup(tt.name)
		if !ok {
			t.Fatalf("%s not in the catalogue", tt.name)
		}
		if ty.RegisteredCPU != tt.cpu || ty.RegisteredMemory != tt.mem {
			t.Errorf("%s registers %d CPU, %d MiB; want %d, %d", tt.name, ty.RegisteredCPU, ty.RegisteredMemory, tt.cpu, tt.mem)
		}
	}
}

func TestAdvisorBuckets(t *testing.T) {
	for _, l := range []string{"<5%", "5-10%", "10-15%", "15-20%", ">20%"} {
		b, ok := ParseAdvisorBucket(l)
		if !ok || b.String() != l {
			t.Errorf("ParseAdvisorBucket(%q) = %v, %v", l, b, ok)
		}
	}
	if _, ok := ParseAdvisorBucket("5%"); ok {
		t.Error(`"5%" is not a bucket`)
	}
	if Under5.MonthlyRate() >= From5To10.MonthlyRate() {
		t.Error("rates must rise with the bucket")
	}
}
