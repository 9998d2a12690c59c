import API
import Foundation
import TestSupport
import Testing

/// docs/openapi.yaml must describe exactly the routes of `Routes.all()` (STYLE: the OpenAPI
/// file matches the route table, checked by a test), each with the access its route declares.
@Suite struct OpenAPIDocumentTests {
    @Test func openAPIDocumentListsExactlyTheRoutesOfTheRouteTable() throws {
        let documented = Set(try Self.documentedOperations().keys)
        let routed = Set(Routes.all().map { "\($0.method.rawValue) \($0.pattern)" })
        #expect(documented.subtracting(routed).sorted() == [], "documented but not routed")
        #expect(routed.subtracting(documented).sorted() == [], "routed but not documented")
    }

    @Test func openAPIDocumentDeclaresVersion31() throws {
        #expect(try Self.document().contains("openapi: 3.1"))
    }

    /// Each operation's `x-access` spells its route's `Access` (the `security` beside it is
    /// written from the same value), so a role changed in Routes.swift fails here until the
    /// document follows.
    @Test func everyOperationDeclaresTheAccessOfItsRoute() throws {
        let documented = try Self.documentedOperations()
        for route in Routes.all() {
            let operation = "\(route.method.rawValue) \(route.pattern)"
            guard let entry = documented[operation] else { continue }  // reported by the test above
            #expect(entry == Self.spelling(route.access), "x-access of \(operation)")
        }
    }

    @Test func accessSpellingsAreDistinctForEveryKindOfAccess() {
        let all: [Access] =
            [.open, .routingKey, .credentialsInRequest]
            + Role.allCases.flatMap {
                [Access.role($0), .roleOrRoutingKey($0)]
            }
        #expect(Set(all.map(Self.spelling)).count == all.count)
        #expect(Self.spelling(.roleOrRoutingKey(.responder)) == "roleOrRoutingKey(responder)")
    }

    @Test func parserReadsOperationsAndTheirAccessFromTheDocumentLayout() {
        let text = """
            openapi: 3.1.0
            paths:
              /api/v1/things/{id}:
                parameters:
                  - $ref: '#/components/parameters/ID'
                get:
                  summary: One thing
                  x-access: role(viewer)
                delete:
                  x-access: role(admin)
              '/healthz':
                get:
                  security: []
            components:
              schemas:
                get:
                  type: object
            """
        let operations = Self.operations(inOpenAPI: text)
        #expect(
            operations == [
                "GET /api/v1/things/{id}": "role(viewer)", "DELETE /api/v1/things/{id}": "role(admin)",
                "GET /healthz": nil,
            ])
    }

    /// The name an `Access` has in the document's `x-access`.
    static func spelling(_ access: Access) -> String {
        switch access {
        case .open: "open"
        case .role(let role): "role(\(role.rawValue))"
        case .roleOrRoutingKey(let role): "roleOrRoutingKey(\(role.rawValue))"
        case .routingKey: "routingKey"
        case .credentialsInRequest: "credentialsInRequest"
        }
    }

    static func document() throws -> String {
        try String(contentsOfFile: TestDatabase.repositoryRoot + "/docs/openapi.yaml", encoding: .utf8)
    }

    static func documentedOperations() throws -> [String: String?] {
        operations(inOpenAPI: try document())
    }

    /// `METHOD /path` → `x-access` (nil when absent) for every operation under `paths:`
    /// (two-space path keys, four-space method keys, six-space operation fields), read line by
    /// line: the file is ours and kept in that layout.
    static func operations(inOpenAPI text: String) -> [String: String?] {
        let methods: Set<String> = ["get", "post", "put", "patch", "delete", "head", "options"]
        var operations: [String: String?] = [:]
        var inPaths = false
        var currentPath: String?
        var currentOperation: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("paths:") {
                inPaths = true
                continue
            }
            guard inPaths else { continue }
            if let first = line.first, first != " ", first != "#" { break }
            if line.hasPrefix("  /") || line.hasPrefix("  '/") || line.hasPrefix("  \"/"), line.hasSuffix(":")
            {
                currentPath = String(line.dropFirst(2).dropLast())
                    .trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
                currentOperation = nil
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let key = String(line.trimmingCharacters(in: .whitespaces).dropLast())
                currentOperation = nil
                if methods.contains(key), let currentPath {
                    let operation = "\(key.uppercased()) \(currentPath)"
                    operations[operation] = .some(nil)
                    currentOperation = operation
                }
            } else if line.hasPrefix("      x-access:"), let currentOperation {
                let value = line.dropFirst("      x-access:".count).trimmingCharacters(in: .whitespaces)
                operations[currentOperation] = .some(value)
            }
        }
        return operations
    }
}
