package planner

import (
	"fmt"
	"math/rand"
	"reflect"
	"testing"
	"time"
)

// dayByDay is the dock as first written: it walks the calendar one day at
// a time, so it is obviously right and hopelessly slow for a big backlog
// (10^12 boxes at one a day never finished). It is kept as the oracle
// the arithmetic schedule is compared with.
type dayByDay struct {
	start    Date
	work     [7]bool
	holidays map[int]bool
	boxes    []int64
	latest   []int
}

func newDayByDay(start Date, d Dispatch, ships []Shipment) *dayByDay {
	o := &dayByDay{start: start, holidays: map[int]bool{}}
	for _, wd := range d.WorkDays {
		o.work[wd] = true
	}
	for _, h := range d.Holidays {
		o.holidays[h.DaysSince(start)] = true
	}
	for _, s := range ships {
		o.boxes = append(o.boxes, s.Boxes)
		o.latest = append(o.latest, s.LatestDispatch.DaysSince(start))
	}
	return o
}

func (o *dayByDay) next(day int) int {
	for !o.work[(int(o.start.Weekday())+day)%7] || o.holidays[day] {
		day++
	}
	return day
}

func (o *dayByDay) load(capacity int64) (first, last []int) {
	first, last = make([]int, len(o.boxes)), make([]int, len(o.boxes))
	day, room := o.next(0), capacity
	for i, b := range o.boxes {
		if room == 0 {
			day, room = o.next(day+1), capacity
		}
		first[i] = day
		for b > room {
			b -= room
			day, room = o.next(day+1), capacity
		}
		room -= b
		last[i] = day
	}
	return first, last
}

func (o *dayByDay) onTime(capacity int64) bool {
	_, last := o.load(capacity)
	for i := range last {
		if last[i] > o.latest[i] {
			return false
		}
	}
	return true
}

func (o *dayByDay) requiredCapacity(total int64) *int64 {
	lo, hi := int64(1), max(total, 1)
	if !o.onTime(hi) {
		return nil
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		if o.onTime(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return &lo
}

// randomDispatch draws a calendar: any start weekday, any non-empty set
// of work days, holidays before, on, after and between work days (some
// before the start, some repeated on a weekend).
func randomDispatch(rng *rand.Rand, start Date, capacity int64) Dispatch {
	d := Dispatch{BoxesPerDay: capacity}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		if rng.Intn(2) == 0 {
			d.WorkDays = append(d.WorkDays, wd)
		}
	}
	if len(d.WorkDays) == 0 {
		d.WorkDays = []time.Weekday{time.Weekday(rng.Intn(7))}
	}
	seen := map[int]bool{}
	for range rng.Intn(40) {
		n := rng.Intn(120) - 10
		if !seen[n] {
			seen[n] = true
			d.Holidays = append(d.Holidays, start.AddDays(n))
		}
	}
	return d
}

// TestLoadMatchesDayByDay compares the arithmetic dock with the oracle on
// random calendars, box counts and capacities, including boxes that span
// many days and shipments that fill a day exactly.
func TestLoadMatchesDayByDay(t *testing.T) {
	for seed := int64(1); seed <= 2000; seed++ {
		rng := rand.New(rand.NewSource(seed))
		start := NewDate(2009, 1, 1+rng.Intn(28))
		capacity := 1 + rng.Int63n(30)
		d := randomDispatch(rng, start, capacity)
		ships := make([]Shipment, 1+rng.Intn(12))
		for i := range ships {
			ships[i].Boxes = 1 + rng.Int63n(200)
			if rng.Intn(4) == 0 {
				ships[i].Boxes = capacity * (1 + rng.Int63n(3))
			}
			ships[i].LatestDispatch = start.AddDays(rng.Intn(150) - 5)
		}
		cal, err := newCalendar(start, d)
		if err != nil {
			t.Fatal(err)
		}
		ld, o := newLoading(cal, ships), newDayByDay(start, d, ships)
		name := fmt.Sprintf("seed %d (capacity %d, work %v, %d holidays)", seed, capacity, d.WorkDays, len(d.Holidays))
		first, last := ld.load(capacity)
		wantFirst, wantLast := o.load(capacity)
		if !reflect.DeepEqual(first, wantFirst) || !reflect.DeepEqual(last, wantLast) {
			t.Fatalf("%s: load = %v %v, day by day %v %v", name, first, last, wantFirst, wantLast)
		}
		var total int64
		for _, s := range ships {
			total += s.Boxes
		}
		got, want := ld.requiredCapacity(total), o.requiredCapacity(total)
		if (got == nil) != (want == nil) || got != nil && *got != *want {
			t.Fatalf("%s: required capacity = %v, day by day %v", name, deref(got), deref(want))
		}
	}
}

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestScheduleMatchesDayByDay plans random small campaigns on random
// calendars and checks every shipment's first and last dispatch day and
// the capacity needed against the oracle.
func TestScheduleMatchesDayByDay(t *testing.T) {
	for seed := int64(1); seed <= 300; seed++ {
		rng := rand.New(rand.NewSource(seed))
		c := randomCampaign(rng)
		c.Dispatch = randomDispatch(rng, c.Start, 1+rng.Int63n(400))
		p, err := Compute(c)
		if err != nil {
			continue // stock errors: TestComputeProperties covers them
		}
		o := newDayByDay(c.Start, c.Dispatch, p.Shipments)
		first, last := o.load(c.Dispatch.BoxesPerDay)
		for i, s := range p.Shipments {
			if f, l := c.Start.AddDays(first[i]), c.Start.AddDays(last[i]); s.FirstDispatch != f || s.Dispatch != l {
				t.Fatalf("seed %d, %s: dispatch %s..%s, day by day %s..%s", seed, s.City, s.FirstDispatch, s.Dispatch, f, l)
			}
		}
		want := o.requiredCapacity(p.TotalBoxes)
		if got := p.RequiredBoxesPerDay; (got == nil) != (want == nil) || got != nil && *got != *want {
			t.Fatalf("seed %d: required capacity = %v, day by day %v", seed, deref(got), deref(want))
		}
	}
}
