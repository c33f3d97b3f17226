/* fuzz_expect.c -- each line of a fuzz input as an expectation of a
 * scenario's spec.expect ("{at: 10s, pods: {selector: app=web, ready: 2}}")
 * and as a comparison ("<= 3", ">= 99.5%"): the scenario around them (a
 * Deployment behind a Service, traffic to it) is loaded and, when it loads,
 * run for 20 simulated seconds so every expectation is checked. Linked into
 * the libFuzzer harness (tests/fuzz/run.sh expect) and into the replay
 * program ctest runs over tests/fuzz/expect_corpus (fuzz_replay.c). */
#include "fuzz_run_util.h"
#include "fuzz_target.h"

static const char head[] =
    FUZZ_WEB_SCENARIO("20s")
    "  timeline:\n    - {at: 5s, traffic: {to: \"service:web\", rate: 10/s, for: 10s}}\n"
    "  expect:\n";

static void one_line(const char *line, void *ud)
{
    ks_scn_cmp c;
    char why[300];
    ks_strbuf_printf(ud, "    - %s\n", line);
    if (ks_scn_cmp_parse(line, false, &c, why, sizeof why) == KS_OK)
        (void)ks_scn_cmp_eval(&c, 3);
    if (ks_scn_cmp_parse(line, true, &c, why, sizeof why) == KS_OK)
        (void)ks_scn_cmp_eval_ratio(&c, 2, 3);
}

int ks_fuzz_one(const uint8_t *data, size_t size)
{
    ks_arena *ar = ks_arena_create(NULL);
    ks_strbuf text;
    if (!ar)
        return 0;
    ks_strbuf_init(&text, NULL);
    ks_strbuf_puts(&text, head);
    fuzz_lines(data, size, one_line, &text);
    if (!ks_strbuf_failed(&text))
        ks_run_destroy(fuzz_run_text(ar, ks_strbuf_str(&text), 0));
    ks_strbuf_fini(&text);
    ks_arena_destroy(ar);
    return 0;
}
