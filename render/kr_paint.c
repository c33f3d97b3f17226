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
    ks_id id = 0;
    memset(&in, 0, sizeof in);
    in.w = w;
    in.h = h;
    in.scale = s->scale;
    in.caption = s->view.caption[0] ? s->view.caption : NULL;
    in.traffic = kr_data_traffic_rate(s->data, sim) >= 0
                 || ks_cluster_next(sim, KS_KIND_INGRESS, id) != 0;
    in.hide_panel = s->view.hide_panel;
    in.measure = kr_text_measure;
    in.measure_ud = s->t;
    kr_text_frame(s->t);
    if (kr_layout_compute(&s->lay, s->st, sim, &in) != 0)
        SDL_Log("RENDER: out of memory laying out the frame");
    kr_scene_track_moves(s);
    kr_clip(s->g, NULL);
    SDL_SetRenderDrawColor(s->r, KR_C_BG.r, KR_C_BG.g, KR_C_BG.b, 255);
    SDL_RenderClear(s->r);
    kr_draw_cluster(s, sim);
    kr_panel_draw(s, sim);
    kr_ui_draw(s, sim);
}
