// Package registry reads the venue registries that Mexican offices have —
// INEGI's DENUE bulk CSV and the health ministry's CLUES catalogue (XLSX) —
// and decides, row by row, which rows become venues of a campaign: the
// SCIAN → category mapping, the reasons a row is dropped, the city it is
// delivered to and whether it is confidential (docs/registries.md).
//
// It is pure: readers take an io.Reader (or io.ReaderAt for a zip), the
// mapping and the geodata are passed in, and rows stream one at a time so
// that a million-row file is read in bounded memory. Writing the venues is
// the store's job (store.ImportRegistry).
package registry
