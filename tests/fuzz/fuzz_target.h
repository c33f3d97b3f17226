/* fuzz_target.h -- the fuzzed entry point (see fuzz_target.c). */
#ifndef KS_FUZZ_TARGET_H
#define KS_FUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>

/* Loads data as manifests and as a scenario; must never crash or leak. */
int ks_fuzz_one(const uint8_t *data, size_t size);

#endif
