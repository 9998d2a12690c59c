#ifndef CFUZZER_REPLAY_H
#define CFUZZER_REPLAY_H

/// Always 1; referenced from Swift so the replay main is linked into the fuzzer binary.
int incidentd_fuzzer_replay_linked(void);

#endif
