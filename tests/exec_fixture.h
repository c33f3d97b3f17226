/* exec_fixture.h -- for the exec tests (test_exec.c, test_exec_db.c): a
 * kubectl line run against the fixture's cluster, its exit status checked;
 * after cmocka.h and cluster_fixture.h. */
#ifndef KS_EXEC_FIXTURE_H
#define KS_EXEC_FIXTURE_H

#include "kubectl/ks_kubectl.h"

/* What line printed (until the next call); its exit status must be want. */
static inline const char *kubectl(fixture *f, const char *line, int want)
{
    static ks_strbuf out;
    ks_strbuf_fini(&out);
    ks_strbuf_init(&out, NULL);
    assert_int_equal(ks_kubectl_run(f->sim, line, NULL, &out), want);
    return ks_strbuf_str(&out);
}

#endif
