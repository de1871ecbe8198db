package jsonapi

// Schemas of the OpenAPI document: the JSON shapes of api/*_api.go and of
// the planner types they return.

import (
	"slices"

	"github.com/reparto/reparto/planner"
	"github.com/reparto/reparto/planner/account"
)

func str() map[string]any      { return obj("type", "string") }
func integer() map[string]any  { return obj("type", "integer", "format", "int64") }
func boolean() map[string]any  { return obj("type", "boolean") }
func number() map[string]any   { return obj("type", "number") }
func date() map[string]any     { return obj("type", "string", "format", "date") }
func dateTime() map[string]any { return obj("type", "string", "format", "date-time") }
func nullable(s map[string]any) map[string]any {
	s["nullable"] = true
	return s
}
func arrayOf(items map[string]any) map[string]any { return obj("type", "array", "items", items) }
func intMap() map[string]any                      { return obj("type", "object", "additionalProperties", integer()) }

// object is a schema with the given properties, all required unless listed in optional.
func object(props map[string]any, optional ...string) map[string]any {
	var required []string
	for k := range props {
		if !slices.Contains(optional, k) {
			required = append(required, k)
		}
	}
	out := obj("type", "object", "properties", props)
	if len(required) > 0 {
		slices.Sort(required)
		out["required"] = required
	}
	return out
}

// statusEnum is a shipment status (planner.Statuses).
func statusEnum() map[string]any {
	var names []string
	for _, s := range planner.Statuses {
		names = append(names, string(s))
	}
	return obj("type", "string", "enum", names)
}

// lossReason is why pieces were lost at delivery: a rejection reason, or
// "missing" for pieces dispatched but neither accepted nor rejected.
func lossReason() map[string]any {
	return obj("type", "string", "enum", []string{"damaged", "lost", "wrong_item", "surplus", "missing"})
}

func apiSchemas() map[string]any {
	quantity := object(obj("pieces", integer(), "boxes", integer()))
	reason := object(obj("code", str(), "params", obj("type", "object", "additionalProperties", str())))
	shipment := object(obj(
		"id", integer(), "campaign_id", integer(), "plan_version", integer(), "city", str(),
		"lines", arrayOf(ref("ShipmentLine")), "boxes", integer(), "pieces", integer(), "transit_days", integer(),
		"latest_dispatch", date(), "first_dispatch", date(), "dispatch", date(), "arrival", date(), "due", date(),
		"expected_arrival", obj("type", "string", "format", "date", "description", "dispatched: the real dispatch day plus transit_days; "+
			"not dispatched yet: arrival while today is on or before the planned dispatch day, else today plus transit_days (never in the past)"),
		"version", integer(), "today", date(),
		"status", statusEnum(),
		"reason", ref("Reason"), "reason_text", str(), "state", ref("ShipmentState")))
	detail := obj("allOf", []any{ref("Shipment"), object(obj("events", arrayOf(ref("Event"))))})
	event := object(obj(
		"id", obj("type", "integer", "format", "int64", "readOnly", true),
		"kind", obj("type", "string", "enum", []string{"dispatched", "in_transit", "delivered", "distributed", "cancelled", "correction"}),
		"date", date(), "recorded_at", obj("type", "string", "format", "date-time", "readOnly", true),
		"author", obj("type", "string", "readOnly", true), "note", str(),
		"carrier", str(), "waybill", str(), "vehicle", str(), "boxes", integer(), "loaded", arrayOf(ref("LoadedLine")),
		"checkpoint", str(), "delivered_by", str(), "received_by", str(), "lines", arrayOf(ref("DeliveryLine")),
		"discrepancy", boolean(), "distribution", arrayOf(ref("DistributionLine")), "reason", str(),
		"corrects", integer(), "replacement", ref("Event")),
		"id", "recorded_at", "author", "note", "carrier", "waybill", "vehicle", "boxes", "loaded", "checkpoint",
		"delivered_by", "received_by", "lines", "discrepancy", "distribution", "reason", "corrects", "replacement")
	event["description"] = "Which fields apply depends on kind; fields of another kind are refused (422). id, recorded_at and author are set by the server."
	state := object(obj(
		"stage", str(), "dispatched_on", date(), "last_seen_on", date(), "delivered_on", date(), "distributed_on", date(),
		"cancelled_on", date(), "last_event_on", date(), "carrier", str(), "waybill", str(), "vehicle", str(), "checkpoint", str(),
		"dispatched_boxes", integer(), "dispatched", intMap(), "accepted", intMap(), "rejected", intMap(), "distributed", intMap(),
		"distribution", arrayOf(ref("DistributionLine")), "losses", arrayOf(ref("Loss")), "discrepancy", boolean(),
		"cancel_reason", str(), "corrected", arrayOf(integer()), "delivery_event_id", integer()),
		"dispatched_on", "last_seen_on", "delivered_on", "distributed_on", "cancelled_on", "last_event_on", "carrier",
		"waybill", "vehicle", "checkpoint", "cancel_reason", "delivery_event_id")
	assessment := object(obj("shipment_id", integer(), "city", str(), "due", date(), "status", str(), "reason", ref("Reason"), "text", str()))
	progress := object(obj(
		"today", date(), "start", date(), "deadline", date(), "planned", ref("Quantity"), "dispatched", ref("Quantity"),
		"delivered", ref("Quantity"), "distributed", ref("Quantity"), "remaining_boxes", integer(),
		"burn_down", arrayOf(object(obj("date", date(), "planned_boxes", integer(),
			"dispatched_boxes", nullable(integer()), "delivered_pieces", nullable(integer())))),
		"pace_from", nullable(date()), "pace_days", integer(), "pace_boxes", integer(), "pace", number(),
		"projected_completion", nullable(date()), "projected_slip_days", nullable(obj("type", "integer")),
		"by_status", intMap(), "at_risk", arrayOf(ref("Assessment")), "losses", arrayOf(ref("Loss")),
		"losses_by_reason", arrayOf(object(obj("reason", lossReason(), "pieces", integer())))))
	alert := object(obj("event_id", integer(), "shipment_id", integer(), "city", str(), "date", date(), "material", str(),
		"dispatched", integer(), "accepted", integer(), "rejected", integer(), "reason", str(), "missing", integer(),
		"discrepancy", boolean()), "reason")
	quantityDiff := obj("old_pieces", integer(), "new_pieces", integer(), "pieces", integer(),
		"old_boxes", integer(), "new_boxes", integer(), "boxes", integer())
	withKeys := func(extra ...any) map[string]any {
		m := obj(extra...)
		for k, v := range quantityDiff {
			m[k] = v
		}
		return object(m, "material")
	}
	dateChange := object(obj("old", nullable(date()), "new", nullable(date())))
	diff := object(obj(
		"lines", arrayOf(withKeys("city", str(), "material", str())),
		"materials", arrayOf(withKeys("material", str())),
		"cities", arrayOf(withKeys("city", str(), "change", obj("type", "string", "enum", []string{"added", "removed", "changed"}),
			"first_dispatch", dateChange, "dispatch", dateChange, "arrival", dateChange)),
		"totals", withKeys("cities_added", integer(), "cities_removed", integer(), "cities_changed", integer())))
	// The shape of summary.json (planio.Summary, docs/planning.md#summaryjson).
	summary := object(obj("shipments", integer(), "total_boxes", integer(), "total_pieces", integer(),
		"total_weight_kg", nullable(number()), "required_boxes_per_day", nullable(integer()),
		"late_cities", arrayOf(object(obj("city", str(), "late_days", integer()))),
		"unassigned_venues", obj("type", "array", "description", "ids of the venues no campaign city serves, sorted", "items", str()),
		"materials", arrayOf(object(obj("code", str(), "printed", integer(), "reserve", integer(), "locked", integer(),
			"allocated", integer(), "leftover", integer(), "demand", integer(),
			"min_fill", nullable(number()), "max_fill", nullable(number()), "no_target_venues", boolean())))))
	replan := object(obj("release_reserve", boolean(),
		"reserve_pct", obj("type", "object", "description", "reserve percentage (0..50) per material code", "additionalProperties", number())),
		"release_reserve", "reserve_pct")
	commit := object(obj("expected_version", obj("type", "integer", "minimum", 0, "description", "base_version of the reviewed preview (0 for the first plan)"),
		"fingerprint", obj("type", "string", "description", "fingerprint of the reviewed preview (If-Match works too); another one than the inputs' now is 409"),
		"note", str(), "release_reserve", boolean(), "reserve_pct", obj("type", "object", "additionalProperties", number())),
		"fingerprint", "note", "release_reserve", "reserve_pct")
	return obj(
		"Error", object(obj("error", object(obj("code", str(),
			"message", obj("type", "string", "description", "what went wrong: in English, or in Spanish or English when Accept-Language asks for es or en"),
			"message_id", obj("type", "string", "description", "id of message (see the errors catalogue, errors.ID), when it has one"),
			"request_id", str(),
			"fields", obj("type", "object", "description", "JSON path of each invalid field → what is wrong (in the language of message)", "additionalProperties", str()),
			"field_message_ids", obj("type", "object", "description", "JSON path of each invalid field → the id of its message", "additionalProperties", str())),
			"message_id", "fields", "field_message_ids", "request_id"))),
		"Me", object(obj("id", integer(), "email", str(), "role", obj("type", "string", "enum", account.RoleNames()))),
		"Campaign", object(obj("id", integer(), "name", str(), "start", date(), "deadline", date(), "version", integer(),
			"created_at", dateTime(), "updated_at", dateTime(), "materials", integer(), "cities", integer(), "venues", integer())),
		"CampaignList", object(obj("campaigns", arrayOf(ref("Campaign")))),
		"Quantity", quantity,
		"Reason", reason,
		"ShipmentLine", object(obj("material", str(), "packs", integer(), "boxes", integer(), "pieces", integer())),
		"Shipment", shipment,
		"ShipmentDetail", detail,
		"ShipmentList", object(obj("campaign_id", integer(), "today", date(), "shipments", arrayOf(ref("Shipment")))),
		"ShipmentState", state,
		"ShipmentPatch", object(obj("dispatch", date(), "version", obj("type", "integer", "description", "alternative to If-Match")), "version"),
		"Event", event,
		"LoadedLine", object(obj("material", str(), "pieces", integer())),
		"DeliveryLine", object(obj("material", str(), "accepted", integer(), "rejected", integer(),
			"reason", obj("type", "string", "enum", []string{"damaged", "lost", "wrong_item", "surplus"})), "reason"),
		"DistributionLine", object(obj("material", str(),
			"category", obj("type", "string", "description", "venue category; may be left out when venue_id is set: the venue's category is recorded"),
			"venue_id", obj("type", "string", "description", "a registered venue of the shipment's city; leave out for pieces handed to venues not registered yet"),
			"pieces", integer()), "category", "venue_id"),
		"Loss", object(obj("material", str(), "reason", lossReason(), "pieces", integer())),
		"Assessment", assessment,
		"Progress", progress,
		"Alert", alert,
		"AlertList", object(obj("campaign_id", integer(), "alerts", arrayOf(ref("Alert")))),
		"AlertAck", object(obj("campaign_id", integer(), "event_id", integer(), "acknowledged", boolean(), "created", boolean())),
		"PlanDiff", diff,
		"PlanSummary", summary,
		"PlanPreview", object(obj("campaign_id", integer(), "base_version", integer(), "fingerprint", str(), "replan", boolean(),
			"today", date(), "summary", ref("PlanSummary"), "diff", ref("PlanDiff"))),
		"PlanVersion", object(obj("campaign_id", integer(), "version", integer(), "author", str(), "note", str(),
			"created_at", dateTime(), "summary", ref("PlanSummary"), "diff", ref("PlanDiff")), "summary", "diff"),
		"PlanVersionList", object(obj("campaign_id", integer(), "versions", arrayOf(ref("PlanVersion")))),
		"ReplanOptions", replan,
		"CommitRequest", commit,
		"RestoreRequest", object(obj("expected_version", obj("type", "integer", "minimum", 1, "description", "the latest version you reviewed"))),
	)
}
