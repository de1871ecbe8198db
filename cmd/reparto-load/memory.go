package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// memory is what /proc/PID said about the server during the run: resident
// memory at the start, at the end and the highest seen, the kernel's own
// high-water mark (VmHWM, over the process's whole life), and the CPU time
// the server used, which unlike latency does not depend on what else the
// machine is running.
type memory struct {
	pid              int
	startKB, endKB   int64
	peakKB, hwmKB    int64
	cpuStart, cpuEnd time.Duration
	samples          int
	err              error
}

// memoryWatch samples a process's memory every half second until the run
// ends.
type memoryWatch struct {
	mu   sync.Mutex
	m    memory
	done chan struct{}
}

func watchMemory(ctx context.Context, pid int) *memoryWatch {
	w := &memoryWatch{m: memory{pid: pid}, done: make(chan struct{})}
	if pid <= 0 {
		close(w.done)
		return w
	}
	w.sample()
	go func() {
		defer close(w.done)
		tick := time.NewTicker(500 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				w.sample()
				return
			case <-tick.C:
				w.sample()
			}
		}
	}()
	return w
}

func (w *memoryWatch) sample() {
	rss, hwm, err := readStatus(w.m.pid)
	cpu, cerr := readCPU(w.m.pid)
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil || cerr != nil {
		w.m.err = errors.Join(err, cerr)
		return
	}
	if w.m.samples == 0 {
		w.m.startKB, w.m.cpuStart = rss, cpu
	}
	w.m.samples++
	w.m.endKB, w.m.cpuEnd = rss, cpu
	w.m.peakKB = max(w.m.peakKB, rss)
	w.m.hwmKB = max(w.m.hwmKB, hwm)
}

// result waits for the last sample (the run's context must be done).
func (w *memoryWatch) result() memory {
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.m
}

// readStatus reads VmRSS and VmHWM (kB) from /proc/PID/status.
func readStatus(pid int) (rss, hwm int64, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	return parseStatus(f)
}

func parseStatus(r io.Reader) (rss, hwm int64, err error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		name, value, found := strings.Cut(sc.Text(), ":")
		if !found || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: %w", name, err)
		}
		if name == "VmRSS" {
			rss = kb
		} else {
			hwm = kb
		}
	}
	if rss == 0 {
		return 0, 0, fmt.Errorf("no VmRSS in the process status")
	}
	return rss, hwm, sc.Err()
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat times: 100 on Linux.
const clockTicks = 100

// readCPU returns the user+system CPU time of a process.
func readCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStat(string(b))
}

// parseStat reads utime and stime, fields 14 and 15 of /proc/PID/stat,
// counted after the command name, which is in parentheses and may hold
// spaces.
func parseStat(stat string) (time.Duration, error) {
	i := strings.LastIndexByte(stat, ')')
	f := strings.Fields(stat[i+1:]) // f[0] is field 3 (state)
	if i < 0 || len(f) < 13 {
		return 0, fmt.Errorf("unexpected /proc stat %q", stat)
	}
	var ticks int64
	for _, s := range f[11:13] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc stat: %w", err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

func mb(kb int64) string { return strconv.FormatFloat(float64(kb)/1024, 'f', 1, 64) + " MiB" }

func (m memory) print(w io.Writer) {
	switch {
	case m.pid <= 0:
		return
	case m.samples == 0:
		fmt.Fprintf(w, "server memory (pid %d): not readable: %v\n", m.pid, m.err)
	default:
		fmt.Fprintf(w, "server memory (pid %d): RSS %s at start, %s at end, peak %s sampled; VmHWM %s\n",
			m.pid, mb(m.startKB), mb(m.endKB), mb(m.peakKB), mb(m.hwmKB))
	}
}
