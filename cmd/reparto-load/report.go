package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// recorder keeps every latency of the run, per endpoint, and counts
// failures by status (or by transport error).
type recorder struct {
	mu        sync.Mutex
	latencies map[string][]time.Duration // endpoint → successful latencies
	failures  map[string]map[string]int  // endpoint → status or error → count
	writes    map[string]bool
}

func newRecorder() *recorder {
	return &recorder{latencies: map[string][]time.Duration{}, failures: map[string]map[string]int{}, writes: map[string]bool{}}
}

// ok says whether a status is the answer a user expects: 2xx.
func ok(status int) bool { return status >= 200 && status < 300 }

func (r *recorder) add(e endpoint, took time.Duration, status int, errText string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.writes[e.name] = e.write
	if errText == "" && ok(status) {
		r.latencies[e.name] = append(r.latencies[e.name], took)
		return
	}
	key := strconv.Itoa(status)
	if errText != "" {
		key = "error: " + errText
		if len(key) > 80 {
			key = key[:80]
		}
	}
	if r.failures[e.name] == nil {
		r.failures[e.name] = map[string]int{}
	}
	r.failures[e.name][key]++
}

// percentile is the nearest-rank p-th percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// summary is the latency summary of a group of requests.
type summary struct {
	n                  int
	p50, p95, p99, max time.Duration
}

func summarize(ds []time.Duration) summary {
	s := slices.Clone(ds)
	slices.Sort(s)
	out := summary{n: len(s), p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99)}
	if len(s) > 0 {
		out.max = s[len(s)-1]
	}
	return out
}

// report is the outcome of a run.
type report struct {
	cfg     config
	elapsed time.Duration
	rec     *recorder
	mem     memory
}

func (rp *report) errors() int {
	n := 0
	for _, m := range rp.rec.failures {
		for _, c := range m {
			n += c
		}
	}
	return n
}

// class gathers the latencies of the reads or of the writes.
func (rp *report) class(write bool) []time.Duration {
	var all []time.Duration
	for name, ds := range rp.rec.latencies {
		if rp.rec.writes[name] == write {
			all = append(all, ds...)
		}
	}
	return all
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64)
}

func (rp *report) print(w io.Writer) {
	ok := 0
	for _, ds := range rp.rec.latencies {
		ok += len(ds)
	}
	total := ok + rp.errors()
	secs := rp.elapsed.Seconds()
	fmt.Fprintf(w, "users %d, think %v, ran %.1f s: %d requests, %.1f req/s (%d ok, %d failed)\n",
		rp.cfg.Users, rp.cfg.Think, secs, total, float64(total)/secs, ok, rp.errors())
	fmt.Fprintf(w, "%-12s %8s %9s %9s %9s %9s\n", "latency ms", "n", "p50", "p95", "p99", "max")
	line := func(name string, s summary) {
		fmt.Fprintf(w, "%-12s %8d %9s %9s %9s %9s\n", name, s.n, ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max))
	}
	line("reads", summarize(rp.class(false)))
	line("writes", summarize(rp.class(true)))
	names := make([]string, 0, len(rp.rec.latencies))
	for name := range rp.rec.latencies {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		line("  "+name, summarize(rp.rec.latencies[name]))
	}
	if rp.errors() == 0 {
		fmt.Fprintln(w, "errors: none")
	} else {
		fmt.Fprintln(w, "errors:")
		var lines []string
		for name, m := range rp.rec.failures {
			for k, c := range m {
				lines = append(lines, fmt.Sprintf("  %-12s %-40s %d", name, k, c))
			}
		}
		sort.Strings(lines)
		fmt.Fprintln(w, strings.Join(lines, "\n"))
	}
	rp.mem.print(w)
	if m := rp.mem; m.samples > 0 && total > 0 {
		cpu := m.cpuEnd - m.cpuStart
		fmt.Fprintf(w, "server CPU: %.1f s, %.1f ms per request, %.0f%% of one core\n",
			cpu.Seconds(), float64(cpu)/float64(time.Millisecond)/float64(total), 100*cpu.Seconds()/secs)
	}
}
