// layout.js: the report's layout checked by geometry in a real browser.
//
//   node layout.js PAGE.html WIDTH... [--shots DIR]
//
// Debian's chromium through the DevTools protocol (puppeteer-core: it uses
// the installed browser and downloads nothing).  At each width, with the
// <details> as the page opens and again with all of them open, it fails when
//   - a rendered text box overlaps another (by more than a pixel each way),
//   - an SVG's text falls outside its SVG,
//   - the page scrolls sideways,
//   - at 1280 px and wider, a table is wider than its box (a column would be
//     cut, or scroll inside the box),
//   - with --phone-text, at a phone's width (at most 600 px), a chart's text
//     renders under 10 px (the charts are drawn for a phone's width there),
//     or, with the <details> as the page opens, a table is wider than its box
//     (a phone shows a table's name and plays; the rest is behind its
//     "all columns" toggle, and with that open may scroll inside the box).
// Text clipped away by a scrolling box (a wide chart on a phone) counts only
// where it is visible.  Prints one line per problem (at most 20 a pass) and
// exits 1 if there is any; with --shots, a PNG of each width.
'use strict';
const path = require('path');
const puppeteer = require(process.env.PUPPETEER_CORE || 'puppeteer-core');

const args = process.argv.slice(2);
const shotsAt = args.indexOf('--shots');
const shots = shotsAt >= 0 ? args.splice(shotsAt, 2)[1] : null;
const phoneAt = args.indexOf('--phone-text');
const phoneText = phoneAt >= 0 && args.splice(phoneAt, 1).length > 0;
const page = path.resolve(args[0]);
const widths = args.slice(1).map(Number);

// Runs in the page: every problem, as strings.
function measure(phoneText, opened) {
    const problems = [];
    const clipOf = new Map();
    // The visible part of an element: its ancestors that clip (overflow other
    // than visible) cut it.
    function clip(el) {
        if (!el || el === document.documentElement) return null;
        if (clipOf.has(el)) return clipOf.get(el);
        let c = clip(el.parentElement);
        const cs = getComputedStyle(el);
        if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') {
            const r = el.getBoundingClientRect();
            const own = {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
            c = c ? {left: Math.max(c.left, own.left), top: Math.max(c.top, own.top),
                     right: Math.min(c.right, own.right), bottom: Math.min(c.bottom, own.bottom)}
                  : own;
        }
        clipOf.set(el, c);
        return c;
    }
    function cut(r, c) {
        if (!c) return r;
        return {left: Math.max(r.left, c.left), top: Math.max(r.top, c.top),
                right: Math.min(r.right, c.right), bottom: Math.min(r.bottom, c.bottom)};
    }
    // Inside a closed <details> (but its own summary) nothing is drawn, though
    // Chromium may still give the boxes of its last layout.
    function hidden(el) {
        const s = el.closest('summary');
        for (let d = el.closest('details'); d; d = d.parentElement && d.parentElement.closest('details'))
            if (!d.open && !(s && s.parentElement === d)) return true;
        return false;
    }
    const sx = window.scrollX, sy = window.scrollY;
    const boxes = [];
    function add(r, el, text, id) {
        const b = cut(r, clip(el));
        if (b.right - b.left < 0.5 || b.bottom - b.top < 0.5) return;
        boxes.push({left: b.left + sx, top: b.top + sy, right: b.right + sx,
                    bottom: b.bottom + sy, text: text.slice(0, 60), id});
    }
    let id = 0;
    // SVG text: the element's box, which must lie inside its SVG.
    for (const t of document.querySelectorAll('svg text')) {
        const r = t.getBoundingClientRect();
        if (!r.width || !r.height || hidden(t)) continue;
        const s = t.ownerSVGElement.getBoundingClientRect();
        if (r.left < s.left - 1 || r.right > s.right + 1 || r.top < s.top - 1 ||
            r.bottom > s.bottom + 1) {
            const fig = t.closest('figure');
            problems.push('outside its SVG' + (fig && fig.id ? ' (' + fig.id + ')' : '') +
                          ': "' + t.textContent.slice(0, 60) + '"');
        }
        add(r, t, t.textContent, id++);
    }
    // HTML text: each line fragment of each text node.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!n.textContent.trim() || !el || el.closest('svg, title, style') || hidden(el))
            continue;
        range.selectNodeContents(n);
        const me = id++;
        for (const r of range.getClientRects())
            add(r, el, n.textContent.trim(), me);
    }
    // Overlaps: a sweep down the page.
    boxes.sort((a, b) => a.top - b.top);
    const active = [];
    let reported = 0;
    for (const b of boxes) {
        for (let i = active.length - 1; i >= 0; i--)
            if (active[i].bottom <= b.top + 1) active.splice(i, 1);
        for (const a of active) {
            if (a.id === b.id) continue;
            const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (w > 1 && h > 1 && reported++ < 20)
                problems.push('overlap: "' + a.text + '" and "' + b.text + '" at ' +
                              Math.round(b.left) + ',' + Math.round(b.top));
        }
        active.push(b);
    }
    const vw = window.innerWidth;
    for (const t of document.querySelectorAll('table')) {
        if (!t.getClientRects().length || hidden(t))
            continue;
        const phone = phoneText && vw <= 600 && opened;
        if (vw < 1280 && !phone)
            continue;
        const box = t.parentElement;
        if (t.getBoundingClientRect().width > box.clientWidth + 1)
            problems.push('a table wider than its box: ' + Math.round(t.getBoundingClientRect()
                .width) + ' px in ' + box.clientWidth + ' (' + (t.closest('[id]') || {}).id + ': ' +
                (t.querySelector('th') || {}).textContent + ')');
    }
    for (const svg of document.querySelectorAll('svg')) {
        const r = svg.getBoundingClientRect();
        if (!phoneText || vw > 600 || !r.width || !svg.viewBox.baseVal ||
            !svg.viewBox.baseVal.width)
            continue;
        const scale = r.width / svg.viewBox.baseVal.width;
        for (const t of svg.querySelectorAll('text')) {
            const px = parseFloat(getComputedStyle(t).fontSize) * scale;
            if (t.getClientRects().length && px < 9.95) {
                problems.push('chart text of ' + px.toFixed(1) + ' px: "' + t.textContent
                    .slice(0, 30) + '" (' + ((svg.closest('[id]') || {}).id) + ')');
                break; /* one a chart */
            }
        }
    }
    const sw = document.documentElement.scrollWidth;
    if (sw > vw)
        problems.push('the page scrolls sideways: ' + sw + ' px wide in ' + vw);
    return {problems, boxes: boxes.length};
}

(async () => {
    const browser = await puppeteer.launch({
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--disable-quic',
               '--no-first-run', '--disable-background-networking', '--disable-sync',
               '--disable-component-update'],
    });
    let failed = 0;
    try {
        const tab = await browser.newPage();
        for (const width of widths) {
            await tab.setViewport({width, height: 900});
            await tab.goto('file://' + page, {waitUntil: 'load'});
            for (const state of ['as opened', 'all details open']) {
                if (state === 'all details open')
                    await tab.evaluate(() => document.querySelectorAll('details')
                        .forEach(d => { d.open = true; }));
                const {problems, boxes} = await tab.evaluate(measure, phoneText,
                                                               state === 'as opened');
                for (const p of problems)
                    console.log(path.basename(page) + ' at ' + width + ' px, ' + state + ': ' + p);
                console.error('layout: ' + path.basename(page) + ' at ' + width + ' px, ' +
                              state + ': ' + boxes + ' text boxes, ' + problems.length +
                              ' problems');
                failed += problems.length;
            }
            if (shots) {
                await tab.evaluate(() => document.querySelectorAll('details')
                    .forEach(d => { d.open = false; }));
                await tab.screenshot({path: path.join(shots, path.basename(page, '.html') +
                                                      '-' + width + '.png'), fullPage: true});
            }
        }
    } finally {
        await browser.close();
    }
    process.exit(failed ? 1 : 0);
})().catch(e => { console.error('layout: ' + e.stack); process.exit(2); });
