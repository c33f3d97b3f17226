/* serve_none.c -- `kubesim serve` in the browser build: there is no HTTP
 * server in a page (server/ is not compiled for wasm, web/web.mk). */
#include <stdio.h>

#include "../cli/commands.h"

int ksc_cmd_serve(ksc_options *o)
{
    (void)o;
    fprintf(stderr, "kubesim serve: error: not in the browser build; run the native kubesim "
                    "to serve the Kubernetes API\n");
    return KSC_EXIT_BAD_INPUT;
}
