/* fuzz_server.c -- one fuzz input as one request to the Kubernetes API
 * (server/, no sockets), against a fresh run of the server fixture: the
 * request line, headers and body are the fuzzer's. The input is
 *   METHOD SP TARGET LF           ("PATCH /apis/apps/v1/namespaces/default/deployments/web")
 *   [Content-Type: TYPE LF]       ([Accept: TYPE LF] too)
 *   LF BODY
 * Linked into the libFuzzer harness (tests/fuzz/run_server.sh) and into the
 * replay program ctest runs over tests/fuzz/server_corpus (fuzz_replay.c);
 * must never crash, hang or leak, whatever the bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ks_event.h"
#include "fuzz_target.h"
#include "server_fixture.h"
#include "ksv_watch.h"

static int fixture_ready;
static srv_fixture fixture;

static char *line(char **p, char *end)
{
    char *s = *p, *nl;
    if (s >= end)
        return NULL;
    nl = memchr(s, '\n', (size_t)(end - s));
    if (!nl)
        nl = end;
    *nl = '\0';
    *p = nl + 1;
    return s;
}

int ks_fuzz_one(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1), *p = buf, *end = buf + size, *first, *sp, *h, *q;
    char accept[256] = "", ctype[256] = "";
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    /* a fresh cluster each time: what one input wrote does not steer the next */
    if (fixture_ready)
        srv_fixture_fini(&fixture);
    fixture_ready = srv_fixture_init(&fixture, KS_ASSETS_DIR) == KS_OK;
    if (!fixture_ready || !(first = line(&p, end)) || !(sp = strchr(first, ' '))) {
        free(buf);
        return 0;
    }
    *sp = '\0';
    while ((h = line(&p, end)) != NULL && *h) {
        if (strncmp(h, "Content-Type: ", 14) == 0)
            snprintf(ctype, sizeof ctype, "%s", h + 14);
        else if (strncmp(h, "Accept: ", 8) == 0)
            snprintf(accept, sizeof accept, "%s", h + 8);
    }
    q = p < end ? p : NULL;
    fixture.content_type = ctype[0] ? ctype : NULL;
    srv_fixture_request_n(&fixture, first, sp + 1, accept[0] ? accept : NULL, q,
                          q ? (size_t)(end - q) : 0);
    /* a stream: the simulation moves on, the stream gets its data */
    if (fixture.rs.watch) {
        char out[4096];
        ks_run_advance(fixture.run, ks_now(ks_run_sim(fixture.run)) + 30 * KS_SEC);
        ksv_api_after_advance(fixture.api);
        while (ksv_watch_take(fixture.rs.watch, out, sizeof out)) {
        }
    }
    free(buf);
    return 0;
}
