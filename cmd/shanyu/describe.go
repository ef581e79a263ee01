package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"shanyu/county"
	"shanyu/source/postgis"
)

// describeCommand is `shanyu describe`: the publisher's description of the
// dataset (title, publisher, contact, licence, reference date, sources,
// county code), without editing any JSON by hand.
func describeCommand() *cobra.Command {
	var m county.Meta
	var from, refDate string
	var sources []string
	cmd := &cobra.Command{
		Use:   "describe",
		Short: "Describe the dataset in the database: title, publisher, contact, licence, reference date, sources, county code",
		Long: "Set the description the API serves at /api/v1/dataset. Until it is set every endpoint still answers and\n" +
			"the dataset says it is not described yet. --from reads a description in the form of a bundle's\n" +
			"dataset.json; flags given as well override it. generated_at is the time of this command, and each\n" +
			"later import moves it on. Example:\n\n" +
			"  shanyu describe --title-zh 龙泉市生育支持设施 --title 'Longquan fertility-support facilities' \\\n" +
			"    --publisher 龙泉市卫生健康局 --contact wjj@example.org --licence CC-BY-4.0 \\\n" +
			"    --reference-date 2025-12-31 --county-code 331181 \\\n" +
			"    --source '龙泉市卫生健康局|托育机构、母婴室|CC-BY-4.0' --source '龙泉市统计局|常住人口|CC-BY-4.0'",
		Args: args(cobra.NoArgs),
	}
	url := needsDatabase(cmd)
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		return runDescribe(cmd, url, m, from, refDate, sources)
	}
	f := cmd.Flags()
	f.StringVar(&from, "from", "", "a JSON file in the form of a bundle's dataset.json")
	f.StringVar(&m.Title, "title", "", "title in English")
	f.StringVar(&m.TitleZh, "title-zh", "", "title in Chinese")
	f.StringVar(&m.Publisher, "publisher", "", "the office that publishes the data")
	f.StringVar(&m.Contact, "contact", "", "how to reach the publisher (e-mail, telephone)")
	f.StringVar(&m.Licence, "licence", "", "licence of the data, e.g. CC-BY-4.0")
	f.StringVar(&refDate, "reference-date", "", "the day the figures describe (YYYY-MM-DD)")
	f.StringVar(&m.CountyCode, "county-code", "", "the six-digit code of the county (统计用区划代码)")
	f.StringVar(&m.Notice, "notice", "", "a notice shown with the data, in English")
	f.StringVar(&m.NoticeZh, "notice-zh", "", "a notice shown with the data, in Chinese")
	f.StringArrayVar(&sources, "source", nil, "a source as 'name|what it gave|licence' (repeat for each)")
	return cmd
}

func runDescribe(cmd *cobra.Command, url *string, flags county.Meta, from, refDate string, sources []string) error {
	fail := func(err error) error { return fmt.Errorf("describe: %w", err) }
	var m county.Meta
	if from != "" {
		b, err := os.ReadFile(from)
		if err != nil {
			return fail(err)
		}
		if err := json.Unmarshal(b, &m); err != nil {
			return fail(fmt.Errorf("%s: %v", from, err))
		}
	}
	set := func(dst *string, name, v string) {
		if cmd.Flags().Changed(name) {
			*dst = strings.TrimSpace(v)
		}
	}
	set(&m.Title, "title", flags.Title)
	set(&m.TitleZh, "title-zh", flags.TitleZh)
	set(&m.Publisher, "publisher", flags.Publisher)
	set(&m.Contact, "contact", flags.Contact)
	set(&m.Licence, "licence", flags.Licence)
	set(&m.CountyCode, "county-code", flags.CountyCode)
	set(&m.Notice, "notice", flags.Notice)
	set(&m.NoticeZh, "notice-zh", flags.NoticeZh)
	if cmd.Flags().Changed("reference-date") {
		m.ReferenceDate = county.Date(strings.TrimSpace(refDate))
	}
	if len(sources) > 0 {
		m.Sources = nil
		for _, s := range sources {
			parts := strings.Split(s, "|")
			if len(parts) != 3 {
				return usagef("describe: --source %q: write it as 'name|what it gave|licence'", s)
			}
			m.Sources = append(m.Sources, county.Source{Name: strings.TrimSpace(parts[0]),
				What: strings.TrimSpace(parts[1]), Licence: strings.TrimSpace(parts[2])})
		}
	}
	if err := postgis.CheckDescription(&m); err != nil {
		return usagef("describe: %v", err)
	}
	ctx := cmd.Context()
	pool, err := newPool(ctx, url)
	if err != nil {
		return fail(err)
	}
	defer pool.Close()
	source := "command line"
	if from != "" {
		source = from
	}
	if err := postgis.Describe(ctx, pool, m, source); err != nil {
		return fail(err)
	}
	title := m.TitleZh
	if title == "" {
		title = m.Title
	}
	fmt.Printf("described %s: %s, %s, reference date %s\n", m.CountyCode, title, m.Licence, m.ReferenceDate)
	return nil
}
