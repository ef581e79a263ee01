package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"shanyu/source/imports"
	"shanyu/source/table"
)

// templateCommand is `shanyu template`: the empty file a county office
// fills in for each kind of import.
func templateCommand() *cobra.Command {
	var kind, format, out string
	cmd := &cobra.Command{
		Use:   "template --kind KIND --format xlsx|csv [--out FILE]",
		Short: "Write an empty import template: Chinese and English headers, notes with examples, drop-down lists",
		Long: "Write the file a county office fills in for `shanyu import`: one header row in Chinese with the English\n" +
			"name in brackets; in a workbook also a notes sheet explaining each column with an example, drop-down lists\n" +
			"for the enumerations and yes/no columns, and date cells for dates. Regions may also be written as GeoJSON\n" +
			"(--format geojson), the form that carries boundaries. The file goes to --out (default template-KIND.FORMAT;\n" +
			"- for standard output).",
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTemplate(kind, format, out)
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "", strings.Join(table.Order, " | "))
	cmd.Flags().StringVar(&format, "format", imports.FormatXLSX, "xlsx | csv (| geojson for regions)")
	cmd.Flags().StringVarP(&out, "out", "o", "", "file to write (default template-KIND.FORMAT; - for standard output)")
	return cmd
}

func runTemplate(kind, format, out string) error {
	k := table.ByName(kind)
	if k == nil {
		return usagef("template: --kind must be one of %s", strings.Join(table.Order, ", "))
	}
	b, err := imports.Template(k, format)
	if err != nil {
		return usagef("template: %v", err)
	}
	if out == "-" {
		_, err = os.Stdout.Write(b)
	} else {
		if out == "" {
			out = "template-" + kind + "." + format
		}
		err = os.WriteFile(out, b, 0o644)
		if err == nil {
			fmt.Printf("wrote %s: fill in the sheet %s, then: shanyu import --kind %s %s\n", out, k.Zh, kind, out)
		}
	}
	if err != nil {
		return fmt.Errorf("template: %w", err)
	}
	return nil
}
