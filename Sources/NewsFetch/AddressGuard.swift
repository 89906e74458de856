internal import Foundation
internal import Synchronization

/// Refuses hosts that resolve into the user's own network (loopback, private, link-local, carrier-grade NAT,
/// multicast, reserved), so a feed or a redirect cannot point newsflow at a router or a cloud metadata
/// service. A host is refused when any of its addresses is, since the client may connect to any of them.
///
/// The check resolves the name itself, before the HTTP client resolves it again; a DNS server that answers
/// differently the second time (rebinding) is not caught. Answers are kept for the run, which narrows that gap.
final class AddressGuard: Sendable {
    enum Verdict: Sendable {
        case allowed
        case refused(String)
        /// The name did not resolve: maybe a passing DNS failure, so not remembered.
        case unresolved(String)
    }

    private let verdicts = Mutex<[String: Verdict]>([:])

    func verdict(for host: String) -> Verdict {
        if let known = verdicts.withLock({ $0[host] }) { return known }
        let verdict = Self.check(host)
        if case .unresolved = verdict { return verdict }
        verdicts.withLock { $0[host] = verdict }
        return verdict
    }

    private static func check(_ host: String) -> Verdict {
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(name, nil, &hints, &list)
        guard status == 0, let list else {
            return .unresolved("cannot resolve \(name): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let current = entry {
            if let address = current.pointee.ai_addr, let range = Self.privateRange(of: address) {
                return .refused("\(name) resolves to \(Self.text(of: address)), a \(range) address (--allow-private fetches it)")
            }
            entry = current.pointee.ai_next
        }
        return .allowed
    }

    /// The kind of non-public range `address` is in, or nil for a public address.
    static func privateRange(of address: UnsafePointer<sockaddr>) -> String? {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let raw = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
            return privateRange(ipv4: UInt32(bigEndian: raw))
        case AF_INET6:
            let bytes = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
            }
            return privateRange(ipv6: bytes)
        default:
            return "non-IP"
        }
    }

    static func privateRange(ipv4 value: UInt32) -> String? {
        func within(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ bits: UInt32) -> Bool {
            let network = a << 24 | b << 16 | c << 8 | d
            let mask: UInt32 = bits == 0 ? 0 : ~0 << (32 - bits)
            return value & mask == network
        }
        if within(127, 0, 0, 0, 8) { return "loopback" }
        if within(10, 0, 0, 0, 8) || within(172, 16, 0, 0, 12) || within(192, 168, 0, 0, 16) { return "private" }
        if within(169, 254, 0, 0, 16) { return "link-local" }
        if within(100, 64, 0, 0, 10) { return "carrier-grade NAT" }
        if within(0, 0, 0, 0, 8) || within(192, 0, 0, 0, 24) || within(198, 18, 0, 0, 15) || within(240, 0, 0, 0, 4) {
            return "reserved"
        }
        if within(224, 0, 0, 0, 4) { return "multicast" }
        return nil
    }

    static func privateRange(ipv6 bytes: [UInt8]) -> String? {
        guard bytes.count == 16 else { return "malformed" }
        let prefix = bytes[0..<12]
        let ipv4 = bytes[12..<16].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        if prefix.allSatisfy({ $0 == 0 }) {
            if ipv4 == 1 { return "loopback" }
            if ipv4 == 0 { return "unspecified" }
            return privateRange(ipv4: ipv4)  // ::a.b.c.d, IPv4-compatible (deprecated, still routable on some stacks)
        }
        // ::ffff:a.b.c.d (IPv4-mapped) and 64:ff9b::a.b.c.d (NAT64) reach the IPv4 address inside.
        if prefix.prefix(10).allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return privateRange(ipv4: ipv4)
        }
        if Array(prefix) == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] { return privateRange(ipv4: ipv4) }
        if bytes[0] == 0x20 && bytes[1] == 0x02 {  // 2002::/16, 6to4: the IPv4 address is in bytes 2…5
            return privateRange(ipv4: bytes[2..<6].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        }
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return "link-local" }
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0xC0 { return "site-local" }
        if bytes[0] & 0xFE == 0xFC { return "private" }  // fc00::/7, unique local
        if bytes[0] == 0xFF { return "multicast" }
        return nil
    }

    private static func text(of address: UnsafePointer<sockaddr>) -> String {
        var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let length = socklen_t(address.pointee.sa_family == sa_family_t(AF_INET6) ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
        guard getnameinfo(address, length, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
