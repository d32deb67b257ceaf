package bot

import "testing"

// FuzzCleanAlready: text the fast check passes is text cleaning leaves as
// it is.
func FuzzCleanAlready(f *testing.F) {
	for _, s := range []string{"", "Oil prices rise", " lead", "trail ", "two  spaces", "tab\there", "évian", "a\u202eb", "https://x.example/a?b=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if cleanAlready(s) && cleanText(s) != s {
			t.Errorf("cleanAlready(%q), but cleaning gives %q", s, cleanText(s))
		}
	})
}

func TestCleanAlready(t *testing.T) {
	for s, want := range map[string]bool{
		"Oil prices rise": true, "": true, " lead": false, "trail ": false, "two  spaces": false,
		"tab\there": false, "évian": false, "a\u202eb": false,
	} {
		if got := cleanAlready(s); got != want {
			t.Errorf("cleanAlready(%q) = %v, want %v", s, got, want)
		}
		if clean(s) != cleanText(s) {
			t.Errorf("clean(%q) = %q, cleanText %q", s, clean(s), cleanText(s))
		}
	}
}
