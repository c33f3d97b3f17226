/* test_exec_db_schema.c -- psql and mysql over the app's own table (the
 * catalog's stores:): the course server's `values (number INT)` in
 * postgres, SELECT of its columns with WHERE, ORDER BY, LIMIT, count(*)
 * with WHERE, INSERT writing a record to the volume, and the servers'
 * errors for a table or column there is not (sim/node/ks_exec_sql.c,
 * ks_exec_sql_rows.c, sim/load/ks_catalog_stores.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cluster_fixture.h"
#include "exec_fixture.h"
#include "kubectl/ks_kubectl.h"
#include "net/ks_traffic.h"

/* The course's server (its stores: values(number)) in front of postgres
 * and mysql (an override entry of the same program writing to mysql). */
static const char pods[] =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: pg, labels: {app: pg}}\nspec:\n"
    "  containers:\n"
    "    - {name: postgres, image: \"postgres:16\", env: [{name: POSTGRES_PASSWORD, value: pw}]}\n"
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: pg}\nspec:\n"
    "  selector: {app: pg}\n  ports: [{port: 5432}]\n"
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: server, labels: {app: server}}\nspec:\n"
    "  containers:\n"
    "    - name: server\n      image: stephengrider/multi-server\n"
    "      env: [{name: PGHOST, value: pg}, {name: PGUSER, value: postgres},\n"
    "            {name: PGPASSWORD, value: pw}, {name: PGDATABASE, value: postgres},\n"
    "            {name: PGPORT, value: \"5432\"}]\n"
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: server}\nspec:\n"
    "  selector: {app: server}\n  ports: [{port: 5000}]\n";

static void post(fixture *f, int n)
{
    ks_scn_target to = {KS_SCN_TO_SERVICE, 0, "server"};
    int i;
    for (i = 0; i < n; i++)
        ks_traffic_send(f->sim, &to, "POST", "/values", NULL, -1);
}

/* 43 posts: the numbers 1..40, 0, 1, 2 (the n-th holds n mod 41). */
static fixture *start(void)
{
    static fixture f;
    assert_int_equal(fixture_init(&f, 3, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, pods), 0);
    run_to(&f, 30 * KS_SEC);
    post(&f, 43);
    run_to(&f, 32 * KS_SEC);
    return &f;
}

/* The course notes' own query, and the subset around it. */
static void test_values_table(void **state)
{
    fixture *f = start();
    (void)state;
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -c "
                                   "'select * from values order by number desc limit 3'", 0),
                        " number \n"
                        "--------\n"
                        "     40\n"
                        "     39\n"
                        "     38\n"
                        "(3 rows)\n\n");
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -tA -c "
                                   "'SELECT number FROM values WHERE number < 3'", 0),
                        "1\n2\n0\n1\n2\n");
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -tA -c "
                                   "'select number from values where number >= 39 "
                                   "order by number asc'", 0),
                        "39\n40\n");
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -c "
                                   "'select count(*) from values where number = 1'", 0),
                        " count \n-------\n     2\n(1 row)\n\n");
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -tA -c "
                                   "'select count(*) from values'", 0), "43\n");
    fixture_fini(f);
}

/* INSERT writes a record into the server's data directory: count(*) and
 * the rows see it; a NULL prints as an empty cell. */
static void test_insert(void **state)
{
    fixture *f = start();
    (void)state;
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -c "
                                   "'INSERT INTO values (number) VALUES (77), (NULL);'", 0),
                        "INSERT 0 2\n");
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -tA -c "
                                   "'select count(*) from values'", 0), "45\n");
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -c "
                                   "'select * from values order by number desc limit 2'", 0),
                        " number \n--------\n       \n     77\n(2 rows)\n\n");
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -c "
                                   "\"insert into values values ('many')\"", 1),
                        "ERROR:  invalid input syntax for type integer: \"many\"\n"
                        "LINE 1: insert into values values ('many')\n"
                        "                                   ^\n"
                        "command terminated with exit code 1\n");
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -c "
                                   "'insert into values values (1, 2)'", 1),
                        "ERROR:  INSERT has more expressions than target columns\n"
                        "LINE 1: insert into values values (1, 2)\n"
                        "                                      ^\n"
                        "command terminated with exit code 1\n");
    fixture_fini(f);
}

/* A table or a column the app's table does not have: PostgreSQL's words,
 * the FROM clause first; what is beyond the subset is said so. */
static void test_errors(void **state)
{
    fixture *f = start();
    (void)state;
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -c "
                                   "'select id from numbers'", 1),
                        "ERROR:  relation \"numbers\" does not exist\n"
                        "LINE 1: select id from numbers\n"
                        "                       ^\n"
                        "command terminated with exit code 1\n");
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -c "
                                   "'select * from values order by id'", 1),
                        "ERROR:  column \"id\" does not exist\n"
                        "LINE 1: select * from values order by id\n"
                        "                                      ^\n"
                        "command terminated with exit code 1\n");
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -c "
                                   "'insert into values (num) values (1)'", 1),
                        "ERROR:  column \"num\" of relation \"values\" does not exist\n"
                        "LINE 1: insert into values (num) values (1)\n"
                        "                            ^\n"
                        "command terminated with exit code 1\n");
    assert_non_null(strstr(kubectl(f, "exec pg -- psql -U postgres -c "
                                      "'select * from values where number > 1 and number < 5'",
                                   1), "this statement is not simulated"));
    assert_non_null(strstr(kubectl(f, "exec pg -- psql -U postgres -c "
                                      "'update values set number = 1'", 1),
                           "this statement is not simulated"));
    fixture_fini(f);
}

/* psql's own commands over what the server holds (describe.c, print.c):
 * \dt and \d TABLE list the app's table, owned by the superuser, each
 * title centred over the table; psql -l and \l list initdb's databases
 * with template0/1's two-line ACL ('+' at the end of a line that goes
 * on). postgres:16's \l columns (Locale Provider after Encoding, ICU
 * Rules). */
static void test_psql_meta(void **state)
{
    fixture *f = start();
    (void)state;
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -c '\\dt'", 0),
                        "         List of relations\n"
                        " Schema |  Name  | Type  |  Owner   \n"
                        "--------+--------+-------+----------\n"
                        " public | values | table | postgres\n"
                        "(1 row)\n\n");
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -c '\\d values'", 0),
                        "               Table \"public.values\"\n"
                        " Column |  Type   | Collation | Nullable | Default \n"
                        "--------+---------+-----------+----------+---------\n"
                        " number | integer |           |          | \n\n");
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -c '\\d numbers'", 1),
                        "Did not find any relation named \"numbers\".\n"
                        "command terminated with exit code 1\n");
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -l", 0),
                        "                                                      List of "
                        "databases\n"
                        "   Name    |  Owner   | Encoding | Locale Provider |  Collate   |   "
                        "Ctype    | ICU Locale | ICU Rules |   Access privileges   \n"
                        "-----------+----------+----------+-----------------+------------+----"
                        "--------+------------+-----------+-----------------------\n"
                        " postgres  | postgres | UTF8     | libc            | en_US.utf8 | "
                        "en_US.utf8 |            |           | \n"
                        " template0 | postgres | UTF8     | libc            | en_US.utf8 | "
                        "en_US.utf8 |            |           | =c/postgres          +\n"
                        "           |          |          |                 |            | "
                        "           |            |           | postgres=CTc/postgres\n"
                        " template1 | postgres | UTF8     | libc            | en_US.utf8 | "
                        "en_US.utf8 |            |           | =c/postgres          +\n"
                        "           |          |          |                 |            | "
                        "           |            |           | postgres=CTc/postgres\n"
                        "(3 rows)\n\n");
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -tA -c '\\l'", 0),
                        "postgres|postgres|UTF8|libc|en_US.utf8|en_US.utf8|||\n"
                        "template0|postgres|UTF8|libc|en_US.utf8|en_US.utf8|||=c/postgres\n"
                        "postgres=CTc/postgres\n"
                        "template1|postgres|UTF8|libc|en_US.utf8|en_US.utf8|||=c/postgres\n"
                        "postgres=CTc/postgres\n");
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -c '\\conninfo'", 0),
                        "You are connected to database \"postgres\" as user \"postgres\" via "
                        "socket in \"/var/run/postgresql\" at port \"5432\".\n");
    /* not a psql command, under -c: exit 1 without the interactive hint */
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -c '\\tables'", 1),
                        "invalid command \\tables\ncommand terminated with exit code 1\n");
    assert_non_null(strstr(kubectl(f, "exec pg -- psql -U postgres -c '\\du'", 1),
                           "\\du is not simulated"));
    fixture_fini(f);
}

/* A SELECT of constants has no FROM: PostgreSQL names such a column
 * ?column? (parse_target.c FigureColname), a number right-aligned; a
 * string compared with the integer column is read as an integer, which
 * fails there (the literal's type is unknown until then). */
static void test_psql_constants(void **state)
{
    fixture *f = start();
    (void)state;
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -c 'select 1'", 0),
                        " ?column? \n----------\n        1\n(1 row)\n\n");
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -c "
                                   "\"SELECT 'ok' AS status, -2, NULL;\"", 0),
                        " status | ?column? | ?column? \n"
                        "--------+----------+----------\n"
                        " ok     |       -2 | \n(1 row)\n\n");
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -tA -c 'select 1'", 0), "1\n");
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -c "
                                   "\"select * from values where number = 'ten'\"", 1),
                        "ERROR:  invalid input syntax for type integer: \"ten\"\n"
                        "LINE 1: select * from values where number = 'ten'\n"
                        "                                            ^\n"
                        "command terminated with exit code 1\n");
    /* NULLS FIRST / LAST is PostgreSQL's: the NULL row placed as asked */
    kubectl(f, "exec pg -- psql -U postgres -c 'insert into values values (NULL)'", 0);
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -tA -c "
                                   "'select * from values order by number desc nulls last "
                                   "limit 2'", 0), "40\n39\n");
    assert_string_equal(kubectl(f, "exec pg -- psql -U postgres -tA -c "
                                   "'select * from values order by number nulls first limit 2'",
                                0), "\n0\n");
    fixture_fini(f);
}

static const char shop[] =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: my, labels: {app: my}}\nspec:\n"
    "  containers:\n"
    "    - {name: mysql, image: \"mysql:8\", env: [{name: MYSQL_ROOT_PASSWORD, value: pw},\n"
    "                                           {name: MYSQL_DATABASE, value: shop}]}\n"
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: my}\nspec:\n"
    "  selector: {app: my}\n  ports: [{port: 3306}]\n"
    "---\napiVersion: v1\nkind: Pod\nmetadata: {name: shop, labels: {app: shop}}\nspec:\n"
    "  containers:\n"
    "    - name: api\n      image: example.test/shop\n"
    "      env: [{name: DB_HOST, value: my}, {name: DB_PORT, value: \"3306\"},\n"
    "            {name: DB_USER, value: root}, {name: DB_PASSWORD, value: pw},\n"
    "            {name: DB_NAME, value: shop}]\n"
    "---\napiVersion: v1\nkind: Service\nmetadata: {name: shop}\nspec:\n"
    "  selector: {app: shop}\n  ports: [{port: 8080}]\n";

/* mysql 8 warns at its start, on stderr, before it connects: first */
#define WARN "mysql: [Warning] Using a password on the command line interface can be insecure.\n"

/* mysql over an app's two-column table (the test catalog's shop api):
 * batch and -t output, WHERE on text, INSERT, MySQL's errors. */
static void test_mysql(void **state)
{
    static fixture f;
    ks_scn_target to = {KS_SCN_TO_SERVICE, 0, "shop"};
    int i;
    (void)state;
    assert_int_equal(fixture_init(&f, 3, NULL), KS_OK);
    assert_int_equal(fixture_apply(&f, shop), 0);
    run_to(&f, 30 * KS_SEC);
    for (i = 0; i < 4; i++)
        ks_traffic_send(f.sim, &to, "POST", "/orders", NULL, -1);
    run_to(&f, 32 * KS_SEC);
    assert_string_equal(kubectl(&f, "exec my -- mysql -uroot -ppw shop -e "
                                    "\"select * from orders where item = 'item-1'\"", 0),
                        WARN "id\titem\n1\titem-1\n4\titem-1\n");
    assert_string_equal(kubectl(&f, "exec my -- mysql -uroot -ppw shop -t -e "
                                    "'select item, id from orders order by id desc limit 2'", 0),
                        WARN "+--------+----+\n| item   | id |\n+--------+----+\n"
                        "| item-1 |  4 |\n| item-0 |  3 |\n+--------+----+\n");
    assert_string_equal(kubectl(&f, "exec my -- mysql -uroot -ppw shop -e "
                                    "\"insert into orders (item) values ('tea')\"", 0), WARN);
    assert_string_equal(kubectl(&f, "exec my -- mysql -uroot -ppw shop -N -e "
                                    "'select count(*) from orders'", 0), WARN "5\n");
    assert_string_equal(kubectl(&f, "exec my -- mysql -uroot -ppw shop -e "
                                    "'select * from order_items'", 1),
                        WARN "ERROR 1146 (42S02) at line 1: Table 'shop.order_items' doesn't "
                        "exist\ncommand terminated with exit code 1\n");
    assert_string_equal(kubectl(&f, "exec my -- mysql -uroot -ppw shop -e "
                                    "'select total from orders'", 1),
                        WARN "ERROR 1054 (42S22) at line 1: Unknown column 'total' in 'field "
                        "list'\ncommand terminated with exit code 1\n");
    assert_string_equal(kubectl(&f, "exec my -- mysql -uroot -ppw shop -e "
                                    "'select id from orders where total > 1'", 1),
                        WARN "ERROR 1054 (42S22) at line 1: Unknown column 'total' in 'where "
                        "clause'\ncommand terminated with exit code 1\n");
    /* MySQL has no NULLS FIRST (PostgreSQL's): its parse error, near the
       rest of the statement without the ';' the client does not send */
    assert_string_equal(kubectl(&f, "exec my -- mysql -uroot -ppw shop -e "
                                    "'select * from orders order by id nulls first;'", 1),
                        WARN "ERROR 1064 (42000) at line 1: You have an error in your SQL "
                        "syntax; check the manual that corresponds to your MySQL server "
                        "version for the right syntax to use near 'nulls first' at line 1\n"
                        "command terminated with exit code 1\n");
    /* a string compared with a number is its leading number ('4x': 4) */
    assert_string_equal(kubectl(&f, "exec my -- mysql -uroot -ppw shop -N -e "
                                    "\"select item from orders where id = '4x'\"", 0),
                        WARN "item-1\n");
    /* constants: the column named as the expression was written */
    assert_string_equal(kubectl(&f, "exec my -- mysql -uroot -ppw -e "
                                    "\"select 1, 'hi', NULL\"", 0),
                        WARN "1\thi\tNULL\n1\thi\tNULL\n");
    assert_string_equal(kubectl(&f, "exec my -- mysql -uroot -ppw shop -e "
                                    "'insert into orders values (1)'", 1),
                        WARN "ERROR 1136 (21S01) at line 1: Column count doesn't match value "
                        "count at row 1\ncommand terminated with exit code 1\n");
    fixture_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_table),
        cmocka_unit_test(test_insert),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_psql_meta),
        cmocka_unit_test(test_psql_constants),
        cmocka_unit_test(test_mysql),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
