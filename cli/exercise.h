/* exercise.h -- an exercise: a Scenario whose `goals:` are checked as its
 * expectations, with graded hints. The front ends (the terminal's watch
 * loop in cmd_exercise.c, the window's goals panel in exercise_window.c)
 * share it.
 *
 * Each ksc_exercise_run loads the scenario file afresh (so edits to it and
 * to the learner's manifests are seen), runs it to its end and keeps the
 * goals' results, copied, until the next run that loads. A run that does
 * not load (a YAML or validation error) leaves the last good results in
 * place. Hints are graded and given on request only (ksc_exercise_hint):
 * the learner asks for the next one of the first goal not met; saving
 * never reveals one. A headless run (a one-off report for a grader) shows
 * each unmet goal's first hint.
 */
#ifndef KSC_EXERCISE_H
#define KSC_EXERCISE_H

#include <stdbool.h>
#include <stdio.h>

#include "load/ks_catalog.h"
#include "core/ks_diag.h"
#include "run/ks_runner.h"
#include "options.h"

typedef struct ksc_goal {
    const char *id;                /* NULL when the goal has none */
    const char *title;             /* the title, else the id, else "kind what" */
    ks_expect_state state;
    bool met;
    char when[72], expected[200], actual[300], why[600];
    const char *hint;              /* the latest hint asked for; NULL: met, none asked */
    int hint_no, nhints;           /* hint_no counts from 1 (0: none asked) */
    const char **hints;            /* all of them */
} ksc_goal;

typedef struct ksc_exercise ksc_exercise;

/* The scenario of an exercise folder: DIR/exercise.yaml, else the one
 * *.yaml file in DIR whose document is a Scenario; a file is taken as it
 * is. Returns a malloc'd path, or NULL with the reason in why. */
char *ksc_exercise_find(const char *path, char *why, size_t n);

/* An exercise of the scenario file (copied) with the image catalog cat
 * (which must outlive it) and the seed from the options. NULL when out of
 * memory. Nothing is loaded yet. */
ksc_exercise *ksc_exercise_create(const char *file, const ks_catalog *cat,
                                  const ksc_options *o);
void ksc_exercise_destroy(ksc_exercise *ex);

/* Loads and runs the exercise. KSC_EXIT_OK when it ran (the goals are
 * new); KSC_EXIT_BAD_INPUT when it did not load (d says where; the last
 * good goals stay); KSC_EXIT_INTERNAL when memory ran out or the
 * simulation failed (a message on stderr). */
int ksc_exercise_run(ksc_exercise *ex, ks_diags *d);

/* The learner asks for a hint: the next one of the first goal not met
 * that has more. Returns 1, or 0 when there is none to give. */
int ksc_exercise_hint(ksc_exercise *ex);

/* Runs that loaded, so far (0: there are no goals to show yet). */
int ksc_exercise_runs(const ksc_exercise *ex);
const char *ksc_exercise_file(const ksc_exercise *ex);
const char *ksc_exercise_name(const ksc_exercise *ex);   /* metadata.name */
const char *ksc_exercise_title(const ksc_exercise *ex);  /* title, else name */
uint64_t ksc_exercise_seed(const ksc_exercise *ex);
ks_time ksc_exercise_end(const ksc_exercise *ex);        /* the run's end */
/* Whether the scenario had no goals, so its expect: list stood in. */
bool ksc_exercise_uses_expect(const ksc_exercise *ex);

size_t ksc_exercise_goal_count(const ksc_exercise *ex);
const ksc_goal *ksc_exercise_goal(const ksc_exercise *ex, size_t i);
size_t ksc_exercise_met_count(const ksc_exercise *ex);
bool ksc_exercise_passed(const ksc_exercise *ex);        /* every goal met */

/* What the last good load reads from disk: the scenario file, its
 * manifest files and folders, and the files of its kubectl -f steps. */
size_t ksc_exercise_place_count(const ksc_exercise *ex);
const char *ksc_exercise_place(const ksc_exercise *ex, size_t i, bool *is_dir);

/* Writes the verdict for graders to path as one JSON object:
 * {exercise, title, file, seed, passed, met, goals: [{id, title, met,
 * state, when, expected, actual, why, hint}]}; after a load error (d, when
 * non-NULL and holding errors), goals is empty and errors lists them.
 * Returns 0, or -1 with a message on stderr. */
int ksc_exercise_write_json(const ksc_exercise *ex, const ks_diags *d, const char *path);

/* Plays the exercise in the window with its goals as a panel, re-running
 * on save, until the window closes (exercise_window.c); without a display
 * (or --headless) it only writes the --screenshot frames. Returns the exit
 * code (0: every goal met; 2 or 3: a frame could not be written), or -1
 * when there was no window: the caller's terminal loop or report runs. */
int ksc_exercise_window(ksc_exercise *ex, const ks_catalog *cat, const ksc_options *o);

/* The commands (cmd_exercise.c, cmd_shell.c). */
int ksc_cmd_exercise(ksc_options *o);
int ksc_cmd_shell(ksc_options *o);

#endif
