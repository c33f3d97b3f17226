/* commands.h -- the kubesim commands, one function each. */
#ifndef KSC_COMMANDS_H
#define KSC_COMMANDS_H

#include "core/ks_diag.h"
#include "options.h"

int ksc_cmd_check(ksc_options *o);
int ksc_cmd_run(ksc_options *o);
int ksc_cmd_test(ksc_options *o);
int ksc_cmd_apply(ksc_options *o);
int ksc_cmd_serve(ksc_options *o);
int ksc_cmd_verify(ksc_options *o);   /* built with KUBESIM_VERIFY */

/* Prints every message of d to stderr, gcc-style. */
void ksc_print_diags(const ks_diags *d);

#endif
