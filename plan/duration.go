package plan

import (
	"fmt"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"
)

// Duration is a span of simulated time. In YAML it is a number of seconds
// (90) or a Go duration string ("90s", "15m", "1h30m").
type Duration time.Duration

// Seconds returns d in seconds.
func (d Duration) Seconds() float64 { return time.Duration(d).Seconds() }

// UnmarshalYAML accepts seconds or a duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: a duration is a number of seconds or a string like \"90s\"", n.Line)
	}
	if s, err := strconv.ParseFloat(n.Value, 64); err == nil {
		if s < 0 {
			return fmt.Errorf("line %d: duration %q is negative", n.Line, n.Value)
		}
		*d = Duration(s * float64(time.Second))
		return nil
	}
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: duration %q: want seconds or a string like \"90s\" or \"15m\"", n.Line, n.Value)
	}
	if v < 0 {
		return fmt.Errorf("line %d: duration %q is negative", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML writes the duration as a string such as "1m30s".
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }
