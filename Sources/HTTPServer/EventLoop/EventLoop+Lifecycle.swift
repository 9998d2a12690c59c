import CEpoll

#if canImport(Glibc)
    import Glibc
#endif

extension EventLoop {
    /// Runs every `sweepInterval`: expires timeouts (one pass over the connections instead
    /// of a timer each), resumes accepting, and force-closes at the end of a grace period.
    func sweep() {
        resumeAcceptingIfDue()
        if let forceCloseAt, now >= forceCloseAt {
            for connection in connections { connection?.close(in: self) }
            return
        }
        for connection in connections {
            guard let connection, now >= connection.deadline else { continue }
            connection.deadlineExpired(in: self)
        }
    }

    /// Graceful shutdown, step one on this loop: close the listeners, close connections with
    /// no request in progress; the others finish their request, answer with
    /// `Connection: close`, and close. The loop stops when none is left.
    func beginDrain(forceCloseAt deadline: UInt64) {
        draining = true
        forceCloseAt = deadline
        for listener in listeners {
            epoll_ctl(epollDescriptor, EPOLL_CTL_DEL, listener, nil)
            close(listener)
        }
        listeners = []
        acceptPausedUntil = nil
        for connection in connections {
            guard let connection else { continue }
            if connection.isIdle {
                connection.close(in: self)
            } else if connection.phase == .streaming {
                // Streams never finish by themselves: end them cleanly (the last chunk).
                connection.endStream(.shutdown, in: self)
            }
        }
    }

    /// Bookkeeping when a connection closes.
    func forget(_ connection: Connection) {
        let slot = Int(connection.socket)
        guard slot < connections.count, connections[slot] === connection else { return }
        connections[slot] = nil
        connectionCount -= 1
        context.openConnections.subtract(1, ordering: .relaxed)
    }
}

extension EventLoop {
    /// Logs that connections are being refused for being over the cap, at most once a second.
    func warnOverloaded() {
        guard now >= lastOverloadWarningAt + 1_000_000_000 else { return }
        lastOverloadWarningAt = now
        context.logger.warning(
            "http.connections_over_limit",
            [
                "open_connections": .int(context.openConnections.load(ordering: .relaxed)),
                "max_connections": .int(context.configuration.maxConnections),
            ])
    }
}
