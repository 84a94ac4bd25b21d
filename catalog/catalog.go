package catalog

import (
	"maps"
	"slices"
)

// Type is one EC2 instance type.
type Type struct {
	Name   string
	VCPU   int
	Memory int // nominal MiB
	// RegisteredCPU is the CPU units the agent registers (VCPU × 1024).
	RegisteredCPU int
	// RegisteredMemory is the MiB the agent registers, before
	// ECS_RESERVED_MEMORY.
	RegisteredMemory int
	// MaxTasks caps tasks per instance; 0 means no cap.
	MaxTasks int
	// OnDemandPrice is USD per hour (us-east-1, Linux).
	OnDemandPrice float64
}

// RegisteredMemoryFactor is cpsim's model of registered memory for types
// whose figure ECS does not publish: nominal × 0.975, rounded down.
const RegisteredMemoryFactor = 0.975

// CPUUnitsPerVCPU is ECS's 1024 CPU units per vCPU.
const CPUUnitsPerVCPU = 1024

// published registered memory (MiB) from the ECS Developer Guide.
var published = map[string]int{
	"m4.large":   7985,
	"c4.large":   3768,
	"c4.4xlarge": 30158,
}

// builtin lists vCPU, nominal MiB and On-Demand $/h (spec/ecs-facts.md §8).
var builtin = []Type{
	{Name: "m5.large", VCPU: 2, Memory: 8192, OnDemandPrice: 0.096},
	{Name: "m5d.large", VCPU: 2, Memory: 8192, OnDemandPrice: 0.113},
	{Name: "m5a.large", VCPU: 2, Memory: 8192, OnDemandPrice: 0.086},
	{Name: "m5ad.large", VCPU: 2, Memory: 8192, OnDemandPrice: 0.103},
	{Name: "m5n.large", VCPU: 2, Memory: 8192, OnDemandPrice: 0.119},
	{Name: "m5dn.large", VCPU: 2, Memory: 8192, OnDemandPrice: 0.136},
	{Name: "m3.large", VCPU: 2, Memory: 7680, OnDemandPrice: 0.133},
	{Name: "m4.large", VCPU: 2, Memory: 8192, OnDemandPrice: 0.100},
	{Name: "t3.large", VCPU: 2, Memory: 8192, OnDemandPrice: 0.0832},
	{Name: "t2.large", VCPU: 2, Memory: 8192, OnDemandPrice: 0.0928},
	{Name: "t3.small", VCPU: 2, Memory: 2048, OnDemandPrice: 0.0208},
	{Name: "t3.medium", VCPU: 2, Memory: 4096, OnDemandPrice: 0.0416},
	{Name: "t3a.large", VCPU: 2, Memory: 8192, OnDemandPrice: 0.0752},
	{Name: "c5.large", VCPU: 2, Memory: 4096, OnDemandPrice: 0.085},
	{Name: "c5.xlarge", VCPU: 4, Memory: 8192, OnDemandPrice: 0.170},
	{Name: "m5.xlarge", VCPU: 4, Memory: 16384, OnDemandPrice: 0.192},
	{Name: "r5.large", VCPU: 2, Memory: 16384, OnDemandPrice: 0.126},
	// c4 sizes are here for their published registered values; prices are
	// not in the sourced table, so they are 0 (cost unknown).
	{Name: "c4.large", VCPU: 2, Memory: 3840},
	{Name: "c4.4xlarge", VCPU: 16, Memory: 30720},
}

// Complete fills RegisteredCPU and RegisteredMemory from VCPU and Memory
// when they are zero.
func (t *Type) Complete() {
	if t.RegisteredCPU == 0 {
		t.RegisteredCPU = t.VCPU * CPUUnitsPerVCPU
	}
	if t.RegisteredMemory == 0 {
		if m, ok := published[t.Name]; ok {
			t.RegisteredMemory = m
		} else {
			t.RegisteredMemory = int(float64(t.Memory) * RegisteredMemoryFactor)
		}
	}
}

// Catalog is a set of instance types by name. The zero value is empty; use
// Default for the built-in types.
type Catalog struct {
	types map[string]Type
}

// Default returns a new catalogue of the built-in types.
func Default() *Catalog {
	c := &Catalog{types: make(map[string]Type, len(builtin))}
	for _, t := range builtin {
		t.Complete()
		c.types[t.Name] = t
	}
	return c
}

// Lookup returns the named type.
func (c *Catalog) Lookup(name string) (Type, bool) {
	t, ok := c.types[name]
	return t, ok
}

// Put adds or replaces a type, completing its registered resources.
func (c *Catalog) Put(t Type) {
	if c.types == nil {
		c.types = map[string]Type{}
	}
	t.Complete()
	c.types[t.Name] = t
}

// Names returns the type names, sorted.
func (c *Catalog) Names() []string { return slices.Sorted(maps.Keys(c.types)) }

// LookupSize returns the registered CPU units and MiB of the named type.
func (c *Catalog) LookupSize(name string) (cpu, memory int, ok bool) {
	t, ok := c.types[name]
	return t.RegisteredCPU, t.RegisteredMemory, ok
}
