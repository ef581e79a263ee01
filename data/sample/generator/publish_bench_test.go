package generator

import (
	"testing"

	"shanyu/data/sample"
)

// BenchmarkPublishSample publishes the sample county's indicators from its
// microdata: building the release with every relation, primary and
// secondary suppression, and the audit that gates it.
//
//	go test ./data/sample/generator -run '^$' -bench PublishSample -benchtime 1x
func BenchmarkPublishSample(b *testing.B) {
	ref, err := ReadReference(sample.Reference())
	if err != nil {
		b.Fatal(err)
	}
	ds, err := Generate(ref, DefaultSeed)
	if err != nil {
		b.Fatal(err)
	}
	md := Microdata(ds, DefaultSeed)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pub, _, err := Publish(ds, md)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(pub.Audit.Loss.Suppressed), "hidden-figures")
		b.ReportMetric(float64(pub.Audit.Loss.Figures), "figures")
		b.ReportMetric(float64(pub.Audit.Rounds), "rounds")
	}
}
