package planner

import (
	"encoding/json"
	"fmt"
	"time"
)

// Date is a calendar day with no time zone: the schedule counts whole days
// and a shipment due "2009-03-26" is due that day wherever the server runs.
type Date struct{ t time.Time } // always midnight UTC

// NewDate returns the given calendar day.
func NewDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// DateOf returns the calendar day of t in t's own location.
func DateOf(t time.Time) Date { return NewDate(t.Date()) }

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, fmt.Errorf("must be a date YYYY-MM-DD")
	}
	return Date{t}, nil
}

func (d Date) String() string {
	if d.t.IsZero() {
		return ""
	}
	return d.t.Format("2006-01-02")
}
func (d Date) IsZero() bool                 { return d.t.IsZero() }
func (d Date) Time() time.Time              { return d.t }
func (d Date) AddDays(n int) Date           { return Date{d.t.AddDate(0, 0, n)} }
func (d Date) Weekday() time.Weekday        { return d.t.Weekday() }
func (d Date) Before(o Date) bool           { return d.t.Before(o.t) }
func (d Date) After(o Date) bool            { return d.t.After(o.t) }
func (d Date) Equal(o Date) bool            { return d.t.Equal(o.t) }
func (d Date) Compare(o Date) int           { return d.t.Compare(o.t) }
func (d Date) DaysSince(o Date) int         { return int((d.t.Unix() - o.t.Unix()) / secondsPerDay) }
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

var _ json.Marshaler = Decimal{}

// secondsPerDay makes DaysSince exact over any span: time.Duration, and so
// Time.Sub, saturates at about 292 years.
const secondsPerDay = 24 * 60 * 60
