/* test_error.c -- the focus of this file: errors print gcc-style, with the
 * parts that are known, and an optional note line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/ks_error.h"

static void test_error_format_full(void **state)
{
    ks_error e;
    char buf[512];
    ks_mark m = {"k8s/web.yaml", 12, 14};
    (void)state;
    assert_int_equal(ks_error_set(&e, KS_ESCHEMA, m, "spec.replicas must be an %s", "integer"),
                     KS_ESCHEMA);
    assert_int_equal(e.code, KS_ESCHEMA);
    ks_error_format(&e, "error", buf, sizeof buf);
    assert_string_equal(buf, "k8s/web.yaml:12:14: error: spec.replicas must be an integer");
}

static void test_error_format_partial_locations(void **state)
{
    ks_error e;
    char buf[256];
    (void)state;
    ks_error_set(&e, KS_EIO, (ks_mark){"x.yaml", 0, 0}, "cannot read");
    ks_error_format(&e, "error", buf, sizeof buf);
    assert_string_equal(buf, "x.yaml: error: cannot read");
    ks_error_set(&e, KS_EIO, (ks_mark){"x.yaml", 3, 0}, "bad line");
    ks_error_format(&e, "warning", buf, sizeof buf);
    assert_string_equal(buf, "x.yaml:3: warning: bad line");
    ks_error_set(&e, KS_EUSAGE, KS_MARK_NONE, "no input");
    ks_error_format(&e, "error", buf, sizeof buf);
    assert_string_equal(buf, "error: no input");
}

static void test_error_note_line(void **state)
{
    ks_error e;
    char buf[512];
    (void)state;
    ks_error_set(&e, KS_ESYNTAX, (ks_mark){"s.yaml", 5, 8}, "did not find expected ','");
    ks_error_note(&e, (ks_mark){"s.yaml", 4, 13}, "while parsing a flow sequence");
    ks_error_format(&e, "error", buf, sizeof buf);
    assert_string_equal(buf, "s.yaml:5:8: error: did not find expected ','\n"
                             "s.yaml:4:13: note: while parsing a flow sequence");
}

static void test_error_truncation_and_null(void **state)
{
    ks_error e;
    char small[16];
    size_t need;
    (void)state;
    assert_int_equal(ks_error_set(NULL, KS_EINVAL, KS_MARK_NONE, "x"), KS_EINVAL);
    ks_error_set(&e, KS_EINVAL, (ks_mark){"a.yaml", 1, 1}, "a long message here");
    need = ks_error_format(&e, "error", small, sizeof small);
    assert_int_equal(need, strlen("a.yaml:1:1: error: a long message here"));
    assert_int_equal(strlen(small), sizeof small - 1);
    ks_error_clear(&e);
    assert_int_equal(e.code, KS_OK);
    assert_string_equal(ks_error_code_name(KS_ENOMEM), "ENOMEM");
    assert_string_equal(ks_error_code_name(999), "E?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_format_full),
        cmocka_unit_test(test_error_format_partial_locations),
        cmocka_unit_test(test_error_note_line),
        cmocka_unit_test(test_error_truncation_and_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
