package planner

import "fmt"

// MsgID names a user-facing message so that the edges can say it in the
// reader's language without parsing the English text. The English text
// (FieldError.Message, Error.Message) stays for logs, the CLI and as the
// fallback. The catalogue key of an id is "errors."+id
// (assets/i18n/errors.AREA.json); a test checks that every id below has a
// translation in es and en.
type MsgID = string

// The arguments of a message are positional: the catalogue refers to
// them as {{.A}}, {{.B}}, {{.C}}, {{.D}} in the order the English format
// takes them.
const (
	MsgRequired        MsgID = "required"
	MsgMin             MsgID = "min"
	MsgMax             MsgID = "max"
	MsgBetween         MsgID = "between"
	MsgPositive        MsgID = "positive"
	MsgCode            MsgID = "code"
	MsgMaxLen          MsgID = "max_len"
	MsgMaxItems        MsgID = "max_items"
	MsgDate            MsgID = "date"
	MsgDateBetween     MsgID = "date_between"
	MsgBeforeStart     MsgID = "before_start"
	MsgAfterStart      MsgID = "after_start"
	MsgTimeZone        MsgID = "time_zone"
	MsgDuplicateDate   MsgID = "duplicate_date"
	MsgSurplus         MsgID = "surplus"
	MsgWorkDays        MsgID = "work_days"
	MsgWeekday         MsgID = "weekday"
	MsgDuplicateDay    MsgID = "duplicate_day"
	MsgDuplicateCode   MsgID = "duplicate_code"
	MsgOutOfRange      MsgID = "out_of_range"
	MsgUnknownRef      MsgID = "unknown_ref"
	MsgLocksExceed     MsgID = "locks_exceed"
	MsgDupTargeting    MsgID = "duplicate_targeting"
	MsgDupVenueCount   MsgID = "duplicate_venue_count"
	MsgDupVenueID      MsgID = "duplicate_venue_id"
	MsgMultipleOfPack  MsgID = "multiple_of_pack"
	MsgDupLock         MsgID = "duplicate_lock"
	MsgBeforePrevious  MsgID = "event.before_previous"
	MsgCancelReason    MsgID = "event.cancel_reason"
	MsgWasCancelled    MsgID = "event.was_cancelled"
	MsgWasDispatched   MsgID = "event.was_dispatched"
	MsgNotDispatched   MsgID = "event.not_dispatched"
	MsgWasDelivered    MsgID = "event.was_delivered"
	MsgNotDelivered    MsgID = "event.not_delivered"
	MsgDeliveredCancel MsgID = "event.delivered_cancel"
	MsgEventKind       MsgID = "event.kind"
	MsgBeforeCampaign  MsgID = "event.before_campaign"
	MsgAfterToday      MsgID = "event.after_today"
	MsgCorrectReason   MsgID = "event.correct_reason"
	MsgCorrectsNeeded  MsgID = "event.corrects_required"
	MsgNotThisShipment MsgID = "event.not_this_shipment"
	MsgCorrectsCorr    MsgID = "event.corrects_correction"
	MsgReplacementNeed MsgID = "event.replacement_required"
	MsgReplacementKind MsgID = "event.replacement_kind"
	MsgReplacementCorr MsgID = "event.replacement_correction"
	MsgReplacementBad  MsgID = "event.replacement_invalid"
	MsgNotApplicable   MsgID = "event.not_applicable"
	MsgAtLeastOne      MsgID = "event.at_least_one"
	MsgNegative        MsgID = "event.negative"
	MsgBoxesExceed     MsgID = "event.boxes_exceed"
	MsgBoxesReceived   MsgID = "event.boxes_received"
	MsgPiecesExceed    MsgID = "event.pieces_exceed"
	MsgRejectReason    MsgID = "event.reject_reason"
	MsgLineMissing     MsgID = "event.line_missing"
	MsgAcceptedExceeds MsgID = "event.accepted_exceeds"
	MsgReceivedExceeds MsgID = "event.received_exceeds"
	MsgNotTargeted     MsgID = "event.not_targeted"
	MsgDistribExceeds  MsgID = "event.distribution_exceeds"
	MsgLoadedRequired  MsgID = "event.loaded_required"
	MsgNotInShipment   MsgID = "event.not_in_shipment"
	MsgListedTwice     MsgID = "event.listed_twice"
	MsgLoadedBoxes     MsgID = "event.loaded_boxes"
	MsgLinesRequired   MsgID = "event.lines_required"
	MsgRejectKind      MsgID = "event.reject_kind"
	MsgReceivedDiffer  MsgID = "event.received_differ"
	MsgDistribRequired MsgID = "event.distribution_required"
	MsgUnknownCategory MsgID = "event.unknown_category"
	MsgVenueCategory   MsgID = "event.venue_category"
	MsgUnknownVenue    MsgID = "event.unknown_venue"
	MsgCategoryOrVenue MsgID = "event.category_or_venue"
	MsgVenueNotTarget  MsgID = "event.venue_not_targeted"
	MsgVenueCity       MsgID = "event.venue_city"
	MsgVenueNoCity     MsgID = "event.venue_no_city"

	// The web forms' own parse errors.
	MsgWhole          MsgID = "whole"
	MsgNumber         MsgID = "number"
	MsgUnknownState   MsgID = "unknown_state"
	MsgMaterialFormat MsgID = "material_format"
	MsgRevealConfirm  MsgID = "reveal_confirm"

	// The campaign file reader.
	MsgUnknownKey    MsgID = "file.unknown_key"
	MsgDuplicateKey  MsgID = "file.duplicate_key"
	MsgTypeObject    MsgID = "file.type_object"
	MsgTypeArray     MsgID = "file.type_array"
	MsgTypeString    MsgID = "file.type_string"
	MsgTypeBoolean   MsgID = "file.type_boolean"
	MsgInvalidJSON   MsgID = "file.invalid_json"
	MsgFileNotObject MsgID = "file.not_object"
	MsgNotAMaterial  MsgID = "replan.not_a_material"
	MsgReplanNoPlan  MsgID = "replan.no_plan" // A shipment, B city
	MsgReplanPieces  MsgID = "replan.pieces"  // A shipment, B city, C pieces, D material, E planned, F version
	MsgReplanMissing MsgID = "replan.missing" // A shipment, B city, C material, D planned, E version

	// The venue CSV reader; paths are "line N" or "line N: column".
	MsgCSVTooManyErrors MsgID = "csv.too_many_errors"
	MsgCSVUnreadable    MsgID = "csv.unreadable"
	MsgCSVSyntax        MsgID = "csv.syntax"
	MsgCSVTooManyRows   MsgID = "csv.too_many_rows"
	MsgCSVNoRows        MsgID = "csv.no_rows"
	MsgCSVEmpty         MsgID = "csv.empty"
	MsgCSVNotUTF8       MsgID = "csv.not_utf8"
	MsgCSVUnknownColumn MsgID = "csv.unknown_column"
	MsgCSVColumnTwice   MsgID = "csv.column_twice"
	MsgCSVMissingColumn MsgID = "csv.missing_column"
	MsgCSVFieldCount    MsgID = "csv.field_count"
	MsgCSVYesNo         MsgID = "csv.yes_no"
	MsgCSVDuplicateID   MsgID = "csv.duplicate_id"

	// Compute's own checks and the plan's limits.
	MsgPackPositive       MsgID = "plan.pack_positive"
	MsgPriorityPositive   MsgID = "plan.priority_positive"
	MsgBadVenueCount      MsgID = "plan.bad_venue_count"
	MsgBadTargeting       MsgID = "plan.bad_targeting"
	MsgBadLock            MsgID = "plan.bad_lock"
	MsgTooManyCells       MsgID = "plan.too_many_cells"
	MsgDemandTooLarge     MsgID = "plan.demand_too_large"
	MsgLocksReserveExceed MsgID = "plan.locks_reserve_exceed"
	MsgHorizon            MsgID = "plan.horizon"
	MsgViewBeforeStart    MsgID = "today.before_start"

	// Restoring a plan version whose locks no longer fit the campaign.
	MsgRestoreMaterialGone  MsgID = "restore.material_gone"
	MsgRestoreCityGone      MsgID = "restore.city_gone"
	MsgRestoreCategoryGone  MsgID = "restore.category_gone"
	MsgRestoreNotWholePacks MsgID = "restore.not_whole_packs"

	// The store's refusals.
	MsgStillUsed            MsgID = "store.still_used" // Args: Entity, Code and a count per referring table
	MsgAlreadyExists        MsgID = "store.already_exists"
	MsgCampaignClosed       MsgID = "store.campaign_closed"
	MsgRescheduleCancelled  MsgID = "store.reschedule_cancelled"
	MsgRescheduleDispatched MsgID = "store.reschedule_dispatched" // A: the day it left
	MsgAfterDeadline        MsgID = "store.after_deadline"        // A: the deadline
	MsgDuplicate            MsgID = "store.duplicate"             // a unique key the database refused
	MsgReference            MsgID = "store.reference"             // a foreign key the database refused
	MsgNotFoundThing        MsgID = "store.not_found"             // What: the kind of record (an errors.thing id), Key: its code or id
	MsgBoxesNotPacked       MsgID = "store.boxes_not_packed"      // A: the shipment's id
	MsgAlreadyClosed        MsgID = "store.already_closed"        // A: campaign
	MsgNotClosed            MsgID = "store.not_closed"            // A: campaign
	MsgCampaignChanged      MsgID = "store.campaign_changed"      // A: campaign, B: expected, C: current version
	MsgKeyReused            MsgID = "store.idempotency_reused"    // A: the key
	MsgCommitRace           MsgID = "store.commit_race"           // A: latest, B: expected version
	MsgShipmentChanged      MsgID = "store.shipment_changed"      // A: shipment, B: version
	MsgEmailTaken           MsgID = "store.email_taken"           // A: email
	MsgLastAdmin            MsgID = "store.last_admin"
	MsgVenueIDTaken         MsgID = "store.venue_id_taken"
	MsgVenuesCounted        MsgID = "store.venues_counted" // A: category, B: city
	MsgImportUndone         MsgID = "store.import_undone"  // A: import

	MsgBadText  MsgID = "bad_text" // BadTextMessage
	MsgCSVNUL   MsgID = "csv.nul"
	MsgNotFound MsgID = "not_found"
	MsgOneOf    MsgID = "one_of"

	// Accounts, tokens and request parameters the store checks.
	MsgEmail          MsgID = "account.email"
	MsgRole           MsgID = "account.role"
	MsgPasswordShort  MsgID = "account.password_short"
	MsgPasswordLong   MsgID = "account.password_long"
	MsgPasswordCommon MsgID = "account.password_common"
	MsgPasswordSimple MsgID = "account.password_simple"
	MsgTokenName      MsgID = "account.token_name"
	MsgPlacesRequired MsgID = "account.places_required"
	MsgPlacesRole     MsgID = "account.places_role"
	MsgFieldPlace     MsgID = "account.field_place" // a field account records only for its places
	MsgFieldKind      MsgID = "account.field_kind"  // ... and only receipts and distributions
	MsgSort           MsgID = "list.sort"
	MsgIdempotencyKey MsgID = "api.idempotency_key"

	// Malformed requests (400): a URL parameter, a header or the body that
	// cannot be read. The field ones name their field by its path.
	MsgPageNumber       MsgID = "request.page_number"     // A: the value
	MsgNotInPlan        MsgID = "request.not_in_plan"     // A: the value
	MsgPathID           MsgID = "request.path_id"         // A: the parameter
	MsgBodyTooLarge     MsgID = "request.too_large"       // A: the limit in bytes
	MsgBodyUnreadable   MsgID = "request.unreadable"      //
	MsgBodyRequired     MsgID = "request.body_required"   //
	MsgJSONSyntax       MsgID = "request.json_syntax"     // A: encoding/json's detail (English)
	MsgJSONType         MsgID = "request.json_type"       // A: the JSON kind sent
	MsgJSONUnknownField MsgID = "request.json_unknown"    // the field is the path
	MsgIfMatch          MsgID = "request.if_match"        //
	MsgVersionNeeded    MsgID = "request.version_needed"  // PATCH without If-Match nor version
	MsgDispatchRequired MsgID = "request.dispatch_needed" //
	MsgBaseVersion      MsgID = "request.base_version"    // a commit's expected_version
	MsgLatestVersion    MsgID = "request.latest_version"  // a restore's expected_version
	MsgBBox             MsgID = "request.bbox"            //
	MsgAuthHeader       MsgID = "request.auth_header"     //
	MsgSignIn           MsgID = "request.sign_in"         //
	MsgRoleRefused      MsgID = "request.role_refused"    // A: the user's role, B: the roles allowed
	MsgChangePassword   MsgID = "request.change_password" //
	MsgUnavailable      MsgID = "request.unavailable"     // the database is not reachable
	MsgTooLong          MsgID = "request.too_long"        // the request outlasted its deadline

	// What a page or the API cannot find or take, said to the user.
	MsgBrokenForm         MsgID = "request.broken_form"
	MsgUploadUnreadable   MsgID = "request.upload_unreadable"
	MsgRowNotFound        MsgID = "request.row_not_found"
	MsgPageNotFound       MsgID = "request.page_not_found"
	MsgNoCell             MsgID = "request.no_cell"             // A material, B city, C category
	MsgShipmentOther      MsgID = "request.shipment_other"      // A shipment, B campaign
	MsgShipmentNotFound   MsgID = "request.shipment_not_found"  // A shipment
	MsgNoCommittedPlan    MsgID = "request.no_committed_plan"   // A campaign
	MsgNoPlanForLists     MsgID = "request.no_plan_for_lists"   // A campaign
	MsgNoCity             MsgID = "request.no_city"             // A city
	MsgCommittedMeanwhile MsgID = "request.committed_meanwhile" // A latest, B expected
	MsgStaleCommit        MsgID = "request.stale_commit"
	MsgStaleChanges       MsgID = "request.stale_changes" // A changed, B added, C removed cities
	MsgPasswordByToken    MsgID = "request.password_by_token"
	MsgLoginHeader        MsgID = "request.login_header"

	// Registry files (registry.FileError): A the file, B the line, C the column.
	MsgRegistryNotDENUE   MsgID = "registry.not_denue"
	MsgRegistryNotCLUES   MsgID = "registry.not_clues"
	MsgRegistryMissingCol MsgID = "registry.missing_column"
	MsgRegistrySyntax     MsgID = "registry.syntax"
	MsgRegistryMixedEnc   MsgID = "registry.mixed_encoding"
	MsgRegistryNoDataCSV  MsgID = "registry.no_data_csv"
	MsgRegistryUnreadable MsgID = "registry.unreadable"

	// Printed documents and labels of the web (api/exports).
	MsgPaperNotCommitted MsgID = "paper.not_committed"
	MsgPaperNoShipments  MsgID = "paper.no_shipments" // A: the dispatch day
	MsgPaperBadHost      MsgID = "paper.bad_host"
)

// MessageIDs lists every id above, for the catalogue test.
var MessageIDs = []MsgID{
	MsgRequired, MsgMin, MsgMax, MsgBetween, MsgPositive, MsgCode, MsgMaxLen, MsgMaxItems,
	MsgDate, MsgDateBetween, MsgBeforeStart, MsgAfterStart, MsgTimeZone, MsgDuplicateDate,
	MsgSurplus, MsgWorkDays, MsgWeekday, MsgDuplicateDay, MsgDuplicateCode, MsgOutOfRange,
	MsgUnknownRef, MsgLocksExceed, MsgDupTargeting, MsgDupVenueCount, MsgDupVenueID,
	MsgMultipleOfPack, MsgDupLock,
	MsgBeforePrevious, MsgCancelReason, MsgWasCancelled, MsgWasDispatched, MsgNotDispatched,
	MsgWasDelivered, MsgNotDelivered, MsgDeliveredCancel, MsgEventKind, MsgBeforeCampaign,
	MsgAfterToday, MsgCorrectReason, MsgCorrectsNeeded, MsgNotThisShipment, MsgCorrectsCorr,
	MsgReplacementNeed, MsgReplacementKind, MsgReplacementCorr, MsgReplacementBad,
	MsgNotApplicable, MsgAtLeastOne, MsgNegative, MsgBoxesExceed, MsgPiecesExceed,
	MsgRejectReason, MsgLineMissing, MsgAcceptedExceeds, MsgReceivedExceeds, MsgNotTargeted,
	MsgDistribExceeds, MsgLoadedRequired, MsgNotInShipment, MsgListedTwice, MsgLoadedBoxes,
	MsgLinesRequired, MsgRejectKind, MsgReceivedDiffer, MsgDistribRequired, MsgUnknownCategory,
	MsgVenueCategory, MsgUnknownVenue, MsgCategoryOrVenue, MsgVenueNotTarget, MsgVenueCity, MsgVenueNoCity,
	MsgWhole, MsgNumber, MsgUnknownState, MsgMaterialFormat, MsgRevealConfirm,
	MsgUnknownKey, MsgDuplicateKey, MsgTypeObject, MsgTypeArray, MsgTypeString, MsgTypeBoolean,
	MsgInvalidJSON, MsgFileNotObject, MsgNotAMaterial, MsgReplanNoPlan, MsgReplanPieces, MsgReplanMissing,
	MsgCSVTooManyErrors, MsgCSVUnreadable, MsgCSVSyntax, MsgCSVTooManyRows, MsgCSVNoRows,
	MsgCSVEmpty, MsgCSVNotUTF8, MsgCSVUnknownColumn, MsgCSVColumnTwice, MsgCSVMissingColumn,
	MsgCSVFieldCount, MsgCSVYesNo, MsgCSVDuplicateID,
	MsgPackPositive, MsgPriorityPositive, MsgBadVenueCount, MsgBadTargeting, MsgBadLock,
	MsgTooManyCells, MsgDemandTooLarge, MsgLocksReserveExceed, MsgHorizon, MsgViewBeforeStart,
	MsgRestoreMaterialGone, MsgRestoreCityGone, MsgRestoreCategoryGone, MsgRestoreNotWholePacks,
	MsgStillUsed, MsgAlreadyExists, MsgCampaignClosed, MsgBadText, MsgCSVNUL, MsgNotFound, MsgOneOf,
	MsgPageNumber, MsgNotInPlan, MsgPathID, MsgBodyTooLarge, MsgBodyUnreadable, MsgBodyRequired, MsgJSONSyntax,
	MsgJSONType, MsgJSONUnknownField, MsgIfMatch, MsgVersionNeeded, MsgDispatchRequired, MsgBaseVersion,
	MsgLatestVersion, MsgBBox, MsgAuthHeader, MsgSignIn, MsgRoleRefused, MsgChangePassword, MsgUnavailable, MsgTooLong, MsgDuplicate, MsgReference,
	MsgRescheduleCancelled, MsgRescheduleDispatched, MsgAfterDeadline,
	MsgNotFoundThing, MsgBoxesNotPacked, MsgAlreadyClosed, MsgNotClosed, MsgCampaignChanged, MsgKeyReused, MsgCommitRace,
	MsgShipmentChanged, MsgEmailTaken, MsgLastAdmin, MsgVenueIDTaken, MsgVenuesCounted, MsgImportUndone,
	MsgBrokenForm, MsgUploadUnreadable, MsgRowNotFound, MsgPageNotFound, MsgNoCell, MsgShipmentOther, MsgShipmentNotFound, MsgNoCommittedPlan,
	MsgNoPlanForLists, MsgNoCity, MsgCommittedMeanwhile, MsgStaleCommit, MsgStaleChanges, MsgPasswordByToken, MsgLoginHeader,
	MsgEmail, MsgRole, MsgPasswordShort, MsgPasswordLong, MsgPasswordCommon, MsgPasswordSimple,
	MsgTokenName, MsgSort, MsgIdempotencyKey, MsgBoxesReceived, MsgPlacesRequired, MsgPlacesRole, MsgFieldPlace, MsgFieldKind,
	MsgRegistryNotDENUE, MsgRegistryNotCLUES, MsgRegistryMissingCol, MsgRegistrySyntax, MsgRegistryMixedEnc,
	MsgRegistryNoDataCSV, MsgRegistryUnreadable,
	MsgPaperNotCommitted, MsgPaperNoShipments, MsgPaperBadHost,
}

// argNames are the names of the positional arguments of a message.
var argNames = [...]string{"A", "B", "C", "D", "E"}

// msgArgs names args A, B, C... for the catalogue's templates.
func msgArgs(args []any) map[string]any {
	if len(args) == 0 {
		return nil
	}
	m := make(map[string]any, len(args))
	for i, a := range args {
		if i < len(argNames) {
			if s, ok := a.(fmt.Stringer); ok {
				a = s.String()
			}
			m[argNames[i]] = a
		}
	}
	return m
}

// Fieldf builds a FieldError with message id and the English text of
// format; args fill both.
func Fieldf(path string, id MsgID, format string, args ...any) FieldError {
	return FieldError{Path: path, ID: id, Args: msgArgs(args), Message: fmt.Sprintf(format, args...)}
}

// Errorm is Errorf with a message id.
func Errorm(code Code, id MsgID, format string, args ...any) *Error {
	return &Error{Code: code, ID: id, Args: msgArgs(args), Message: fmt.Sprintf(format, args...)}
}
