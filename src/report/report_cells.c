/* report_cells.c: the table cells of every page: numbers, shares, names (cut,
 * isolated, linked to their page).  Calls only the page model and html.c, so
 * that any page or section may use it. */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

void report_num(struct hbuf *b, long v)
{
    char s[32];
    html_thousands(v, s, sizeof s);
    hbuf_puts(b, s);
}

void report_td_num(struct hbuf *b, long v)
{
    hbuf_puts(b, "<td class=\"n\">");
    report_num(b, v);
    hbuf_puts(b, "</td>");
}

/* part of whole as a percentage cell (0 of nothing is 0.0%). */
void report_td_share(struct hbuf *b, long part, long whole)
{
    hbuf_printf(b, "<td class=\"n\">%.1f%%</td>",
                whole > 0 ? 100.0 * (double)part / (double)whole : 0.0);
}

/* At most max columns of s; when cut, the whole name in a tooltip. */
static void text_cut(struct hbuf *b, const char *s, size_t max)
{
    struct hbuf cut = {0};
    bool was_cut = html_text_cut(&cut, s, max);
    b->oom |= cut.oom; /* a page with a name missing is not published */
    /* Isolated (html_int.h): a name's direction never reaches the text around. */
    if (was_cut) {
        hbuf_puts(b, "<bdi title=\""); /* the name alone: nothing to isolate */
        html_text(b, s);
        hbuf_puts(b, "\">");
        hbuf_puts(b, cut.data ? cut.data : "");
        hbuf_puts(b, "</bdi>");
    } else {
        hbuf_puts(b, "<bdi>");
        hbuf_puts(b, cut.data ? cut.data : "");
        hbuf_puts(b, "</bdi>");
    }
    hbuf_free(&cut);
}

void report_td_text(struct hbuf *b, const char *s, size_t max)
{
    hbuf_puts(b, "<td class=\"t\">");
    text_cut(b, s, max);
    hbuf_puts(b, "</td>");
}

void report_td_link(struct hbuf *b, const struct report *r, enum page_kind kind,
                    const struct page_key *key, const char *text, size_t max)
{
    hbuf_puts(b, "<td class=\"t\">");
    bool link = report_link_open(b, r, kind, key);
    text_cut(b, text ? text : "", max);
    hbuf_puts(b, link ? "</a></td>" : "</td>");
}

void report_td_artist(struct hbuf *b, const struct report *r, const char *name, size_t max)
{
    report_td_link(b, r, PAGE_ARTIST, &(struct page_key){.artist = name}, name, max);
}
