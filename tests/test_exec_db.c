/* test_exec_db.c -- what the database clients answer in `kubectl exec`
 * over the records their server holds (sim/node/ks_exec_sql.c,
 * ks_exec_clients.c): psql's aligned and unaligned tables, mysql's batch
 * and table output, the servers' own errors for what is not SQL or names a
 * column there is not, redis-cli's keys; and the records kept as rows
 * (sim/storage/ks_data.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cluster_fixture.h"
#include "exec_fixture.h"
#include "kubectl/ks_kubectl.h"
#include "net/ks_traffic.h"

static const char pods[] =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: pg, labels: {app: pg}}\nspec:\n"
    "  containers:\n"
    "    - {name: postgres, image: \"postgres:16\", env: [{name: POSTGRES_PASSWORD, value: pw}]}\n"
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: pg}\nspec:\n"
    "  selector: {app: pg}\n  ports: [{port: 5432}]\n"
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: my, labels: {app: my}}\nspec:\n"
    "  containers:\n"
    "    - {name: mysql, image: \"mysql:8\", env: [{name: MYSQL_ROOT_PASSWORD, value: pw},\n"
    "                                           {name: MYSQL_DATABASE, value: shop}]}\n"
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: my}\nspec:\n"
    "  selector: {app: my}\n  ports: [{port: 3306}]\n"
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: cache}\nspec:\n"
    "  containers: [{name: redis, image: \"redis:7\"}]\n";

static void post(fixture *f, const char *svc, int n)
{
    ks_scn_target to = {KS_SCN_TO_SERVICE, 0, svc};
    int i;
    for (i = 0; i < n; i++)
        ks_traffic_send(f->sim, &to, "POST", "/", NULL, -1);
}

/* Three records, sent at 30 s, 30 s and 31.5 s (the cluster's clock starts
 * at 2024-01-01T00:00:00Z). */
static fixture *start(void)
{
    static fixture f;
    assert_int_equal(fixture_init(&f, 3, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, pods), 0);
    run_to(&f, 30 * KS_SEC);                   /* both servers pulled and up */
    post(&f, "pg", 2);
    post(&f, "my", 2);
    run_to(&f, 31500 * KS_MSEC);
    post(&f, "pg", 1);
    post(&f, "my", 1);
    run_to(&f, 32 * KS_SEC);
    return &f;
}

/* psql: the newest rows first, aligned as print.c aligns them (headers
 * centred, numbers right, the last column unpadded), then -tA. */
static void test_psql_rows(void **state)
{
    fixture *f = start();
    const char *out;
    (void)state;
    out = kubectl(f, "exec pg -- psql -U postgres -c "
                     "'select * from values order by id desc limit 2'", 0);
    assert_string_equal(out, " id |         created_at          \n"
                             "----+-----------------------------\n"
                             "  3 | 2024-01-01 00:00:31.5025+00\n"
                             "  2 | 2024-01-01 00:00:30.0025+00\n"
                             "(2 rows)\n\n");
    out = kubectl(f, "exec pg -- psql -U postgres -tA -c 'select id from values'", 0);
    assert_string_equal(out, "1\n2\n3\n");
    out = kubectl(f, "exec pg -- psql -U postgres -A -c 'select id from t limit 1'", 0);
    assert_string_equal(out, "id\n1\n(1 row)\n");
    out = kubectl(f, "exec pg -- psql -U postgres -c 'select count(*) from values'", 0);
    assert_string_equal(out, " count \n-------\n     3\n(1 row)\n\n");
    fixture_fini(f);
}

/* What is not SQL, or names a column kubesim's rows do not have, gets
 * PostgreSQL's own error with psql's LINE and caret, exit 1. */
static void test_psql_errors(void **state)
{
    fixture *f = start();
    (void)state;
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -c 'selec * from values'", 1),
                        "ERROR:  syntax error at or near \"selec\"\n"
                        "LINE 1: selec * from values\n"
                        "        ^\n"
                        "command terminated with exit code 1\n");
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -c "
                                   "'select * from values order by number desc'", 1),
                        "ERROR:  column \"number\" does not exist\n"
                        "LINE 1: select * from values order by number desc\n"
                        "                                      ^\n"
                        "command terminated with exit code 1\n");
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -c 'select * from'", 1),
                        "ERROR:  syntax error at end of input\n"
                        "LINE 1: select * from\n"
                        "                     ^\n"
                        "command terminated with exit code 1\n");
    /* valid SQL beyond kubesim: said so, never an invented answer */
    assert_non_null(strstr(kubectl(f, "exec pg -- psql -U postgres -c "
                                      "'select * from values where id = 1 or id = 2'", 1),
                           "kubesim: psql here answers SELECT"));
    fixture_fini(f);
}

/* mysql without a terminal: tab-separated with a header line; -t its
 * ASCII table; MySQL's errors (VALUES is reserved there). kubectl's output
 * here is the two streams in write order: mysql 8 warns of the password
 * at its start. */
static void test_mysql(void **state)
{
    fixture *f = start();
    (void)state;
    assert_string_equal(kubectl(f, "exec my -- mysql -uroot -ppw shop -e "
                                   "'select * from orders order by id desc limit 2'", 0),
                        "mysql: [Warning] Using a password on the command line interface "
                        "can be insecure.\n"
                        "id\tcreated_at\n3\t2024-01-01 00:00:32\n2\t2024-01-01 00:00:30\n");
    assert_string_equal(kubectl(f, "exec my -- mysql -uroot -ppw shop -N -t -e "
                                   "'select id from orders limit 1'", 0),
                        "mysql: [Warning] Using a password on the command line interface "
                        "can be insecure.\n+----+\n|  1 |\n+----+\n");
    assert_string_equal(kubectl(f, "exec my -- mysql -uroot -ppw shop -e "
                                   "'select * from values'", 1),
                        "mysql: [Warning] Using a password on the command line interface "
                        "can be insecure.\n"
                        "ERROR 1064 (42000) at line 1: You have an error in your SQL syntax; "
                        "check the manual that corresponds to your MySQL server version for "
                        "the right syntax to use near 'values' at line 1\n"
                        "command terminated with exit code 1\n");
    assert_non_null(strstr(kubectl(f, "exec my -- mysql -uroot -ppw shop -e "
                                      "'select id from orders order by total'", 1),
                           "ERROR 1054 (42S22) at line 1: Unknown column 'total' in 'order "
                           "clause'\n"));
    fixture_fini(f);
}

/* redis-cli: keys set through it are records of the server's memory
 * (DBSIZE counts them); GET of a missing key prints an empty line. */
static void test_redis(void **state)
{
    fixture *f = start();
    (void)state;
    assert_string_equal(kubectl(f, "exec cache -- redis-cli SET greeting hello", 0), "OK\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli GET greeting", 0), "hello\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli GET nothing", 0), "\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli INCR hits", 0), "1\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli INCR hits", 0), "2\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli DBSIZE", 0), "2\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli KEYS '*'", 0), "greeting\nhits\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli KEYS 'h*'", 0), "hits\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli INCR greeting", 1),
                        "ERR value is not an integer or out of range\n"
                        "command terminated with exit code 1\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli GET", 1),
                        "ERR wrong number of arguments for 'get' command\n"
                        "command terminated with exit code 1\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli DEL hits", 0), "1\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli DBSIZE", 0), "1\n");
    fixture_fini(f);
}

/* redis-cli's hashes and lists (the course server's HSET values <index>,
 * the guestbook's RPUSH), raw replies without a terminal, and the
 * server's WRONGTYPE error for a key of another kind. */
static void test_redis_types(void **state)
{
    fixture *f = start();
    (void)state;
    assert_string_equal(kubectl(f, "exec cache -- redis-cli HSET values 5 'Nothing yet!' 6 8", 0),
                        "2\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli HSET values 5 5", 0), "0\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli HGET values 5", 0), "5\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli HGET values 7", 0), "\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli HGETALL values", 0), "5\n5\n6\n8\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli HKEYS values", 0), "5\n6\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli HLEN values", 0), "2\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli RPUSH guestbook hi there", 0), "2\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli LPUSH guestbook first", 0), "3\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli LRANGE guestbook 0 -1", 0),
                        "first\nhi\nthere\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli LRANGE guestbook -2 5", 0),
                        "hi\nthere\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli LRANGE nothing 0 -1", 0), "\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli LLEN guestbook", 0), "3\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli TYPE guestbook", 0), "list\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli TYPE nothing", 0), "none\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli EXISTS values guestbook nothing", 0),
                        "2\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli TTL values", 0), "-1\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli TTL nothing", 0), "-2\n");
    /* each key is a record of the server's memory */
    assert_string_equal(kubectl(f, "exec cache -- redis-cli DBSIZE", 0), "2\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli GET values", 1),
                        "WRONGTYPE Operation against a key holding the wrong kind of value\n"
                        "command terminated with exit code 1\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli LPUSH values x", 1),
                        "WRONGTYPE Operation against a key holding the wrong kind of value\n"
                        "command terminated with exit code 1\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli HSET values 5", 1),
                        "ERR wrong number of arguments for 'hset' command\n"
                        "command terminated with exit code 1\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli LRANGE guestbook a 1", 1),
                        "ERR value is not an integer or out of range\n"
                        "command terminated with exit code 1\n");
    assert_non_null(strstr(kubectl(f, "exec cache -- redis-cli EXPIRE values 10", 1),
                           "EXPIRE is not simulated"));
    assert_string_equal(kubectl(f, "exec cache -- redis-cli HDEL values 5 6", 0), "2\n");
    assert_string_equal(kubectl(f, "exec cache -- redis-cli EXISTS values", 0), "0\n");
    fixture_fini(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_psql_rows),
        cmocka_unit_test(test_psql_errors),
        cmocka_unit_test(test_mysql),
        cmocka_unit_test(test_redis),
        cmocka_unit_test(test_redis_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
