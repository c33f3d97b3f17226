/* server_fixture_cmocka.h -- the server fixture for cmocka unit tests: a
 * fresh fixture for each test (SRV_TEST), and requests that fail the test,
 * with the fixture's message, when they cannot be sent. Include <cmocka.h>
 * (and what it needs) first. */
#ifndef KS_SERVER_FIXTURE_CMOCKA_H
#define KS_SERVER_FIXTURE_CMOCKA_H

#include "server_fixture.h"

/* srv_fixture_request_n that fails the test instead of returning -1. */
static inline int srv_request_n(srv_fixture *f, const char *method, const char *target,
                                const char *accept, const char *body, size_t body_len)
{
    int status = srv_fixture_request_n(f, method, target, accept, body, body_len);
    if (status < 0)
        fail_msg("%s %.80s: %s", method, target, f->err.msg);
    return status;
}

/* The same with a NUL-terminated body (or NULL). */
static inline int srv_request(srv_fixture *f, const char *method, const char *target,
                              const char *accept, const char *body)
{
    return srv_request_n(f, method, target, accept, body, body ? strlen(body) : 0);
}

/* cmocka's setup and teardown: a fresh fixture for each test. */
static inline int srv_setup(void **state)
{
    srv_fixture *f = malloc(sizeof *f);
    if (!f) {
        print_error("server fixture: no memory for the fixture\n");
        return -1;
    }
    if (srv_fixture_init(f, KS_ASSETS_DIR) != KS_OK) {
        print_error("%s\n", f->err.msg);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static inline int srv_teardown(void **state)
{
    srv_fixture_fini(*state);
    free(*state);
    return 0;
}

/* A test of the table given to cmocka_run_group_tests, with its fixture. */
#define SRV_TEST(fn) cmocka_unit_test_setup_teardown(fn, srv_setup, srv_teardown)

#endif
