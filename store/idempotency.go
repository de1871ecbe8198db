package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/reparto/reparto/planner"
)

// MaxIdempotencyKeyLen bounds an Idempotency-Key (UUIDs are 36 characters).
const MaxIdempotencyKeyLen = 128

// idemRequest is one idempotent write: who sends it (scope), the key the
// client chose and a hash of what was asked, so that a key replayed with
// another request is recognised.
type idemRequest struct {
	scope, key, hash string
}

// newIdemRequest hashes the endpoint and the canonical JSON of body (Go
// marshals a struct's fields in a fixed order, so equal requests hash
// equal whatever the client's whitespace or key order). Keys are scoped
// per user: two users may pick the same key. Errors: EInvalid for a bad key.
func newIdemRequest(a Actor, key, endpoint string, body any) (*idemRequest, error) {
	if err := ValidIdempotencyKey(key); err != nil {
		return nil, err
	}
	b, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("idempotency hash: %w", err)
	}
	h := sha256.New()
	h.Write([]byte(endpoint))
	h.Write([]byte{0})
	h.Write(b)
	return &idemRequest{scope: idemScope(a), key: key, hash: hex.EncodeToString(h.Sum(nil))}, nil
}

// ValidIdempotencyKey checks a client's key: 1 to 128 printable ASCII
// characters. Errors: EInvalid naming "Idempotency-Key".
func ValidIdempotencyKey(key string) error {
	bad := len(key) == 0 || len(key) > MaxIdempotencyKeyLen
	for i := 0; i < len(key) && !bad; i++ {
		bad = key[i] < 0x21 || key[i] > 0x7e
	}
	if bad {
		return planner.Invalid(planner.Fieldf("Idempotency-Key", planner.MsgIdempotencyKey,
			"must be 1 to %d printable ASCII characters without spaces", MaxIdempotencyKeyLen))
	}
	return nil
}

func idemScope(a Actor) string {
	if a.UserID != 0 {
		return "user:" + strconv.FormatInt(a.UserID, 10)
	}
	return "actor:" + a.Email
}

// replay looks the key up inside tx. When it was used for the same request
// it decodes the stored response into dst and reports true; when it was
// used for another request it is EConflict.
func (r *idemRequest) replay(ctx context.Context, db *DB, tx *Tx, dst any) (bool, error) {
	var row struct {
		Hash     string `db:"request_hash"`
		Response string `db:"response"`
	}
	err := txGet(ctx, tx, &row, `SELECT request_hash, response FROM idempotency_keys
		WHERE scope = ? AND key = ?`, r.scope, r.key)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("idempotency key: %w", err)
	}
	if row.Hash != r.hash {
		return false, conflict(planner.MsgKeyReused, "Idempotency-Key %q was already used for a different request; use a new key for a new request", r.key)
	}
	if err := json.Unmarshal([]byte(row.Response), dst); err != nil {
		return false, fmt.Errorf("idempotency key %q response: %w", r.key, err)
	}
	return true, nil
}

// store records the key with the response inside the transaction of the
// write it protects. A concurrent request that stored the same key first
// makes this insert fail with a unique violation; the caller's transaction
// rolls back and its retry finds the winner's response.
func (r *idemRequest) store(ctx context.Context, db *DB, tx *Tx, response any, now time.Time) error {
	b, err := json.Marshal(response)
	if err != nil {
		return fmt.Errorf("idempotency response: %w", err)
	}
	_, err = txExec(ctx, tx, `INSERT INTO idempotency_keys (scope, key, request_hash, response, created_at)
		VALUES (?, ?, ?, ?, ?)`, r.scope, r.key, r.hash, string(b), now)
	if err != nil {
		return fmt.Errorf("store idempotency key: %w", err)
	}
	return nil
}
