package jsonapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/web"
)

// The OpenAPI 3.0 description of /api/v1 is built from the table below
// rather than kept as a hand-edited file, so that parameters, bodies and
// error responses are written once per route; TestOpenAPIDocumentsEveryRoute
// fails when a registered /api/v1 route is missing from it.

// apiParam is a path, query or header parameter.
type apiParam struct {
	in, name, desc string
	schema         map[string]any
	required       bool
}

func pathParam(name, desc string) apiParam {
	return apiParam{in: "path", name: name, desc: desc, schema: obj("type", "integer", "format", "int64", "minimum", 1), required: true}
}

func queryParam(name, desc string, schema map[string]any) apiParam {
	return apiParam{in: "query", name: name, desc: desc, schema: schema}
}

func headerParam(name, desc string) apiParam {
	return apiParam{in: "header", name: name, desc: desc, schema: obj("type", "string")}
}

// apiOp is one documented operation.
type apiOp struct {
	method, path, id, summary, desc string
	role                            string // "" for public
	params                          []apiParam
	body                            string // request schema name; "" for none
	bodyOptional                    bool
	ok                              int
	okSchema                        string
	also                            map[int]string // other success statuses and their descriptions
	errs                            []int
	csv                             bool // the success response is text/csv
}

var (
	idParam       = pathParam("id", "campaign id")
	shipmentParam = pathParam("id", "shipment id")
	todayParam    = queryParam("today", "show the campaign as it was at the end of this day (YYYY-MM-DD; events dated after it are left out); between the start less 90 days and the campaign's today, else 400; default the campaign's as_of, else the date in Mexico City", obj("type", "string", "format", "date"))
	ifMatchParam  = headerParam("If-Match", `the shipment's ETag as read (W/"<version>"); a stale one is 409`)
	mapParams     = []apiParam{idParam, queryParam("material", "material code (default all)", obj("type", "string")),
		queryParam("category", "venue category code (default all)", obj("type", "string")),
		queryParam("metric", "what to colour by", obj("type", "string", "default", "allocated",
			"enum", []string{"allocated", "delivered", "distributed", "reached", "covered"}))}
	// mapLayerParams: a layer is also offered as a file (Content-Disposition
	// attachment with a dated name) with download=1.
	mapLayerParams = append(mapParams[:len(mapParams):len(mapParams)],
		queryParam("download", "1: answer as a file download named reparto-<campaign>-map-<layer>-<date>.geojson", obj("type", "string", "enum", []string{"1"})))
)

var apiOps = []apiOp{
	{method: "GET", path: "/api/v1/openapi.json", id: "getOpenAPI", summary: "This OpenAPI document", ok: 200, okSchema: ""},
	{method: "GET", path: "/api/v1/campaigns", id: "listCampaigns", summary: "List campaigns", role: web.RoleViewer + " or " + web.RoleField,
		ok: 200, okSchema: "CampaignList"},
	{method: "GET", path: "/api/v1/campaigns/{id}/shipments", id: "listShipments", summary: "List a campaign's shipments with state and status",
		desc: "A field account gets only the shipments of its places.",
		role: web.RoleViewer + " or " + web.RoleField, ok: 200, okSchema: "ShipmentList", errs: []int{400, 404, 422},
		params: []apiParam{idParam,
			queryParam("status", "keep shipments with this status on today", statusEnum()),
			queryParam("state", "keep shipments in this derived state", obj("type", "string", "enum", []string{"planned", "dispatched", "in_transit", "delivered", "distributed", "cancelled"})),
			queryParam("city", "keep shipments to this city code", obj("type", "string")), todayParam}},
	{method: "GET", path: "/api/v1/campaigns/{id}/progress", id: "getProgress", summary: "Campaign progress: totals per stage, burn-down, pace, projection, shipments at risk, losses",
		role: web.RoleViewer, ok: 200, okSchema: "Progress", errs: []int{400, 404, 422}, params: []apiParam{idParam, todayParam}},
	{method: "GET", path: "/api/v1/campaigns/{id}/alerts", id: "listAlerts", summary: "Unacknowledged discrepancy alerts",
		role: web.RoleViewer, ok: 200, okSchema: "AlertList", errs: []int{400, 404}, params: []apiParam{idParam}},
	{method: "GET", path: "/api/v1/campaigns/{id}/plan/versions", id: "listPlanVersions", summary: "Committed plan versions, oldest first",
		role: web.RoleViewer, ok: 200, okSchema: "PlanVersionList", errs: []int{400, 404}, params: []apiParam{idParam}},
	{method: "GET", path: "/api/v1/campaigns/{id}/plan/versions/{version}", id: "getPlanVersion", summary: "One plan version with its summary and its diff against the previous version",
		role: web.RoleViewer, ok: 200, okSchema: "PlanVersion", errs: []int{400, 404}, params: []apiParam{idParam, pathParam("version", "plan version")}},
	{method: "POST", path: "/api/v1/campaigns/{id}/plan/versions/{version}/restore", id: "restorePlanVersion", summary: "Commit an earlier version's quantities again as expected_version + 1",
		desc: "Under the rules of every commit: dispatched cities keep what they loaded and, once a shipment has left, the schedule starts today. 409 when another plan was committed meanwhile; 422 when the campaign no longer has a material, city or category of that version.",
		role: web.RolePlanner, ok: 201, okSchema: "PlanVersion", errs: []int{400, 404, 409, 422}, params: []apiParam{idParam, pathParam("version", "plan version to restore")}, body: "RestoreRequest"},
	{method: "POST", path: "/api/v1/campaigns/{id}/plan/preview", id: "previewPlan", summary: "Compute a plan from the stored campaign and diff it against the latest version; nothing is saved",
		desc: "Cities whose shipment has left are locked at their committed pieces.",
		role: web.RolePlanner, ok: 200, okSchema: "PlanPreview", errs: []int{400, 404, 409, 422}, params: []apiParam{idParam}},
	{method: "POST", path: "/api/v1/campaigns/{id}/plan/replan-preview", id: "previewReplan", summary: "Re-plan mid-campaign with options (reserve release) and diff against the latest version; nothing is saved",
		role: web.RolePlanner, ok: 200, okSchema: "PlanPreview", errs: []int{400, 404, 409, 422}, params: []apiParam{idParam},
		body: "ReplanOptions", bodyOptional: true},
	{method: "POST", path: "/api/v1/campaigns/{id}/plan/commit", id: "commitPlan", summary: "Commit the computed plan as expected_version + 1 and reconcile the shipments",
		desc: "409 when another plan was committed meanwhile (expected_version is no longer the latest), or when fingerprint (or If-Match) is not the fingerprint of the inputs now: the body then carries the new fingerprint and the changes from the reviewed plan when known. Once a shipment has left, the commit is a re-plan: dispatched cities keep what they loaded and the rest is scheduled from today.",
		role: web.RolePlanner, ok: 201, okSchema: "PlanVersion", errs: []int{400, 404, 409, 422}, params: []apiParam{idParam}, body: "CommitRequest"},
	{method: "GET", path: "/api/v1/shipments/{id}", id: "getShipment", summary: "A shipment with its events, derived state and status; ETag is its version",
		desc: "A shipment outside a field account's places is 404, as a missing one.",
		role: web.RoleViewer + " or " + web.RoleField, ok: 200, okSchema: "ShipmentDetail", errs: []int{400, 404, 422}, params: []apiParam{shipmentParam, todayParam}},
	{method: "PATCH", path: "/api/v1/shipments/{id}", id: "patchShipment", summary: "Reschedule an undispatched shipment (optimistic concurrency with If-Match)",
		role: web.RolePlanner, ok: 200, okSchema: "ShipmentDetail", errs: []int{400, 404, 409, 422},
		params: []apiParam{shipmentParam, ifMatchParam}, body: "ShipmentPatch"},
	{method: "POST", path: "/api/v1/shipments/{id}/events", id: "postEvent", summary: "Record an event (dispatched, in_transit, delivered, distributed, cancelled, correction)",
		desc: "Send an Idempotency-Key to retry safely: a retry with the same body returns the original event with 200; the same key with another body is 409. An invalid transition is 422 with the offending fields. A field account records only delivered and distributed events (403 for other kinds), on shipments of its places (404 for another place's).",
		role: web.RolePlanner + " or " + web.RoleField, ok: 201, okSchema: "Event", also: map[int]string{200: "replay of an Idempotency-Key: the event first recorded"},
		errs: []int{400, 404, 409, 422}, body: "Event",
		params: []apiParam{shipmentParam, headerParam("Idempotency-Key", "1-128 printable ASCII characters chosen by the client, unique per request"), ifMatchParam}},
	{method: "GET", path: "/api/v1/me", id: "getMe", summary: "The user of the token or session (id, email, role)", role: web.RoleViewer + " or " + web.RoleField, ok: 200, okSchema: "Me"},
	{method: "GET", path: "/api/v1/admin/users", id: "listUsers", summary: "Every user account", role: web.RoleAdmin, ok: 200},
	{method: "GET", path: "/api/v1/admin/audit", id: "listAudit", summary: "The audit log, newest first", role: web.RoleAdmin, ok: 200, errs: []int{422},
		params: []apiParam{queryParam("actor", "email of the actor", obj("type", "string")), queryParam("action", "action", obj("type", "string")),
			queryParam("entity", "entity", obj("type", "string")), queryParam("from", "first day (YYYY-MM-DD)", obj("type", "string", "format", "date")),
			queryParam("to", "last day (YYYY-MM-DD)", obj("type", "string", "format", "date")), queryParam("page", "page number", obj("type", "integer", "minimum", 1))}},
	{method: "GET", path: "/api/v1/campaigns/{id}/map/states.geojson", id: "mapStates", summary: "Map layer: states (GeoJSON)", role: web.RoleViewer, ok: 200, errs: []int{400, 404, 422},
		params: append([]apiParam{queryParam("outline", "full (default): the shipped outlines, which decide a point's state; display: simplified for drawing (Douglas-Peucker, 0.01° ≈ 1 km; about 40 % of the points), what the map page draws; else 422",
			obj("type", "string", "enum", []string{"full", "display"}))}, mapLayerParams...)},
	{method: "GET", path: "/api/v1/campaigns/{id}/map/cities.geojson", id: "mapCities", summary: "Map layer: cities (GeoJSON)", role: web.RoleViewer, ok: 200, errs: []int{400, 404, 422}, params: mapLayerParams},
	{method: "GET", path: "/api/v1/campaigns/{id}/map/venues.geojson", id: "mapVenues", summary: "Map layer: venues in a bounding box with their reach (GeoJSON; confidential venues left out for viewers, counted in totals only)", role: web.RoleViewer, ok: 200, errs: []int{400, 404, 422},
		params: append([]apiParam{queryParam("bbox", "minLon,minLat,maxLon,maxLat in degrees (default the whole map); else 422", obj("type", "string"))}, mapLayerParams...)},
	{method: "GET", path: "/api/v1/campaigns/{id}/map/gaps.json", id: "mapGaps", summary: "Coverage gaps of the campaign", role: web.RoleViewer, ok: 200, errs: []int{400, 404, 422}, params: mapParams},
	{method: "GET", path: "/api/v1/campaigns/{id}/map/gaps.csv", id: "mapGapsCSV", summary: "Every coverage gap as a CSV download (confidential venues as \"confidential venue\" for viewers)",
		role: web.RoleViewer, ok: 200, csv: true, errs: []int{400, 404}, params: mapParams},
	{method: "GET", path: "/api/v1/campaigns/{id}/map/gaps.geojson", id: "mapGapsGeoJSON", summary: "Every coverage gap as a GeoJSON download",
		role: web.RoleViewer, ok: 200, errs: []int{400, 404}, params: mapParams},
	{method: "POST", path: "/api/v1/alerts/{campaign}/{event}/ack", id: "ackAlert", summary: "Acknowledge the alerts of a delivered event (repeating is harmless)",
		role: web.RolePlanner, ok: 200, okSchema: "AlertAck", errs: []int{400, 404},
		params: []apiParam{pathParam("campaign", "campaign id"), pathParam("event", "id of the delivered event")}},
}

// OpenAPI returns the document served at /api/v1/openapi.json.
func OpenAPI() map[string]any {
	paths := map[string]any{}
	ops := apiOps
	// The CSV exports of api/exports, also served under /api/v1 for scripts.
	for _, what := range []string{"print-order", "manifest", "allocation", "shipments"} {
		ops = append(ops, apiOp{method: "GET", path: "/api/v1/campaigns/{id}/exports/" + what + ".csv",
			id: "export" + camel(what), summary: "CSV export: " + what +
				" (codes and quantities, never venue names)", role: web.RoleViewer, ok: 200, csv: true,
			errs: []int{400, 404}, params: []apiParam{idParam}})
	}
	for _, op := range ops {
		item, _ := paths[op.path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[op.path] = item
		}
		item[strings.ToLower(op.method)] = op.operation()
	}
	return obj(
		"openapi", "3.0.3",
		"info", obj("title", "Reparto API", "version", "1",
			"description", "Delivery tracking and planning for printed-material distribution campaigns. Errors have the shape {\"error\": {\"code\", \"message\", \"fields\"}}."),
		"servers", []any{obj("url", "/")},
		"security", []any{obj("bearer", []string{})},
		"tags", []any{obj("name", "tracking", "description", "shipments, events, progress and alerts"),
			obj("name", "planning", "description", "plan previews, commits and versions")},
		"paths", paths,
		"components", obj("securitySchemes", obj("bearer", obj("type", "http", "scheme", "bearer",
			"description", "an API token (account page); a signed-in browser session works too")),
			"schemas", apiSchemas()),
	)
}

func (op apiOp) operation() map[string]any {
	tag := "tracking"
	if strings.Contains(op.path, "/plan/") || strings.HasSuffix(op.path, "/campaigns") {
		tag = "planning"
	}
	out := obj("operationId", op.id, "summary", op.summary, "tags", []string{tag})
	if op.desc != "" || op.role != "" {
		d := op.desc
		if op.role != "" {
			d = strings.TrimSpace(d + " Needs the " + op.role + " role.")
		}
		out["description"] = d
	}
	if op.role == "" {
		out["security"] = []any{}
	}
	var params []any
	for _, p := range op.params {
		params = append(params, obj("in", p.in, "name", p.name, "description", p.desc, "required", p.required, "schema", p.schema))
	}
	if len(params) > 0 {
		out["parameters"] = params
	}
	if op.body != "" {
		out["requestBody"] = obj("required", !op.bodyOptional, "content", jsonContent(ref(op.body)))
	}
	responses := map[string]any{}
	okSchema := obj("type", "object")
	if op.okSchema != "" {
		okSchema = ref(op.okSchema)
	}
	ok := obj("description", http.StatusText(op.ok), "content", jsonContent(okSchema))
	if op.csv {
		ok["content"] = obj("text/csv", obj("schema", str()))
	}
	if op.path == "/api/v1/shipments/{id}" {
		ok["headers"] = obj("ETag", obj("description", `W/"<version>"`, "schema", obj("type", "string")))
	}
	responses[strconv.Itoa(op.ok)] = ok
	for status, desc := range op.also {
		responses[strconv.Itoa(status)] = obj("description", desc, "content", jsonContent(okSchema))
	}
	errs := op.errs
	if op.role != "" {
		errs = append([]int{401, 403}, errs...)
	}
	for _, status := range errs {
		responses[strconv.Itoa(status)] = obj("description", http.StatusText(status), "content", jsonContent(ref("Error")))
	}
	out["responses"] = responses
	return out
}

func jsonContent(schema map[string]any) map[string]any {
	return obj("application/json", obj("schema", schema))
}

func ref(name string) map[string]any { return obj("$ref", "#/components/schemas/"+name) }

// obj builds a JSON object from key, value pairs.
func obj(kv ...any) map[string]any {
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

// apiOpenAPI: GET /api/v1/openapi.json
func (s *handlers) apiOpenAPI(c *gin.Context) {
	c.JSON(http.StatusOK, OpenAPI())
}

// camel turns "print-order" into "PrintOrder", for operation ids.
func camel(s string) string {
	var b strings.Builder
	for _, part := range strings.Split(s, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}
