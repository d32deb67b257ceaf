package data

import (
	"errors"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestBlockedReason(t *testing.T) {
	tests := []struct {
		addr    string
		blocked bool
	}{
		{"127.0.0.1", true},
		{"127.8.9.10", true},
		{"::1", true},
		{"::ffff:127.0.0.1", true},
		{"10.1.2.3", true},
		{"172.16.0.1", true},
		{"192.168.1.1", true},
		{"169.254.169.254", true},
		{"169.254.1.1", true},
		{"fd00:ec2::254", true},
		{"fe80::1", true},
		{"fc00::5", true},
		{"0.0.0.0", true},
		{"::", true},
		{"224.0.0.1", true},
		{"ff02::1", true},
		{"100.64.1.1", true},
		{"100.100.100.200", true},
		{"255.255.255.255", true},
		{"64:ff9b::a00:1", true},    // NAT64 of 10.0.0.1
		{"2002:7f00:1::1", true},    // 6to4 of 127.0.0.1
		{"64:ff9b::808:808", false}, // NAT64 of 8.8.8.8
		{"8.8.8.8", false},
		{"1.1.1.1", false},
		{"93.184.216.34", false},
		{"2606:4700:4700::1111", false},
		{"::ffff:8.8.4.4", false},
	}
	for _, tt := range tests {
		why := blockedReason(netip.MustParseAddr(tt.addr))
		if (why != "") != tt.blocked {
			t.Errorf("blockedReason(%s) = %q, want blocked=%v", tt.addr, why, tt.blocked)
		}
	}
	if why := blockedReason(netip.MustParseAddr("169.254.169.254")); why != "cloud metadata" {
		t.Errorf("metadata address reason %q", why)
	}
}

func TestCheckFeedURL(t *testing.T) {
	tests := []struct {
		url          string
		allowPrivate bool
		wantErr      string // "" for none
		blocked      bool
	}{
		{"https://example.com/feed.xml", false, "", false},
		{"  http://example.com/rss  ", false, "", false},
		{"example.com/feed", false, "must start with https://", false},
		{"ftp://example.com/feed", false, "only http and https", false},
		{"file:///etc/passwd", false, "only http and https", false},
		{"javascript:alert(1)", false, "only http and https", false},
		{"https://user:pw@example.com/feed", false, "user name or password", false},
		{"http:///feed", false, "no host", false},
		{"http://127.0.0.1:8080/feed", false, "loopback", true},
		{"http://[::1]/feed", false, "loopback", true},
		{"http://localhost/feed", false, "loopback", true},
		{"http://LOCALHOST./feed", false, "loopback", true},
		{"http://169.254.169.254/latest/meta-data/", false, "cloud metadata", true},
		{"http://192.168.0.10/feed", false, "private", true},
		{"http://127.0.0.1:8080/feed", true, "", false},
		{"http://192.168.0.10/feed", true, "", false},
	}
	for _, tt := range tests {
		_, err := CheckFeedURL(tt.url, tt.allowPrivate)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("CheckFeedURL(%q, %v) = %v", tt.url, tt.allowPrivate, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("CheckFeedURL(%q, %v) = %v, want an error saying %q", tt.url, tt.allowPrivate, err, tt.wantErr)
		case err != nil && errors.Is(err, ErrBlockedAddress) != tt.blocked:
			t.Errorf("CheckFeedURL(%q): errors.Is(ErrBlockedAddress) = %v", tt.url, !tt.blocked)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := pollNow
	tests := []struct {
		v    string
		want int64 // seconds
	}{
		{"", 0}, {"120", 120}, {"-5", 0}, {"soon", 0},
		{now.Add(time.Hour).UTC().Format(http.TimeFormat), 3600},
		{now.Add(-time.Hour).UTC().Format(http.TimeFormat), 0},
	}
	for _, tt := range tests {
		if got := retryAfter(tt.v, now); int64(got.Seconds()) != tt.want {
			t.Errorf("retryAfter(%q) = %v, want %ds", tt.v, got, tt.want)
		}
	}
}
