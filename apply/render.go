package apply

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/cpsim/cpsim/strategy"
)

// WriteText writes the plan in Terraform's style: + create, ~ update
// (field: old → new), - delete or disassociate, then a one-line summary.
func WriteText(w io.Writer, p *Plan) error {
	var b strings.Builder
	if p.Empty() {
		fmt.Fprintf(&b, "No changes. ECS matches the plan for cluster %q.\n", p.Cluster)
	} else {
		fmt.Fprintf(&b, "cpapply will perform the following actions on cluster %q:\n", p.Cluster)
		for _, c := range p.Changes {
			b.WriteString("\n")
			fmt.Fprintf(&b, "  %s %s %q", c.Action.Sign(), kindLabel(c.Kind), c.Name)
			if c.ForceNewDeployment {
				b.WriteString("  # forces a new deployment")
			}
			b.WriteString("\n")
			width := 0
			for _, f := range c.Fields {
				width = max(width, len(f.Name))
			}
			for _, f := range c.Fields {
				fmt.Fprintf(&b, "      %s %-*s  %s\n", f.Action.Sign(), width+1, f.Name+":", fieldText(f))
			}
		}
	}
	if len(p.Kept) > 0 {
		fmt.Fprintf(&b, "\nKept (associated with the cluster, not listed in the file; --prune removes them): %s\n", strings.Join(p.Kept, ", "))
	}
	for _, n := range p.Notes {
		fmt.Fprintf(&b, "\nNote: %s.\n", n)
	}
	if !p.Empty() {
		s := p.Summary()
		fmt.Fprintf(&b, "\nPlan: %d to create, %d to update, %d to delete.\n", s.Create, s.Update, s.Delete)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// jsonPlan is the -o json form: the plan and its summary.
type jsonPlan struct {
	*Plan
	Summary Summary `json:"summary"`
}

// WriteJSON writes the plan as indented JSON with a summary.
func WriteJSON(w io.Writer, p *Plan) error {
	if p.Changes == nil {
		p.Changes = []Change{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(jsonPlan{Plan: p, Summary: p.Summary()})
}

func kindLabel(k string) string {
	switch k {
	case KindCapacityProvider:
		return "capacity provider"
	}
	return k
}

func fieldText(f Field) string {
	switch f.Action {
	case Create:
		return valueText(f.New)
	case Delete:
		return valueText(f.Old)
	}
	return valueText(f.Old) + " → " + valueText(f.New)
}

func valueText(v any) string {
	switch v := v.(type) {
	case nil:
		return "(none)"
	case string:
		return fmt.Sprintf("%q", v)
	case Label:
		return string(v)
	case strategy.Strategy:
		return StrategyText(v)
	}
	return fmt.Sprint(v)
}

// StrategyText writes a strategy as [od base=1 weight=1, spot weight=4].
func StrategyText(s strategy.Strategy) string {
	var parts []string
	for _, it := range s {
		p := it.CapacityProvider
		if it.Base > 0 {
			p += fmt.Sprintf(" base=%d", it.Base)
		}
		p += fmt.Sprintf(" weight=%d", it.Weight)
		parts = append(parts, p)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// Label is a value shown without quotes in the text plan, such as a
// service's launch type where it has no strategy.
type Label string
