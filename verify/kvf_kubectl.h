/* kvf_kubectl.h -- the timeline's kubectl steps, run by the user's kubectl
 * (--kubeconfig, --context, -n, from the scenario's folder).
 *
 * In kubesim a kubectl step takes no time; a real kubectl can wait on the
 * cluster: `delete` waits for the objects to be gone, `drain` for the
 * evicted pods, `rollout status` and `wait` for their condition. Against
 * kubesim serve with its clock stepped (paused between steps) such a wait
 * never ends, and on a real cluster it would push the rest of the timeline
 * later. So:
 *   - `delete` is sent with --wait=false (the step is the request, as in
 *     kubesim), unless the step says --wait itself;
 *   - a step that waits on the cluster (drain, rollout, wait, a delete that
 *     asks to wait) goes on in the background after KVF_KUBECTL_HOLD_S of
 *     wall time, while time moves on (its requests are sent by then);
 *   - any step still running KVF_KUBECTL_BOUND_S after it started is
 *     stopped, with a message saying so (kvf_kubectl_reap).
 * Depends on: nothing of kubesim's (POSIX processes).
 */
#ifndef KVF_KUBECTL_H
#define KVF_KUBECTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define KVF_KUBECTL_BOUND_S 60.0  /* wall seconds a kubectl step may take */
#define KVF_KUBECTL_HOLD_S 10.0   /* ...before a waiting one goes on in the background */
#define KVF_KUBECTL_RUNNING (-2)  /* kvf_kubectl_run: still running, in the background */
#define KVF_KUBECTL_STOPPED (-3)  /* kvf_kubectl_run: stopped at the bound */

typedef struct kvf_kubectl kvf_kubectl;

/* kubectl: the binary (NULL: "kubectl"); kubeconfig may be NULL; dir: where
 * the steps run (the scenario's folder, or NULL); log: where kubectl's
 * output goes (NULL: nowhere). The strings are copied. */
kvf_kubectl *kvf_kubectl_create(const char *kubectl, const char *kubeconfig, const char *context,
                                const char *ns, const char *dir, FILE *log);
/* Stops whatever still runs (no message) and frees k. */
void kvf_kubectl_destroy(kvf_kubectl *k);

/* Runs one step (a command line, split as kvf_split_words does). Returns
 * kubectl's exit status (127: it could not be run), KVF_KUBECTL_RUNNING,
 * KVF_KUBECTL_STOPPED, or -1 (the line does not split, or no process). */
int kvf_kubectl_run(kvf_kubectl *k, const char *line);

/* Steps gone on in the background: collects those that ended (wait: waits
 * for each, up to its bound, and stops it there). Returns 1 with a message
 * in msg for one that failed or was stopped (call again for the next), 0
 * when there is nothing (more) to say. */
int kvf_kubectl_reap(kvf_kubectl *k, bool wait, char *msg, size_t n);

/* Splits a command line as a shell would for the simple cases scenarios
 * write: words separated by blanks, '...' and "..." quoting (with \ escapes
 * inside "..."). Returns the word count (words point into buf, which is
 * rewritten), or -1 when a quote is not closed or there are more than max. */
int kvf_split_words(char *buf, char **words, int max);

/* The words a step is run with, after the user's: "--wait=false" for a
 * delete that does not say --wait (a pointer to a static string), or NULL.
 * words[0] is kubectl's verb. (For the unit tests.) */
const char *kvf_kubectl_extra(char *const *words, int n);
/* Whether a step waits on the cluster (drain, rollout, wait, delete
 * --wait[=true]). */
bool kvf_kubectl_waits(char *const *words, int n);

#endif
