package pages

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// Uploads keeps large uploaded files (registry imports) on the server's
// disk between the preview and the confirmation. Each upload is two
// files in Dir: <token>.data and <token>.json (who uploaded it, for which
// campaign, its name). An upload is removed once imported, when its
// preview fails, or by the next upload once older than UploadTTL (an
// abandoned preview). With several replicas, Dir must be shared by them
// (or the proxy must keep a user on one replica): a confirmation that
// finds no file asks for the upload again.
type Uploads struct {
	Dir      string
	MaxBytes int64         // the largest file accepted
	Timeout  time.Duration // how long an upload or an import may take
	now      func() time.Time
}

// UploadTTL is how long an upload waits for its confirmation.
const UploadTTL = 6 * time.Hour

// Upload defaults (api.DefaultConfig): INEGI's largest state DENUE file
// (Estado de México) is some 300 MB of CSV, 60 MB zipped.
const (
	DefaultMaxUploadBytes = 512 << 20
	DefaultUploadTimeout  = 10 * time.Minute
)

// NewUploads keeps uploads in dir (created if missing); "" is a
// directory under the system's temporary directory.
func NewUploads(dir string, maxBytes int64, timeout time.Duration, now func() time.Time) (*Uploads, error) {
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "reparto-uploads")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("upload directory: %w", err)
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxUploadBytes
	}
	if timeout <= 0 {
		timeout = DefaultUploadTimeout
	}
	if now == nil {
		now = time.Now
	}
	return &Uploads{Dir: dir, MaxBytes: maxBytes, Timeout: timeout, now: now}, nil
}

// upload is one kept file.
type upload struct {
	Token    string `json:"-"`
	Campaign int64  `json:"campaign"`
	User     int64  `json:"user"`
	Name     string `json:"name"`   // the uploaded file's base name
	Source   string `json:"source"` // the registry chosen in the form, "" = by content
	Size     int64  `json:"size"`
	path     string
}

// uploadError is an upload refused for what the user sent: msg is a
// catalogue id taking the limit in MB.
type uploadError struct {
	status int
	msg    string
}

func (e *uploadError) Error() string { return e.msg }

// Save streams the request's multipart body to disk: the part "file"
// becomes the upload, the part "source" says which registry. The body
// is never held in memory (c.FormFile would keep 32 MB of it and spool
// the rest to another temporary file).
func (u *Uploads) Save(c *gin.Context, campaignID int64) (upload, error) {
	u.sweep()
	var up upload
	if ct, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type")); ct != "multipart/form-data" {
		return up, &uploadError{http.StatusUnprocessableEntity, "data.registry.choose_file"}
	}
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return up, &uploadError{http.StatusUnprocessableEntity, "data.registry.choose_file"}
	}
	token, err := newToken()
	if err != nil {
		return up, err
	}
	up.Token, up.Campaign, up.path = token, campaignID, filepath.Join(u.Dir, token+".data")
	if user := web.CurrentUser(c); user != nil {
		up.User = user.ID
	}
	saved := false
	defer func() {
		if !saved {
			u.Remove(token)
		}
	}()
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return up, bodyError(err)
		}
		switch part.FormName() {
		case "source":
			b, _ := io.ReadAll(io.LimitReader(part, 32))
			up.Source = strings.TrimSpace(string(b))
		case "file":
			if part.FileName() == "" || up.Size > 0 {
				continue
			}
			up.Name = importFileName(part.FileName())
			f, err := os.OpenFile(up.path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
			if err != nil {
				return up, fmt.Errorf("keep the upload: %w", err)
			}
			up.Size, err = io.Copy(f, part)
			if cerr := f.Close(); err == nil && cerr != nil {
				return up, fmt.Errorf("keep the upload: %w", cerr)
			}
			if err != nil {
				return up, bodyError(err)
			}
		}
	}
	if up.Size == 0 {
		return up, &uploadError{http.StatusUnprocessableEntity, "data.registry.choose_file"}
	}
	meta, err := json.Marshal(up)
	if err != nil {
		return up, err
	}
	if err := os.WriteFile(filepath.Join(u.Dir, token+".json"), meta, 0o600); err != nil {
		return up, fmt.Errorf("keep the upload: %w", err)
	}
	saved = true
	return up, nil
}

// bodyError tells a body over the limit (413) from one cut short.
func bodyError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &uploadError{http.StatusRequestEntityTooLarge, "data.import.too_large"}
	}
	return web.BadRequestm(planner.MsgUploadUnreadable, "cannot read the uploaded file: %v", err)
}

// Load finds the upload of token, made by the request's user for
// campaignID; any other is "not found", so a token cannot be used to
// reach another campaign's or another user's file.
func (u *Uploads) Load(c *gin.Context, campaignID int64, token string) (upload, error) {
	var up upload
	if !validToken(token) {
		return up, os.ErrNotExist
	}
	b, err := os.ReadFile(filepath.Join(u.Dir, token+".json"))
	if err != nil {
		return up, err
	}
	if err := json.Unmarshal(b, &up); err != nil {
		return up, err
	}
	var user int64
	if cu := web.CurrentUser(c); cu != nil {
		user = cu.ID
	}
	if up.Campaign != campaignID || up.User != user {
		return upload{}, os.ErrNotExist
	}
	up.Token, up.path = token, filepath.Join(u.Dir, token+".data")
	return up, nil
}

// Remove deletes an upload's files.
func (u *Uploads) Remove(token string) {
	if !validToken(token) {
		return
	}
	os.Remove(filepath.Join(u.Dir, token+".data"))
	os.Remove(filepath.Join(u.Dir, token+".json"))
}

// sweep removes uploads older than UploadTTL.
func (u *Uploads) sweep() {
	entries, err := os.ReadDir(u.Dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || u.now().Sub(info.ModTime()) < UploadTTL {
			continue
		}
		token := strings.TrimSuffix(strings.TrimSuffix(e.Name(), ".data"), ".json")
		u.Remove(token)
	}
}

func newToken() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

func validToken(t string) bool {
	if len(t) != 32 {
		return false
	}
	_, err := hex.DecodeString(t)
	return err == nil
}
