import Synchronization
import Testing

@testable import BackupMonitor

/// The scan's session slots: never more holders than slots, waiters served in order, a waiter
/// cancelled by its outlet deadline leaves without taking a slot.
@Suite("Session slots")
struct SessionSlotsTests {
    @Test func neverMoreHoldersThanSlots() async throws {
        let slots = SessionSlots(3)
        let counts = Box((now: 0, most: 0))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    let ticket = SessionTicket(slots)
                    try? await ticket.acquire()
                    counts.withLock {
                        $0.now += 1
                        $0.most = max($0.most, $0.now)
                    }
                    try? await Task.sleep(for: .milliseconds(2))
                    counts.withLock { $0.now -= 1 }
                    ticket.release()
                    ticket.release()  // a second release gives nothing back
                }
            }
        }
        #expect(counts.withLock { $0.most } == 3)
        // All three slots are free again, and no more.
        for _ in 0..<3 { try await slots.acquire() }
        let fourth = Task { try await slots.acquire() }
        try await Task.sleep(for: .milliseconds(50))
        fourth.cancel()
        await #expect(throws: CancellationError.self) { try await fourth.value }
    }

    @Test func aCancelledWaiterLeavesAndTheNextOneIsServed() async throws {
        let slots = SessionSlots(1)
        try await slots.acquire()
        let order = Box<[String]>([])
        let first = Task {
            try await slots.acquire()
            order.withLock { $0.append("first") }
        }
        try await Task.sleep(for: .milliseconds(20))
        let second = Task {
            try await slots.acquire()
            order.withLock { $0.append("second") }
            slots.release()
        }
        try await Task.sleep(for: .milliseconds(20))
        first.cancel()
        await #expect(throws: CancellationError.self) { try await first.value }
        slots.release()
        try await second.value
        #expect(order.withLock { $0 } == ["second"])

        let unheld = SessionTicket(slots)
        unheld.release()  // never granted: releases nothing
        try await slots.acquire()
        let blocked = Task { try await slots.acquire() }
        try await Task.sleep(for: .milliseconds(20))
        blocked.cancel()
        await #expect(throws: CancellationError.self) { try await blocked.value }
    }
}

/// A value shared by test tasks.
private final class Box<Value: Sendable>: Sendable {
    private let state: Mutex<Value>
    init(_ value: Value) { state = Mutex(value) }
    func withLock<R: Sendable>(_ body: (inout Value) -> R) -> R { state.withLock { body(&$0) } }
}
