// Package exports is the downloads surface: the exports page and the CSV
// files for printers, warehouses, planners and carriers, as pages and
// under /api/v1; and the printed documents (documents.go): each
// shipment's packing list, waybill and delivery receipt, each dispatch
// day's for the dock, and the box labels whose QR codes carry the public
// URL (publicurl.go), drawn by planner/paper from the committed plan. It
// gets what it needs through Deps, which the top package api fills, and
// imports api/web and api/resolve, never a sibling surface.
package exports
