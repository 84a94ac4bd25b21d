package report

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestClock(t *testing.T) {
	tests := []struct {
		name    string
		seconds float64
		want    string
	}{
		{"zero", 0, "0:00"},
		{"seconds", 13, "0:13"},
		{"rounds", 59.6, "1:00"},
		{"minutes", 20*60 + 5, "20:05"},
		{"an hour", 3600, "1:00:00"},
		{"over a day", 26*3600 + 61, "26:01:01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clock(tt.seconds); got != tt.want {
				t.Errorf("Clock(%v) = %q, want %q", tt.seconds, got, tt.want)
			}
		})
	}
}

func TestNotable(t *testing.T) {
	placed := func(t float64, inst, task string) Event {
		return Event{T: t, Kind: "TaskPlaced", Provider: "spot", Service: "web", Instance: inst, Task: task}
	}
	launched := Event{T: 0, Kind: "InstanceLaunched", Provider: "spot", Instance: "i-2"}
	evs := []Event{
		placed(0, "i-1", "a"), placed(0, "i-1", "b"), launched, placed(0, "i-1", "c"), placed(0, "i-3", "d"),
		placed(60, "i-1", "e"), // a new time: a new row
		{T: 60, Kind: "InstanceLaunched", Provider: "spot", Instance: "i-4"},
		{T: 60, Kind: "InstanceLaunched", Provider: "spot", Instance: "i-4"}, // not per task: kept apart
	}
	got := notable(evs)
	want := []row{
		{placed(0, "i-1", "a"), 3},
		{launched, 1},
		{placed(0, "i-3", "d"), 1},
		{placed(60, "i-1", "e"), 1},
		{evs[6], 1},
		{evs[7], 1},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(row{})); diff != "" {
		t.Errorf("notable: mismatch (-want +got):\n%s", diff)
	}
}
