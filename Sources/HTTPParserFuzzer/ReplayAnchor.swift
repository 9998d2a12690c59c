import CFuzzerReplay

// Two files and no main.swift: SwiftPM compiles the target as a library (no Swift `main`), so
// the weak C `main` of CFuzzerReplay, or libFuzzer's, is the entry point.

/// Keeps the C replay `main` linked in (a reference the linker cannot drop).
@_cdecl("incidentd_fuzzer_replay_anchor")
public func replayAnchor() -> CInt { incidentd_fuzzer_replay_linked() }
