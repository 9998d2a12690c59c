import Domain
import Foundation
import Postgres

/// Who a step reaches at one instant (SPEC §11): schedules resolve to whoever is on call then
/// (Domain's schedule math over the stored rules), people to every contact method they have,
/// channels to themselves while enabled. Loaded once per worker pass for every target of the
/// steps it fires, so a hundred escalations naming one schedule compute it once.
struct EscalationTargetResolver {
    /// A person with the contact methods a page goes to.
    struct Person {
        let id: Int64
        let name: String
        /// (id, kind) in the order they were added.
        let methods: [(id: Int64, kind: String)]
    }

    struct Channel {
        let id: Int64
        let name: String
    }

    /// Who each schedule has on call (absent: nobody, or no such schedule).
    private var onCall: [Int64: Int64] = [:]
    /// People that exist, with their methods (possibly none).
    private var people: [Int64: Person] = [:]
    /// Enabled channels that exist.
    private var channels: [Int64: Channel] = [:]

    /// Reads what `targets` need to be resolved at `now`.
    init(targets: [EscalationTarget], at now: Date, connection: PostgresConnection) throws {
        let schedules = ScheduleRepository(connection)
        for id in Set(targets.filter { $0.kind == .schedule }.map(\.id)) {
            if let user = try schedules.onCall(scheduleID: id, at: now) { onCall[id] = user }
        }
        let userIDs = Array(Set(targets.filter { $0.kind == .user }.map(\.id)).union(onCall.values))
        if !userIDs.isEmpty {
            let rows = try connection.query(
                """
                SELECT u.id, u.name, m.id AS method_id, m.kind FROM users u
                LEFT JOIN contact_methods m ON m.user_id = u.id
                WHERE u.id = ANY(\(userIDs)) ORDER BY u.id, m.id
                """)
            var methods: [Int64: [(id: Int64, kind: String)]] = [:]
            var names: [Int64: String] = [:]
            for row in rows {
                let id: Int64 = try row.decode("id")
                names[id] = try row.decode("name")
                if let method: Int64 = try row.decode("method_id") {
                    methods[id, default: []].append((method, try row.decode("kind")))
                }
            }
            for (id, name) in names { people[id] = Person(id: id, name: name, methods: methods[id] ?? []) }
        }
        let channelIDs = Array(Set(targets.filter { $0.kind == .channel }.map(\.id)))
        if !channelIDs.isEmpty {
            for row in try connection.query(
                "SELECT id, name FROM channels WHERE id = ANY(\(channelIDs)) AND enabled")
            {
                let id: Int64 = try row.decode("id")
                channels[id] = Channel(id: id, name: try row.decode("name"))
            }
        }
    }

    /// The people (each once, with at least one contact method) and channels `step` reaches, in
    /// the order its targets name them.
    func resolve(_ step: EscalationPlan.Step) -> (people: [Person], channels: [Channel]) {
        var reached: [Person] = []
        var reachedChannels: [Channel] = []
        var seen: Set<Int64> = []
        func add(_ userID: Int64?) {
            guard let userID, let person = people[userID], !person.methods.isEmpty,
                seen.insert(userID).inserted
            else { return }
            reached.append(person)
        }
        for target in step.targets {
            switch target.kind {
            case .user: add(target.id)
            case .schedule: add(onCall[target.id])
            case .channel:
                if let channel = channels[target.id],
                    !reachedChannels.contains(where: { $0.id == channel.id })
                {
                    reachedChannels.append(channel)
                }
            }
        }
        return (reached, reachedChannels)
    }
}
