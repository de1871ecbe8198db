// Package exports is the downloads surface: the exports page and the CSV
// files for printers, warehouses, planners and carriers, as pages and
// under /api/v1. Printable documents (PDFs) belong here too: one more
// entry in the exports list or handler registered in Routes, getting what
// it needs through Deps, which the top package api fills. It imports
// api/web and api/resolve, never a sibling surface.
package exports
