package planio

import (
	"bytes"
	"encoding/json"
	"syscall"
	"testing"
	"time"

	"github.com/reparto/reparto/assets"

	"github.com/reparto/reparto/planner"
)

// BenchmarkParseCampaignNational100k reads a national file of 100,000
// venues (12 MB of compact JSON, as gendemo -national writes it).
// cmd/gendemo/national.sh measures the whole `reparto plan` and `reparto
// import` of the 1M-venue file, with peak RSS.
func BenchmarkParseCampaignNational100k(b *testing.B) {
	c, err := syntheticNational(100_000)
	if err != nil {
		b.Fatal(err)
	}
	indented, err := MarshalCampaign(c)
	if err != nil {
		b.Fatal(err)
	}
	var file bytes.Buffer
	if err := json.Compact(&file, indented); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(file.Len()))
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if _, err := ParseCampaign(bytes.NewReader(file.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// syntheticNational is planner.SynthesizeNational on the shipped places.
func syntheticNational(venues int) (*planner.Campaign, error) {
	f, err := assets.FS.Open("geo/mx_places.csv")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return planner.SynthesizeNational(f, venues, 1)
}

// cpuTime is the CPU time (user and system) the process has used so far:
// the figure that holds on a busy machine, where wall time does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
