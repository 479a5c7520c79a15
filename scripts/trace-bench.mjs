// Records a Chrome trace of the benchmark's browser and says where its CPU
// went: run it next to `target/release/bench` (it attaches to the browser the
// bench starts, through the DevToolsActivePort file in the bench's profile
// folder), e.g.
//
//   node --experimental-websocket scripts/trace-bench.mjs 5 12 &
//   BENCH_ONLY=matrix2 BENCH_RUNS=7 CHROMEDRIVER=$(command -v chromedriver) target/release/bench
//
// Arguments: seconds to wait once the browser is up (sign-in and the first
// runs go by), seconds to trace, and optionally where to write the trace
// (default /tmp/bench-trace.json; open it in DevTools' Performance panel).
// It then prints, for each measured stretch the page marked (the matrix's
// floor and load, the accounts table's response to paint, the first
// screen), each thread's
// busy time and the renderer main thread's heaviest tasks by their origin in
// Chromium's source. This is how the accounts table's frame (style and
// layout forced by the pointer's hit test) and the matrix's autofill cost
// were found (README, "Benchmark"). Node 20 needs --experimental-websocket.
// Not part of the tests.

import fs from 'node:fs';

const [waitSeconds = 5, traceSeconds = 10, out = '/tmp/bench-trace.json'] = process.argv.slice(2);
const started = Date.now();

// The bench's browser: a profile folder made after this script started.
function browserEndpoint() {
  for (const dir of fs.readdirSync('/tmp')) {
    if (!dir.startsWith('sa-e2e-browser-')) continue;
    const file = `/tmp/${dir}/DevToolsActivePort`;
    try {
      if (fs.statSync(file).mtimeMs < started - 1000) continue;
      const [port, path] = fs.readFileSync(file, 'utf8').trim().split('\n');
      return `ws://127.0.0.1:${port}${path}`;
    } catch {
      // Not written yet, or gone with its browser.
    }
  }
  return null;
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
let endpoint;
while (!(endpoint = browserEndpoint())) {
  if (Date.now() - started > 120_000) throw new Error('no benchmark browser started within two minutes');
  await sleep(50);
}
await sleep(waitSeconds * 1000);

const events = await new Promise((resolve, reject) => {
  const socket = new WebSocket(endpoint);
  const collected = [];
  let id = 0;
  const send = (method, params = {}) => socket.send(JSON.stringify({ id: ++id, method, params }));
  socket.onerror = () => reject(new Error(`cannot reach the browser at ${endpoint}`));
  // Trace events come only after Tracing.end: a browser gone before it leaves none.
  socket.onclose = () => reject(new Error('the browser closed before the trace ended: trace fewer seconds, or run more (BENCH_RUNS)'));
  socket.onopen = () => {
    send('Tracing.start', {
      transferMode: 'ReportEvents',
      traceConfig: {
        includedCategories: ['toplevel', 'blink', 'blink.user_timing', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'cc'],
      },
    });
    setTimeout(() => send('Tracing.end'), traceSeconds * 1000);
  };
  socket.onmessage = message => {
    const data = JSON.parse(message.data);
    if (data.method === 'Tracing.dataCollected') collected.push(...data.params.value);
    if (data.method === 'Tracing.tracingComplete') {
      socket.close();
      resolve(collected);
    }
  };
});
fs.writeFileSync(out, JSON.stringify(events));
console.log(`${events.length} trace events written to ${out}`);

const threadNames = new Map();
const processNames = new Map();
for (const e of events) {
  if (e.ph !== 'M') continue;
  if (e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args.name);
  if (e.name === 'process_name') processNames.set(e.pid, e.args.name);
}
const threadOf = e => `${processNames.get(e.pid) ?? e.pid} / ${threadNames.get(`${e.pid}:${e.tid}`) ?? e.tid}`;
const tasks = events.filter(e => e.ph === 'X' && (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'ThreadPool_RunTask'));

// Stretches between a start mark and the next end mark.
function stretches(start, end) {
  const marks = events.filter(e => e.name === start || e.name === end).filter(e => (e.cat ?? '').includes('user_timing'));
  marks.sort((a, b) => a.ts - b.ts);
  const found = [];
  let from = null;
  for (const m of marks) {
    if (m.name === start) from = m.ts;
    else if (from !== null) {
      found.push([from, m.ts]);
      from = null;
    }
  }
  return found;
}

const overlap = (e, [from, to]) => Math.max(0, Math.min(e.ts + (e.dur ?? 0), to) - Math.max(e.ts, from));
const top = (totals, n) => [...totals].sort((a, b) => b[1] - a[1]).slice(0, n);

for (const [label, start, end] of [
  ['matrix floor (plain fetches)', 'floor-start', 'floor-end'],
  ['matrix load (click to loaded)', 'matrix-start', 'matrix-loaded'],
  ['accounts table (response to painted)', 'accounts-response', 'accounts-painted'],
  ['first screen (navigation to the Sign in form)', 'navigationStart', 'sign-in-ready'],
]) {
  const found = stretches(start, end);
  if (found.length === 0) continue;
  const wall = found.reduce((sum, [from, to]) => sum + to - from, 0) / found.length / 1000;
  console.log(`\n${label}: ${found.length} in the trace, ${wall.toFixed(1)} ms each on average; CPU per stretch:`);
  const byThread = new Map();
  const mainTasks = new Map();
  for (const e of tasks) {
    for (const stretch of found) {
      const ms = overlap(e, stretch) / 1000 / found.length;
      if (ms === 0) continue;
      const thread = threadOf(e);
      byThread.set(thread, (byThread.get(thread) ?? 0) + ms);
      const main = thread === 'Renderer / CrRendererMain';
      if (main || e.name === 'ThreadPool_RunTask') {
        const where = `${thread.split(' / ')[0]} ${main ? 'main thread' : 'thread pool'}`;
        const origin = `${where}: ${e.args?.src_func ?? '?'} (${(e.args?.src_file ?? '?').split('/').pop()})`;
        mainTasks.set(origin, (mainTasks.get(origin) ?? 0) + ms);
      }
    }
  }
  for (const [thread, ms] of top(byThread, 8)) console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${thread}`);
  console.log('  heaviest tasks (renderer main thread, and every thread pool):');
  for (const [origin, ms] of top(mainTasks, 8)) console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${origin}`);
}
