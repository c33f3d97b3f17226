/* fuzz_loader.c -- libFuzzer entry (clang -fsanitize=fuzzer,address). */
#include "fuzz_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return ks_fuzz_one(data, size);
}
