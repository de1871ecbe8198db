package store

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/reparto/reparto/planner"
)

// Column encodings shared by every table. They are plain text so that a
// row reads the same in SQLite and PostgreSQL and in a SQL console.

// formatWorkDays writes "Mon,Tue,Wed" (the campaign file's spelling).
func formatWorkDays(days []time.Weekday) string {
	s := make([]string, len(days))
	for i, d := range days {
		s[i] = d.String()[:3]
	}
	return strings.Join(s, ",")
}

// parseWorkDays reads formatWorkDays' text, sorted Sunday..Saturday.
func parseWorkDays(s string) ([]time.Weekday, error) {
	if s == "" {
		return nil, nil
	}
	var days []time.Weekday
	for _, name := range strings.Split(s, ",") {
		d, ok := weekdays[name]
		if !ok {
			return nil, fmt.Errorf("work day %q", name)
		}
		days = append(days, d)
	}
	slices.Sort(days)
	return days, nil
}

var weekdays = func() map[string]time.Weekday {
	m := map[string]time.Weekday{}
	for d := time.Sunday; d <= time.Saturday; d++ {
		m[d.String()[:3]] = d
	}
	return m
}()

// formatDates writes "2009-02-02,2009-04-09".
func formatDates(dates []planner.Date) string {
	s := make([]string, len(dates))
	for i, d := range dates {
		s[i] = d.String()
	}
	return strings.Join(s, ",")
}

func parseDates(s string) ([]planner.Date, error) {
	if s == "" {
		return nil, nil
	}
	var dates []planner.Date
	for _, t := range strings.Split(s, ",") {
		d, err := planner.ParseDate(t)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", t, err)
		}
		dates = append(dates, d)
	}
	return dates, nil
}

// A Decimal is stored as its exact text. "0" reads back as the zero
// Decimal, which is what the campaign file gives an absent reserve_pct.
func decimalText(d planner.Decimal) string { return d.String() }

func parseDecimalText(s string) (planner.Decimal, error) {
	if s == "0" {
		return planner.Decimal{}, nil
	}
	return planner.ParseDecimal(s)
}

func nullDecimal(d *planner.Decimal) sql.NullString {
	if d == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: decimalText(*d), Valid: true}
}

func parseNullDecimal(s sql.NullString) (*planner.Decimal, error) {
	if !s.Valid {
		return nil, nil
	}
	d, err := parseDecimalText(s.String)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// nullString stores "" as NULL, for optional references such as a venue's
// city, which a foreign key must then ignore.
func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

func nullInt(p *int64) sql.NullInt64 {
	if p == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: *p, Valid: true}
}

func intPtr(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}

// mustAffect returns notFound when res touched no row.
func mustAffect(res sql.Result, notFound error) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("rows affected: %w", err)
	}
	if n == 0 {
		return notFound
	}
	return nil
}
