/// One level of a ``RouteTable``'s segment tree: literal children, at most one `{parameter}`
/// child, and the routes that end here, by method.
struct RouteNode<Payload: Sendable>: Sendable {
    /// A route that ends at this node.
    struct Route: Sendable {
        let pattern: String
        let payload: Payload
    }

    var literals: [String: RouteNode] = [:]
    var parameterName: String?
    /// Zero or one element; an array because a struct cannot hold itself directly.
    var parameterChild: [RouteNode] = []
    var routes: [HTTPMethod: Route] = [:]

    /// Adds `route` under the remaining `segments` of its pattern.
    mutating func insert(_ segments: ArraySlice<Substring>, method: HTTPMethod, route: Route) {
        guard let segment = segments.first else {
            precondition(routes[method] == nil, "route \(method) \(route.pattern) is registered twice")
            routes[method] = route
            return
        }
        let rest = segments.dropFirst()
        if segment.hasPrefix("{") && segment.hasSuffix("}") && segment.count > 2 {
            let name = String(segment.dropFirst().dropLast())
            precondition(
                parameterName == nil || parameterName == name,
                "route \(route.pattern): parameter {\(name)} clashes with {\(parameterName ?? "")}")
            parameterName = name
            if parameterChild.isEmpty { parameterChild.append(RouteNode()) }
            parameterChild[0].insert(rest, method: method, route: route)
        } else {
            literals[String(segment), default: RouteNode()].insert(rest, method: method, route: route)
        }
    }

    /// The node the decoded `segments` lead to, filling `parameters`; literal segments win
    /// over a parameter at the same position, with backtracking.
    func find(_ segments: ArraySlice<String>, parameters: inout [String: String]) -> RouteNode? {
        guard let segment = segments.first else { return self }
        let rest = segments.dropFirst()
        if let literal = literals[segment], let found = literal.find(rest, parameters: &parameters),
            !found.routes.isEmpty
        {
            return found
        }
        if let name = parameterName, !segment.isEmpty,
            let found = parameterChild[0].find(rest, parameters: &parameters), !found.routes.isEmpty
        {
            parameters[name] = segment
            return found
        }
        return nil
    }
}
