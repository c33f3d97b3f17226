/* kr_paint.c -- one whole frame: the layout of this frame, then the
 * drawing passes in order (the cluster picture, the chrome around it, what
 * floats over both). The top of the drawing layers (see kr_scene.h).
 */
#include <string.h>

#include "kr_draw.h"
#include "kr_paint.h"
#include "kr_panel.h"
#include "kr_ui.h"

void kr_paint(kr_scene *s, const ks_sim *sim, int w, int h)
{
    kr_layout_input in;
    kr_route_stat routes[16];
    size_t nroutes;
    ks_id id = 0;
    memset(&in, 0, sizeof in);
    in.w = w;
    in.h = h;
    in.scale = s->scale;
    in.traffic = kr_data_traffic_rate(s->data, sim) >= 0
                 || ks_cluster_next(sim, KS_KIND_INGRESS, id) != 0;
    in.hide_panel = s->view.hide_panel;
    in.live = s->view.live != NULL;
    in.want.pods = (int)kr_scene_sorted_pods(s, sim);
    kr_namer_clear(&s->namer);
    while ((id = ks_cluster_next(sim, KS_KIND_POD, id)) != 0)
        if (kr_ns_drawn(ks_cluster_pod(sim, id)->ns))
            kr_namer_add(&s->namer, ks_cluster_pod(sim, id)->name);
    in.want.events = (int)ks_cluster_event_count(sim);
    nroutes = kr_data_routes(s->data, sim, routes, 16);
    in.want.routes = (int)nroutes;
    in.want.output = kr_scene_output_shown(s, sim) ? kr_scene_output_lines(s, 0) : 0;
    in.want.goals = kr_scene_goal_lines(s);
    in.measure = kr_text_measure;
    in.measure_ud = s->t;
    kr_text_frame(s->t);
    if (kr_layout_compute(&s->lay, s->st, sim, &in) != 0)
        SDL_Log("RENDER: out of memory laying out the frame");
    {
        /* long lines wrap in the terminal, long routes take two rows: the
         * panel's widths are known now, lay out again with room for them */
        int wrapped = in.want.output ? kr_scene_output_lines(s, kr_scene_term_cols(s)) : 0;
        int rows = kr_panel_route_rows(s, routes, nroutes);
        if (wrapped != in.want.output || rows != in.want.routes) {
            in.want.output = wrapped;
            in.want.routes = rows;
            kr_layout_compute(&s->lay, s->st, sim, &in);
        }
    }
    kr_clip(s->g, NULL);
    SDL_SetRenderDrawColor(s->r, KR_C_BG.r, KR_C_BG.g, KR_C_BG.b, 255);
    SDL_RenderClear(s->r);
    kr_draw_cluster(s, sim);
    kr_panel_draw(s, sim);
    kr_ui_draw(s, sim);
}
