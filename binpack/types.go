package binpack

import "fmt"

// Task is the size of one task: CPU units and MiB of memory it reserves.
type Task struct {
	CPU    int
	Memory int
}

// Node is a container instance as placement sees it. Place and Stop update
// FreeCPU, FreeMemory, FreeSlots and Running.
type Node struct {
	InstanceType string
	AZ           string
	FreeCPU      int
	FreeMemory   int
	// FreeSlots is how many more tasks the instance may run under its task
	// limit (ENIs, or a per-instance cap); use a large value for none.
	FreeSlots int
	// Running counts the tasks of the service being placed, for spread and
	// distinctInstance.
	Running int
}

// Fits returns how many tasks of size t the node can still take.
func (n *Node) Fits(t Task) int {
	k := n.FreeSlots
	if t.CPU > 0 {
		k = min(k, n.FreeCPU/t.CPU)
	}
	if t.Memory > 0 {
		k = min(k, n.FreeMemory/t.Memory)
	}
	return max(k, 0)
}

// StrategyType is a placement strategy type of the ECS API.
type StrategyType string

// The placement strategy types.
const (
	Binpack StrategyType = "binpack"
	Spread  StrategyType = "spread"
	Random  StrategyType = "random"
)

// Strategy is a task placement strategy as in the ECS API: binpack on "cpu"
// or "memory", spread on "instanceId" (or "host") or an attribute such as
// "attribute:ecs.availability-zone", or random.
type Strategy struct {
	Type  StrategyType `yaml:"type" json:"type"`
	Field string       `yaml:"field,omitempty" json:"field,omitempty"`
}

func (s Strategy) String() string {
	if s.Field == "" {
		return string(s.Type)
	}
	return string(s.Type) + "(" + s.Field + ")"
}

// Attributes that spread and memberOf understand.
const (
	AttrAZ           = "attribute:ecs.availability-zone"
	AttrInstanceType = "attribute:ecs.instance-type"
)

// DefaultService is the strategy ECS uses for a service with none: spread
// across Availability Zones, then the instance with the fewest tasks of the
// service (ECS Developer Guide, "Amazon ECS services").
var DefaultService = []Strategy{{Type: Spread, Field: AttrAZ}, {Type: Spread, Field: "instanceId"}}

// MaxStrategies is ECS's limit of placement strategies per service.
const MaxStrategies = 5

// Validate checks one strategy against the ECS API's rules.
func (s Strategy) Validate() error {
	switch s.Type {
	case Binpack:
		if s.Field != "cpu" && s.Field != "memory" {
			return fmt.Errorf("field: binpack needs field cpu or memory, got %q", s.Field)
		}
	case Spread:
		if s.Field == "" {
			return fmt.Errorf("field: spread needs a field (instanceId, host or attribute:...)")
		}
		if s.Field != "instanceId" && s.Field != "host" && s.Field != AttrAZ && s.Field != AttrInstanceType {
			return fmt.Errorf("field: cpsim spreads on instanceId, host, %s or %s, got %q", AttrAZ, AttrInstanceType, s.Field)
		}
	case Random:
		if s.Field != "" {
			return fmt.Errorf("field: random takes no field, got %q", s.Field)
		}
	default:
		return fmt.Errorf("type: must be binpack, spread or random, got %q", s.Type)
	}
	return nil
}

// ConstraintType is a placement constraint type of the ECS API.
type ConstraintType string

// The placement constraint types.
const (
	DistinctInstance ConstraintType = "distinctInstance"
	MemberOf         ConstraintType = "memberOf"
)

// MaxConstraints is ECS's limit of placement constraints per task.
const MaxConstraints = 10

// Constraint is a task placement constraint as in the ECS API.
type Constraint struct {
	Type       ConstraintType `yaml:"type" json:"type"`
	Expression string         `yaml:"expression,omitempty" json:"expression,omitempty"`
}

// Validate checks one constraint against the ECS API's rules and parses a
// memberOf expression.
func (c Constraint) Validate() error {
	switch c.Type {
	case DistinctInstance:
		if c.Expression != "" {
			return fmt.Errorf("expression: you can't specify an expression if the constraint type is distinctInstance")
		}
	case MemberOf:
		if len(c.Expression) > 2000 {
			return fmt.Errorf("expression: at most 2000 characters, got %d", len(c.Expression))
		}
		if _, err := parseExpr(c.Expression); err != nil {
			return fmt.Errorf("expression: %w", err)
		}
	default:
		return fmt.Errorf("type: must be distinctInstance or memberOf, got %q", c.Type)
	}
	return nil
}

// Reason says why a task could not be placed.
type Reason int

// The reasons a task stays unplaced, in the order Place checks them.
const (
	ReasonNone        Reason = iota
	ReasonNoInstances        // no ACTIVE container instance in the provider
	ReasonConstraint         // no instance satisfies the placement constraints
	ReasonCPU                // instances lack CPU units
	ReasonMemory             // instances lack memory
	ReasonTaskSlots          // instances reached their task limit (ENIs)
	ReasonTooLarge           // does not fit the smallest instance type of the group
)

var reasonText = [...]string{
	ReasonNone:        "",
	ReasonNoInstances: "no container instances were found in the capacity provider",
	ReasonConstraint:  "no container instance met the placement constraints",
	ReasonCPU:         "insufficient CPU units available",
	ReasonMemory:      "insufficient memory available",
	ReasonTaskSlots:   "instances reached their task limit",
	ReasonTooLarge:    "the task does not fit the smallest instance type of the Auto Scaling group",
}

func (r Reason) String() string {
	if int(r) < len(reasonText) {
		return reasonText[r]
	}
	return fmt.Sprintf("Reason(%d)", int(r))
}

// MarshalText names the reason in JSON.
func (r Reason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }
