// Which header menu link is current. Most pages sit inside one menu section by their address;
// a conversation does not: it is reached from the team inbox, from "My conversations", from
// a patient's record. Links to it say where they were (navigation state), and the header
// highlights that, or nothing when it is not known.

interface MenuState {
  menu: string;
}

/** Navigation state for a link to a conversation: the menu link of the page it is on. */
export const fromMenu = (to: string): MenuState => ({ menu: to });

/** The menu link a page was opened from, as its navigation state says. */
export function menuFrom(state: unknown): string | null {
  if (state && typeof state === 'object' && 'menu' in state && typeof state.menu === 'string') {
    return state.menu;
  }
  return null;
}

/** A conversation and the pages within it belong to no menu section by address. */
const REACHED_FROM_ELSEWHERE = /^\/conversations\/[^/]+/;

/**
 * The current menu link: the page itself (`page`), or the section it is in — the longest link
 * the address starts with, or for a conversation the link it was opened from.
 */
export function currentMenuLink(
  links: string[],
  pathname: string,
  from: string | null,
): { to: string; page: boolean } | null {
  if (links.includes(pathname)) return { to: pathname, page: true };
  if (REACHED_FROM_ELSEWHERE.test(pathname)) {
    return from !== null && links.includes(from) ? { to: from, page: false } : null;
  }
  const [within] = links
    .filter((to) => to !== '/' && pathname.startsWith(`${to}/`))
    .sort((a, b) => b.length - a.length);
  return within ? { to: within, page: false } : null;
}
