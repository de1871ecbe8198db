// Package jsonapi is the JSON API surface under /api/v1 for field staff,
// couriers and scripts (campaigns, shipments and their events, progress,
// alerts, plan previews, commits and versions) and its OpenAPI document
// (/api/v1/openapi.json). A new endpoint is a handler here registered in
// Routes and described in OpenAPI() (a test fails when one is missing);
// it gets what it needs through Deps, which the top package api fills. It
// imports api/web and api/resolve, never a sibling surface.
package jsonapi
