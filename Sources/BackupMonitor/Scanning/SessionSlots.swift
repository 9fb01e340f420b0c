import Synchronization

/// The outlets that may be in an SMB session at once (`SCAN_CONCURRENCY`, SPEC §6).
///
/// An outlet asks for a slot only once its TCP connection is up. Outlets that never answer
/// spend their connect timeout without holding a slot, so a few dead outlets at the end of the
/// list no longer start late and stretch the scan by their whole timeout.
///
/// The number of slots may change during a scan (`setLimit`, the adaptive concurrency): a cut
/// takes effect as sessions end, since a session in progress is never broken off.
final class SessionSlots: Sendable {
    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var limit: Int
        var inUse = 0
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0

        /// Waiters that may go now, in arrival order, counted as in use.
        mutating func admit() -> [Waiter] {
            var admitted: [Waiter] = []
            while inUse < limit, !waiters.isEmpty {
                inUse += 1
                admitted.append(waiters.removeFirst())
            }
            return admitted
        }
    }

    private let state: Mutex<State>

    init(_ count: Int) {
        state = Mutex(State(limit: max(1, count)))
    }

    var limit: Int { state.withLock { $0.limit } }

    /// Changes the number of slots; a raise lets waiters in at once.
    func setLimit(_ count: Int) {
        let admitted = state.withLock { state in
            state.limit = max(1, count)
            return state.admit()
        }
        for waiter in admitted { waiter.continuation.resume() }
    }

    /// Waits for a free slot, in arrival order; throws `CancellationError` if the task is
    /// cancelled (an outlet deadline) while waiting, and then holds nothing.
    func acquire() async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let granted: Bool? = state.withLock { state in
                    if Task.isCancelled { return false }
                    if state.inUse < state.limit, state.waiters.isEmpty {
                        state.inUse += 1
                        return true
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                switch granted {
                case true?: continuation.resume()
                case false?: continuation.resume(throwing: CancellationError())
                case nil: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Frees a slot, handing it straight to the longest waiter if the limit allows.
    func release() {
        let admitted = state.withLock { state in
            state.inUse -= 1
            return state.admit()
        }
        for waiter in admitted { waiter.continuation.resume() }
    }
}

/// One outlet's claim on a session slot: released once, and only if it was granted.
final class SessionTicket: Sendable {
    private let slots: SessionSlots
    private let held = Mutex(false)

    init(_ slots: SessionSlots) {
        self.slots = slots
    }

    func acquire() async throws {
        try await slots.acquire()
        held.withLock { $0 = true }
    }

    func release() {
        let wasHeld = held.withLock { held in
            defer { held = false }
            return held
        }
        if wasHeld { slots.release() }
    }
}
