export const MAX_MESSAGE = 10_000;
export const MAX_SUBJECT = 200;

export function messageProblem(body: string, what: 'message' | 'reply'): string | null {
  if (!body.trim()) return what === 'reply' ? 'Enter your reply' : 'Enter your message';
  if (body.length > MAX_MESSAGE) {
    return `${what === 'reply' ? 'Your reply' : 'Your message'} must be 10,000 characters or fewer`;
  }
  return null;
}

export function subjectProblem(subject: string): string | null {
  if (!subject.trim()) return 'Enter a subject';
  if (subject.trim().length > MAX_SUBJECT) return 'Subject must be 200 characters or fewer';
  return null;
}

/** When a new message's request got no answer: sending again with the same key is safe (M5). */
export const MAY_NOT_HAVE_BEEN_SENT =
  'Your message may not have been sent. Check your connection, then select Send message again: it will not be sent twice.';
