package planner

import "strconv"

// Field errors name the value they are about by its JSON path in the
// campaign file ("venues[3].name", `campaign["k e y"]`), whether the
// campaign came from a file, a form or the store: Validate builds these
// paths, and planio's file reader builds the same ones for what it cannot
// read, so both kinds of error sort and merge into one list.

// JoinPath appends an object key to a path. A key that is not a plain
// name (it can only be an unknown one) is written quoted, as ["k e y"], so
// that a path is always one unambiguous line.
func JoinPath(path, key string) string {
	if !plainKey(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func plainKey(key string) bool {
	for _, r := range key {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return key != ""
}

// IndexPath appends a list index to a path.
func IndexPath(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }
