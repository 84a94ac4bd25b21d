package binpack

import (
	"fmt"
	"path"
	"strings"
)

// expr is a parsed memberOf expression of ECS's cluster query language,
// limited to the built-in attributes cpsim models: terms of the form
// "attribute:ecs.instance-type == t3.small", "!=", "in [a, b]", "not_in
// [a, b]" and "=~ pattern" (shell wildcards), joined by "and" or "or" (and
// binds tighter, as usual; no parentheses).
type expr struct {
	or [][]term // disjunction of conjunctions
}

type term struct {
	attr   string // AttrAZ or AttrInstanceType
	op     string // ==, !=, in, not_in, =~
	values []string
}

func parseExpr(s string) (expr, error) {
	var e expr
	if strings.TrimSpace(s) == "" {
		return e, fmt.Errorf("memberOf needs an expression")
	}
	for _, disj := range splitWord(s, "or") {
		var conj []term
		for _, c := range splitWord(disj, "and") {
			t, err := parseTerm(strings.TrimSpace(c))
			if err != nil {
				return e, err
			}
			conj = append(conj, t)
		}
		e.or = append(e.or, conj)
	}
	return e, nil
}

// splitWord splits s on the word w surrounded by spaces, case-insensitively.
func splitWord(s, w string) []string {
	var parts []string
	lower := strings.ToLower(s)
	sep := " " + w + " "
	for {
		i := strings.Index(lower, sep)
		if i < 0 {
			return append(parts, s)
		}
		parts = append(parts, s[:i])
		s, lower = s[i+len(sep):], lower[i+len(sep):]
	}
}

func parseTerm(s string) (term, error) {
	f := strings.Fields(s)
	if len(f) < 3 {
		return term{}, fmt.Errorf("cannot parse %q: want \"attribute:NAME OP VALUE\"", s)
	}
	t := term{attr: f[0], op: strings.ToLower(f[1])}
	switch t.attr {
	case AttrAZ, AttrInstanceType:
	default:
		return term{}, fmt.Errorf("cpsim models the attributes %s and %s, got %q", AttrAZ, AttrInstanceType, t.attr)
	}
	rest := strings.TrimSpace(strings.Join(f[2:], " "))
	switch t.op {
	case "==", "!=", "=~":
		t.values = []string{rest}
	case "in", "not_in":
		if !strings.HasPrefix(rest, "[") || !strings.HasSuffix(rest, "]") {
			return term{}, fmt.Errorf("%s needs a list like [a, b], got %q", t.op, rest)
		}
		for _, v := range strings.Split(rest[1:len(rest)-1], ",") {
			t.values = append(t.values, strings.TrimSpace(v))
		}
	default:
		return term{}, fmt.Errorf("unknown operator %q (want ==, !=, in, not_in or =~)", f[1])
	}
	if t.op == "=~" {
		if _, err := path.Match(rest, ""); err != nil {
			return term{}, fmt.Errorf("bad pattern %q: %v", rest, err)
		}
	}
	return t, nil
}

func (e expr) match(n *Node) bool {
	for _, conj := range e.or {
		ok := true
		for _, t := range conj {
			if !t.match(n) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func (t term) match(n *Node) bool {
	v := n.AZ
	if t.attr == AttrInstanceType {
		v = n.InstanceType
	}
	switch t.op {
	case "==":
		return v == t.values[0]
	case "!=":
		return v != t.values[0]
	case "=~":
		ok, _ := path.Match(t.values[0], v)
		return ok
	}
	in := false
	for _, x := range t.values {
		if x == v {
			in = true
			break
		}
	}
	return in == (t.op == "in")
}

// Filter is a compiled set of placement constraints. The zero value
// constrains nothing.
type Filter struct {
	distinct bool
	exprs    []expr
}

// NewFilter compiles placement constraints, or returns the first invalid
// one's error.
func NewFilter(cs []Constraint) (Filter, error) {
	var f Filter
	for i, c := range cs {
		if err := c.Validate(); err != nil {
			return Filter{}, fmt.Errorf("placementConstraints[%d].%w", i, err)
		}
		if c.Type == DistinctInstance {
			f.distinct = true
			continue
		}
		e, _ := parseExpr(c.Expression)
		f.exprs = append(f.exprs, e)
	}
	return f, nil
}

// allows reports whether the memberOf expressions admit the node.
func (f *Filter) allows(n *Node) bool {
	for _, e := range f.exprs {
		if !e.match(n) {
			return false
		}
	}
	return true
}
