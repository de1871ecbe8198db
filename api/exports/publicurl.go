package exports

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/reparto/reparto/api/web"
	"github.com/reparto/reparto/planner"
)

// A label's QR code is printed, stuck on a box and scanned by someone who
// trusts it: the URL in it must point at this server. With --public-url
// set (Deps.PublicURL) that is the only base ever printed. Without it the
// base is taken from the request, which a client controls: the Host
// header (or X-Forwarded-Host, believed only from a proxy gin trusts) is
// printed only when it is a syntactically valid host[:port], so that a
// forged header cannot smuggle a path, a user name or another URL into the
// code; a valid but foreign host name still would be printed, which is why
// production servers should set --public-url (README, Configuration).

// publicBase is the scheme, host and path prefix of the URLs printed in QR
// codes, without a trailing slash.
func (h *handlers) publicBase(c *gin.Context) (string, error) {
	if h.PublicURL != "" {
		return h.PublicURL, nil
	}
	scheme, host := "http", c.Request.Host
	if c.Request.TLS != nil {
		scheme = "https"
	}
	if viaTrustedProxy(c) {
		if p := firstValue(c.GetHeader("X-Forwarded-Proto")); p == "http" || p == "https" {
			scheme = p
		}
		if fh := firstValue(c.GetHeader("X-Forwarded-Host")); fh != "" {
			host = fh
		}
	}
	if !ValidHost(host) {
		return "", web.BadRequest(planner.Errorm(planner.EInvalid, planner.MsgPaperBadHost,
			"the request's host %q is not a valid host name to print in a QR code; set --public-url", host))
	}
	return scheme + "://" + host, nil
}

// viaTrustedProxy reports whether the request came through a proxy listed
// in --trusted-proxies. gin keeps that decision to itself, but shows it:
// it believes X-Forwarded-For (or X-Real-IP) only from a trusted peer, so
// the client address differs from the peer's exactly when one did. A
// trusted proxy that adds no such header is not believed about the host
// either, which errs on the safe side.
func viaTrustedProxy(c *gin.Context) bool {
	return c.ClientIP() != c.RemoteIP()
}

// firstValue is the first of a comma-separated header's values (the one
// the outermost proxy set), trimmed.
func firstValue(v string) string {
	v, _, _ = strings.Cut(v, ",")
	return strings.TrimSpace(v)
}

// ValidHost reports whether s is host[:port] as a URL may carry it: a DNS
// name of letters, digits and inner hyphens (labels of 1 to 63, at most
// 253 characters), an IPv4 address or a bracketed IPv6 address without a
// zone, and an optional port 1..65535.
func ValidHost(s string) bool {
	host, port := s, ""
	if strings.HasPrefix(s, "[") {
		end := strings.Index(s, "]")
		if end < 0 {
			return false
		}
		host, port = s[1:end], s[end+1:]
		if port != "" {
			if port[0] != ':' {
				return false
			}
			port = port[1:]
			if port == "" {
				return false
			}
		}
		a, err := netip.ParseAddr(host)
		if err != nil || !a.Is6() || a.Zone() != "" {
			return false
		}
	} else {
		if i := strings.LastIndexByte(s, ':'); i >= 0 {
			host, port = s[:i], s[i+1:]
			if port == "" {
				return false
			}
		}
		if !validDNSName(host) {
			if a, err := netip.ParseAddr(host); err != nil || !a.Is4() {
				return false
			}
		}
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || strings.TrimLeft(port, "0123456789") != "" {
			return false
		}
	}
	return true
}

func validDNSName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			ch := label[i]
			if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-') {
				return false
			}
		}
	}
	return true
}
