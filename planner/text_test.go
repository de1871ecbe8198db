package planner

import "testing"

func TestTextProblem(t *testing.T) {
	tests := []struct {
		name, s string
		bad     bool
	}{
		{"plain", "Tríptico 2009", false},
		{"empty", "", false},
		{"replacement character written as such", "a\uFFFDb", false},
		{"NUL", "a\x00b", true},
		{"invalid UTF-8", "caf\xe9", true},
		{"truncated sequence", "\xc3", true},
	}
	for _, tt := range tests {
		if got := TextProblem(tt.s) != ""; got != tt.bad {
			t.Errorf("%s: TextProblem(%q) bad = %v, want %v", tt.name, tt.s, got, tt.bad)
		}
	}
}

func TestCheckJSONText(t *testing.T) {
	tests := []struct {
		name, json string
		bad        bool
		path       string
	}{
		{"clean", `{"name":"Tríptico","materials":[{"code":"A"}]}`, false, ""},
		{"escaped backslash then u0000 text", `{"note":"C:\\u0000"}`, false, ""},
		{"not JSON at all", `{"name":`, false, ""},
		{"NUL in a nested value", `{"materials":[{"code":"A"},{"code":"B\u0000"}]}`, true, "materials[1].code"},
		{"NUL in a key", `{"materials":[{"co\u0000de":"B"}]}`, true, `materials[0]["co\x00de"]`},
		{"invalid UTF-8 in a value", "{\"venues\":[{\"name\":\"caf\xe9\"}]}", true, "venues[0].name"},
		{"invalid UTF-8 at the top", "\"\xff\"", true, ""},
		{"NUL in a top-level array", `["a","\u0000"]`, true, "[1]"},
		// A syntax error stops the walk (the reader reports it); the walker
		// used to ask the stuck decoder for more for ever (found by fuzzing).
		{"syntax error before bad bytes", "{\"a\":[{\"b\":\"c\"[[[1}],\"d\":\"\x80\"}", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckJSONText([]byte(tt.json))
			if !tt.bad {
				if err != nil {
					t.Fatalf("error %v, want none", err)
				}
				return
			}
			if ErrorCode(err) != EInvalid {
				t.Fatalf("error %v, want EInvalid", err)
			}
			if f := ErrorFields(err); len(f) != 1 || f[0].Path != tt.path || f[0].Message != BadTextMessage {
				t.Errorf("fields %v, want one at %q", f, tt.path)
			}
		})
	}
}
