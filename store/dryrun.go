package store

import "context"

type dryRunKey struct{}

// DryRun marks ctx so that every write transaction made with it runs
// whole (the version check, the validation of the whole campaign, the
// SQL) and is then rolled back: a write answers "would this be accepted,
// and if not, why" without changing anything. The data forms use it to
// show the store's own validation errors beside the form's parse errors
// in one answer.
func DryRun(ctx context.Context) context.Context { return context.WithValue(ctx, dryRunKey{}, true) }

func isDryRun(ctx context.Context) bool { v, _ := ctx.Value(dryRunKey{}).(bool); return v }
