package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// memory is what /proc/PID/status said about the server during the run:
// resident memory at the start, at the end and the highest seen, and the
// kernel's own high-water mark (VmHWM, over the process's whole life).
type memory struct {
	pid            int
	startKB, endKB int64
	peakKB, hwmKB  int64
	samples        int
	err            error
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
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		w.m.err = err
		return
	}
	if w.m.samples == 0 {
		w.m.startKB = rss
	}
	w.m.samples++
	w.m.endKB = rss
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
