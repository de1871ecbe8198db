package exports

import "testing"

// What may be printed in a QR code as the request's host: nothing that
// could carry a user, a path, a query or a second URL.
func TestValidHost(t *testing.T) {
	tests := []struct {
		host string
		want bool
	}{
		{"reparto.example.org", true},
		{"localhost", true},
		{"localhost:8080", true},
		{"127.0.0.1:8080", true},
		{"[::1]:8080", true},
		{"[2001:db8::1]", true},
		{"xn--mxico-bsa.example", true},
		{"", false},
		{":8080", false},
		{"reparto.example.org:", false},
		{"reparto.example.org:0", false},
		{"reparto.example.org:65536", false},
		{"reparto.example.org:+80", false},
		{"user@evil.example", false},
		{"evil.example/phish", false},
		{"evil.example?x=1", false},
		{"evil.example#x", false},
		{"-evil.example", false},
		{"evil-.example", false},
		{"evil..example", false},
		{"evil.example.", false},
		{"ev il.example", false},
		{"évil.example", false},
		{"[fe80::1%25eth0]", false},
		{"[::1", false},
		{"[::1]x", false},
		{"::1", false},
		{"1.2.3.4.5:80", true}, // a well-formed DNS name, if an odd one
	}
	for _, tt := range tests {
		if got := ValidHost(tt.host); got != tt.want {
			t.Errorf("ValidHost(%q) = %v, want %v", tt.host, got, tt.want)
		}
	}
}
