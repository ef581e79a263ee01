package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"shanyu/source/imports"
	"shanyu/source/table"
)

// addTemplateCommand adds `shanyu template`: the empty file a county office
// fills in for each kind of import.
func addTemplateCommand(root *cobra.Command) {
	var kind, format, out string
	cmd := &cobra.Command{
		Use:   "template --kind KIND --format xlsx|csv [--out FILE]",
		Short: "Write an empty import template: Chinese and English headers, notes with examples, drop-down lists",
		Long: "Write the file a county office fills in for `shanyu import`: one header row in Chinese with the English\n" +
			"name in brackets; in a workbook also a notes sheet explaining each column with an example, drop-down lists\n" +
			"for the enumerations and yes/no columns, and date cells for dates. Regions may also be written as GeoJSON\n" +
			"(--format geojson), the form that carries boundaries. The file goes to --out (default template-KIND.FORMAT;\n" +
			"- for standard output).",
		Args: cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			os.Exit(runTemplate(kind, format, out))
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "", strings.Join(table.Order, " | "))
	cmd.Flags().StringVar(&format, "format", imports.FormatXLSX, "xlsx | csv (| geojson for regions)")
	cmd.Flags().StringVarP(&out, "out", "o", "", "file to write (default template-KIND.FORMAT; - for standard output)")
	root.AddCommand(cmd)
}

func runTemplate(kind, format, out string) int {
	k := table.ByName(kind)
	if k == nil {
		fmt.Fprintf(os.Stderr, "shanyu template: --kind must be one of %s\n", strings.Join(table.Order, ", "))
		return 2
	}
	b, err := imports.Template(k, format)
	if err != nil {
		fmt.Fprintln(os.Stderr, "shanyu template:", err)
		return 2
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
		fmt.Fprintln(os.Stderr, "shanyu template:", err)
		return 1
	}
	return 0
}
