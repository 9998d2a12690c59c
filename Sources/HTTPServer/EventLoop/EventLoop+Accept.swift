import CEpoll
import Log
import TLS

#if canImport(Glibc)
    import Glibc
#endif

extension EventLoop {
    /// Connections accepted per readiness event, so one busy listener cannot starve the
    /// connections this loop serves.
    static let maxAcceptsPerEvent = 64
    /// Over the connection cap, up to this many extra sockets are accepted to be told 503;
    /// beyond that they are closed at once.
    static let overloadAllowance = 1024
    /// How long accepting pauses when the process is out of descriptors (EMFILE).
    static let acceptPauseNanoseconds: UInt64 = 100_000_000

    /// Registers the listening sockets with this loop (the acceptor).
    func addListeners(_ sockets: [Int32]) {
        listeners = sockets
        for socket in sockets { registerListener(socket) }
    }

    private func registerListener(_ socket: Int32) {
        var event = epoll_event(
            events: EPOLLIN.rawValue, data: epoll_data_t(u64: Self.listenerTag | UInt64(socket)))
        epoll_ctl(epollDescriptor, EPOLL_CTL_ADD, socket, &event)
    }

    /// Accepts pending connections and deals them round-robin to the loops.
    func acceptConnections(from listener: Int32) {
        for _ in 0..<Self.maxAcceptsPerEvent {
            var address = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let socket = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    accept4(
                        listener, $0, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
                }
            }
            if socket < 0 {
                switch errno {
                case EINTR, ECONNABORTED: continue
                case EAGAIN, EWOULDBLOCK: return
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // Level-triggered readiness would spin at 100% CPU; stop listening for a
                    // moment instead, and let connections close.
                    pauseAccepting(reason: SocketError(operation: "accept4"))
                    return
                default:
                    context.logger.error(
                        "http.accept_failed",
                        ["error": .string(SocketError(operation: "accept4").description)])
                    return
                }
            }
            var one: Int32 = 1
            setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let remoteAddress = SocketAddress.describe(&address)
            let open = context.openConnections.add(1, ordering: .relaxed).newValue
            let maximum = context.configuration.maxConnections
            if open > maximum + Self.overloadAllowance {
                close(socket)
                context.openConnections.subtract(1, ordering: .relaxed)
                continue
            }
            if open > maximum {
                // Over the cap: answer 503 from this loop and close (SPEC §6).
                adopt(socket: socket, remoteAddress: remoteAddress, overloaded: true)
                continue
            }
            let target = peers.isEmpty ? self : peers[nextPeer % peers.count]
            nextPeer &+= 1
            if target === self {
                adopt(socket: socket, remoteAddress: remoteAddress, overloaded: false)
            } else if !target.enqueue(.adopt(socket: socket, remoteAddress: remoteAddress, overloaded: false))
            {
                close(socket)
                context.openConnections.subtract(1, ordering: .relaxed)
            }
        }
    }

    /// Takes ownership of an accepted socket: edge-triggered readiness for input and output.
    func adopt(socket: Int32, remoteAddress: String, overloaded: Bool) {
        generation = generation == 0x7FFF_FFFF ? 1 : generation + 1
        let token = UInt64(generation) << 32 | UInt64(UInt32(bitPattern: socket))
        var session: TLSSession?
        if let certificates = context.certificates, !overloaded {
            do {
                session = try TLSSession.server(context: certificates.context, socket: socket)
            } catch {
                context.logger.error("http.tls_session_failed", ["error": .string(error.description)])
                close(socket)
                context.openConnections.subtract(1, ordering: .relaxed)
                return
            }
        }
        let connection = Connection(
            socket: socket, token: token, remoteAddress: remoteAddress, limits: context.configuration.limits,
            now: now, tls: session)
        let slot = Int(socket)
        if slot >= connections.count {
            connections.append(contentsOf: repeatElement(nil, count: max(slot + 1 - connections.count, 64)))
        }
        connections[slot] = connection
        connectionCount += 1
        var event = epoll_event(
            events: EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue,
            data: epoll_data_t(u64: token))
        guard epoll_ctl(epollDescriptor, EPOLL_CTL_ADD, socket, &event) == 0 else {
            context.logger.error(
                "http.epoll_ctl_failed", ["error": .string(SocketError(operation: "epoll_ctl").description)])
            connection.close(in: self)
            return
        }
        if overloaded && context.certificates != nil {
            // A 503 would cost a handshake, the very work an overloaded server cannot spare.
            connection.close(in: self)
        } else if overloaded {
            connection.refuseOverloaded(in: self)
        } else if draining {
            connection.close(in: self)
        }
    }

    func pauseAccepting(reason: SocketError) {
        guard acceptPausedUntil == nil else { return }
        context.logger.warning(
            "http.accept_paused",
            [
                "error": .string(reason.description),
                "open_connections": .int(context.openConnections.load(ordering: .relaxed)),
            ])
        for listener in listeners { epoll_ctl(epollDescriptor, EPOLL_CTL_DEL, listener, nil) }
        acceptPausedUntil = now + Self.acceptPauseNanoseconds
    }

    /// Called from the sweep: listen again once the pause is over.
    func resumeAcceptingIfDue() {
        guard let until = acceptPausedUntil, now >= until else { return }
        acceptPausedUntil = nil
        for listener in listeners { registerListener(listener) }
    }
}
