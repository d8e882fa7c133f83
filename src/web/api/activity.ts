/**
 * When the person last typed or clicked in this page. A request sent longer ago than
 * BACKGROUND_AFTER_MS after that is the page's own doing (a live refresh, a poll), and says so
 * in BACKGROUND_HEADER, so that an unattended page does not keep its session alive.
 */
export const BACKGROUND_AFTER_MS = 60_000;
export const BACKGROUND_HEADER = 'X-Carethread-Background';

let lastInteraction = Date.now();
let listening = false;

export function lastInteractionAt(): number {
  return lastInteraction;
}

export function isBackground(now = Date.now(), last = lastInteraction): boolean {
  return now - last > BACKGROUND_AFTER_MS;
}

/** Starts noting key presses and pointer presses anywhere in the page (once). */
export function listenForInteraction(): void {
  if (listening || typeof window === 'undefined') return;
  listening = true;
  const note = () => {
    lastInteraction = Date.now();
  };
  const options = { capture: true, passive: true };
  window.addEventListener('keydown', note, options);
  window.addEventListener('pointerdown', note, options);
}
