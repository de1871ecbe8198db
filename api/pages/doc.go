// Package pages is the HTML surface for logistics staff: the campaign
// list, lifecycle and settings, the dashboard and shipment pages with
// their event forms, the plan pages (matrix, cell, scenario, commit,
// versions) and the campaign data pages (materials, cities, venues,
// targeting, imports).
//
// A new page is a handler on handlers in a file named for its area,
// registered from that area's routesXxx (called by Routes), rendered with
// s.Web.Render and a template in assets/templates/pages/; it gets what it
// needs through Deps, which the top package api fills. It imports
// api/web and api/resolve, never a sibling surface (api/jsonapi,
// api/exports, api/mapdata): a helper two surfaces need moves down into
// api/web or api/resolve.
package pages
