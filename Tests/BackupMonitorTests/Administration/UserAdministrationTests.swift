import BackupMonitorTesting
import Testing

@testable import BackupMonitor

@Suite("User administration: the monitor always keeps an admin, nobody deletes themself")
struct UserAdministrationTests {
    static func administration(_ database: MonitorDatabase) -> UserAdministration {
        UserAdministration(database: database, hasher: QuickHasher())
    }

    @Test(arguments: DatabaseFlavor.available)
    func theLastAdminCanBeNeitherDemotedNorDeleted(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            let users = Self.administration(database)
            _ = try await users.add(username: "root", password: "long enough password", role: .admin)
            let demoted = try await refusal {
                _ = try await users.update(username: "root", role: .viewer, password: nil)
            }
            #expect(demoted?.shape == "conflict role")
            let deleted = try await refusal { try await users.delete(username: "root", actingUsername: nil) }
            #expect(deleted?.shape == "conflict username")
            #expect(try await users.users.adminCount() == 1)

            // With a second admin, the first may go.
            _ = try await users.add(username: "second", password: "long enough password", role: .admin)
            #expect(try await users.update(username: "root", role: .operator, password: nil).role == .operator)
            try await users.delete(username: "root", actingUsername: "second")
            #expect(try await users.all().map(\.username) == ["second"])
        }
    }

    /// The API let an admin delete themself, the Settings page did not: now neither does.
    @Test(arguments: DatabaseFlavor.available)
    func nobodyDeletesTheAccountTheyActWith(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            let users = Self.administration(database)
            _ = try await users.add(username: "ann", password: "long enough password", role: .admin)
            _ = try await users.add(username: "bob", password: "long enough password", role: .admin)
            let refused = try await refusal { try await users.delete(username: "ann", actingUsername: "ann") }
            #expect(refused?.shape == "conflict username")
            #expect(try await users.all().count == 2)
            let missing = try await refusal { try await users.delete(username: "carl", actingUsername: "ann") }
            #expect(missing?.shape == "notFound username")
        }
    }

    /// Two admins demoting each other at the same moment: the check and the change share one
    /// exclusive transaction, so at most one of them succeeds and an admin is left.
    @Test(arguments: DatabaseFlavor.available)
    func twoAdminsDemotingEachOtherAtOnceLeaveOne(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            let users = Self.administration(database)
            for round in 0..<5 {
                let names = ["a\(round)", "b\(round)"]
                for name in names {
                    _ = try await users.add(username: name, password: "long enough password", role: .admin)
                }
                for user in try await users.all() where !names.contains(user.username) {
                    _ = try await users.update(username: user.username, role: .viewer, password: nil)
                }
                let outcomes = await withTaskGroup(of: Bool.self) { group in
                    for name in names {
                        group.addTask {
                            (try? await users.update(username: name, role: .viewer, password: nil)) != nil
                        }
                    }
                    return await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                #expect(outcomes.filter { $0 }.count == 1, "round \(round): \(outcomes)")
                #expect(try await users.users.adminCount() == 1, "round \(round)")
            }
        }
    }

    @Test func badNamesAndPasswordsAreRefusedBeforeAnythingIsStored() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let users = Self.administration(database)
            #expect(
                try await refusal {
                    _ = try await users.add(username: "a b", password: "long enough password", role: .viewer)
                }?.shape == "invalid username")
            #expect(
                try await refusal { _ = try await users.add(username: "ann", password: "short", role: .viewer) }?.shape
                    == "invalid password")
            _ = try await users.add(username: "ann", password: "long enough password", role: .viewer)
            #expect(
                try await refusal {
                    _ = try await users.add(username: "ann", password: "long enough password", role: .viewer)
                }?.shape == "conflict username")
            #expect(
                try await refusal { _ = try await users.update(username: "ann", role: nil, password: "short") }?.shape
                    == "invalid password")
            let changed = try await users.update(username: "ann", role: nil, password: "another long password")
            #expect(changed.passwordHash == (try await QuickHasher().hash("another long password")))
            #expect(try await users.all().count == 1)
        }
    }
}
