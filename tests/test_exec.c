/* test_exec.c -- `kubectl exec` (sim/node/ks_exec.c, ks_exec_clients.c,
 * sim/kubectl/ks_kubectl_exec.c): what the image's $PATH finds, the
 * database clients over the records their server holds, kubectl's words
 * for pods and containers it cannot exec into, exit codes as kubectl
 * reports them; and exec probes through the same $PATH. ls and find over what a
 * container's volumes hold (sim/node/ks_shell_files.c, ks_data.c
 * ksi_data_list): the count kubesim verify runs for a shell image's records
 * (`find DIR -type f | wc -l`, assets/images.yaml). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cluster_fixture.h"
#include "exec_fixture.h"
#include "kubectl/ks_kubectl.h"
#include "node/ks_exec.h"
#include "run/ks_runner.h"

static const char pods[] =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: db}\nspec:\n"
    "  containers:\n"
    "    - {name: postgres, image: \"postgres:16\", env: [{name: POSTGRES_PASSWORD, value: pw}]}\n"
    "    - {name: side, image: busybox, command: [sh, -c, \"echo hi > /tmp/a; sleep 3600\"]}\n"
    "---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: box}\nspec:\n"
    "  restartPolicy: Never\n"
    "  containers:\n"
    "    - {name: c, image: busybox, command: [sh, -c, \"sleep 20\"],\n"
    "       env: [{name: GREETING, value: hello}]}\n"
    "---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: cache}\nspec:\n"
    "  containers: [{name: redis, image: \"redis:7\"}]\n";

static fixture *start_with(const char *yaml)
{
    static fixture f;
    assert_int_equal(fixture_init(&f, 3, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, yaml), 0);
    run_to(&f, 15 * KS_SEC);                   /* postgres pulled (10 s) and up */
    return &f;
}

static fixture *start(void)
{
    return start_with(pods);
}

/* psql: the image runs as root, psql's default role, which the entrypoint
 * did not make; as postgres it counts the records (none yet). */
static void test_exec_psql(void **state)
{
    fixture *f = start();
    (void)state;
    assert_string_equal(kubectl(f, "exec db -c postgres -- psql -c 'select count(*) from t'", 2),
                        "psql: error: connection to server on socket "
                        "\"/var/run/postgresql/.s.PGSQL.5432\" failed: FATAL:  role \"root\" "
                        "does not exist\ncommand terminated with exit code 2\n");
    assert_string_equal(kubectl(f, "exec db -c postgres -- psql -U postgres -c "
                                    "'SELECT COUNT(*) FROM t;'", 0),
                        " count \n-------\n     0\n(1 row)\n\n");
    assert_string_equal(kubectl(f, "exec db -c postgres -- psql -U postgres -tA -c "
                                    "'select count(*) from t'", 0), "0\n");
    assert_string_equal(kubectl(f, "exec db -c postgres -- psql -U postgres -tAc "
                                    "'select count(*) from t'", 0), "0\n");
    assert_string_equal(kubectl(f, "exec db -c postgres -- psql -U postgres -d shop", 2),
                        "psql: error: connection to server on socket "
                        "\"/var/run/postgresql/.s.PGSQL.5432\" failed: FATAL:  database "
                        "\"shop\" does not exist\ncommand terminated with exit code 2\n");
    /* no invented rows: what kubesim cannot answer, it says */
    assert_non_null(strstr(kubectl(f, "exec db -c postgres -- psql -U postgres -c "
                                      "'select * from t where id > 2 and id < 9'", 1),
                           "kubesim: psql here answers SELECT"));
    /* no records yet: no rows (tests/test_exec_db.c has rows) */
    assert_string_equal(kubectl(f, "exec db -c postgres -- psql -U postgres -c "
                                   "'select * from t'", 0),
                        " id | created_at \n----+------------\n(0 rows)\n\n");
    assert_string_equal(kubectl(f, "exec db -- pg_isready", 0),
                        "Defaulted container \"postgres\" out of: postgres, side\n"
                        "/var/run/postgresql:5432 - accepting connections\n");
    fixture_fini(f);
}

static const char *kubectl_in(fixture *f, const char *line, const char *input, int want)
{
    static ks_strbuf out;
    ks_strbuf_fini(&out);
    ks_strbuf_init(&out, NULL);
    assert_int_equal(ks_kubectl_run_input(f->sim, line, NULL, input, &out, NULL), want);
    return ks_strbuf_str(&out);
}

/* exec -i: what is piped into kubectl is the command's standard input: sh
 * with no -c reads its script from it, sh's commands and the database
 * clients read it; without -i the command gets none. */
static void test_exec_stdin(void **state)
{
    fixture *f = start();
    (void)state;
    assert_string_equal(kubectl_in(f, "exec -i box -- sh", "echo $GREETING\necho two\n", 0),
                        "hello\ntwo\n");
    assert_string_equal(kubectl_in(f, "exec box -- sh", "echo never\n", 0), "");
    assert_string_equal(kubectl_in(f, "exec --stdin box -- cat", "a\nb\n", 0), "a\nb\n");
    assert_string_equal(kubectl_in(f, "exec -i box -- sh -c 'read A B; echo got $B'",
                                   "first second\nrest\n", 0), "got second\n");
    assert_string_equal(kubectl_in(f, "exec -i box -- sh -s", "exit 4\n", 4),
                        "command terminated with exit code 4\n");
    assert_string_equal(kubectl_in(f, "exec -i box -- sh", NULL, 0), "");
    assert_string_equal(kubectl_in(f, "exec -i db -c postgres -- psql -U postgres -tA",
                                   "SELECT count(*) FROM t;\n", 0), "0\n");
    assert_string_equal(kubectl_in(f, "exec -i db -c postgres -- sh",
                                   "echo 'select count(*) from t' | psql -U postgres -tA\n", 0),
                        "0\n");
    assert_string_equal(kubectl_in(f, "exec -i db -c postgres -- psql -U postgres", "\n", 0),
                        "");
    fixture_fini(f);
}

/* A shell that read its script from stdin says its state at its end as
 * the lines that set it again (ks_exec_result.shell): kubesim serve runs
 * an interactive sh's lines one exec each, each after the last's state. */
static void test_exec_shell_state(void **state)
{
    fixture *f = start();
    ks_id box = ks_cluster_find(f->sim, KS_KIND_POD, "default", "box");
    const char *sh[] = {"sh"}, *sh_c[] = {"sh", "-c", "X=1"};
    ks_exec_result r;
    (void)state;
    assert_int_equal(ks_exec_input(f->sim, box, NULL, sh, 1,
                                   "X=1\nexport Y=\"it's\"\nunset GREETING\nset -e -x\n"
                                   "set -o pipefail\nsh -c 'Z=3'\n", &r), KS_EXEC_RAN);
    assert_string_equal(ks_strbuf_str(&r.shell), "X='1'\nY='it'\\''s'\nexport Y\n"
                                                 "unset GREETING\nset -o pipefail\nset -e\n"
                                                 "set -x\n");
    ks_exec_result_fini(&r);
    /* set -u carries too (kubesim's sh runs it: ash's nounset) */
    assert_int_equal(ks_exec_input(f->sim, box, NULL, sh, 1, "set -u\n", &r), KS_EXEC_RAN);
    assert_string_equal(ks_strbuf_str(&r.shell), "set -u\n");
    ks_exec_result_fini(&r);
    /* the state, then a line: as one sh */
    assert_string_equal(kubectl_in(f, "exec -i box -- sh", "Y='it'\\''s'\nexport Y\n"
                                   "unset GREETING\necho \"[$GREETING]\"; sh -c 'echo \"$Y\"'\n", 0),
                        "[]\nit's\n");
    /* $?: a shell that exits with it, in an AND list (set -e lets it fail) */
    assert_int_equal(ks_exec_input(f->sim, box, NULL, sh, 1, "X=2\nset -e\ncat /nope\n", &r),
                     KS_EXEC_RAN);
    assert_int_equal(r.code, 1);
    assert_string_equal(ks_strbuf_str(&r.shell), "X='2'\nset -e\nsh -c 'exit 1' && :\n");
    ks_exec_result_fini(&r);
    assert_string_equal(kubectl_in(f, "exec -i box -- sh", "set -e\nsh -c 'exit 1' && :\n"
                                   "echo \"status $?\"\n", 0), "status 1\n");
    /* functions: their definitions as written, first; then as one sh */
    assert_int_equal(ks_exec_input(f->sim, box, NULL, sh, 1,
                                   "greet() { echo \"hi $1\"; }; X=1\nup() {\n  echo up\n}\n",
                                   &r), KS_EXEC_RAN);
    assert_string_equal(ks_strbuf_str(&r.shell), "greet() { echo \"hi $1\"; }\nup() {\n  echo "
                                                 "up\n}\nX='1'\n");
    ks_exec_result_fini(&r);
    assert_string_equal(kubectl_in(f, "exec -i box -- sh", "greet() { echo \"hi $1\"; }\n"
                                   "greet you\n", 0), "hi you\n");
    /* not a shell reading stdin: nothing */
    assert_int_equal(ks_exec_input(f->sim, box, NULL, sh_c, 3, NULL, &r), KS_EXEC_RAN);
    assert_string_equal(ks_strbuf_str(&r.shell), "");
    ks_exec_result_fini(&r);
    fixture_fini(f);
}

/* What $PATH does not find: the runtime's words, exit 126. */
static void test_exec_not_found(void **state)
{
    fixture *f = start();
    ks_exec_result r;
    const char *argv[] = {"bash", "-c", "true"};
    (void)state;
    assert_int_equal(ks_exec(f->sim, ks_cluster_find(f->sim, KS_KIND_POD, "default", "box"),
                             NULL, argv, 3, &r), KS_EXEC_RAN);
    assert_int_equal(r.code, 126);
    assert_string_equal(ks_strbuf_str(&r.out), "OCI runtime exec failed: exec failed: unable to "
                                               "start container process: exec: \"bash\": "
                                               "executable file not found in $PATH: unknown\n");
    ks_exec_result_fini(&r);
    assert_string_equal(kubectl(f, "exec box -- /opt/app/run", 126),
                        "OCI runtime exec failed: exec failed: unable to start container "
                        "process: exec: \"/opt/app/run\": stat /opt/app/run: no such file or "
                        "directory: unknown\ncommand terminated with exit code 126\n");
    /* redis has no psql; sh's own commands are programs in any image with sh */
    assert_non_null(strstr(kubectl(f, "exec cache -- psql", 126), "\"psql\": executable"));
    assert_string_equal(kubectl(f, "exec cache -- redis-cli DBSIZE", 0), "0\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli ping", 0), "PONG\n");
    assert_string_equal(kubectl(f, "exec cache -- echo hi", 0), "hi\n");
    /* a shell builtin is no program */
    assert_non_null(strstr(kubectl(f, "exec box -- exit 3", 126), "\"exit\": executable"));
    fixture_fini(f);
}

static void collect(void *ud, int stream, const char *s, size_t n)
{
    ks_strbuf_printf(ud, "%d[%.*s]", stream, (int)n, s);
}

/* The two streams in the order the command wrote them (a real kubectl
 * exec copies each as the process writes it: on one terminal, a b c). */
static void test_exec_write_order(void **state)
{
    fixture *f = start();
    ks_id box = ks_cluster_find(f->sim, KS_KIND_POD, "default", "box");
    const char *argv[] = {"sh", "-c", "echo a; echo b >&2; echo c; cat /nope; echo d"};
    ks_exec_result r;
    ks_strbuf seen;
    (void)state;
    assert_int_equal(ks_exec(f->sim, box, NULL, argv, 3, &r), KS_EXEC_RAN);
    assert_string_equal(ks_strbuf_str(&r.out), "a\nc\nd\n");
    ks_strbuf_init(&seen, NULL);
    ks_exec_each_write(&r, collect, &seen);
    assert_string_equal(ks_strbuf_str(&seen), "1[a\n]2[b\n]1[c\n]2[cat: can't open '/nope': "
                                              "No such file or directory\n]1[d\n]");
    ks_strbuf_fini(&seen);
    ks_exec_result_fini(&r);
    assert_string_equal(kubectl(f, "exec box -- sh -c 'echo a; echo b >&2; echo c; exit 2'", 2),
                        "a\nb\nc\ncommand terminated with exit code 2\n");
    /* a client's error after what it printed, and the runtime's refusal */
    assert_string_equal(kubectl(f, "exec cache -- sh -c 'redis-cli SET k v; redis-cli "
                                   "HGET k f; redis-cli GET k'", 0),
                        "OK\nWRONGTYPE Operation against a key holding the wrong kind of "
                        "value\nv\n");
    /* a result made by hand has no order: stdout, then stderr */
    memset(&r, 0, sizeof r);
    ks_strbuf_init(&seen, NULL);
    ks_strbuf_puts(&r.err, "e\n");
    ks_strbuf_puts(&r.out, "o\n");
    ks_exec_each_write(&r, collect, &seen);
    assert_string_equal(ks_strbuf_str(&seen), "1[o\n]2[e\n]");
    ks_strbuf_fini(&seen);
    ks_exec_result_fini(&r);
    fixture_fini(f);
}

/* sh: the container's env (HOSTNAME is the pod's name), its files, exit
 * codes. */
static void test_exec_sh(void **state)
{
    fixture *f = start();
    (void)state;
    assert_string_equal(kubectl(f, "exec box -- sh -c 'echo $GREETING from $HOSTNAME; exit 3'",
                                3),
                        "hello from box\ncommand terminated with exit code 3\n");
    assert_string_equal(kubectl(f, "exec db -c side -- cat /tmp/a", 0), "hi\n");
    assert_string_equal(kubectl(f, "exec box -- cat /tmp/a", 1),
                        "cat: can't open '/tmp/a': No such file or directory\n"
                        "command terminated with exit code 1\n");
    assert_string_equal(kubectl(f, "exec box -- printenv GREETING", 0), "hello\n");
    assert_string_equal(kubectl(f, "exec box -- hostname", 0), "box\n");
    assert_string_equal(kubectl(f, "exec box -it -- sh", 0),
                        "Unable to use a TTY - input is not a terminal or the right kind of "
                        "file\n");
    fixture_fini(f);
}

/* kill 1: the container's main process gets the signal and ends as one
 * killed by it (exit 128 + the signal, reason Error); the kubelet restarts
 * it as after any crash. Another PID is no process of this container. */
static void test_exec_kill(void **state)
{
    fixture *f = start();
    ks_id db = ks_cluster_find(f->sim, KS_KIND_POD, "default", "db");
    const ks_pod *p;
    (void)state;
    assert_string_equal(kubectl(f, "exec db -c side -- kill 7", 1),
                        "kill: can't kill pid 7: No such process\n"
                        "command terminated with exit code 1\n");
    assert_string_equal(kubectl(f, "exec db -c side -- kill -0 1", 0), "");
    assert_string_equal(kubectl(f, "exec db -c side -- kill -s BOGUS 1", 1),
                        "kill: bad signal name 'BOGUS'\ncommand terminated with exit code 1\n");
    p = ks_cluster_pod(f->sim, db);
    assert_int_equal(p->containers[1].restarts, 0);
    assert_string_equal(kubectl(f, "exec db -c side -- sh -c 'kill 1'", 0), "");
    p = ks_cluster_pod(f->sim, db);
    assert_int_equal(p->containers[1].last_exit_code, 143);
    assert_string_equal(p->containers[1].last_reason, "Error");
    assert_string_equal(kubectl(f, "exec db -c postgres -- kill -9 1", 0), "");
    run_to(f, 20 * KS_SEC);
    p = ks_cluster_pod(f->sim, db);
    assert_int_equal(p->containers[0].restarts, 1);
    assert_int_equal(p->containers[0].last_exit_code, 137);
    assert_int_equal(p->containers[1].restarts, 1);
    fixture_fini(f);
}

/* kubectl's words before anything runs, and the pods it cannot exec into. */
static void test_exec_refused(void **state)
{
    fixture *f = start();
    (void)state;
    assert_string_equal(kubectl(f, "exec box ls", 1),
                        "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] "
                        "-- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n");
    assert_string_equal(kubectl(f, "exec box", 1),
                        "error: you must specify at least one command for the container\n");
    assert_string_equal(kubectl(f, "exec nope -- ls", 1),
                        "Error from server (NotFound): pods \"nope\" not found\n");
    assert_string_equal(kubectl(f, "exec db -c pg -- ls", 1),
                        "error: container pg is not valid for pod db out of: postgres, side\n");
    run_to(f, 40 * KS_SEC);                    /* box's sleep 20 ended: Succeeded */
    assert_string_equal(kubectl(f, "exec box -- ls", 1),
                        "error: cannot exec into a container in a completed pod; current phase "
                        "is Succeeded\n");
    fixture_fini(f);
}

/* ---- ls and find (sim/node/ks_shell_files.c) over what the volumes hold ------------- */
/* A writer as lesson 6's (notes in an emptyDir), a ConfigMap mounted
 * beside it, a file in its layer, and a claim-less debian box. */
static const char files_pods[] =
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n"
    "data: {b.conf: \"x\", a.conf: \"y\"}\n"
    "---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: notes}\nspec:\n"
    "  volumes: [{name: scratch, emptyDir: {}}, {name: cfg, configMap: {name: cfg}}]\n"
    "  containers:\n"
    "    - name: writer\n"
    "      image: busybox:1.36\n"
    "      volumeMounts: [{name: scratch, mountPath: /scratch},\n"
    "                     {name: cfg, mountPath: /scratch/conf}]\n"
    "      command: [sh, -c, \"echo 1 > /scratch/n2; echo 2 > /scratch/n1; "
    "echo 3 > /scratch/.hidden; echo 4 > /scratch/sub/deep; echo 5 > /tmp/layer; "
    "sleep 3600\"]\n"
    "---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: box}\nspec:\n"
    "  volumes: [{name: empty, emptyDir: {}}]\n"
    "  containers:\n"
    "    - {name: c, image: debian, command: [sleep, \"3600\"],\n"
    "       volumeMounts: [{name: empty, mountPath: /data/}]}\n";

/* The records count verify runs, and the files it counts. */
static void test_exec_find(void **state)
{
    fixture *f = start_with(files_pods);
    (void)state;
    assert_string_equal(kubectl(f, "exec notes -- sh -c 'find /scratch -type f | wc -l'", 0),
                        "6\n");
    assert_string_equal(kubectl(f, "exec notes -- find /scratch/ -type f", 0),
                        "/scratch/n2\n/scratch/n1\n/scratch/.hidden\n/scratch/sub/deep\n"
                        "/scratch/conf/b.conf\n/scratch/conf/a.conf\n");
    assert_string_equal(kubectl(f, "exec notes -- find /scratch", 0),
                        "/scratch\n/scratch/n2\n/scratch/n1\n/scratch/.hidden\n/scratch/sub\n"
                        "/scratch/sub/deep\n/scratch/conf\n/scratch/conf/b.conf\n"
                        "/scratch/conf/a.conf\n");
    assert_string_equal(kubectl(f, "exec notes -- find /scratch -type d", 0),
                        "/scratch\n/scratch/sub\n/scratch/conf\n");
    assert_string_equal(kubectl(f, "exec notes -- find /scratch -maxdepth 1 -name 'n*'", 0),
                        "/scratch/n2\n/scratch/n1\n");
    /* find's stdout is a pipe here, fully buffered until it exits (C11
       7.21.3p7), its stderr is not: the error shows first */
    assert_string_equal(kubectl(f, "exec notes -- find /scratch/n1 /scratch/nope", 1),
                        "find: /scratch/nope: No such file or directory\n/scratch/n1\n"
                        "command terminated with exit code 1\n");
    /* an empty volume: nothing, and wc says 0 */
    assert_string_equal(kubectl(f, "exec box -- sh -c 'find /data -type f | wc -l'", 0), "0\n");
    assert_string_equal(kubectl(f, "exec box -- find /data/", 0), "/data/\n");
    /* the image's own files are not simulated: said, never a short list */
    assert_string_equal(kubectl(f, "exec notes -- find / -type f", 2),
                        "kubesim: find /: the image's own files are not simulated; kubesim's "
                        "find lists what lies in the container's volumes\n"
                        "command terminated with exit code 2\n");
    assert_string_equal(kubectl(f, "exec notes -- find /scratch -mtime 1", 2),
                        "kubesim: find -mtime is in the image, but kubesim's find does not "
                        "run it\ncommand terminated with exit code 2\n");
    fixture_fini(f);
}

/* ls: one name a line (into a pipe, as verify's exec has no terminal),
 * sorted; dotfiles with -a or -A; a file in the layer by its name. */
static void test_exec_ls(void **state)
{
    fixture *f = start_with(files_pods);
    (void)state;
    assert_string_equal(kubectl(f, "exec notes -- ls -1 /scratch", 0), "conf\nn1\nn2\nsub\n");
    assert_string_equal(kubectl(f, "exec notes -- sh -c 'ls -1 /scratch | wc -l'", 0), "4\n");
    assert_string_equal(kubectl(f, "exec notes -- ls -A /scratch", 0),
                        ".hidden\nconf\nn1\nn2\nsub\n");
    assert_string_equal(kubectl(f, "exec notes -- ls -a /scratch/sub", 0), ".\n..\ndeep\n");
    assert_string_equal(kubectl(f, "exec notes -- ls /scratch/conf", 0), "a.conf\nb.conf\n");
    assert_string_equal(kubectl(f, "exec notes -- ls /tmp/layer /scratch/sub /scratch/conf", 0),
                        "/tmp/layer\n\n/scratch/sub:\ndeep\n\n/scratch/conf:\na.conf\nb.conf\n");
    assert_string_equal(kubectl(f, "exec notes -- ls /scratch/nope", 1),
                        "ls: /scratch/nope: No such file or directory\n"
                        "command terminated with exit code 1\n");
    assert_string_equal(kubectl(f, "exec box -- ls /data", 0), "");
    assert_string_equal(kubectl(f, "exec notes -- ls /", 2),
                        "kubesim: ls /: the image's own files are not simulated; kubesim's ls "
                        "lists what lies in the container's volumes\n"
                        "command terminated with exit code 2\n");
    assert_string_equal(kubectl(f, "exec notes -- ls -l /scratch", 2),
                        "kubesim: ls -l is in the image, but kubesim's ls does not run it\n"
                        "command terminated with exit code 2\n");
    fixture_fini(f);
}

/* Every count command of the catalog (kubesim verify's records through
 * exec, assets/images.yaml count:) runs in kubesim as on a cluster: one
 * number on stdout, exit 0; {mounts} made the container's data volume. */
static const char counter_pods[] =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: pg}\nspec:\n"
    "  containers: [{name: c, image: \"postgres:16\", env: [{name: POSTGRES_PASSWORD, value: pw}]}]\n"
    "---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: my}\nspec:\n"
    "  containers: [{name: c, image: \"mysql:8.0\", env: [{name: MYSQL_ROOT_PASSWORD, value: pw},\n"
    "               {name: MYSQL_DATABASE, value: wordpress}]}]\n"
    "---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: maria}\nspec:\n"
    "  containers: [{name: c, image: \"mariadb:11\", env: [{name: MYSQL_ROOT_PASSWORD, value: pw}]}]\n"
    "---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: cache}\nspec:\n"
    "  containers: [{name: c, image: \"redis:7\"}]\n"
    "---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: bb}\nspec:\n"
    "  volumes: [{name: d, emptyDir: {}}]\n"
    "  containers: [{name: c, image: \"busybox:1.36\", volumeMounts: [{name: d, mountPath: /data}],\n"
    "               command: [sh, -c, \"echo a > /data/a; echo b > /data/b; sleep 3600\"]}]\n"
    "---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: deb}\nspec:\n"
    "  volumes: [{name: d, emptyDir: {}}]\n"
    "  containers: [{name: c, image: debian, volumeMounts: [{name: d, mountPath: /data}],\n"
    "               command: [sleep, \"3600\"]}]\n";

static void test_exec_catalog_counts(void **state)
{
    static const struct {
        const char *pod, *image, *out;
    } pods_counted[] = {{"pg", "postgres:16", "0\n"},  {"my", "mysql:8.0", "0\n"},
                        {"maria", "mariadb:11", "0\n"}, {"cache", "redis:7", "0\n"},
                        {"bb", "busybox:1.36", "2\n"},  {"deb", "debian", "0\n"}};
    fixture *f = start_with(counter_pods);
    size_t i, k, counted = 0;
    (void)state;
    run_to(f, 60 * KS_SEC);                    /* mysql: 12 s pull, 12 s start */
    for (i = 0; i < sizeof pods_counted / sizeof pods_counted[0]; i++) {
        const ks_image_entry *ie = ks_catalog_find(f->catalog, pods_counted[i].image);
        const char *argv[16];
        ks_exec_result r;
        assert_non_null(ie);
        assert_true(ie->ncount > 0 && ie->ncount <= 16);
        for (k = 0; k < ie->ncount; k++)
            argv[k] = strcmp(ie->count[k], "{mounts}") == 0 ? "/data" : ie->count[k];
        assert_int_equal(ks_exec(f->sim, ks_cluster_find(f->sim, KS_KIND_POD, "default",
                                                         pods_counted[i].pod),
                                 NULL, argv, ie->ncount, &r), KS_EXEC_RAN);
        if (r.code != 0 || strcmp(ks_strbuf_str(&r.out), pods_counted[i].out) != 0)
            fail_msg("%s: exit %d, out '%s', err '%s'", pods_counted[i].image, r.code,
                     ks_strbuf_str(&r.out), ks_strbuf_str(&r.err));
        ks_exec_result_fini(&r);
    }
    /* and these are all the catalog's count commands */
    for (i = 0; i < ks_catalog_count(f->catalog); i++)
        counted += ks_catalog_get(f->catalog, i)->ncount > 0;
    assert_int_equal(counted, 8);   /* postgres twice (18+ and older), redis twice (alpine) */
    fixture_fini(f);
}

/* kubesim check: what kubesim's sh would not run is a warning at the
 * container's command; a command that is not a script is not looked at. */
static void test_check_commands(void **state)
{
    static const char y[] =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n"
        "  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n"
        "    spec:\n      containers:\n"
        "        - {name: piped, image: busybox, command: [sh, -c, 'env | grep X; sleep 9 &']}\n"
        "        - {name: lister, image: busybox, command: [/bin/sh, -c], args: ['ps; sleep 9']}\n"
        "        - {name: fine, image: busybox, command: [sh, -c, 'echo $HOSTNAME; sleep 9']}\n"
        "        - {name: server, image: redis, command: [redis-server, --appendonly, 'yes']}\n";
    ks_arena *ar = ks_arena_create(NULL);
    ks_diags d;
    ks_manifests m = {0};
    char buf[512];
    (void)state;
    ks_diags_init(&d);
    ks_manifest_load_text(ar, "d.yaml", y, sizeof y - 1, 1, 1, NULL, &m, &d);
    assert_int_equal(d.n, 0);
    ks_run_check_commands(&m, 0, NULL, &d);
    assert_int_equal(d.n, 2);
    assert_int_equal(d.errors, 0);
    ks_diag_format(&d, 0, buf, sizeof buf);
    assert_non_null(strstr(buf, "d.yaml:10:50: warning: container 'piped': kubesim's sh does "
                                "not run this script: background jobs"));
    ks_diag_format(&d, 1, buf, sizeof buf);
    assert_non_null(strstr(buf, "container 'lister': kubesim's sh does not run 'ps'"));
    ks_arena_destroy(ar);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exec_psql),
        cmocka_unit_test(test_exec_stdin),
        cmocka_unit_test(test_exec_shell_state),
        cmocka_unit_test(test_exec_not_found),
        cmocka_unit_test(test_exec_sh),
        cmocka_unit_test(test_exec_write_order),
        cmocka_unit_test(test_exec_refused),
        cmocka_unit_test(test_exec_kill),
        cmocka_unit_test(test_exec_find),
        cmocka_unit_test(test_exec_ls),
        cmocka_unit_test(test_exec_catalog_counts),
        cmocka_unit_test(test_check_commands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
