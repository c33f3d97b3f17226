/* test_trace.c -- the focus of this file: trace events reach subscribers in
 * order with time and sequence stamped, print as JSON and text, and hash
 * (the fingerprint) field by field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/ks_event.h"
#include "core/ks_sim.h"
#include "core/ks_trace.h"

typedef struct seen {
    uint64_t seq[16];
    ks_time t[16];
    int n;
} seen;

static void on_ev(void *ud, const ks_trace_event *ev)
{
    seen *s = ud;
    s->seq[s->n] = ev->seq;
    s->t[s->n] = ev->t;
    s->n++;
}

static void emit_caption(ks_sim *sim, void *subject, uint64_t arg)
{
    ks_trace_event ev = {0};
    (void)subject;
    (void)arg;
    ev.type = KS_TR_CAPTION;
    ev.msg = "hello";
    ks_trace_emit(sim, &ev);
}

static void test_trace_subscribers_get_stamped_events(void **state)
{
    ks_sim *sim = ks_sim_create(NULL);
    seen a = {0}, b = {0};
    (void)state;
    assert_int_equal(ks_trace_subscribe(sim, on_ev, &a), 0);
    assert_int_equal(ks_trace_subscribe(sim, on_ev, &b), 0);
    ks_event_schedule(sim, 7 * KS_SEC, KS_PRIO_DEFAULT, emit_caption, NULL, 0);
    ks_event_schedule(sim, 9 * KS_SEC, KS_PRIO_DEFAULT, emit_caption, NULL, 0);
    ks_run_until(sim, 8 * KS_SEC);
    ks_trace_unsubscribe(sim, on_ev, &b);
    ks_run_until(sim, 10 * KS_SEC);
    assert_int_equal(a.n, 2);
    assert_int_equal(b.n, 1);
    assert_int_equal(a.seq[0], 1);
    assert_int_equal(a.seq[1], 2);
    assert_int_equal(a.t[1], 9 * KS_SEC);
    assert_int_equal(ks_trace_count(sim), 2);
    ks_sim_destroy(sim);
}

static void test_trace_subscriber_limit(void **state)
{
    ks_sim *sim = ks_sim_create(NULL);
    seen s[KS_TRACE_MAX_SUBSCRIBERS + 1];
    int i;
    (void)state;
    for (i = 0; i < KS_TRACE_MAX_SUBSCRIBERS; i++)
        assert_int_equal(ks_trace_subscribe(sim, on_ev, &s[i]), 0);
    assert_int_equal(ks_trace_subscribe(sim, on_ev, &s[i]), -1);
    ks_sim_destroy(sim);
}

static void test_trace_json_format(void **state)
{
    ks_trace_event ev = {0};
    char buf[512];
    (void)state;
    ev.t = 12500000;
    ev.seq = 3;
    ev.type = KS_TR_EVENT;
    ev.kind = "Pod";
    ev.name = "web-1";
    ev.reason = "BackOff";
    ev.msg = "say \"hi\"\n\tback\\slash \x01";
    ev.n[0] = 1;
    ks_trace_format_json(&ev, buf, sizeof buf);
    assert_string_equal(buf,
        "{\"seq\":3,\"t\":12.5,\"type\":\"event\",\"kind\":\"Pod\",\"name\":\"web-1\","
        "\"reason\":\"BackOff\",\"msg\":\"say \\\"hi\\\"\\n\\tback\\\\slash \\u0001\","
        "\"warning\":1}");
    ev.t = 0;
    ev.type = KS_TR_CAPTION;
    ev.kind = ev.name = ev.reason = NULL;
    ev.msg = "x";
    ks_trace_format_json(&ev, buf, sizeof buf);
    assert_string_equal(buf, "{\"seq\":3,\"t\":0,\"type\":\"caption\",\"msg\":\"x\"}");
}

/* The fingerprint's hash: a known value (the same on every compiler and
 * machine: pinned fingerprints depend on it), and any one field changed,
 * or a NULL string made empty, changes it. */
static void test_trace_hash(void **state)
{
    ks_trace_event ev = {0}, x;
    uint64_t h;
    int i;
    (void)state;
    ev.t = 12500000;
    ev.seq = 3;
    ev.type = KS_TR_HOP;
    ev.name = "ingress";
    ev.reason = "pod/web-1";
    ev.msg = "GET /";
    ev.n[0] = 7;
    ev.n[1] = 200;
    ev.n[2] = 500;
    h = ks_trace_hash(KS_TRACE_HASH_SEED, &ev);
    assert_int_equal(h, 0x27d2ec369fffe49cull);  /* the spec, in Python */
    for (i = 0; i < 10; i++) {
        x = ev;
        switch (i) {
        case 0: x.t++; break;
        case 1: x.seq++; break;
        case 2: x.type = KS_TR_REQUEST; break;
        case 3: x.kind = ""; break;
        case 4: x.name = "ingresS"; break;
        case 5: x.reason = NULL; break;
        case 6: x.msg = "GET /x"; break;
        case 7: x.n[0] = 8; break;
        case 8: x.n[1] = 0; break;
        default: x.n[2] = -500; break;
        }
        assert_true(ks_trace_hash(KS_TRACE_HASH_SEED, &x) != h);
    }
    /* a number JSON does not show is not part of it either */
    x = ev;
    x.type = KS_TR_CAPTION;
    h = ks_trace_hash(KS_TRACE_HASH_SEED, &x);
    x.n[0] = 99;
    assert_int_equal(ks_trace_hash(KS_TRACE_HASH_SEED, &x), h);
}

/* The hash of a string, byte by byte as the spec says (length + 1, then
 * words of 8 bytes, little-endian, the last one zero-padded): whatever
 * loads ks_trace_hash uses to read a string, every length gives this. */
static uint64_t spec_str(uint64_t h, const char *s)
{
    size_t n = strlen(s), i, j;
    h = (h ^ (uint64_t)(n + 1)) * 0x9e3779b97f4a7c15ull;
    for (i = 0; i < n; i += 8) {
        uint64_t w = 0;
        for (j = 0; j < 8 && i + j < n; j++)
            w |= (uint64_t)(unsigned char)s[i + j] << (8 * j);
        h = (h ^ w) * 0x9e3779b97f4a7c15ull;
    }
    return h;
}

static void test_trace_hash_every_length(void **state)
{
    static const char text[] = "pod/client-deployment-6697655c97-6lmlx GET /api/values/all";
    ks_trace_event ev = {0};
    size_t n;
    (void)state;
    ev.type = KS_TR_CAPTION;              /* no numbers */
    for (n = 0; n < sizeof text; n++) {
        char s[sizeof text];
        uint64_t h = KS_TRACE_HASH_SEED;
        memcpy(s, text, n);
        s[n] = '\0';
        ev.msg = s;
        h = (h ^ 0) * 0x9e3779b97f4a7c15ull;                      /* seq */
        h = (h ^ 0) * 0x9e3779b97f4a7c15ull;                      /* t */
        h = (h ^ (uint64_t)KS_TR_CAPTION) * 0x9e3779b97f4a7c15ull;
        h = (h ^ 0) * 0x9e3779b97f4a7c15ull;                      /* kind NULL */
        h = (h ^ 0) * 0x9e3779b97f4a7c15ull;                      /* name NULL */
        h = (h ^ 0) * 0x9e3779b97f4a7c15ull;                      /* reason NULL */
        assert_int_equal(ks_trace_hash(KS_TRACE_HASH_SEED, &ev), spec_str(h, s));
    }
}

static void test_trace_text_format(void **state)
{
    ks_trace_event ev = {0};
    char buf[256], small[20];
    size_t need;
    (void)state;
    ev.t = 47200000;
    ev.type = KS_TR_EVENT;
    ev.kind = "Pod";
    ev.name = "web";
    ev.reason = "Killing";
    ev.msg = "Stopping container web";
    ks_trace_format_text(&ev, buf, sizeof buf);
    assert_string_equal(buf, "   47.200s  pod/web                                      "
                             "Killing            Stopping container web");
    need = ks_trace_format_text(&ev, small, sizeof small);
    assert_int_equal(need, strlen(buf));
    assert_int_equal(strlen(small), sizeof small - 1);
    ev.type = KS_TR_CAPTION;
    ev.msg = "Watch the claim.";
    ks_trace_format_text(&ev, buf, sizeof buf);
    assert_string_equal(buf, "   47.200s  == Watch the claim.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trace_subscribers_get_stamped_events),
        cmocka_unit_test(test_trace_subscriber_limit),
        cmocka_unit_test(test_trace_json_format),
        cmocka_unit_test(test_trace_hash),
        cmocka_unit_test(test_trace_hash_every_length),
        cmocka_unit_test(test_trace_text_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
