/* ks_event_sort.c -- sorts a bucket of queue entries into a run, for the
 * event queue (ks_event.c).
 *
 * A bucket of the far tier, once it is the next to run, is sorted whole
 * rather than heapified: a least-significant-digit radix sort on the time
 * word (tp), over only the bits in which the bucket's times differ, in
 * passes of at most DIGIT_MAX bits (two for a bucket of 800 random times),
 * with no comparison to mispredict. Entries of one tp then keep the order they had
 * in the bucket, so a last scan puts each group of equal tp in sequence
 * order (sk): groups are rare and short, and mostly in order already,
 * since buckets are filled in the order events were scheduled. The result
 * is exactly the (tp, sk) order a heap would pop.
 */
#include <stdlib.h>
#include <string.h>

#include "internal/sim.h"

#define SMALL 32            /* fewer entries than this: insertion sort */
#define DIGIT_MAX 11        /* bits sorted per pass, at most */

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
    uint64_t diff = 0;
    uint32_t count[1u << DIGIT_MAX];
    unsigned low, bits, passes, width, shift, p;
    size_t i;
    if (n < SMALL) {
        insertion_sort(a, n);
        return a;
    }
    /* the bits in which some tp differs from the first: the others are
     * the same in all and order nothing (the priority byte, often) */
    for (i = 1; i < n; i++)
        diff |= a[i].tp ^ a[0].tp;
    if (!diff) {
        order_ties(a, n);
        return a;
    }
    low = (unsigned)__builtin_ctzll(diff);
    bits = 64 - (unsigned)__builtin_clzll(diff) - low;
    passes = (bits + DIGIT_MAX - 1) / DIGIT_MAX;
    width = (bits + passes - 1) / passes;
    for (p = 0, shift = low; p < passes; p++, shift += width) {
        uint32_t sum = 0, c, d, mask = (1u << width) - 1;
        memset(count, 0, ((size_t)mask + 1) * sizeof count[0]);
        for (i = 0; i < n; i++)
            count[(src[i].tp >> shift) & mask]++;
        for (d = 0; d <= mask; d++) {
            c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (i = 0; i < n; i++)
            dst[count[(src[i].tp >> shift) & mask]++] = src[i];
        swap = src;
        src = dst;
        dst = swap;
    }
    order_ties(src, n);
    return src;
}
