/* kr_ui.h -- render-internal: what floats over the picture, the last
 * drawing pass: the selection's menu, the hover tooltip, the describe/logs
 * card, help, the kubectl prompt and its output, short notes.
 * Depends on: kr_scene.
 */
#ifndef KR_UI_H
#define KR_UI_H

#include "kr_scene.h"

void kr_ui_draw(kr_scene *s, const ks_sim *sim);

#endif
