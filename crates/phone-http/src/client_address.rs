//! Who a request came from: the connection's address, or, when that is a proxy the operator
//! trusts (`--trusted-proxy`), the address the proxy says it forwarded for. Every per-address
//! limit, the security and access logs and `/metrics`' loopback rule read it from here, so
//! behind a proxy each caller keeps an allowance of its own, and a caller that is not a trusted
//! proxy cannot choose its address by sending `X-Forwarded-For`.

use std::{
    fmt,
    net::{IpAddr, SocketAddr},
    str::FromStr,
    sync::Arc,
};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{Extensions, HeaderMap, header},
    middleware::Next,
    response::Response,
};

/// A block of addresses: `10.0.0.0/8`, `fd00::/8`, or one address (`127.0.0.1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Whether `address` (an IPv4-mapped IPv6 one as its IPv4) is in the block.
    pub fn contains(&self, address: IpAddr) -> bool {
        match (self.network, address.to_canonical()) {
            (IpAddr::V4(network), IpAddr::V4(address)) => {
                masked(u128::from(u32::from(network)), self.prefix, 32)
                    == masked(u128::from(u32::from(address)), self.prefix, 32)
            }
            (IpAddr::V6(network), IpAddr::V6(address)) => {
                masked(u128::from(network), self.prefix, 128)
                    == masked(u128::from(address), self.prefix, 128)
            }
            _ => false,
        }
    }
}

/// The first `prefix` of the `bits` low bits of `value`.
fn masked(value: u128, prefix: u8, bits: u32) -> u128 {
    let host_bits = bits - u32::from(prefix);
    if host_bits >= 128 { 0 } else { value >> host_bits }
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (address, prefix) = text.trim().split_once('/').unwrap_or((text.trim(), ""));
        let network: IpAddr = address
            .parse()
            .map_err(|_| format!("{text:?} is not an address or block (10.0.0.0/8, ::1)"))?;
        let network = network.to_canonical();
        let most = if network.is_ipv4() { 32 } else { 128 };
        let prefix = if prefix.is_empty() {
            most
        } else {
            prefix.parse().ok().filter(|p| *p <= most).ok_or_else(|| {
                format!("{text:?}: the prefix length must be a number from 0 to {most}")
            })?
        };
        Ok(Self { network, prefix })
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// The proxies whose forwarding headers are believed; none by default.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Arc<[Cidr]>);

impl TrustedProxies {
    pub fn new(blocks: Vec<Cidr>) -> Self {
        Self(blocks.into())
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|block| block.contains(address))
    }
}

/// The address a request came from, as this server counts and logs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress {
    /// The caller's address (an IPv4 caller of a server on `[::]` as IPv4).
    pub ip: IpAddr,
    /// Whether it came through a trusted proxy, which named it.
    pub via_proxy: bool,
}

impl ClientAddress {
    /// The address of the request whose extensions these are; `None` outside a server (tests
    /// driving the router without a socket).
    pub fn of(extensions: &Extensions) -> Option<Self> {
        extensions.get::<Self>().copied()
    }

    /// Who sent a request over a connection from `peer` with `headers`: `peer` unless it is a
    /// trusted proxy; then, walking the forwarded-for chain from the nearest hop, the first
    /// address that is not a trusted proxy (the nearest one a proxy we trust vouches for).
    pub fn from_peer(peer: IpAddr, headers: &HeaderMap, proxies: &TrustedProxies) -> Self {
        let peer = peer.to_canonical();
        if !proxies.trusts(peer) {
            return Self { ip: peer, via_proxy: false };
        }
        let mut client = peer;
        for hop in forwarded_for(headers).into_iter().rev() {
            // A hop a proxy could not name ("unknown", an obfuscated one) ends what it can
            // vouch for: the request is counted as the last proxy's.
            let Some(hop) = hop else { break };
            client = hop;
            if !proxies.trusts(hop) {
                break;
            }
        }
        Self { ip: client, via_proxy: client != peer }
    }
}

/// The addresses a request was forwarded for, farthest first: from `Forwarded` (RFC 7239)
/// when present, else `X-Forwarded-For`; `None` for a hop that names no address.
fn forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let values = |name| {
        headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(','))
    };
    if headers.contains_key(header::FORWARDED) {
        values(header::FORWARDED.as_str())
            .map(|element| {
                element.split(';').find_map(|pair| {
                    let (name, value) = pair.trim().split_once('=')?;
                    name.eq_ignore_ascii_case("for").then(|| node_address(value))
                })?
            })
            .collect()
    } else {
        values("x-forwarded-for").map(node_address).collect()
    }
}

/// The address of a node as proxies write it: `192.0.2.1`, `"[2001:db8::1]:4711"`,
/// `192.0.2.1:80`; `None` for `unknown` or an obfuscated name.
fn node_address(node: &str) -> Option<IpAddr> {
    let node = node.trim().trim_matches('"');
    if let Ok(address) = node.parse::<IpAddr>() {
        return Some(address.to_canonical());
    }
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split(']').next()?.parse::<IpAddr>().ok().map(|a| a.to_canonical());
    }
    node.parse::<SocketAddr>().ok().map(|a| a.ip().to_canonical())
}

/// The outermost middleware: puts the request's [`ClientAddress`] into its extensions.
pub async fn resolve(
    State(proxies): State<TrustedProxies>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    if let Some(peer) = peer {
        let client = ClientAddress::from_peer(peer, request.headers(), &proxies);
        request.extensions_mut().insert(client);
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn proxies(blocks: &[&str]) -> TrustedProxies {
        TrustedProxies::new(blocks.iter().map(|b| b.parse().unwrap()).collect())
    }

    #[track_caller]
    fn client(peer: &str, headers: &[(&str, &str)], trusted: &[&str]) -> (String, bool) {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(
                axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        let found = ClientAddress::from_peer(peer.parse().unwrap(), &map, &proxies(trusted));
        (found.ip.to_string(), found.via_proxy)
    }

    #[test]
    fn blocks_hold_the_addresses_of_their_prefix_and_ipv4_mapped_ones_as_ipv4() {
        let block: Cidr = "10.1.0.0/16".parse().unwrap();
        assert!(block.contains("10.1.255.3".parse().unwrap()));
        assert!(block.contains("::ffff:10.1.0.1".parse().unwrap()));
        assert!(!block.contains("10.2.0.1".parse().unwrap()));
        assert!(!block.contains("::1".parse().unwrap()));
        let one: Cidr = "127.0.0.1".parse().unwrap();
        assert_eq!(one.to_string(), "127.0.0.1/32");
        assert!(!one.contains("127.0.0.2".parse().unwrap()));
        let v6: Cidr = "fd00::/8".parse().unwrap();
        assert!(
            v6.contains("fd12::1".parse().unwrap()) && !v6.contains("fe80::1".parse().unwrap())
        );
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains("203.0.113.9".parse().unwrap()));
        for bad in ["10.0.0.0/33", "::/129", "proxy", "10.0.0.0/x", ""] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
    }

    #[test]
    fn forwarding_headers_are_believed_only_from_a_trusted_proxy() {
        let xff = [("x-forwarded-for", "203.0.113.7")];
        // Not a trusted proxy: whatever it says, it is counted as itself.
        assert_eq!(client("198.51.100.2", &xff, &[]), ("198.51.100.2".into(), false));
        assert_eq!(client("198.51.100.2", &xff, &["127.0.0.1"]), ("198.51.100.2".into(), false));
        // An IPv4 caller of a dual-stack listener is its IPv4 address.
        assert_eq!(client("::ffff:192.0.2.4", &[], &[]), ("192.0.2.4".into(), false));
        // A trusted proxy names the caller.
        assert_eq!(client("127.0.0.1", &xff, &["127.0.0.1"]), ("203.0.113.7".into(), true));
        assert_eq!(
            client("::ffff:127.0.0.1", &xff, &["127.0.0.0/8"]),
            ("203.0.113.7".into(), true)
        );
    }

    #[test]
    fn the_caller_is_the_nearest_hop_that_no_trusted_proxy_is() {
        // The caller wrote an X-Forwarded-For of its own; the proxy appended the real one.
        let spoofed = [("x-forwarded-for", "10.9.9.9, 203.0.113.7")];
        assert_eq!(client("127.0.0.1", &spoofed, &["127.0.0.1"]), ("203.0.113.7".into(), true));
        // Two proxies of ours in a row.
        let chain = [("x-forwarded-for", "203.0.113.7, 10.0.0.5")];
        assert_eq!(
            client("127.0.0.1", &chain, &["127.0.0.1", "10.0.0.0/8"]),
            ("203.0.113.7".into(), true)
        );
        // RFC 7239, with ports and brackets, preferred to X-Forwarded-For.
        let forwarded = [
            ("forwarded", r#"for=192.0.2.60;proto=https, for="[2001:db8::17]:4711""#),
            ("x-forwarded-for", "10.9.9.9"),
        ];
        assert_eq!(client("127.0.0.1", &forwarded, &["127.0.0.1"]), ("2001:db8::17".into(), true));
        // A hop the proxy could not name: counted as the proxy.
        let unknown = [("forwarded", "for=unknown")];
        assert_eq!(client("127.0.0.1", &unknown, &["127.0.0.1"]), ("127.0.0.1".into(), false));
        // No header at all: the proxy itself (say, its own health check).
        assert_eq!(client("127.0.0.1", &[], &["127.0.0.1"]), ("127.0.0.1".into(), false));
    }
}
