// Package scenarios embeds cpsim's scenario files. workshop.yaml, the ECS
// workshop cluster, is the built-in default.
package scenarios

import (
	"embed"
	"io/fs"
	"path"
	"strings"
)

//go:embed *.yaml
var files embed.FS

// Default is the name of the built-in default scenario.
const Default = "workshop"

// Read returns the embedded scenario of that name (with or without .yaml).
func Read(name string) ([]byte, error) {
	return fs.ReadFile(files, strings.TrimSuffix(name, ".yaml")+".yaml")
}

// Names lists the embedded scenarios, without .yaml.
func Names() []string {
	ents, _ := fs.ReadDir(files, ".")
	var out []string
	for _, e := range ents {
		out = append(out, strings.TrimSuffix(e.Name(), path.Ext(e.Name())))
	}
	return out
}
