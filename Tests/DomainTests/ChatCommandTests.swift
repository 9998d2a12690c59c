import Domain
import Testing

@Test(arguments: [
    ("ack INC-42", ChatCommand.acknowledge(.incident(42), note: nil)),
    ("ACK inc-42 looking now", .acknowledge(.incident(42), note: "looking now")),
    ("ack 42", .acknowledge(.incident(42), note: nil)),
    ("ack ALR-7", .acknowledge(.alert(7), note: nil)),
    (#"!ack INC-42 "Investigating issue""#, .acknowledge(.incident(42), note: "Investigating issue")),
    ("!ack 42 “Investigating issue”", .acknowledge(.incident(42), note: "Investigating issue")),
    ("!Ack #42: on it", .acknowledge(.incident(42), note: "on it")),
    ("acknowledge ALR-7 ''", .acknowledge(.alert(7), note: nil)),
    (
        "resolve INC-42 Rolled back release 512",
        .resolve(.incident(42), resolution: "Rolled back release 512")
    ),
    (#"!resolve ALR-7 "Disk cleaned""#, .resolve(.alert(7), resolution: "Disk cleaned")),
    ("resolve 9", .resolve(.incident(9), resolution: nil)),
    ("status INC-42", .status(.incident(42))),
    ("  Status   alr-3  ", .status(.alert(3))),
    (
        "update INC-42 identified Connection pool exhausted",
        .update(.incident(42), status: .identified, message: "Connection pool exhausted")
    ),
    (
        "UPDATE 42 Monitoring  \"Fix deployed, watching\"",
        .update(.incident(42), status: .monitoring, message: "Fix deployed, watching")
    ),
    ("note INC-42 DBA paged   twice", .note(.incident(42), text: "DBA paged   twice")),
    ("note ALR-7 flapping", .note(.alert(7), text: "flapping")),
    ("open", .listOpen),
    ("OPEN please", .listOpen),
    ("list", .listOpen),
    ("help", .help),
    ("!help", .help),
    ("", .help),
    ("   ", .help),
])
func chatCommandsParse(text: String, expected: ChatCommand) {
    #expect(ChatCommand.parse(text) == .success(expected))
}

@Test(arguments: [
    ("deploy INC-42", ChatCommandError.unknownCommand("deploy")),
    ("!page bob", .unknownCommand("!page")),
    ("ack", .missingRef(verb: "ack")),
    ("!resolve   ", .missingRef(verb: "resolve")),
    ("status", .missingRef(verb: "status")),
    ("ack incident-id \"Investigating issue\"", .badRef(verb: "ack", .malformed("incident-id"))),
    ("resolve INC-x", .badRef(verb: "resolve", .malformed("INC-x"))),
    (
        "update ALR-7 monitoring ok",
        .badRef(verb: "update", .wrongKind(expected: .incident, found: .alert(7)))
    ),
    // A maintenance window's ref is not read as alert 3.
    ("ack MW-3", .badRef(verb: "ack", .wrongKind(expected: .incident, found: .maintenanceWindow(3)))),
    ("status mw-3", .badRef(verb: "status", .wrongKind(expected: .incident, found: .maintenanceWindow(3)))),
    ("update INC-42", .missingArgument(verb: "update", name: "status")),
    ("update INC-42 fixed all good", .unknownStatus("fixed")),
    ("update INC-42 resolved", .missingArgument(verb: "update", name: "message")),
    ("note INC-42", .missingArgument(verb: "note", name: "text")),
    ("note INC-42 \"\"", .missingArgument(verb: "note", name: "text")),
])
func badChatCommandsExplainThemselves(text: String, expected: ChatCommandError) {
    #expect(ChatCommand.parse(text) == .failure(expected))
}

@Test func errorRepliesAreHelpful() {
    #expect(ChatCommandError.unknownCommand("deploy").message.contains("ack <ref> [note]"))
    #expect(ChatCommandError.missingRef(verb: "ack").message.contains("ack INC-42"))
    #expect(
        ChatCommandError.missingArgument(verb: "update", name: "message").message.contains(
            "update <ref> <status> <message>"))
    #expect(ChatCommandError.badRef(verb: "ack", .malformed("incident-id")).message.contains("INC-42"))
    #expect(ChatCommand.helpText.contains("!ack"))
}

@Test func onlyChangingCommandsAreActions() {
    #expect(ChatCommand.acknowledge(.incident(1), note: nil).isAction)
    #expect(ChatCommand.note(.incident(1), text: "x").isAction)
    #expect(!ChatCommand.status(.incident(1)).isAction)
    #expect(!ChatCommand.listOpen.isAction && !ChatCommand.help.isAction)
}

@Test func slackEscapesAreUndone() {
    #expect(
        ChatCommand.slackUnescaped("ack 42 p99 &gt; 2s &amp;&amp; errors &lt; 5%")
            == "ack 42 p99 > 2s && errors < 5%")
    #expect(ChatCommand.slackUnescaped("&amp;lt;") == "&lt;")
}

@Test func onCallTakesTheRestOfTheLineAsTheScheduleName() {
    #expect(ChatCommand.parse("oncall") == .success(.onCall(schedule: nil)))
    #expect(ChatCommand.parse("OnCall Platform primary") == .success(.onCall(schedule: "Platform primary")))
    #expect(ChatCommand.parse("!oncall \"primary\"") == .success(.onCall(schedule: "primary")))
    #expect(ChatCommand.parse("on-call 3") == .success(.onCall(schedule: "3")))
    #expect(!ChatCommand.onCall(schedule: nil).isAction)
    #expect(ChatCommand.helpText.contains("oncall [schedule]"))
}
