/** Whether typed text looks like an email address: a quick check before the server's own. */
export const looksLikeEmail = (text: string): boolean => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text);
