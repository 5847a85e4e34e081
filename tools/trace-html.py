#!/usr/bin/env python3
"""Draw a Chrome Trace Event file as a static HTML page (an SVG flame
chart: one lane per thread, one row per nesting depth, time to the right).

ui.perfetto.dev and chrome://tracing need the network or an old Chrome;
this page needs neither, so a headless browser can take a screenshot of
it offline:

  tools/trace-html.py trace.json trace.html [--from US] [--to US]
  chromium --headless --screenshot=trace.png --window-size=1400,520 trace.html
"""
import argparse
import html
import json

COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948',
          '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac']


def spans(events):
    """(tid, depth, name, start, end, args) from B/E pairs; the E event's
    args (`open`: the region had not ended when the file was written)
    join the B event's."""
    stacks, out = {}, []
    for ev in events:
        if ev['ph'] == 'B':
            stacks.setdefault(ev['tid'], []).append(ev)
        elif ev['ph'] == 'E':
            b = stacks[ev['tid']].pop()
            out.append((ev['tid'], len(stacks[ev['tid']]), b['name'], b['ts'],
                        ev['ts'], {**b.get('args', {}), **ev.get('args', {})}))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('trace')
    ap.add_argument('html')
    ap.add_argument('--from', dest='t0', type=float, default=None)
    ap.add_argument('--to', dest='t1', type=float, default=None)
    ap.add_argument('--width', type=int, default=1360)
    a = ap.parse_args()
    with open(a.trace, encoding='utf-8') as f:
        doc = json.load(f)
    s = spans(doc['traceEvents'])
    t0 = a.t0 if a.t0 is not None else min(x[3] for x in s)
    t1 = a.t1 if a.t1 is not None else max(x[4] for x in s)
    names = {e['tid']: e['args']['name'] for e in doc['traceEvents']
             if e['ph'] == 'M' and e['name'] == 'thread_name'}
    pids = {e['tid']: e['pid'] for e in doc['traceEvents'] if e['ph'] != 'M'}
    colors = {}
    row, lane_y, svg = 22, {}, []
    y = 40
    for tid in sorted({x[0] for x in s}):
        depth = max(x[1] for x in s if x[0] == tid) + 1
        lane_y[tid] = y
        svg.append(f'<text x="4" y="{y - 6}" class="lane">{html.escape(names.get(tid, ""))}'
                   f' (pid {pids.get(tid, "?")}, tid {tid})</text>')
        y += depth * row + 30
    scale = a.width / (t1 - t0)
    for tid, depth, name, b, e, args in s:
        if e < t0 or b > t1:
            continue
        x0, x1 = max(b, t0), min(e, t1)
        w = max((x1 - x0) * scale, 0.5)
        c = colors.setdefault(name, COLORS[len(colors) % len(COLORS)])
        ty = lane_y[tid] + depth * row
        title = f'{name} {e - b:.1f} us' + ''.join(
            ' (still open when written)' if k == 'open' else f' {k}={v}'
            for k, v in args.items())
        svg.append(f'<rect x="{(x0 - t0) * scale:.2f}" y="{ty}" width="{w:.2f}" '
                   f'height="{row - 2}" fill="{c}"><title>{html.escape(title)}</title></rect>')
        if w > 7 * len(name):
            svg.append(f'<text x="{(x0 - t0) * scale + 3:.2f}" y="{ty + 15}" '
                       f'class="box">{html.escape(name)}</text>')
    ticks = []
    for i in range(11):
        t = t0 + (t1 - t0) * i / 10
        ticks.append(f'<text x="{min(i * a.width / 10, a.width - 60):.0f}" y="14" '
                     f'class="tick">{(t - t0) / 1e3:.1f} ms</text>')
    legend = ''.join(f'<span style="display:inline-block;margin-right:14px">'
                     f'<span style="display:inline-block;width:12px;height:12px;'
                     f'background:{c}"></span> {html.escape(n)}</span>'
                     for n, c in colors.items())
    other = doc.get('otherData', {})
    page = f'''<!DOCTYPE html><html><head><meta charset="utf-8"><title>trace</title>
<style>body{{font-family:sans-serif;margin:8px}} .lane{{font-size:13px;font-weight:bold}}
.box{{font-size:12px;fill:white}} .tick{{font-size:11px;fill:#555}}</style></head><body>
<div style="font-size:13px">{html.escape(a.trace.split("/")[-1])}: {len(s)} regions,
{other.get("filtered", 0)} shorter than the minimum left out,
{other.get("dropped", 0)} dropped; {other.get("producer", "")}</div>
<svg width="{a.width}" height="{y}">{"".join(ticks)}{"".join(svg)}</svg>
<div style="font-size:13px">{legend}</div></body></html>'''
    with open(a.html, 'w', encoding='utf-8') as f:
        f.write(page)


if __name__ == '__main__':
    main()
