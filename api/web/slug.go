package web

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// maxSlug keeps file names short enough for every file system.
const maxSlug = 60

// Slugify turns a campaign name into lowercase ASCII words joined by
// hyphens, accents stripped ("Campaña" → "campana"), so that the file name
// survives every mail client and file system. An empty result is "campaign".
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r): // the accent of a decomposed letter
			continue
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
	}
	slug := b.String()
	if len(slug) > maxSlug {
		slug = strings.TrimRight(slug[:maxSlug], "-")
	}
	if slug == "" {
		return "campaign"
	}
	return slug
}
