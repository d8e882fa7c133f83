import type { Team } from '../../api/types';

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Where the button goes: compose with the team chosen, after signing in. */
export function messageLink(origin: string, team: Pick<Team, 'slug'>): string {
  return `${origin}/messages/new?team=${encodeURIComponent(team.slug)}`;
}

/** The team's public page, with its hours and phone number. */
export function teamPageLink(origin: string, team: Pick<Team, 'slug'>): string {
  return `${origin}/t/${encodeURIComponent(team.slug)}`;
}

/**
 * The button a department pastes into its website: an ordinary link, with no script and no
 * inline style, so it works on any site and under any content security policy. Sites style
 * it through its classes; unstyled it is still a clear link. The phone number sits beside it
 * for people who cannot use the internet.
 */
export function buttonSnippet(origin: string, team: Pick<Team, 'slug' | 'name' | 'phone'>): string {
  const lines = [
    `<!-- Carethread: secure messages to ${escape(team.name).replace(/--/g, '- -')}. Style it with the classes carethread-contact and carethread-button. -->`,
    `<p class="carethread-contact">`,
    `  <a class="carethread-button" href="${escape(messageLink(origin, team))}">Message us securely</a>`,
  ];
  if (team.phone) {
    lines.push(
      `  <span class="carethread-phone">Or call <a href="tel:${escape(team.phone.replace(/[^0-9+]/g, ''))}">${escape(team.phone)}</a></span>`,
    );
  }
  lines.push(`</p>`);
  return lines.join('\n');
}
