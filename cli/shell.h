/* shell.h -- what `kubesim shell` knows of the words a learner types:
 * completion candidates from the live simulation (shell_complete.c), kept
 * apart from the line editor so they can be tested without a terminal.
 */
#ifndef KSC_SHELL_H
#define KSC_SHELL_H

#include <stdbool.h>

#include "core/ks_sim.h"

/* The words that may replace text, the word starting at byte start of
 * line: command words at the start; then, by the command, resource types,
 * names of live objects (pods, deployments, services, nodes, claims...,
 * as TYPE/NAME too), subcommands and flags. *files is set when the word is
 * a file name (after -f), which the line editor completes itself.
 * Returns a malloc'd, NULL-terminated, sorted list without duplicates
 * (possibly empty); free it with ksc_shell_words_free. NULL when out of
 * memory. */
char **ksc_shell_complete(const ks_sim *sim, const char *line, int start, const char *text,
                          bool *files);
void ksc_shell_words_free(char **words);

#endif
