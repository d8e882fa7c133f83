import { describe, expect, test } from 'vitest';
import { currentMenuLink, fromMenu, menuFrom } from './menu';

const STAFF = [
  '/',
  '/inbox',
  '/conversations',
  '/patients/find',
  '/break-glass',
  '/break-glass/review',
];

describe('the current header menu link', () => {
  test('a menu page is current itself', () => {
    expect(currentMenuLink(STAFF, '/conversations', null)).toEqual({
      to: '/conversations',
      page: true,
    });
    expect(currentMenuLink(STAFF, '/', null)).toEqual({ to: '/', page: true });
  });

  test('a page under a menu link is in its section; the longest link wins', () => {
    expect(currentMenuLink(STAFF, '/inbox/team-1', null)).toEqual({ to: '/inbox', page: false });
    expect(currentMenuLink(STAFF, '/break-glass/review', null)).toEqual({
      to: '/break-glass/review',
      page: true,
    });
    expect(currentMenuLink(STAFF, '/teams/team-1', null)).toBeNull();
  });

  test('a conversation opened from the team inbox is in the team inbox, not "My conversations"', () => {
    expect(currentMenuLink(STAFF, '/conversations/c-1', menuFrom(fromMenu('/inbox')))).toEqual({
      to: '/inbox',
      page: false,
    });
    expect(currentMenuLink(STAFF, '/conversations/c-1', '/conversations')).toEqual({
      to: '/conversations',
      page: false,
    });
  });

  test('a conversation opened from anywhere else highlights nothing', () => {
    expect(currentMenuLink(STAFF, '/conversations/c-1', null)).toBeNull();
    expect(currentMenuLink(STAFF, '/conversations/c-1/add-people', null)).toBeNull();
    expect(currentMenuLink(STAFF, '/conversations/c-1', '/somewhere-else')).toBeNull();
  });

  test('navigation state without a menu says nothing', () => {
    expect(menuFrom({ flash: 'Saved' })).toBeNull();
    expect(menuFrom(null)).toBeNull();
    expect(menuFrom({ menu: '/inbox', flash: 'Sent' })).toBe('/inbox');
  });
});
