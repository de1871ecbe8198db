package account

import (
	"bufio"
	"strings"
	"sync"
	"unicode"

	"github.com/reparto/reparto/assets"
	"github.com/reparto/reparto/planner"
)

// MinPasswordLength is the shortest password accepted, in characters.
const MinPasswordLength = 10

// MaxPasswordBytes is the longest password accepted: bcrypt ignores what
// follows the 72nd byte, so a longer one would be accepted but not checked.
const MaxPasswordBytes = 72

// Password rules beyond the length: a new password must not be one that
// attackers try first. assets/data/common-passwords.txt holds the 10,000
// most common passwords of zxcvbn's list (MIT; see assets/passwords.sh and
// assets/data/README.md). A password is refused when, in lower case, it is
// on that list, or is a listed password of 4 or more characters with only
// digits and symbols added before or after it ("Password2024!"), or has
// fewer than 5 different characters ("abababababab").

var commonPasswords struct {
	once sync.Once
	set  map[string]bool
}

func isCommonPassword(s string) bool {
	commonPasswords.once.Do(func() {
		commonPasswords.set = map[string]bool{}
		f, err := assets.FS.Open("data/common-passwords.txt")
		if err != nil {
			panic("account: the common password list is not embedded: " + err.Error())
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if w := strings.TrimSpace(sc.Text()); w != "" {
				commonPasswords.set[strings.ToLower(w)] = true
			}
		}
	})
	return commonPasswords.set[s]
}

// CheckPasswordRules returns EInvalid naming field when password may not
// be used as a new password (store.HashPassword applies it). It says nothing
// about reuse: that needs the account (see the change-password form).
func CheckPasswordRules(field, password string) error {
	fail := func(id planner.MsgID, format string, args ...any) error {
		return planner.Invalid(planner.Fieldf(field, id, format, args...))
	}
	switch {
	case len([]rune(password)) < MinPasswordLength:
		return fail(planner.MsgPasswordShort, "must be at least %d characters", MinPasswordLength)
	case len(password) > MaxPasswordBytes:
		return fail(planner.MsgPasswordLong, "must be at most %d bytes", MaxPasswordBytes)
	}
	lower := strings.ToLower(password)
	core := strings.TrimFunc(lower, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) })
	if isCommonPassword(lower) || (len([]rune(core)) >= 4 && isCommonPassword(core)) {
		return fail(planner.MsgPasswordCommon, "is one of the most common passwords")
	}
	distinct := map[rune]bool{}
	for _, r := range lower {
		distinct[r] = true
	}
	if len(distinct) < 5 {
		return fail(planner.MsgPasswordSimple, "uses too few different characters")
	}
	return nil
}
