import { NotificationBanner } from './NotificationBanner';

/** NHS.UK success notification banner, an alert; with `focus` it takes focus, so it is heard. */
export function SuccessBanner({ message, focus = false }: { message: string; focus?: boolean }) {
  return <NotificationBanner heading={message} success alert focus={focus} />;
}

/** Reads a one-off message passed in navigation state, e.g. after registering a team. */
export function flashFrom(state: unknown): string | null {
  if (state && typeof state === 'object' && 'flash' in state) {
    const flash = state.flash;
    return typeof flash === 'string' ? flash : null;
  }
  return null;
}
