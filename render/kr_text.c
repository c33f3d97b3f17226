/* kr_text.c -- fonts and the label-texture cache (see kr_text.h).
 *
 * The cache is a chained hash table of entries keyed by (face, size,
 * string) plus a doubly linked LRU list; both O(1). Eviction frees the
 * least recently drawn entry until the entry and pixel budgets hold.
 */
#include "kr_text.h"

#include <SDL_ttf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kr_blit.h"
#include "kr_status.h"

#define MAX_SIZES 24            /* distinct pixel sizes open per face */
#define NBUCKETS 4096

typedef struct entry {
    struct entry *next;         /* hash chain */
    struct entry *prev_lru, *next_lru;
    SDL_Texture *tex;           /* NULL: measured only */
    uint8_t *mask;              /* its coverage, with a target (kr_blit.h) */
    uint32_t hash;
    int w, h;
    unsigned char face;
    unsigned short px;
    char s[];
} entry;

typedef struct sized_font {
    int px;
    TTF_Font *font;
} sized_font;

struct kr_text {
    SDL_Renderer *r;
    SDL_Surface *target;        /* the software renderer's surface, or NULL */
    char path[KR_FACE_COUNT][1024];
    bool have[KR_FACE_COUNT];
    sized_font fonts[KR_FACE_COUNT][MAX_SIZES];
    int nfonts[KR_FACE_COUNT];
    entry *bucket[NBUCKETS];
    entry *lru_head, *lru_tail;  /* head: most recent */
    size_t entries, pixels, renders;
    bool ttf_inited;
};

static const char *const file_of[KR_FACE_COUNT] = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf",
                                                   "DejaVuSansMono.ttf", "DejaVuSansMono.ttf"};

static bool readable(const char *p)
{
    FILE *f = fopen(p, "rb");
    if (!f)
        return false;
    fclose(f);
    return true;
}

kr_text *kr_text_create(SDL_Renderer *r, const char *assets_dir)
{
    static const char *const sys = "/usr/share/fonts/truetype/dejavu";
    kr_text *t = calloc(1, sizeof *t);
    int f;
    if (!t)
        return NULL;
    t->r = r;
    if (!TTF_WasInit()) {
        if (TTF_Init() != 0) {
            SDL_Log("FONT: TTF_Init failed: %s -> no text", TTF_GetError());
            return t;
        }
        t->ttf_inited = true;
    }
    for (f = 0; f < KR_FACE_COUNT; f++) {
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", assets_dir ? assets_dir : sys, file_of[f]);
        if (!readable(p)) {
            SDL_Log("ASSET: [%s] not found -> using placeholder", p);
            snprintf(p, sizeof p, "%s/%s", sys, file_of[f]);
            if (!readable(p))
                continue;
        }
        snprintf(t->path[f], sizeof t->path[f], "%s", p);
        t->have[f] = true;
    }
    return t;
}

static void drop(kr_text *t, entry *e)
{
    entry **pp = &t->bucket[e->hash % NBUCKETS];
    while (*pp && *pp != e)
        pp = &(*pp)->next;
    if (*pp)
        *pp = e->next;
    if (e->prev_lru)
        e->prev_lru->next_lru = e->next_lru;
    else
        t->lru_head = e->next_lru;
    if (e->next_lru)
        e->next_lru->prev_lru = e->prev_lru;
    else
        t->lru_tail = e->prev_lru;
    if (e->tex) {
        SDL_DestroyTexture(e->tex);
        t->pixels -= (size_t)e->w * (size_t)e->h;
    }
    free(e->mask);
    t->entries--;
    free(e);
}

void kr_text_destroy(kr_text *t)
{
    int f, i;
    if (!t)
        return;
    while (t->lru_head)
        drop(t, t->lru_head);
    for (f = 0; f < KR_FACE_COUNT; f++)
        for (i = 0; i < t->nfonts[f]; i++)
            TTF_CloseFont(t->fonts[f][i].font);
    if (t->ttf_inited)
        TTF_Quit();
    free(t);
}

void kr_text_set_target(kr_text *t, SDL_Surface *target)
{
    t->target = target;
}

bool kr_text_ok(const kr_text *t)
{
    return t && t->have[KR_FACE_SANS];
}

void kr_text_frame(kr_text *t)
{
    (void)t;      /* the LRU order is kept on every use; nothing per frame yet */
}

void kr_text_stats(const kr_text *t, size_t *entries, size_t *pixels, size_t *renders)
{
    *entries = t->entries;
    *pixels = t->pixels;
    *renders = t->renders;
}

/* The font of a face at a size, opened on first use. */
static TTF_Font *font(kr_text *t, kr_face f, int px)
{
    int i;
    TTF_Font *fo;
    if ((unsigned)f >= KR_FACE_COUNT || !t->have[f])
        return NULL;
    if (px < 4)
        px = 4;
    for (i = 0; i < t->nfonts[f]; i++)
        if (t->fonts[f][i].px == px)
            return t->fonts[f][i].font;
    fo = TTF_OpenFont(t->path[f], px);
    if (!fo)
        return NULL;
    TTF_SetFontHinting(fo, TTF_HINTING_LIGHT);
    if (f == KR_FACE_MONO_BOLD)
        TTF_SetFontStyle(fo, TTF_STYLE_BOLD);
    if (t->nfonts[f] == MAX_SIZES) {         /* rare: resizing through many sizes */
        TTF_CloseFont(t->fonts[f][0].font);
        memmove(&t->fonts[f][0], &t->fonts[f][1], (MAX_SIZES - 1) * sizeof(sized_font));
        t->nfonts[f]--;
        /* cached entries of that size stay valid: they own their textures */
    }
    t->fonts[f][t->nfonts[f]].px = px;
    t->fonts[f][t->nfonts[f]].font = fo;
    t->nfonts[f]++;
    return fo;
}

static uint32_t hash_of(kr_face f, int px, const char *s)
{
    uint32_t h = 2166136261u ^ (uint32_t)f ^ ((uint32_t)px << 8);
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void touch(kr_text *t, entry *e)
{
    if (t->lru_head == e)
        return;
    if (e->prev_lru)
        e->prev_lru->next_lru = e->next_lru;
    if (e->next_lru)
        e->next_lru->prev_lru = e->prev_lru;
    else if (t->lru_tail == e)
        t->lru_tail = e->prev_lru;
    e->prev_lru = NULL;
    e->next_lru = t->lru_head;
    if (t->lru_head)
        t->lru_head->prev_lru = e;
    t->lru_head = e;
    if (!t->lru_tail)
        t->lru_tail = e;
}

/* The cache entry of a string, created (measured) if needed; with_tex also
 * renders its texture. NULL for empty strings or without fonts. */
static entry *get(kr_text *t, kr_face f, int px, const char *s, bool with_tex)
{
    uint32_t h;
    entry *e;
    TTF_Font *fo;
    size_t len;
    if (!s || !*s || !(fo = font(t, f, px)))
        return NULL;
    h = hash_of(f, px, s);
    for (e = t->bucket[h % NBUCKETS]; e; e = e->next)
        if (e->hash == h && e->face == f && e->px == px && strcmp(e->s, s) == 0)
            break;
    if (!e) {
        len = strlen(s);
        e = calloc(1, sizeof *e + len + 1);
        if (!e)
            return NULL;
        memcpy(e->s, s, len + 1);
        e->hash = h;
        e->face = (unsigned char)f;
        e->px = (unsigned short)px;
        if (TTF_SizeUTF8(fo, s, &e->w, &e->h) != 0)
            e->w = e->h = 0;
        e->next = t->bucket[h % NBUCKETS];
        t->bucket[h % NBUCKETS] = e;
        t->entries++;
        touch(t, e);
    } else {
        touch(t, e);
    }
    if (with_tex && !e->tex && e->w > 0) {
        SDL_Color white = {255, 255, 255, 255};
        SDL_Surface *surf = TTF_RenderUTF8_Blended(fo, s, white);
        if (surf) {
            e->tex = SDL_CreateTextureFromSurface(t->r, surf);
            if (e->tex && t->target)
                e->mask = kr_blit_mask_of(surf);
            if (e->tex) {
                SDL_SetTextureBlendMode(e->tex, SDL_BLENDMODE_BLEND);
                e->w = surf->w;
                e->h = surf->h;
                t->pixels += (size_t)e->w * (size_t)e->h;
                t->renders++;
            }
            SDL_FreeSurface(surf);
        }
    }
    /* keep within budget, never evicting the entry just used */
    while ((t->entries > KR_TEXT_MAX_ENTRIES || t->pixels > KR_TEXT_MAX_PIXELS)
           && t->lru_tail && t->lru_tail != e)
        drop(t, t->lru_tail);
    return e;
}

int kr_text_width(kr_text *t, kr_face f, int px, const char *s)
{
    entry *e;
    if (!s || !*s)
        return 0;
    e = get(t, f, px, s, false);
    return e ? e->w : kr_layout_estimate(f, px, s);
}

int kr_text_measure(void *t, kr_face f, int px, const char *s)
{
    return kr_text_width(t, f, px, s);
}

int kr_text_height(kr_text *t, kr_face f, int px)
{
    TTF_Font *fo = font(t, f, px);
    return fo ? TTF_FontHeight(fo) : px + px / 4;
}

int kr_text_draw(kr_text *t, kr_face f, int px, const char *s, int x, int y, kr_color c)
{
    entry *e = get(t, f, px, s, true);
    SDL_Rect dst;
    if (!e || !e->tex)
        return 0;
    dst.x = x;
    dst.y = y;
    dst.w = e->w;
    dst.h = e->h;
    if (kr_blit_mask(t->r, t->target, e->mask, e->w, 0, 0, e->w, e->h, x, y, c))
        return e->w;
    SDL_SetTextureColorMod(e->tex, c.r, c.g, c.b);
    SDL_SetTextureAlphaMod(e->tex, c.a);
    SDL_RenderCopy(t->r, e->tex, NULL, &dst);
    return e->w;
}

static void shorten(const char *s, size_t keep, kr_cut cut, char *buf, size_t n)
{
    if (cut == KR_CUT_MIDDLE)
        kr_ellipsize_middle(s, keep, buf, n);
    else if (cut == KR_CUT_NAME)
        kr_name_short(s, keep, 1, buf, n);
    else
        kr_ellipsize_end(s, keep, buf, n);
}

void kr_text_fit(kr_text *t, kr_face f, int px, const char *s, int max_w, kr_cut cut, char *buf,
                 size_t n)
{
    size_t lo = 0, hi = kr_utf8_len(s);
    if (kr_text_width(t, f, px, s) <= max_w) {
        snprintf(buf, n, "%s", s);
        return;
    }
    /* the longest shortening that fits: binary search on characters kept */
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        shorten(s, mid, cut, buf, n);
        if (kr_text_width(t, f, px, buf) <= max_w)
            lo = mid;
        else
            hi = mid - 1;
    }
    if (lo == 0) {
        buf[0] = '\0';
        return;
    }
    shorten(s, lo, cut, buf, n);
}

/* Draws s narrowed to width w (a linear horizontal squeeze). */
static int draw_squeezed(kr_text *t, kr_face f, int px, const char *s, int x, int y, int w,
                         kr_color c)
{
    entry *e = get(t, f, px, s, true);
    SDL_Rect dst;
    if (!e || !e->tex)
        return 0;
    dst.x = x;
    dst.y = y;
    dst.w = w;
    dst.h = e->h;
    SDL_SetTextureScaleMode(e->tex, SDL_ScaleModeLinear);
    SDL_SetTextureColorMod(e->tex, c.r, c.g, c.b);
    SDL_SetTextureAlphaMod(e->tex, c.a);
    SDL_RenderCopy(t->r, e->tex, NULL, &dst);
    SDL_SetTextureScaleMode(e->tex, SDL_ScaleModeNearest);
    return w;
}

void kr_text_fit_name(kr_text *t, kr_face f, int px, const char *name, int max_w, int min_words,
                      char *buf, size_t n)
{
    size_t lo = 0, hi = kr_utf8_len(name);
    if (kr_text_width(t, f, px, name) <= max_w) {
        snprintf(buf, n, "%s", name);
        return;
    }
    while (lo < hi) {                 /* the longest form that fits, by characters */
        size_t mid = (lo + hi + 1) / 2;
        kr_name_short(name, mid, min_words, buf, n);
        if (kr_text_width(t, f, px, buf) <= max_w)
            lo = mid;
        else
            hi = mid - 1;
    }
    kr_name_short(name, lo ? lo : 1, min_words, buf, n);
}

int kr_text_box(kr_text *t, kr_face f, int px, const char *s, kr_rect r, kr_align a, kr_cut cut,
                kr_color c)
{
    char buf[512];
    int w, x, y;
    if (!s || !*s || r.w <= 0)
        return 0;
    if (cut == KR_CUT_SQUEEZE) {
        w = kr_text_width(t, f, px, s);
        if (w > r.w && w * 10 <= r.w * 13) {
            y = r.y + (r.h - kr_text_height(t, f, px)) / 2;
            return draw_squeezed(t, f, px, s, r.x, y, r.w, c);
        }
        cut = KR_CUT_END;
    }
    kr_text_fit(t, f, px, s, r.w, cut, buf, sizeof buf);
    w = kr_text_width(t, f, px, buf);
    x = a == KR_LEFT ? r.x : a == KR_CENTER ? r.x + (r.w - w) / 2 : r.x + r.w - w;
    y = r.y + (r.h - kr_text_height(t, f, px)) / 2;
    return kr_text_draw(t, f, px, buf, x, y, c);
}

int kr_text_wrap(kr_text *t, kr_face f, int px, const char *s, int max_w, int max_lines,
                 char *buf, size_t n)
{
    size_t out = 0;
    int lines = 0;
    char line[1024], tmp[1100];
    if (n)
        buf[0] = '\0';
    while (*s == ' ')
        s++;
    while (*s && lines < max_lines && out + 1 < n) {
        size_t fit = 0, j = 0;
        /* the longest run of whole words that fits */
        for (;;) {
            size_t k = j;
            while (s[k] == ' ')
                k++;
            while (s[k] && s[k] != ' ')
                k++;
            if (k >= sizeof line || k == j)
                break;
            memcpy(line, s, k);
            line[k] = '\0';
            if (kr_text_width(t, f, px, line) > max_w)
                break;
            fit = j = k;
            if (!s[k])
                break;
        }
        if (fit == 0) {                    /* one word longer than the line */
            while (s[fit] && s[fit] != ' ' && fit + 1 < sizeof line)
                fit++;
        }
        memcpy(line, s, fit);
        line[fit] = '\0';
        s += fit;
        while (*s == ' ')
            s++;
        lines++;
        if (*s && lines == max_lines) {    /* the rest does not fit: cut */
            snprintf(tmp, sizeof tmp, "%s %s", line, s);
            kr_text_fit(t, f, px, tmp, max_w, KR_CUT_END, line, sizeof line);
        } else if (kr_text_width(t, f, px, line) > max_w) {
            snprintf(tmp, sizeof tmp, "%s", line);
            kr_text_fit(t, f, px, tmp, max_w, KR_CUT_END, line, sizeof line);
        }
        out += (size_t)snprintf(buf + out, n - out, "%s", line) + 1;
    }
    return lines;
}
