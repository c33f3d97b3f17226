/* ks_event_sort.c -- sorts a bucket of queue entries into a run, for the
 * event queue (ks_event.c).
 *
 * A bucket of the far tier, once it is the next to run, is sorted whole
 * rather than heapified: a least-significant-digit radix sort on the time
 * word (tp), one pass per byte of the span between the bucket's least and
 * greatest tp (three passes for a bucket of 512 random times), with no
 * comparison to mispredict. Entries of one tp then keep the order they had
 * in the bucket, so a last scan puts each group of equal tp in sequence
 * order (sk): groups are rare and short, and mostly in order already,
 * since buckets are filled in the order events were scheduled. The result
 * is exactly the (tp, sk) order a heap would pop.
 */
#include <stdlib.h>
#include <string.h>

#include "internal/sim.h"

#define SMALL 32            /* fewer entries than this: insertion sort */

static int less(ksi_heap_entry a, ksi_heap_entry b)
{
    return a.tp < b.tp || (a.tp == b.tp && a.sk < b.sk);
}

static void insertion_sort(ksi_heap_entry *a, size_t n)
{
    size_t i, j;
    for (i = 1; i < n; i++) {
        ksi_heap_entry e = a[i];
        for (j = i; j > 0 && less(e, a[j - 1]); j--)
            a[j] = a[j - 1];
        a[j] = e;
    }
}

static int cmp_sk(const void *pa, const void *pb)
{
    uint64_t a = ((const ksi_heap_entry *)pa)->sk, b = ((const ksi_heap_entry *)pb)->sk;
    return a < b ? -1 : a > b;
}

/* Puts each run of equal tp in sk order (the radix passes kept them in
 * their input order). */
static void order_ties(ksi_heap_entry *a, size_t n)
{
    size_t i = 0, j, k;
    while (i < n) {
        int sorted = 1;
        for (j = i + 1; j < n && a[j].tp == a[i].tp; j++)
            sorted &= a[j - 1].sk < a[j].sk;
        if (!sorted) {
            k = j - i;
            if (k < SMALL)
                insertion_sort(a + i, k);
            else
                qsort(a + i, k, sizeof *a, cmp_sk);
        }
        i = j;
    }
}

ksi_heap_entry *ksi_entries_sort(ksi_heap_entry *a, ksi_heap_entry *tmp, size_t n)
{
    ksi_heap_entry *src = a, *dst = tmp, *swap;
    uint64_t lo = UINT64_MAX, hi = 0, span;
    size_t i, count[256];
    unsigned shift;
    if (n < SMALL) {
        insertion_sort(a, n);
        return a;
    }
    for (i = 0; i < n; i++) {
        lo = a[i].tp < lo ? a[i].tp : lo;
        hi = a[i].tp > hi ? a[i].tp : hi;
    }
    span = hi - lo;
    for (shift = 0; shift < 64 && (span >> shift) != 0; shift += 8) {
        size_t sum = 0, d, c;
        memset(count, 0, sizeof count);
        for (i = 0; i < n; i++)
            count[((src[i].tp - lo) >> shift) & 0xff]++;
        if (count[((src[0].tp - lo) >> shift) & 0xff] == n)
            continue;                     /* one digit for all: nothing to move */
        for (d = 0; d < 256; d++) {
            c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (i = 0; i < n; i++)
            dst[count[((src[i].tp - lo) >> shift) & 0xff]++] = src[i];
        swap = src;
        src = dst;
        dst = swap;
    }
    order_ties(src, n);
    return src;
}
