/**
 * Chart draws, at most one per frame: a page that mounts or updates several charts at once draws the first at
 * once and each next one after the browser has shown the previous, so the first chart appears after one draw,
 * not after all of them. A chart updated again before its turn draws only its newest option.
 */

type Draw = () => void;

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

function pump(): void {
  const next = queue.entries().next();
  if (next.done) {
    idle = true;
    return;
  }
  const [owner, draw] = next.value;
  queue.delete(owner);
  drawThenNext(draw);
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
