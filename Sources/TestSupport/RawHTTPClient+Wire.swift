import Foundation
import HTTPServer

#if canImport(Glibc)
    import Glibc
#endif

extension RawHTTPClient {
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Opens a blocking TCP connection.
    static func connect(host: String, port: Int, receiveBuffer: Int? = nil) throws -> Int32 {
        var v4 = sockaddr_in()
        var v6 = sockaddr_in6()
        let isV4 = inet_pton(AF_INET, host, &v4.sin_addr) == 1
        guard isV4 || inet_pton(AF_INET6, host, &v6.sin6_addr) == 1 else {
            throw RawHTTPClientError.system(operation: "inet_pton \(host)", errno: EINVAL)
        }
        let socket = Glibc.socket(
            isV4 ? AF_INET : AF_INET6, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { throw RawHTTPClientError.system(operation: "socket", errno: errno) }
        if var size = receiveBuffer.map(Int32.init) {
            // Before connect, so the window offered to the server is this small from the start.
            setsockopt(socket, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        let result: Int32
        if isV4 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = in_port_t(UInt16(port).bigEndian)
            result = withUnsafePointer(to: &v4) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        } else {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = in_port_t(UInt16(port).bigEndian)
            result = withUnsafePointer(to: &v6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(socket)
            throw RawHTTPClientError.system(operation: "connect", errno: code)
        }
        return socket
    }

    /// Reads what is available into the buffer, waiting until `deadline`. False on EOF.
    func fill(until deadline: UInt64) throws -> Bool {
        if peerClosed { return false }
        while true {
            let now = Self.now()
            guard now < deadline else { throw RawHTTPClientError.timedOut("the server's response") }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32((deadline - now) / 1_000_000 + 1))
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer.append(contentsOf: chunk[..<count])
                return true
            }
            if count == 0 {
                peerClosed = true
                return false
            }
            if errno == EINTR || errno == EAGAIN { continue }
            throw RawHTTPClientError.system(operation: "recv", errno: errno)
        }
    }

    /// The index of the CRLFCRLF that ends the head at the front of the buffer.
    func findHeadEnd() -> Int? {
        let bytes = buffer
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10
        {
            return index
        }
        return nil
    }

    /// Status line and header fields.
    static func parseHead(_ head: [UInt8]) throws -> RawHTTPResponse {
        let text = String(decoding: head, as: UTF8.self)
        var lines = text.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw RawHTTPClientError.malformedResponse("status line \(statusLine)")
        }
        var headers = HTTPHeaders()
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else {
                throw RawHTTPClientError.malformedResponse("header line \(line)")
            }
            headers.add(
                name: String(line[..<colon]),
                value: String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
        return RawHTTPResponse(
            version: String(parts[0]), status: status, reason: parts.count > 2 ? String(parts[2]) : "",
            headers: headers, body: [])
    }

    /// A chunked body (RFC 9112 §7.1), trailers dropped.
    func readChunkedBody(until deadline: UInt64) throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let line = try readLine(until: deadline)
            guard let size = Int(line.split(separator: ";").first ?? "", radix: 16) else {
                throw RawHTTPClientError.malformedResponse("chunk size \(line)")
            }
            if size == 0 {
                while try !readLine(until: deadline).isEmpty {}
                return body
            }
            while buffer.count < size + 2 {
                guard try fill(until: deadline) else {
                    throw RawHTTPClientError.closedByPeer(bytesBuffered: 0)
                }
            }
            body.append(contentsOf: buffer[..<size])
            buffer.removeFirst(size + 2)
        }
    }

    private func readLine(until deadline: UInt64) throws -> String {
        while true {
            let bytes = buffer
            if let index = bytes.indices.dropLast().first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }) {
                let line = String(decoding: bytes[..<index], as: UTF8.self)
                buffer.removeFirst(index + 2)
                return line
            }
            guard try fill(until: deadline) else {
                throw RawHTTPClientError.closedByPeer(bytesBuffered: bytes.count)
            }
        }
    }
}
