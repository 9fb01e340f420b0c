import BackupMonitorTesting
import Foundation
import SQLKit
import Synchronization
import Testing

@testable import BackupMonitor

/// Two PostgreSQL transactions that lock the same two rows in opposite orders deadlock; the
/// one PostgreSQL picks as the victim runs again, so both writes land (as two scan batches
/// updating the same per-day counters would).
@Suite("Transactions retried after a deadlock", .enabled(if: DatabaseFlavor.available.contains(.postgres)))
struct TransactionRetryTests {
    @Test func theDeadlockVictimRunsAgainAndBothWritesLand() async throws {
        try await TestDatabase.with(.postgres) { database in
            try await database.withSQL { sql in
                try await sql.raw("CREATE TABLE deadlock_probe (id INT PRIMARY KEY, n INT NOT NULL)").run()
                try await sql.raw("INSERT INTO deadlock_probe VALUES (1, 0), (2, 0)").run()
            }
            let arrived = Counter()
            let runs = Counter()
            @Sendable func update(first: Int, then second: Int) async throws {
                try await database.transaction { sql in
                    runs.add()
                    try await sql.raw("UPDATE deadlock_probe SET n = n + 1 WHERE id = \(bind: first)").run()
                    // Both hold their first row before either asks for its second.
                    arrived.add()
                    let deadline = ContinuousClock.now + .seconds(10)
                    while arrived.value < 2 && ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(5))
                    }
                    try await sql.raw("UPDATE deadlock_probe SET n = n + 1 WHERE id = \(bind: second)").run()
                }
            }
            async let one: Void = update(first: 1, then: 2)
            async let two: Void = update(first: 2, then: 1)
            _ = try await (one, two)
            #expect(runs.value == 3, "one of the two ran twice")
            let counts = try await database.withSQL { sql in
                try await sql.raw("SELECT n FROM deadlock_probe ORDER BY id").all().map {
                    try $0.decode(column: "n", as: Int.self)
                }
            }
            #expect(counts == [2, 2])
        }
    }
}

private final class Counter: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
