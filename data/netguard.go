package data

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
)

// ErrBlockedAddress is returned when a fetch for an untrusted feed would
// connect to an address inside the host's own network: loopback, private
// ranges, link-local, cloud metadata and the like. A feed added through
// Discord must not turn the bot into a proxy into the owner's network.
var ErrBlockedAddress = errors.New("address not allowed")

// metadataAddrs are cloud instance-metadata endpoints. Most already fall in
// a blocked range; they are listed so the refusal names them.
var metadataAddrs = map[netip.Addr]string{
	netip.MustParseAddr("169.254.169.254"): "cloud metadata",
	netip.MustParseAddr("fd00:ec2::254"):   "cloud metadata",
	netip.MustParseAddr("100.100.100.200"): "cloud metadata",
	netip.MustParseAddr("169.254.170.2"):   "cloud metadata",
}

// extraBlocked are ranges that netip's predicates do not cover but that are
// not the public internet either.
var extraBlocked = []struct {
	prefix netip.Prefix
	why    string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignments"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("255.255.255.255/32"), "broadcast"},
	{netip.MustParsePrefix("::/128"), "unspecified"},
	{netip.MustParsePrefix("100::/64"), "discard"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
}

// blockedReason says why addr may not be reached by an untrusted fetch, or
// "" when it may. IPv4 addresses tunnelled in IPv6 (mapped, NAT64, 6to4)
// are judged by the IPv4 address they carry.
func blockedReason(addr netip.Addr) string {
	addr = addr.Unmap()
	if why, ok := metadataAddrs[addr]; ok {
		return why
	}
	if addr.Is6() {
		b := addr.As16()
		switch {
		case netip.MustParsePrefix("64:ff9b::/96").Contains(addr):
			if why := blockedReason(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})); why != "" {
				return why + " (via NAT64)"
			}
		case netip.MustParsePrefix("2002::/16").Contains(addr):
			if why := blockedReason(netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]})); why != "" {
				return why + " (via 6to4)"
			}
		}
	}
	switch {
	case !addr.IsValid():
		return "invalid"
	case addr.IsLoopback():
		return "loopback"
	case addr.IsPrivate():
		return "private"
	case addr.IsLinkLocalUnicast():
		return "link-local"
	case addr.IsUnspecified():
		return "unspecified"
	case addr.IsMulticast(), addr.IsLinkLocalMulticast(), addr.IsInterfaceLocalMulticast():
		return "multicast"
	}
	for _, b := range extraBlocked {
		if b.prefix.Contains(addr) {
			return b.why
		}
	}
	return ""
}

// addrGuard decides whether a connection to addr may be made; nil allows
// it. Fetchers carry one so tests can let exactly their 127.0.0.1 server
// through while every other private address stays refused.
type addrGuard func(addr netip.Addr) error

// publicOnly refuses every address blockedReason names.
func publicOnly(addr netip.Addr) error {
	if why := blockedReason(addr); why != "" {
		return fmt.Errorf("%s is %s: %w", addr, why, ErrBlockedAddress)
	}
	return nil
}

// dialControl runs guard on the address the dialer is about to connect to,
// after DNS resolution. Checking here rather than on the URL is what makes
// the guard hold for host names that resolve to private addresses, for DNS
// answers that change between checks (rebinding), and for every redirect.
func dialControl(guard addrGuard) func(network, address string, c syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return fmt.Errorf("dial %s: %w", address, err)
		}
		addr, err := netip.ParseAddr(host)
		if err != nil {
			return fmt.Errorf("dial %s: not an IP address: %w", address, ErrBlockedAddress)
		}
		return guard(addr)
	}
}

// CheckFeedURL says whether raw is a URL briefbot may fetch: absolute,
// http or https, with a host. Unless allowPrivate is set it also refuses
// hosts that are plainly inside the local network (literal private or
// loopback addresses, "localhost"), so a Discord user gets a clear answer at
// once; names that only resolve to such addresses are refused when the fetch
// connects.
func CheckFeedURL(raw string, allowPrivate bool) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL: %w", raw, err)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	case "":
		return nil, fmt.Errorf("%q is not a full URL: it must start with https:// or http://", raw)
	default:
		return nil, fmt.Errorf("%q uses %s: only http and https URLs can be fetched", raw, u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("%q has no host name", raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%q carries a user name or password: remove it", raw)
	}
	if allowPrivate {
		return u, nil
	}
	if err := checkHost(u, publicOnly); err != nil {
		return nil, fmt.Errorf("%s: %w", raw, err)
	}
	return u, nil
}

// checkHost applies guard to a URL's host when the URL itself names a
// local address ("localhost" or a literal IP), before any connection.
func checkHost(u *url.URL, guard addrGuard) error {
	if guard == nil {
		return nil
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return fmt.Errorf("%s is this machine (loopback): %w", host, ErrBlockedAddress)
	}
	if addr, err := netip.ParseAddr(host); err == nil {
		return guard(addr)
	}
	return nil
}
