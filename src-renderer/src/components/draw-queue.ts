/**
 * Chart draws, spread over frames: a page that mounts or updates several charts at once draws the first at
 * once and the next ones after the browser has shown it, as many per frame as fit a frame's budget, so the
 * first chart appears after one draw, not after all of them. A chart updated again before its turn draws only
 * its newest option. Charts on screen go first: a page with a hundred charts below the fold would otherwise keep
 * the one the user just changed waiting behind all of them.
 */

type Draw = () => void;

/** Drawing time per frame for queued charts (ms); the first draw of an idle queue always runs alone. */
const FRAME_BUDGET_MS = 12;

const queue = new Map<object, Draw>();
/** Nothing drawn since the last frame was shown, and nothing waits. */
let idle = true;

/** Runs after the next frame is shown; also after 100 ms where no frames come (a hidden window). */
function afterPaint(run: () => void): void {
  let done = false;
  const once = (): void => {
    if (done) return;
    done = true;
    run();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, 100);
}

function drawThenNext(draw: Draw): void {
  try {
    draw();
  } finally {
    afterPaint(pump);
  }
}

/** Whether an owner that is an element shows any part of itself in the window; other owners count as shown. */
function onScreen(owner: object): boolean {
  if (typeof Element === 'undefined' || !(owner instanceof Element)) return true;
  const r = owner.getBoundingClientRect();
  const h = window.innerHeight || document.documentElement.clientHeight;
  const w = window.innerWidth || document.documentElement.clientWidth;
  return r.bottom > 0 && r.right > 0 && r.top < h && r.left < w && (r.width > 0 || r.height > 0);
}

/** The first queued owner on screen, else the first queued. */
function nextOwner(): object | undefined {
  let first: object | undefined;
  for (const owner of queue.keys()) {
    first ??= owner;
    if (onScreen(owner)) return owner;
  }
  return first;
}

/**
 * Draws queued charts until one frame's budget is spent, then lets the browser show them. One draw per frame
 * would keep a page of a hundred cheap charts drawing for seconds.
 */
function pump(): void {
  const start = performance.now();
  for (;;) {
    const owner = nextOwner();
    if (owner === undefined) {
      idle = true;
      return;
    }
    const draw = queue.get(owner)!;
    queue.delete(owner);
    try {
      draw();
    } catch (err) {
      afterPaint(pump);
      throw err;
    }
    if (queue.size === 0 || performance.now() - start >= FRAME_BUDGET_MS) break;
  }
  afterPaint(pump);
}

/**
 * Draws now when nothing was drawn since the last frame, else queues the draw (replacing the owner's waiting
 * one). Returns a cancel for a draw that has not run yet.
 */
export function scheduleDraw(owner: object, draw: Draw): () => void {
  if (idle) {
    idle = false;
    drawThenNext(draw);
    return () => {};
  }
  queue.set(owner, draw);
  return () => {
    if (queue.get(owner) === draw) queue.delete(owner);
  };
}
