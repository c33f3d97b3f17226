/* test_verify_exec.c -- verify/kvf_exec.c against a tiny WebSocket peer of
 * its own (a thread of this test, plain HTTP on 127.0.0.1): the upgrade
 * request it sends (the command as repeated command= parameters, escaped;
 * the container; stdout and stderr; the k8s.io channel protocols; the
 * token), then what it makes of the answer -- stdout on channel 1, stderr
 * on 2, the Status on 3 (Success; NonZeroExitCode with its ExitCode cause),
 * a refusal's Status message, a connection that ends without a Status, a
 * server that does not answer in time. kubesim serve's side of the same
 * protocol is tests/check_serve.sh's and unit_server_control's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "kvf_exec.h"

#define TOKEN "t0k"

typedef enum script { SC_OUTPUT, SC_EXIT3, SC_REFUSED, SC_NO_STATUS, SC_SILENT } script;

typedef struct peer {
    int listener;
    int port;
    script what;
    char request[4096];               /* the head it received */
    pthread_t thread;
} peer;

static void send_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t k = send(fd, c, n, MSG_NOSIGNAL);
        if (k <= 0)
            return;
        c += k;
        n -= (size_t)k;
    }
}

/* One unmasked binary frame (a server's): the channel byte, then text. */
static void frame(int fd, int channel, const char *text)
{
    unsigned char h[4];
    size_t n = strlen(text) + 1, hl = 2;
    h[0] = 0x82;
    if (n < 126) {
        h[1] = (unsigned char)n;
    } else {
        h[1] = 126;
        h[2] = (unsigned char)(n >> 8);
        h[3] = (unsigned char)n;
        hl = 4;
    }
    send_all(fd, h, hl);
    h[0] = (unsigned char)channel;
    send_all(fd, h, 1);
    send_all(fd, text, n - 1);
}

static void *serve_one(void *arg)
{
    peer *p = arg;
    static const char ok[] = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                             "Connection: Upgrade\r\nSec-WebSocket-Accept: x\r\n"
                             "Sec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n";
    size_t len = 0;
    int fd = accept(p->listener, NULL, NULL);
    if (fd < 0)
        return NULL;
    while (len < sizeof p->request - 1 && !strstr(p->request, "\r\n\r\n")) {
        ssize_t k = recv(fd, p->request + len, sizeof p->request - 1 - len, 0);
        if (k <= 0)
            break;
        len += (size_t)k;
        p->request[len] = '\0';
    }
    switch (p->what) {
    case SC_OUTPUT:
        send_all(fd, ok, sizeof ok - 1);
        frame(fd, 1, "75\n");
        frame(fd, 2, "a warning\n");
        frame(fd, 3, "{\"metadata\":{},\"status\":\"Success\"}");
        send_all(fd, "\x88\x00", 2);             /* close */
        break;
    case SC_EXIT3:
        send_all(fd, ok, sizeof ok - 1);
        frame(fd, 3, "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated "
                     "with non-zero exit code: error executing command [sh -c exit 3], exit "
                     "code 3\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":"
                     "[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}");
        send_all(fd, "\x88\x00", 2);
        break;
    case SC_REFUSED: {
        static const char body[] = "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":"
                                   "\"container nope is not valid for pod db-0\","
                                   "\"reason\":\"BadRequest\",\"code\":400}";
        char head[200];
        snprintf(head, sizeof head, "HTTP/1.1 400 Bad Request\r\nContent-Type: "
                 "application/json\r\nContent-Length: %zu\r\n\r\n", sizeof body - 1);
        send_all(fd, head, strlen(head));
        send_all(fd, body, sizeof body - 1);
        break;
    }
    case SC_NO_STATUS:
        send_all(fd, ok, sizeof ok - 1);
        frame(fd, 1, "partial");
        break;                                      /* and hang up */
    case SC_SILENT:
        usleep(1500 * 1000);                        /* longer than the client waits */
        break;
    }
    close(fd);
    return NULL;
}

static void peer_start(peer *p, script what)
{
    struct sockaddr_in a;
    socklen_t al = sizeof a;
    memset(p, 0, sizeof *p);
    p->what = what;
    p->listener = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(p->listener >= 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(p->listener, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(p->listener, 1), 0);
    assert_int_equal(getsockname(p->listener, (struct sockaddr *)&a, &al), 0);
    p->port = ntohs(a.sin_port);
    assert_int_equal(pthread_create(&p->thread, NULL, serve_one, p), 0);
}

static void peer_stop(peer *p)
{
    pthread_join(p->thread, NULL);
    close(p->listener);
}

static kvf_client *client_for(const peer *p)
{
    kvf_kubeconfig kc;
    char url[64], why[300];
    kvf_client *c;
    memset(&kc, 0, sizeof kc);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", p->port);
    kc.server = url;
    kc.token = TOKEN;
    c = kvf_client_create(&kc, 5000, why, sizeof why);
    assert_non_null(c);
    return c;
}

/* runs argv in ns/pod through the peer scripted so */
static int run(peer *p, script what, const char *container, const char *const *argv,
               size_t argc, long timeout_ms, kvf_exec_result *r)
{
    kvf_client *c;
    int rc;
    peer_start(p, what);
    c = client_for(p);
    rc = kvf_exec(c, "lessons", "db-0", container, argv, argc, timeout_ms, r);
    kvf_client_destroy(c);
    peer_stop(p);
    return rc;
}

static void test_exec_output(void **state)
{
    static const char *const argv[] = {"sh", "-c", "psql -tAc \"select count(*) from values\""};
    peer p;
    kvf_exec_result r;
    (void)state;
    assert_int_equal(run(&p, SC_OUTPUT, "db", argv, 3, 5000, &r), 0);
    /* the request: the upgrade, the command word by word, escaped */
    assert_non_null(strstr(p.request, "GET /api/v1/namespaces/lessons/pods/db-0/exec?"
                                      "command=sh&command=-c&command=psql%20-tAc%20%22select"
                                      "%20count%28%2A%29%20from%20values%22&container=db&"
                                      "stdout=true&stderr=true HTTP/1.1\r\n"));
    assert_non_null(strstr(p.request, "\r\nUpgrade: websocket\r\n"));
    assert_non_null(strstr(p.request, "\r\nSec-WebSocket-Protocol: v5.channel.k8s.io, "
                                      "v4.channel.k8s.io\r\n"));
    assert_non_null(strstr(p.request, "\r\nAuthorization: Bearer " TOKEN "\r\n"));
    assert_null(strstr(p.request, "stdin=true"));
    /* the answer */
    assert_int_equal(r.code, 0);
    assert_string_equal(r.out, "75\n");
    assert_string_equal(r.err, "a warning\n");
    assert_string_equal(r.error, "");
    kvf_exec_result_fini(&r);
}

static void test_exec_exit_code(void **state)
{
    static const char *const argv[] = {"sh", "-c", "exit 3"};
    peer p;
    kvf_exec_result r;
    (void)state;
    assert_int_equal(run(&p, SC_EXIT3, NULL, argv, 3, 5000, &r), 0);
    assert_null(strstr(p.request, "container="));    /* the pod's only container */
    assert_int_equal(r.code, 3);
    assert_null(r.out);
    kvf_exec_result_fini(&r);
}

static void test_exec_refused(void **state)
{
    static const char *const argv[] = {"true"};
    peer p;
    kvf_exec_result r;
    (void)state;
    assert_int_equal(run(&p, SC_REFUSED, "nope", argv, 1, 5000, &r), -1);
    assert_string_equal(r.error, "400: container nope is not valid for pod db-0");
    kvf_exec_result_fini(&r);
}

static void test_exec_no_status(void **state)
{
    static const char *const argv[] = {"true"};
    peer p;
    kvf_exec_result r;
    (void)state;
    assert_int_equal(run(&p, SC_NO_STATUS, NULL, argv, 1, 5000, &r), -1);
    assert_string_equal(r.out, "partial");
    assert_string_equal(r.error, "the connection ended without the exec's status");
    kvf_exec_result_fini(&r);
}

static void test_exec_timeout(void **state)
{
    static const char *const argv[] = {"true"};
    peer p;
    kvf_exec_result r;
    (void)state;
    assert_int_equal(run(&p, SC_SILENT, NULL, argv, 1, 300, &r), -1);
    assert_string_equal(r.error, "no answer to the exec request");
    kvf_exec_result_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exec_output),
        cmocka_unit_test(test_exec_exit_code),
        cmocka_unit_test(test_exec_refused),
        cmocka_unit_test(test_exec_no_status),
        cmocka_unit_test(test_exec_timeout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
