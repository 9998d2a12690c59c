// The fuzz target's replay mode: without -sanitize=fuzzer, each file named on the command line
// goes through LLVMFuzzerTestOneInput once (replaying a corpus or a crash).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "CFuzzerReplay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int incidentd_fuzzer_replay_linked(void) { return 1; }

static int replay(int argc, char **argv) {
    for (int index = 1; index < argc; index++) {
        FILE *file = fopen(argv[index], "rb");
        if (!file) {
            fprintf(stderr, "cannot open %s\n", argv[index]);
            return 1;
        }
        uint8_t *buffer = NULL;
        size_t size = 0, capacity = 0;
        for (;;) {
            if (size == capacity) {
                capacity = capacity ? capacity * 2 : 4096;
                buffer = realloc(buffer, capacity);
                if (!buffer) return 1;
            }
            size_t read = fread(buffer + size, 1, capacity - size, file);
            if (read == 0) break;
            size += read;
        }
        fclose(file);
        LLVMFuzzerTestOneInput(buffer, size);
        free(buffer);
    }
    printf("replayed %d input(s)\n", argc - 1);
    return 0;
}

// The entry point of a plain build: `main`, or `HTTPParserFuzzer_main` in debug builds, where
// SwiftPM renames an executable's entry so tests could import it. Both weak: libFuzzer's
// `main` wins when it is linked.
__attribute__((weak)) int main(int argc, char **argv) { return replay(argc, argv); }

__attribute__((weak)) int HTTPParserFuzzer_main(int argc, char **argv) { return replay(argc, argv); }
