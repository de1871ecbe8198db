package planner

// stateMemo is a shipment's derived state kept with the log it was
// derived from. Tracking reads (dashboard, progress, shipment lists) ask
// every shipment for its state several times per request; a record that
// a cache shares between requests carries its state so that none of them
// replays the log again.
//
// The memo is trusted only while the record still holds the very log and
// lines it was derived from (the same backing arrays and lengths): a copy
// whose Events were filtered (AsOfDay) or rewritten (redaction of venue
// ids) derives its own state, so a stale or unredacted state can never be
// read through it.
type stateMemo struct {
	events []Event
	lines  []ShipmentLine
	state  ShipmentState
}

// WithState returns s carrying its derived state, for records shared
// read-only by many readers. The state's maps and slices are shared by
// every caller of State on the result: nobody may modify them.
func (s ShipmentRecord) WithState() ShipmentRecord {
	s.memo = nil
	st := s.State()
	s.memo = &stateMemo{events: s.Events, lines: s.Lines, state: st}
	return s
}

// memoState is the memoised state of s, when it still describes s.
func (s *ShipmentRecord) memoState() (ShipmentState, bool) {
	m := s.memo
	if m == nil || !sameSlice(m.events, s.Events) || !sameSlice(m.lines, s.Lines) {
		return ShipmentState{}, false
	}
	return m.state, true
}

// sameSlice reports whether a and b are the same view of one array.
func sameSlice[T any](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	return len(a) == 0 || &a[0] == &b[0]
}
