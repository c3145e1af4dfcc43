/* SPDX-License-Identifier: BSD-2-Clause */
// homereach status page: polls /status.json (the same JSON as
// `homereach status --json`) and draws it. Every string from the JSON goes
// in as text, never as markup: router names come from the routers.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...kids) {
  const e = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4))
    : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const k of kids) {
    if (k !== undefined && k !== null) e.append(k instanceof Node ? k : String(k));
  }
  return e;
}

function when(t) {
  if (!t) return '';
  const d = new Date(t * 1000);
  return d.toLocaleString(undefined, { month: 'short', day: 'numeric',
    hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

// The house, left to right: the way out as the last full check found it
// (diagnosis.path: this host, each router up to the first public hop, the
// internet), the same nodes `diagnose` prints.
function house(s) {
  const d = s.diagnosis;
  const titles = { 'this host': 'This host', 'home router': 'Home router',
    'ISP router': 'ISP router', 'carrier NAT': "Carrier's NAT", router: 'Router',
    internet: 'Internet' };
  const cls = { ok: 'ok', warn: 'warn', bad: 'bad', plain: '' };
  const path = d && d.path ? d.path : [];
  const nodes = path.map((n) => ({
    title: titles[n.role] || n.role,
    id: 'node-' + n.role.replace(/ /g, '-'),
    cls: cls[n.state] || '',
    lines: (n.role === 'internet'
      ? [s.public_ipv4 || 'no public IPv4', s.public_ipv6 || null]
      : [n.address].concat(n.detail.split(/, (?=maps|WAN|no mapping)/)))
      .filter(Boolean),
  }));
  const relay = s.relay && s.relay.address;
  if (relay && nodes.length) {	// the front door strangers come to
    nodes.push({ title: 'Relay', id: 'node-relay', cls: s.relay.answered_s_ago < 10 ? 'ok' : 'bad',
      lines: [s.relay.address, `WireGuard from ${s.relay.server}`,
        `answered ${s.relay.answered_s_ago} s ago`] });
  }
  const open = (d ? d.inbound_possible : false) || relay;
  if (!nodes.length) {
    $('house').replaceChildren(el('p', {}, 'not checked yet'));
    return;
  }

  const w = 200, h = 96, gap = 36;
  const svg = el('svg:svg', { viewBox: `0 0 ${nodes.length * (w + gap) - gap + 4} ${h + 4}`,
    id: 'house-svg' });
  nodes.forEach((n, i) => {
    const x = 2 + i * (w + gap);
    if (i > 0) {
      const last = i === nodes.length - 1;
      svg.append(el('svg:line', { x1: x - gap, y1: 2 + h / 2, x2: x, y2: 2 + h / 2,
        class: last ? (open ? 'ok' : 'bad') : 'plain' }));
    }
    const g = el('svg:g', { class: 'node ' + n.cls, id: n.id });
    g.append(el('svg:rect', { x, y: 2, width: w, height: h, rx: 8 }));
    g.append(el('svg:text', { x: x + 8, y: 20, class: 'title' }, n.title));
    n.lines.slice(0, 4).forEach((t, j) =>
      g.append(el('svg:text', { x: x + 8, y: 38 + j * 16 }, t.length > 28 ? t.slice(0, 27) + '…' : t)));
    svg.append(g);
  });
  $('house').replaceChildren(svg);
}

// Behind a full cone: how long a silent port stays open, and so how often
// held ports are kept alive.
function keepalives(c) {
  const l = c.binding_lifetime;
  if (!l || l.open_s === undefined) return `; keep-alives every ${c.keepalive_s} s`;
  const life = l.closed_s ? `${l.open_s} s, not ${l.closed_s} s` : `${l.open_s} s or more`;
  return `; a silent port stays open ${life}: keep-alives every ${c.keepalive_s} s`;
}

function verdict(s) {
  const d = s.diagnosis;
  const open = d ? d.inbound_possible : false;
  $('verdict').textContent = s.verdict;
  $('verdict').className = 'badge ' + (d ? (open ? 'ok' : 'bad') : '');
  const held = s.carrier_nat && s.carrier_nat.full_cone;
  const relay = s.relay && s.relay.address;
  $('inbound').textContent = relay ? `inbound IPv4 comes through the relay ${relay}`
    : held ? 'the carrier\'s NAT: ' + s.carrier_nat.finding + keepalives(s.carrier_nat)
    : d ? (open ? 'inbound connections can work'
      : 'inbound IPv4 is blocked by this topology') : '';
  if (held || relay) $('verdict').className = 'badge ok';
  $('public-ipv4').textContent = s.public_ipv4 || '–';
  $('public-ipv6').textContent = s.public_ipv6 || '–';
  $('advice').replaceChildren(...(d ? d.advice : []).map((a) =>
    el('li', { 'data-advice': a.id }, el('strong', {}, a.title), ' ',
      el('span', { class: 'id' }, '[' + a.id + ']'), el('br'), a.detail)));
  $('summary').textContent = `${s.verdict}, public ${s.public_ipv4 || 'IPv4 unknown'}` +
    (s.last_check && s.last_check.time ? `; checked ${when(s.last_check.time)}` : '');
}

function outcome(o, good) {
  if (!o) return el('span', { class: 'dim' }, 'not checked');
  return el('span', { class: o.result === good ? 'ok' : 'bad', title: o.fix || o.detail || '' },
    o.result);
}

function services(s) {
  $('services').tBodies[0].replaceChildren(...s.mappings.map((m) => {
    const held = m.keepalive_age !== undefined;
    const way = m.external_port !== undefined
      ? (m.pinhole ? `[${m.external_address}]:${m.external_port} pinhole`
        : `${m.external_address}:${m.external_port}`) +
        (held ? ' held through the carrier' + (m.held_open ? '' : ' (testing)')
          : ` via ${m.via}`)
      : m.state + (m.error ? ': ' + m.error : '');
    const lease = held ? `keep-alive ${m.keepalive_age} s ago`
      : m.lease_left === undefined ? '' : m.lease_left < 0 ? 'permanent'
        : m.lease_left + ' s';
    const tr = el('tr', { 'data-service': m.service, 'data-family': m.pinhole ? '6' : '4' },
      el('td', {}, `${m.service} ${m.port}/${m.protocol}`), el('td', { class: 'way' }, way),
      el('td', {}, lease), el('td', {}, outcome(m.outside, 'open')),
      el('td', {}, m.pinhole ? '' : outcome(m.hairpin, 'yes')));
    return tr;
  }));
}

// The fix for a router that loops nothing back, once under the table.
function hairpinFix(s) {
  const m = s.mappings.find((x) => x.hairpin && x.hairpin.fix);
  $('hairpin-fix').textContent = m ? 'No NAT loopback for ' + m.service + ': ' + m.hairpin.fix : '';
}

function records(s) {
  $('records').tBodies[0].replaceChildren(...s.records.map((r) =>
    el('tr', { 'data-record': r.name + '/' + r.record },
      el('td', {}, `${r.hostname} ${r.record}`),
      el('td', { class: 'published' }, r.published || '–'),
      el('td', { class: r.last_result && /^(good|nochg|NOERROR|ok)/.test(r.last_result) ? 'ok'
        : r.last_result ? 'bad' : '' }, r.last_result ? `${r.last_result} ${when(r.last_time)}` : '–'),
      el('td', {}, r.next))));
}

function events(s) {
  $('events').replaceChildren(...(s.events || []).map((e) =>
    el('li', { 'data-event': e.event },
      el('time', { datetime: new Date(e.time * 1000).toISOString() }, when(e.time)),
      el('span', { class: 'kind ' + (/lost|failed/.test(e.event) ? 'bad' : 'ok') }, e.event),
      e.text)));
  if (!(s.events || []).length) $('events').append(el('li', {}, 'nothing yet'));
}

async function refresh() {
  try {
    const r = await fetch('/status.json', { cache: 'no-store', credentials: 'same-origin' });
    if (!r.ok) throw new Error(`status.json: ${r.status}`);
    const s = await r.json();
    house(s); verdict(s); services(s); hairpinFix(s); records(s); events(s);
    $('updated').textContent = 'updated ' + when(Date.now() / 1000);
    $('error').textContent = '';
    document.body.dataset.loaded = 'yes';
  } catch (err) {
    $('error').textContent = 'cannot reach the agent: ' + err.message;
  }
}

refresh();
setInterval(refresh, 2000);
