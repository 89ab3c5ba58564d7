// grafana-dashboard-check decodes Grafana dashboard JSON files strictly with the types Grafana's
// own schema generates (grafana-foundation-sdk, Apache-2.0; Grafana itself is AGPL and is not
// built here): a misspelt or unknown field, a required field left out or a value of the wrong type
// is reported with its path, so a dashboard Grafana's schema would reject is caught without
// running Grafana.
//
// Usage: grafana-dashboard-check FILE...   exit 0 when every file decodes and validates, 1 otherwise.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/plugins"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// exportKeys are what Grafana's "Export for sharing externally" adds around a dashboard for its
// import screen (datasource inputs, required plugins); they are not part of the dashboard model.
var exportKeys = []string{"__inputs", "__requires", "__elements"}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: grafana-dashboard-check FILE...")
		os.Exit(2)
	}
	plugins.RegisterDefaultPlugins()
	failed := false
	for _, file := range os.Args[1:] {
		if err := check(file); err != nil {
			fmt.Printf("%s: %v\n", file, err)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}

func check(file string) error {
	raw, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return fmt.Errorf("not a JSON object: %w", err)
	}
	for _, key := range exportKeys {
		delete(fields, key)
	}
	model, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	var d dashboard.Dashboard
	if err := orNil(d.UnmarshalJSONStrict(model)); err != nil {
		return err
	}
	return orNil(d.Validate())
}

// orNil turns the SDK's empty error list, which it returns as a non-nil error, into no error.
func orNil(err error) error {
	if errs, ok := err.(cog.BuildErrors); ok && len(errs) == 0 {
		return nil
	}
	return err
}
