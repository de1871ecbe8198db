// Package web holds what every surface of Reparto's web layer shares, and
// nothing surface-specific: the page model and rendering (Page, UI,
// Kit.Render), the user's language, error mapping to statuses, JSON
// problem bodies and error pages (Kit.APIError, Kit.PageError), roles and
// Kit.RequireRole, the one form reader (Form), request ids and ETags.
//
// It sits below the surface packages (api/pages, api/jsonapi, ...) and
// imports none of them; the top package api builds one Kit and hands it
// to each surface, so no surface holds a Server. A helper a second
// surface needs moves here; a helper one surface needs stays there.
package web
