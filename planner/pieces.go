package planner

import "math"

// addPieces adds two piece counts, saturating at the int64 bounds instead
// of wrapping around. ValidateEvent bounds every reported quantity by what
// the shipment can physically hold, so sums of a valid log never come near
// the bounds; saturation keeps a log recorded before those bounds (or any
// other out-of-range input) from turning a total negative.
func addPieces(a, b int64) int64 {
	s := a + b
	switch {
	case a > 0 && b > 0 && s < 0:
		return math.MaxInt64
	case a < 0 && b < 0 && s >= 0:
		return math.MinInt64
	}
	return s
}
